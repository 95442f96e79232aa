"""Closed lists of the casualty card: the checkbox values of DD Form 1380 (2014) and Form 100.

Each enum's values are stable identifiers used in events and on the wire; labels for people live
in the interfaces. Where the two cards disagree both readings are kept (see docs/card-fields.md).
"""

from __future__ import annotations

from enum import Enum


class Gender(Enum):
    """DD 1380 GENDER; Form 100 стать (чол/жін)."""

    MALE = "male"
    FEMALE = "female"


class PersonStatus(Enum):
    """Who the casualty is, as 9-line line 8 counts them (ATP 4-02.2; our reading for Ukraine).

    Own forces are "own"; coalition and other nations' forces are "other"; EPW are detainees.
    """

    OWN_MILITARY = "own_military"
    OWN_CIVILIAN = "own_civilian"
    OTHER_MILITARY = "other_military"
    OTHER_CIVILIAN = "other_civilian"
    EPW = "epw"


class Mechanism(Enum):
    """Mechanism of injury: DD 1380's checkboxes plus cluster munitions and drones."""

    ARTILLERY = "artillery"  # DD 1380 Artillery; shelling, mortar, rocket artillery
    CLUSTER_MUNITION = "cluster_munition"
    DRONE = "drone"  # FPV or drop munition: the commonest mechanism on the 2023+ front
    LANDMINE = "landmine"  # DD 1380 Landmine
    IED = "ied"  # DD 1380 IED; Ukrainian СВП
    GUNSHOT = "gunshot"  # DD 1380 GSW
    GRENADE = "grenade"
    RPG = "rpg"
    BLAST = "blast"  # primary blast without a named weapon
    BURN = "burn"
    CRUSH = "crush"
    BLUNT = "blunt"
    FALL = "fall"
    MVC = "mvc"  # motor vehicle crash; Form 100 ДТП
    OTHER = "other"


class LesionType(Enum):
    """Form 100's type of lesion; its face side and notes disagree on Терм/Відм, so both."""

    FIREARM = "firearm"  # Вогн: conventional weapons, bullet, fragment, blast
    NUCLEAR = "nuclear"  # Я
    CHEMICAL = "chemical"  # Хім
    BIOLOGICAL = "biological"  # Біол / Бак
    OTHER_WEAPON = "other_weapon"  # Інш. збр, incl. incendiary mixtures
    THERMAL = "thermal"  # Терм (face side)
    COLD = "cold"  # Відм (explanatory notes)
    STRESS_REACTION = "stress_reaction"  # Реакт. ст
    ILLNESS = "illness"  # Хв
    INFECTIOUS = "infectious"  # Інф
    MECHANICAL_TRAUMA = "mechanical_trauma"  # Мех. трав.


class CbrnAgent(Enum):
    """What a Form 100 WMD diagnosis must state (section 1.4); it decides antidote and decon."""

    PENETRATING_RADIATION = "penetrating_radiation"  # nuclear: with penetrating radiation
    NERVE_AGENT = "nerve_agent"  # ФОР, фосфорорганічні речовини
    MUSTARD = "mustard"  # іприти
    PSYCHOTOMIMETIC = "psychotomimetic"  # психотоміметичні засоби
    OTHER_CHEMICAL = "other_chemical"
    BIOLOGICAL_TOXIN = "biological_toxin"  # токсини
    BIOLOGICAL_MICROBIAL = "biological_microbial"  # мікробні рецептури


class BodyRegion(Enum):
    """Where an injury is: regions a medic can tap on a front/back body diagram."""

    HEAD = "head"
    FACE = "face"
    EYE = "eye"
    NECK = "neck"
    CHEST = "chest"
    ABDOMEN = "abdomen"
    PELVIS = "pelvis"
    GROIN = "groin"
    BACK = "back"
    BUTTOCK = "buttock"
    SHOULDER = "shoulder"
    UPPER_ARM = "upper_arm"
    ELBOW = "elbow"
    FOREARM = "forearm"
    HAND = "hand"
    THIGH = "thigh"
    KNEE = "knee"
    LOWER_LEG = "lower_leg"
    FOOT = "foot"
    WHOLE_BODY = "whole_body"


class Laterality(Enum):
    """Side of the body."""

    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"
    BILATERAL = "bilateral"


class BodyView(Enum):
    """Which outline of the diagram the mark is on (DD 1380 front/back; Form 100 спереду/ззаду)."""

    FRONT = "front"
    BACK = "back"


class InjuryKind(Enum):
    """What the injury is, Form 100's "nature" (м'які тканини, кістки, судини...) included."""

    PENETRATING = "penetrating"
    FRAGMENT = "fragment"
    GUNSHOT_WOUND = "gunshot_wound"
    AMPUTATION = "amputation"
    FRACTURE = "fracture"  # Form 100 кістки
    VASCULAR = "vascular"  # Form 100 судини
    SOFT_TISSUE = "soft_tissue"  # Form 100 м'які тканини
    CAVITY = "cavity"  # Form 100 порожнинні поранення: penetrating the chest, abdomen or skull
    BURN = "burn"  # Form 100 опіки; DD 1380 burn with TBSA %
    BLUNT = "blunt"
    CONCUSSION = "concussion"  # контузія / ЧМТ
    OTHER = "other"


class Limb(Enum):
    """A limb, as the DD 1380 tourniquet rows name them."""

    RIGHT_ARM = "right_arm"
    LEFT_ARM = "left_arm"
    RIGHT_LEG = "right_leg"
    LEFT_LEG = "left_leg"


class TourniquetCategory(Enum):
    """DD 1380 TQ: extremity, junctional or truncal."""

    EXTREMITY = "extremity"
    JUNCTIONAL = "junctional"
    TRUNCAL = "truncal"


class March(Enum):
    """MARCH order of tactical care (TCCC): haemorrhage, airway, respiration, circulation, cold."""

    MASSIVE_HEMORRHAGE = "massive_hemorrhage"
    AIRWAY = "airway"
    RESPIRATION = "respiration"
    CIRCULATION = "circulation"
    HYPOTHERMIA = "hypothermia"


class Intervention(Enum):
    """A treatment from DD 1380's back (C-A-B-C, OTHER) and Form 100's "Проведено"."""

    # Massive haemorrhage (DD 1380 C: dressings; tourniquets have their own events)
    HEMOSTATIC_DRESSING = "hemostatic_dressing"
    PRESSURE_DRESSING = "pressure_dressing"
    OTHER_DRESSING = "other_dressing"  # Form 100 перев'язка
    WOUND_PACKING = "wound_packing"
    # Airway
    AIRWAY_INTACT = "airway_intact"
    NPA = "npa"
    CRIC = "cric"
    ET_TUBE = "et_tube"
    SGA = "sga"
    RECOVERY_POSITION = "recovery_position"
    # Respiration
    OXYGEN = "oxygen"
    NEEDLE_DECOMPRESSION = "needle_decompression"
    CHEST_TUBE = "chest_tube"
    CHEST_SEAL = "chest_seal"
    # Circulation (fluids and blood have their own events; these are the checkbox procedures)
    IV_ACCESS = "iv_access"
    IO_ACCESS = "io_access"
    PELVIC_BINDER = "pelvic_binder"
    # Hypothermia and other
    HYPOTHERMIA_PREVENTION = "hypothermia_prevention"
    COMBAT_PILL_PACK = "combat_pill_pack"
    EYE_SHIELD = "eye_shield"
    SPLINT = "splint"  # Form 100 іммобілізація
    DECONTAMINATION = "decontamination"  # Form 100 санобробка
    OTHER = "other"


#: The MARCH step each intervention belongs to, so the card can be read in MARCH order.
INTERVENTION_MARCH: dict[Intervention, March] = {
    Intervention.HEMOSTATIC_DRESSING: March.MASSIVE_HEMORRHAGE,
    Intervention.PRESSURE_DRESSING: March.MASSIVE_HEMORRHAGE,
    Intervention.OTHER_DRESSING: March.MASSIVE_HEMORRHAGE,
    Intervention.WOUND_PACKING: March.MASSIVE_HEMORRHAGE,
    Intervention.AIRWAY_INTACT: March.AIRWAY,
    Intervention.NPA: March.AIRWAY,
    Intervention.CRIC: March.AIRWAY,
    Intervention.ET_TUBE: March.AIRWAY,
    Intervention.SGA: March.AIRWAY,
    Intervention.RECOVERY_POSITION: March.AIRWAY,
    Intervention.OXYGEN: March.RESPIRATION,
    Intervention.NEEDLE_DECOMPRESSION: March.RESPIRATION,
    Intervention.CHEST_TUBE: March.RESPIRATION,
    Intervention.CHEST_SEAL: March.RESPIRATION,
    Intervention.IV_ACCESS: March.CIRCULATION,
    Intervention.IO_ACCESS: March.CIRCULATION,
    Intervention.PELVIC_BINDER: March.CIRCULATION,
    Intervention.HYPOTHERMIA_PREVENTION: March.HYPOTHERMIA,
    Intervention.COMBAT_PILL_PACK: March.CIRCULATION,
    Intervention.EYE_SHIELD: March.HYPOTHERMIA,
    Intervention.SPLINT: March.CIRCULATION,
    Intervention.DECONTAMINATION: March.HYPOTHERMIA,
    Intervention.OTHER: March.CIRCULATION,
}


class FluidKind(Enum):
    """DD 1380 C: a fluid row or a blood-product row (Form 100 кровозамінники, кров)."""

    FLUID = "fluid"
    BLOOD_PRODUCT = "blood_product"


class Route(Enum):
    """Route of a drug or fluid as written on DD 1380."""

    PO = "PO"
    IV = "IV"
    IO = "IO"
    IM = "IM"
    IN = "IN"
    OTFC = "OTFC"
    SL = "SL"
    PR = "PR"
    SC = "SC"
    TOPICAL = "topical"


class DrugClass(Enum):
    """DD 1380 MEDS rows, and Form 100's serum, toxoid and antidote."""

    ANALGESIC = "analgesic"
    ANTIBIOTIC = "antibiotic"
    HEMOSTATIC = "hemostatic"  # TXA: DD 1380 "Other", named here because it is time-critical
    SERUM = "serum"  # Form 100 ППС/ПГС
    TOXOID = "toxoid"  # Form 100 анатоксин
    ANTIDOTE = "antidote"  # Form 100 антидот
    OTHER = "other"


class Avpu(Enum):
    """AVPU level of consciousness (DD 1380 Signs & Symptoms)."""

    ALERT = "A"
    VOICE = "V"
    PAIN = "P"
    UNRESPONSIVE = "U"


class PulseSite(Enum):
    """Where the pulse was taken (DD 1380 "Pulse (Rate & Location)")."""

    RADIAL = "radial"
    CAROTID = "carotid"
    FEMORAL = "femoral"
    BRACHIAL = "brachial"
    PEDAL = "pedal"
    MONITOR = "monitor"


class SanitaryTreatment(Enum):
    """Form 100 санітарна обробка: full, partial, not performed."""

    FULL = "full"
    PARTIAL = "partial"
    NOT_PERFORMED = "not_performed"


class SignalStrip(Enum):
    """Form 100's coloured edge strips that stay on the card (item 8 of its notes)."""

    URGENT_CARE = "urgent_care"  # red, НЕВІДКЛАДНА ДОПОМОГА
    DECONTAMINATION = "decontamination"  # yellow, САНІТАРНА ОБРОБКА
    ISOLATION = "isolation"  # black, ІЗОЛЯЦІЯ
    RADIATION = "radiation"  # blue, РАДІАЦІЙНЕ УРАЖЕННЯ


class EvacuationPosition(Enum):
    """Form 100 евакуйований лежачи / сидячи: litter or seated (9-line line 5 L / A)."""

    LITTER = "litter"
    SEATED = "seated"


class TransportMode(Enum):
    """Form 100 transport (сан-, груз- авто, потяг, корабель...) plus armoured vehicles."""

    AMBULANCE = "ambulance"
    ARMOURED_VEHICLE = "armoured_vehicle"
    CARGO_VEHICLE = "cargo_vehicle"
    TRAIN = "train"
    SHIP = "ship"
    BOAT = "boat"
    HELICOPTER = "helicopter"
    AIRCRAFT = "aircraft"


class FacilityLevel(Enum):
    """Where a casualty goes: Form 100's destinations and NATO roles."""

    AID_POST = "aid_post"  # МПП, role 1
    MEDICAL_COMPANY = "medical_company"  # МедР
    MOBILE_HOSPITAL = "mobile_hospital"  # ВМГ, role 2
    HOSPITAL = "hospital"  # лікарня
    MILITARY_HOSPITAL = "military_hospital"  # ВГ, role 3
    CLINICAL_CENTRE = "clinical_centre"  # ВМКЦ, role 3/4
    CIVILIAN = "civilian"  # цивільний заклад
    STABILISATION_POINT = "stabilisation_point"  # стабпункт


class Form100Priority(Enum):
    """Form 100 черговість евакуації I, II, III."""

    FIRST = "I"
    SECOND = "II"
    THIRD = "III"


class Outcome(Enum):
    """How a casualty's course ends or moves on (Form 100 reverse: результат)."""

    RETURNED_TO_DUTY = "returned_to_duty"
    ADMITTED = "admitted"
    EVACUATED_FURTHER = "evacuated_further"
    SURGERY = "surgery"
    DIED_OF_WOUNDS = "died_of_wounds"
    KILLED_IN_ACTION = "killed_in_action"
    DIED_IN_TRANSIT = "died_in_transit"
    MISSING = "missing"


class ArrivalCondition(Enum):
    """The casualty's condition as the receiving facility found it at the handover."""

    STABLE = "stable"
    UNSTABLE = "unstable"  # needs intervention now: bleeding, airway, shock
    CRITICAL = "critical"  # straight to resuscitation or theatre
    DEAD_ON_ARRIVAL = "dead_on_arrival"
