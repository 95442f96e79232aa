"""Vitals, triage decisions and the blood group as FHIR R4 Observations (LOINC, UCUM).

One set of DD 1380 vitals becomes one Observation per value, as the R4 vital-signs profiles
model them (§ observation-vitalsigns): heart rate, respiratory rate, SpO2, the blood-pressure
panel with its two components, AVPU, GCS, pain, temperature, capillary refill; START's yes/no
findings follow with Golden Hour codes.
"""

from __future__ import annotations

from typing import Any

from goldenhour.adapters.fhir.clinical import Subject
from goldenhour.adapters.fhir.elements import (
    JSON,
    actor,
    coding,
    compact,
    concept,
    event_identifier,
    instant,
    own,
    quantity,
    resource_id,
    snomed,
)
from goldenhour.adapters.fhir.terminology import (
    AVPU,
    AVPU_OBSERVATION,
    BLOOD_GROUP,
    BP_PANEL,
    DATA_ABSENT_REASON,
    DIASTOLIC,
    GCS_PARTS,
    LOINC,
    OBSERVATION_CATEGORY,
    PULSE_SITES,
    SPO2_CODES,
    SYSTOLIC,
    VITALS,
)
from goldenhour.domain.casualty.events import TriageAssessed, VitalsRecorded
from goldenhour.domain.medevac.from_card import label

_VITAL_SIGNS = [concept(coding(OBSERVATION_CATEGORY, "vital-signs", "Vital Signs"))]
_EXAM = [concept(coding(OBSERVATION_CATEGORY, "exam", "Exam"))]
_SURVEY = [concept(coding(OBSERVATION_CATEGORY, "survey", "Survey"))]
_FINDINGS = ("walking", "breathing", "breathing_after_airway", "radial_pulse", "follows_commands")


def _loinc(pair: tuple[str, str]) -> JSON:
    return coding(LOINC, pair[0], pair[1])


def _observation(
    vitals: VitalsRecorded, part: str, subject: Subject, *, category: list[JSON], **body: Any
) -> JSON:
    return compact(
        {
            "resourceType": "Observation",
            "id": resource_id("Observation", vitals.event_id, part),
            "identifier": [event_identifier(vitals.event_id)],
            "status": "final",
            "category": category,
            **body,
            "subject": subject.patient,
            "encounter": subject.encounter,
            "effectiveDateTime": instant(vitals.occurred_at),
            "performer": [actor(vitals.author)],
        }
    )


def _blood_pressure(vitals: VitalsRecorded, systolic: int, subject: Subject) -> JSON:
    diastolic: JSON = {"code": concept(_loinc(DIASTOLIC))}
    if vitals.diastolic is not None:
        diastolic["valueQuantity"] = quantity(vitals.diastolic, unit="mmHg", ucum="mm[Hg]")
    else:
        # DD 1380 "90/P": palpated, so no diastolic exists to record (R4 vs-2 allows
        # dataAbsentReason on a component).
        diastolic["dataAbsentReason"] = concept(
            coding(DATA_ABSENT_REASON, "not-performed", "Not Performed"), text="palpated"
        )
    return _observation(
        vitals, "blood_pressure", subject, category=_VITAL_SIGNS,
        code=concept(_loinc(BP_PANEL), text="Blood pressure"),
        component=[
            {"code": concept(_loinc(SYSTOLIC)),
             "valueQuantity": quantity(systolic, unit="mmHg", ucum="mm[Hg]")},
            diastolic,
        ],
    )  # fmt: skip


def vitals_observations(vitals: VitalsRecorded, subject: Subject) -> list[JSON]:
    """Return the Observations of one set of vitals, one per value recorded."""
    found: list[JSON] = []
    for name, vital in VITALS.items():
        value = vitals.gcs_total if name == "gcs" else getattr(vitals, name)
        parts = [
            {"code": concept(_loinc(GCS_PARTS[part])),
             "valueQuantity": quantity(grade, unit="{score}", ucum="{score}")}
            for part in GCS_PARTS
            if name == "gcs" and (grade := getattr(vitals, part)) is not None
        ]  # fmt: skip
        if value is None and not parts:
            continue
        body: JSON = {"code": concept(_loinc((vital.code, vital.display)), text=label(name))}
        if value is not None:
            body["valueQuantity"] = quantity(value, unit=vital.unit, ucum=vital.ucum)
        else:
            # Parts without a total (a verbal grade untestable): the score itself is absent.
            body["dataAbsentReason"] = concept(
                coding(DATA_ABSENT_REASON, "not-performed", "Not Performed"),
                text="total not scored; see the parts",
            )
        if parts:
            # Eye, verbal and motor grades as components of the score (LOINC panel 9269-2).
            body["component"] = parts
        if name == "pulse" and vitals.pulse_site is not None:
            site = vitals.pulse_site
            codings = [snomed(PULSE_SITES[site])] if site in PULSE_SITES else []
            body["bodySite"] = concept(*codings, own("pulse-site", site), text=label(site.value))
        category = _VITAL_SIGNS if name in ("pulse", "respiratory_rate", "temperature_c") else _EXAM
        found.append(_observation(vitals, name, subject, category=category, **body))
    if vitals.spo2 is not None:
        found.append(_observation(
            vitals, "spo2", subject, category=_VITAL_SIGNS,
            code=concept(*(_loinc(pair) for pair in SPO2_CODES), text="SpO2"),
            valueQuantity=quantity(vitals.spo2, unit="%", ucum="%"),
        ))  # fmt: skip
    if vitals.systolic is not None:
        found.append(_blood_pressure(vitals, vitals.systolic, subject))
    if vitals.avpu is not None:
        found.append(_observation(
            vitals, "avpu", subject, category=_EXAM,
            code=concept(_loinc(AVPU_OBSERVATION), text="AVPU"),
            valueCodeableConcept=concept(snomed(AVPU[vitals.avpu]), text=vitals.avpu.value),
        ))  # fmt: skip
    for name in _FINDINGS:
        value = getattr(vitals, name)
        if value is not None:
            found.append(_observation(
                vitals, name, subject, category=_SURVEY,
                code=concept(own("triage-finding", name), text=label(name)),
                valueBoolean=value,
            ))  # fmt: skip
    return found


def triage_observation(triage: TriageAssessed, subject: Subject) -> JSON:
    """Return an Observation of a triage decision, with the suggestion and the rule that fired."""
    system = triage.system.value
    notes = [
        f"{what}: {text}"
        for what, text in (
            ("suggested", triage.suggested.value if triage.suggested is not None else None),
            ("rule", triage.rule),
            ("reason", triage.reason),
        )
        if text
    ]
    return compact(
        {
            "resourceType": "Observation",
            "id": resource_id("Observation", triage.event_id, "triage"),
            "identifier": [event_identifier(triage.event_id)],
            "status": "final",
            "category": _SURVEY,
            "code": concept(own("triage-system", triage.system), text=f"{system} triage category"),
            "subject": subject.patient,
            "encounter": subject.encounter,
            "effectiveDateTime": instant(triage.occurred_at),
            "performer": [actor(triage.author)],
            "valueCodeableConcept": concept(
                own(f"triage-{system}", triage.category), text=triage.category.value
            ),
            "note": [{"text": note} for note in notes],
        }
    )


def blood_group_observation(blood_group: str, subject: Subject, *, key: str) -> JSON:
    """Return an Observation of the ABO/RhD group written on the identity tag."""
    return {
        "resourceType": "Observation",
        "id": resource_id("Observation", key, "blood_group"),
        "status": "final",
        "category": [concept(coding(OBSERVATION_CATEGORY, "laboratory", "Laboratory"))],
        "code": concept(_loinc(BLOOD_GROUP), text="Blood group (identity tag)"),
        "subject": subject.patient,
        "valueCodeableConcept": concept(text=blood_group),
    }
