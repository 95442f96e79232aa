"""Code systems, codes and units the FHIR handoff uses, each with where it comes from.

Standard terminologies are used where a concept has a code a hospital system knows: SNOMED CT
(``http://snomed.info/sct``) for body sites, laterality, procedures, routes and findings; LOINC
(``http://loinc.org``) for observations; UCUM (``http://unitsofmeasure.org``) for units (FHIR R4
§2.24.0.8 Quantity, "UCUM is required" for vital signs). Concepts only Golden Hour has (DD 1380
and Form 100 boxes, triage systems, evacuation precedence) use code systems named by URNs under
``urn:goldenhour:``; every such coding also carries a ``display`` and the concept ``text``.

SNOMED CT and LOINC codes were checked against published FHIR implementation guides and value
sets (HL7 mCODE laterality qualifier, the FHIR R4 vital-signs profile, SNOMED route codes value
set, trauma and road-safety IGs) before being written here; see docs/fhir.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from goldenhour.domain.casualty.vocabulary import (
    Avpu,
    BodyRegion,
    Intervention,
    Laterality,
    Limb,
    PulseSite,
    Route,
)

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
#: FHIR R4 §2.26 Identifier: "urn:ietf:rfc:3986" says the value is itself a URI (urn:uuid:…).
URI_SYSTEM = "urn:ietf:rfc:3986"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_ACT_PRIORITY = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
#: FHIR R4 core extensions (http://hl7.org/fhir/R4/extensibility-registry.html).
EXT_CONDITION_DUE_TO = "http://hl7.org/fhir/StructureDefinition/condition-dueTo"
EXT_PATIENT_NATIONALITY = "http://hl7.org/fhir/StructureDefinition/patient-nationality"
ISO_3166 = "urn:iso:std:iso:3166"


def gh_system(name: str) -> str:
    """Return the URI of one of Golden Hour's own code systems."""
    return f"urn:goldenhour:codesystem:{name}"


def gh_identifier(name: str) -> str:
    """Return the URI of one of Golden Hour's identifier systems."""
    return f"urn:goldenhour:identifier:{name}"


def gh_extension(name: str) -> str:
    """Return the URL of one of Golden Hour's extensions."""
    return f"urn:goldenhour:extension:{name}"


#: Identifier system of the Golden Hour event a resource was made from (its UUID).
EVENT_IDENTIFIER = gh_identifier("event")
#: The DocumentReference holding the complete event history is typed with this code.
HISTORY_TYPE_SYSTEM = gh_system("document-type")
HISTORY_TYPE_CODE = "event-history"

# SNOMED CT body structures for the regions of the body diagram.
BODY_SITES: dict[BodyRegion, tuple[str, str]] = {
    BodyRegion.HEAD: ("69536005", "Head structure"),
    BodyRegion.FACE: ("89545001", "Face structure"),
    BodyRegion.EYE: ("81745001", "Eye structure"),
    BodyRegion.NECK: ("45048000", "Neck structure"),
    BodyRegion.CHEST: ("51185008", "Thoracic structure"),
    BodyRegion.ABDOMEN: ("113345001", "Abdominal structure"),
    BodyRegion.PELVIS: ("12921003", "Pelvic structure"),
    BodyRegion.GROIN: ("26893007", "Inguinal region structure"),
    BodyRegion.BACK: ("77568009", "Back structure, excluding neck"),
    BodyRegion.BUTTOCK: ("46862004", "Buttock structure"),
    BodyRegion.SHOULDER: ("16982005", "Shoulder region structure"),
    BodyRegion.UPPER_ARM: ("40983000", "Upper arm structure"),
    BodyRegion.ELBOW: ("127949000", "Elbow region structure"),
    BodyRegion.FOREARM: ("14975008", "Forearm structure"),
    BodyRegion.HAND: ("85562004", "Hand structure"),
    BodyRegion.THIGH: ("68367000", "Thigh structure"),
    BodyRegion.KNEE: ("72696002", "Knee region structure"),
    BodyRegion.LOWER_LEG: ("30021000", "Lower leg structure"),
    BodyRegion.FOOT: ("56459004", "Foot structure"),
    BodyRegion.WHOLE_BODY: ("38266002", "Entire body as a whole"),
}

# SNOMED CT laterality qualifier values (as in HL7 mCODE's laterality qualifier value set).
LATERALITY: dict[Laterality, tuple[str, str]] = {
    Laterality.LEFT: ("7771000", "Left"),
    Laterality.RIGHT: ("24028007", "Right"),
    Laterality.BILATERAL: ("51440002", "Right and left"),
    Laterality.MIDLINE: ("399488007", "Midline"),
}

# SNOMED CT structures of the four limbs the DD 1380 tourniquet rows name.
LIMBS: dict[Limb, tuple[str, str]] = {
    Limb.RIGHT_ARM: ("6921000", "Structure of right upper limb"),
    Limb.LEFT_ARM: ("80768000", "Structure of left upper limb"),
    Limb.RIGHT_LEG: ("62175007", "Structure of right lower limb"),
    Limb.LEFT_LEG: ("32153003", "Structure of left lower limb"),
}

#: SNOMED CT 20655006 |Application of tourniquet (procedure)|.
TOURNIQUET_PROCEDURE = ("20655006", "Application of tourniquet")

# SNOMED CT procedures for the interventions that have an exact or near concept; the others
# are coded in Golden Hour's intervention system only, with their text.
INTERVENTIONS: dict[Intervention, tuple[str, str]] = {
    Intervention.PRESSURE_DRESSING: ("26906007", "Application of dressing, pressure"),
    Intervention.HEMOSTATIC_DRESSING: ("3895009", "Application of dressing"),
    Intervention.OTHER_DRESSING: ("3895009", "Application of dressing"),
    Intervention.WOUND_PACKING: ("51241000", "Control of hemorrhage"),
    Intervention.NPA: ("182692007", "Nasopharyngeal airway insertion"),
    Intervention.ET_TUBE: ("112798008", "Insertion of endotracheal tube"),
    Intervention.OXYGEN: ("57485005", "Oxygen therapy"),
    Intervention.NEEDLE_DECOMPRESSION: (
        "1290622004",
        "Needle chest decompression for tension pneumothorax",
    ),
    Intervention.CHEST_TUBE: ("264957007", "Insertion of chest tube"),
}

# SNOMED CT route of administration qualifier values (FHIR R4 route-codes value set).
ROUTES: dict[Route, tuple[str, str]] = {
    Route.PO: ("26643006", "Oral route"),
    Route.IV: ("47625008", "Intravenous route"),
    Route.IO: ("417255000", "Intraosseous route"),
    Route.IM: ("78421000", "Intramuscular route"),
    Route.IN: ("46713006", "Nasal route"),
    Route.OTFC: ("372473007", "Oromucosal use"),  # oral transmucosal fentanyl lozenge
    Route.SL: ("37839007", "Sublingual route"),
    Route.PR: ("37161004", "Rectal route"),
    Route.SC: ("34206005", "Subcutaneous route"),
    Route.TOPICAL: ("6064005", "Topical route"),
}

# SNOMED CT arteries where a pulse is felt (the blood-pressure body-site value sets).
PULSE_SITES: dict[PulseSite, tuple[str, str]] = {
    PulseSite.RADIAL: ("45631007", "Structure of radial artery"),
    PulseSite.BRACHIAL: ("17137000", "Structure of brachial artery"),
    PulseSite.FEMORAL: ("7657000", "Structure of femoral artery"),
}

#: LOINC 67775-7 Level of responsiveness, answered with SNOMED CT AVPU findings.
AVPU_OBSERVATION = ("67775-7", "Level of responsiveness")
AVPU: dict[Avpu, tuple[str, str]] = {
    Avpu.ALERT: ("248234008", "Mentally alert"),
    Avpu.VOICE: ("300202002", "Responds to voice"),
    Avpu.PAIN: ("450847001", "Responds to pain"),
    Avpu.UNRESPONSIVE: ("422768004", "Unresponsive"),
}


@dataclass(frozen=True, slots=True)
class Vital:
    """One measured vital sign: LOINC code and display, UCUM unit and printed unit."""

    code: str
    display: str
    ucum: str
    unit: str


# LOINC codes of the FHIR R4 vital-signs profiles (§ Vital Signs, observation-vitalsigns) and
# of the scores DD 1380 records; UCUM units as those profiles require.
VITALS: dict[str, Vital] = {
    "pulse": Vital("8867-4", "Heart rate", "/min", "beats/minute"),
    "respiratory_rate": Vital("9279-1", "Respiratory rate", "/min", "breaths/minute"),
    "gcs": Vital("9269-2", "Glasgow coma score total", "{score}", "{score}"),
    "pain": Vital(
        "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        "{score}", "{score}",
    ),
    "temperature_c": Vital("8310-5", "Body temperature", "Cel", "C"),
    "capillary_refill_s": Vital("44963-7", "Capillary refill [Time] of Nail bed", "s", "s"),
}  # fmt: skip
#: LOINC parts of the Glasgow coma score (9269-2 is the total, in ``VITALS``), by event field.
GCS_PARTS: dict[str, tuple[str, str]] = {
    "gcs_eye": ("9267-6", "Glasgow coma score eye opening"),
    "gcs_verbal": ("9270-0", "Glasgow coma score verbal"),
    "gcs_motor": ("9268-4", "Glasgow coma score motor"),
}
#: Oxygen saturation: the R4 vital-signs code 2708-6 and the pulse-oximetry code 59408-5
#: together, as in the R4 example observation-example-satO2.
SPO2_CODES = (("2708-6", "Oxygen saturation in Arterial blood"),
              ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"))  # fmt: skip
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")
SYSTOLIC = ("8480-6", "Systolic blood pressure")
DIASTOLIC = ("8462-4", "Diastolic blood pressure")
#: LOINC 882-1 ABO and Rh group [Type] in Blood.
BLOOD_GROUP = ("882-1", "ABO and Rh group [Type] in Blood")
#: SNOMED CT 716186003 |No known allergy (situation)|, for DD 1380's "NKDA".
NO_KNOWN_ALLERGY = ("716186003", "No known allergy")

# UCUM codes for the dose units medics write; an unknown unit is kept as text only.
DOSE_UNITS: dict[str, str] = {
    "mg": "mg", "g": "g", "mcg": "ug", "ug": "ug", "µg": "ug", "ml": "mL", "mL": "mL",
    "l": "L", "L": "L", "iu": "[iU]", "IU": "[iU]", "units": "[iU]", "mmol": "mmol",
    "meq": "meq", "mEq": "meq", "mg/kg": "mg/kg", "puff": "{puff}", "tab": "{tablet}",
}  # fmt: skip
