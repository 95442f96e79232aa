"""The printed card's words, Ukrainian first and English second, as on the bilingual card.

Ukrainian follows Form 100 (ПМК) and the Ukrainian translation of DD 1380 where they print a
word (shared/reference/cards/form100-ua.md), and the web app's Ukrainian labels elsewhere.
"""

from __future__ import annotations

from datetime import UTC, datetime

from goldenhour.domain.casualty.vocabulary import (
    DrugClass,
    EvacuationPosition,
    FacilityLevel,
    Form100Priority,
    Intervention,
    LesionType,
    Limb,
    Mechanism,
    SanitaryTreatment,
    SignalStrip,
    TransportMode,
)
from goldenhour.domain.triage.categories import NatoCategory, Precedence

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

#: DD 1380's mechanism boxes in the card's order; the rest print as Other with their name.
MECHANISM_BOXES: tuple[tuple[Mechanism, str], ...] = (
    (Mechanism.ARTILLERY, "Артобстріл / Artillery"),
    (Mechanism.BLUNT, "Тупа травма / Blunt"),
    (Mechanism.BURN, "Опік / Burn"),
    (Mechanism.FALL, "Падіння / Fall"),
    (Mechanism.GRENADE, "Граната / Grenade"),
    (Mechanism.GUNSHOT, "Вогнепальна / GSW"),
    (Mechanism.IED, "СВП / IED"),
    (Mechanism.LANDMINE, "Міна / Landmine"),
    (Mechanism.MVC, "ДТП / MVC"),
    (Mechanism.RPG, "РПГ / RPG"),
    (Mechanism.OTHER, "Інше / Other"),
)
#: Mechanisms DD 1380 has no box for: printed as Other + name (docs/card-fields.md).
OTHER_MECHANISMS = {
    Mechanism.CLUSTER_MUNITION: "касетний боєприпас / cluster munition",
    Mechanism.DRONE: "дрон / drone",
    Mechanism.BLAST: "вибух / blast",
    Mechanism.CRUSH: "здавлення / crush",
}

#: Form 100's lesion codes, as printed in its symbol column.
LESION_CODES: tuple[tuple[LesionType, str], ...] = (
    (LesionType.FIREARM, "Вогн"),
    (LesionType.NUCLEAR, "Я"),
    (LesionType.CHEMICAL, "Хім"),
    (LesionType.BIOLOGICAL, "Біол"),
    (LesionType.OTHER_WEAPON, "Інш. збр"),
    (LesionType.THERMAL, "Терм"),
    (LesionType.COLD, "Відм"),
    (LesionType.STRESS_REACTION, "Реакт. ст"),
    (LesionType.ILLNESS, "Хв"),
    (LesionType.INFECTIOUS, "Інф"),
    (LesionType.MECHANICAL_TRAUMA, "Мех. трав."),
)

LIMBS = {
    Limb.RIGHT_ARM: ("Пр. рука", "R ARM"),
    Limb.LEFT_ARM: ("Л. рука", "L ARM"),
    Limb.RIGHT_LEG: ("Пр. нога", "R LEG"),
    Limb.LEFT_LEG: ("Л. нога", "L LEG"),
}

#: DD 1380 EVAC boxes: 9-line A and B print as Urgent, E as Routine (docs/card-fields.md).
EVAC_BOXES: tuple[tuple[frozenset[Precedence], str], ...] = (
    (frozenset({Precedence.URGENT, Precedence.URGENT_SURGICAL}), "Невідкладна / Urgent"),
    (frozenset({Precedence.PRIORITY}), "Пріоритетна / Priority"),
    (frozenset({Precedence.ROUTINE, Precedence.CONVENIENCE}), "Планова / Routine"),
)
PRECEDENCE_WORDS = {
    Precedence.URGENT: "URGENT",
    Precedence.URGENT_SURGICAL: "URGENT-SURG",
    Precedence.PRIORITY: "PRIORITY",
    Precedence.ROUTINE: "ROUTINE",
    Precedence.CONVENIENCE: "CONVENIENCE",
}
NATO_WORDS = {
    NatoCategory.T1: "T1 невідкладна / immediate",
    NatoCategory.T2: "T2 відкладена / delayed",
    NatoCategory.T3: "T3 мінімальна / minimal",
    NatoCategory.T4: "T4 очікувальна / expectant",
    NatoCategory.DEAD: "загиблий / dead",
}

#: DD 1380 back, by row: (row title, boxes as (interventions, label)).
TREATMENT_ROWS: tuple[tuple[str, tuple[tuple[frozenset[Intervention], str], ...]], ...] = (
    ("C  Пов'язка / Dressing", (
        (frozenset({Intervention.HEMOSTATIC_DRESSING}), "Гемостатична / Hemostatic"),
        (frozenset({Intervention.PRESSURE_DRESSING}), "Тиснуча / Pressure"),
        (frozenset({Intervention.OTHER_DRESSING, Intervention.WOUND_PACKING}), "Інша / Other"),
    )),
    ("A  Дих. шляхи / Airway", (
        (frozenset({Intervention.AIRWAY_INTACT}), "Прохідні / Intact"),
        (frozenset({Intervention.NPA}), "NPA"),
        (frozenset({Intervention.CRIC}), "CRIC"),
        (frozenset({Intervention.ET_TUBE}), "ET-Tube"),
        (frozenset({Intervention.SGA}), "SGA"),
    )),
    ("B  Дихання / Breathing", (
        (frozenset({Intervention.OXYGEN}), "O2"),
        (frozenset({Intervention.NEEDLE_DECOMPRESSION}), "Needle-D"),
        (frozenset({Intervention.CHEST_TUBE}), "Chest-Tube"),
        (frozenset({Intervention.CHEST_SEAL}), "Chest-Seal"),
    )),
    ("Інше / Other", (
        (frozenset({Intervention.COMBAT_PILL_PACK}), "Combat-Pill-Pack"),
        (frozenset({Intervention.EYE_SHIELD}), "Щиток ока / Eye-Shield"),
        (frozenset({Intervention.SPLINT}), "Шина / Splint"),
        (frozenset({Intervention.HYPOTHERMIA_PREVENTION}), "Зігрівання / Hypothermia"),
    )),
)  # fmt: skip
#: Interventions without a DD 1380 box: written in NOTES (docs/card-fields.md).
NO_BOX = {
    Intervention.WOUND_PACKING: "тампонування / wound packing",
    Intervention.RECOVERY_POSITION: "стабільне положення / recovery position",
    Intervention.IV_ACCESS: "в/в доступ / IV access",
    Intervention.IO_ACCESS: "в/к доступ / IO access",
    Intervention.PELVIC_BINDER: "тазовий пояс / pelvic binder",
    Intervention.DECONTAMINATION: "санобробка / decontamination",
    Intervention.OTHER: "інше / other",
}

DRUG_CLASSES = {
    DrugClass.ANALGESIC: "Знебол. / Analgesic",
    DrugClass.ANTIBIOTIC: "Антибіотик / Antibiotic",
    DrugClass.HEMOSTATIC: "Гемостатик / Other",
    DrugClass.SERUM: "Сироватка / Other",
    DrugClass.TOXOID: "Анатоксин / Other",
    DrugClass.ANTIDOTE: "Антидот / Other",
    DrugClass.OTHER: "Інше / Other",
}

#: Form 100's coloured strips: colour as RGB, and the words printed on the strip.
STRIPS: tuple[tuple[SignalStrip, tuple[float, float, float], str], ...] = (
    (SignalStrip.URGENT_CARE, (0.84, 0.1, 0.1), "НЕВІДКЛАДНА ДОПОМОГА / URGENT CARE"),
    (SignalStrip.DECONTAMINATION, (0.98, 0.8, 0.0), "САНІТАРНА ОБРОБКА / DECONTAMINATION"),
    (SignalStrip.ISOLATION, (0.0, 0.0, 0.0), "ІЗОЛЯЦІЯ / ISOLATION"),
    (SignalStrip.RADIATION, (0.1, 0.3, 0.85), "РАДІАЦІЙНЕ УРАЖЕННЯ / RADIATION"),
)

SANITARY = {
    SanitaryTreatment.FULL: "повна / full",
    SanitaryTreatment.PARTIAL: "часткова / partial",
    SanitaryTreatment.NOT_PERFORMED: "не проводилась / not performed",
}
POSITIONS = {
    EvacuationPosition.LITTER: "лежачи / litter",
    EvacuationPosition.SEATED: "сидячи / sitting",
}
TRANSPORT = {
    TransportMode.AMBULANCE: "сан. авто / ambulance",
    TransportMode.ARMOURED_VEHICLE: "броньована машина / armoured vehicle",
    TransportMode.CARGO_VEHICLE: "груз. авто / cargo vehicle",
    TransportMode.TRAIN: "потягом / train",
    TransportMode.SHIP: "кораблем / ship",
    TransportMode.BOAT: "човном / boat",
    TransportMode.HELICOPTER: "гелікоптером / helicopter",
    TransportMode.AIRCRAFT: "літаком / aircraft",
}
DESTINATIONS = {
    FacilityLevel.AID_POST: "МПП / aid post",
    FacilityLevel.MEDICAL_COMPANY: "МедР / medical company",
    FacilityLevel.MOBILE_HOSPITAL: "ВМГ / mobile hospital",
    FacilityLevel.HOSPITAL: "лікарня / hospital",
    FacilityLevel.MILITARY_HOSPITAL: "ВГ / military hospital",
    FacilityLevel.CLINICAL_CENTRE: "ВМКЦ / clinical centre",
    FacilityLevel.CIVILIAN: "Цив. заклад / civilian",
    FacilityLevel.STABILISATION_POINT: "стабпункт / stabilisation point",
}
FORM100_PRIORITY = {
    Form100Priority.FIRST: "І",
    Form100Priority.SECOND: "ІІ",
    Form100Priority.THIRD: "ІІІ",
}


def zulu_time(moment: datetime) -> str:
    """Return a time of day in Zulu as the card prints it: ``1232Z``."""
    return f"{moment.astimezone(UTC):%H%M}Z"


def card_date(moment: datetime) -> str:
    """Return a date as DD 1380 asks (DD-MMM-YY), in UTC: ``14-JUN-22``."""
    utc = moment.astimezone(UTC)
    return f"{utc:%d}-{_MONTHS[utc.month - 1]}-{utc:%y}"
