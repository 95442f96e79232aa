"""Card entries as FHIR R4 clinical resources: injuries, tourniquets, treatments, drugs, fluids.

Each resource names its source event in ``identifier`` (system ``urn:goldenhour:identifier:event``)
and gets an id derived from that event's id, so exporting the same card twice gives the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from goldenhour.adapters.fhir.elements import (
    JSON,
    actor,
    coding,
    compact,
    concept,
    event_identifier,
    extension,
    instant,
    own,
    quantity,
    resource_id,
    snomed,
)
from goldenhour.adapters.fhir.terminology import (
    BODY_SITES,
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    DOSE_UNITS,
    EXT_CONDITION_DUE_TO,
    INTERVENTIONS,
    LATERALITY,
    LIMBS,
    ROUTES,
    TOURNIQUET_PROCEDURE,
)
from goldenhour.domain.casualty.card import TourniquetRecord
from goldenhour.domain.casualty.events import (
    DiagnosisRecorded,
    FluidGiven,
    InjuryRecorded,
    MedicationGiven,
    TreatmentGiven,
)
from goldenhour.domain.casualty.vocabulary import (
    INTERVENTION_MARCH,
    FluidKind,
    Laterality,
    Mechanism,
    Route,
)
from goldenhour.domain.medevac.from_card import label


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """What every clinical resource points at: the patient and the encounter of the card."""

    patient: JSON
    encounter: JSON
    injured_at: datetime | None


def _laterality(side: Laterality | None) -> list[JSON]:
    # A laterality qualifier on the body site, as HL7 mCODE's mcode-laterality-qualifier does:
    # R4 core has no element for it, and pre-coordinated "left thigh" codes exist for few sites.
    if side is None:
        return []
    return [extension("laterality", valueCodeableConcept=concept(snomed(LATERALITY[side])))]


def _body_site(injury: InjuryRecorded) -> JSON:
    words = " ".join(label(v.value) for v in (injury.laterality, injury.region) if v is not None)
    return compact(
        {
            "extension": _laterality(injury.laterality),
            "coding": [snomed(BODY_SITES[injury.region])],
            "text": words,
        }
    )


def _mechanism(mechanism: Mechanism, other: str | None) -> JSON:
    text = other if mechanism is Mechanism.OTHER and other else label(mechanism.value)
    return {
        "url": EXT_CONDITION_DUE_TO,
        "valueCodeableConcept": concept(own("mechanism", mechanism), text=text),
    }


def _injury_text(injury: InjuryRecorded) -> str:
    kinds = ", ".join(sorted(label(kind.value) for kind in injury.kinds)) or "injury"
    site = _body_site(injury)["text"]
    text = f"{kinds} of {site}"
    if injury.burn_tbsa_percent is not None:
        text += f", burn {injury.burn_tbsa_percent:g}% TBSA"
    return f"{text}: {injury.description}" if injury.description else text


def injury_condition(injury: InjuryRecorded, subject: Subject) -> JSON:
    """Return a Condition for an injury: body site with laterality, kinds, mechanisms (dueTo)."""
    extensions = [
        _mechanism(m, injury.mechanism_other)
        for m in sorted(injury.mechanisms, key=lambda m: m.value)
    ]
    extensions += [
        extension("injury-kind", valueCoding=own("injury-kind", kind))
        for kind in sorted(injury.kinds, key=lambda k: k.value)
    ]
    extensions += [extension("lesion-type", valueCoding=own("lesion-type", kind))
                   for kind in sorted(injury.lesion_types, key=lambda k: k.value)]  # fmt: skip
    if injury.view is not None and injury.diagram_x is not None and injury.diagram_y is not None:
        extensions.append(
            extension("body-diagram", extension=[
                {"url": "view", "valueCode": injury.view.value},
                {"url": "x", "valueDecimal": injury.diagram_x},
                {"url": "y", "valueDecimal": injury.diagram_y},
            ])
        )  # fmt: skip
    onset = subject.injured_at or injury.occurred_at
    return compact(
        {
            "resourceType": "Condition",
            "id": resource_id("Condition", injury.event_id),
            "extension": extensions,
            "identifier": [event_identifier(injury.event_id)],
            "clinicalStatus": concept(coding(CONDITION_CLINICAL, "active", "Active")),
            "verificationStatus": concept(coding(CONDITION_VERIFICATION, "confirmed", "Confirmed")),
            "category": [
                concept(coding(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")),
                concept(own("card-section", "injury"), text="Injury (DD 1380 body diagram)"),
            ],
            "code": concept(text=_injury_text(injury)),
            "bodySite": [_body_site(injury)],
            "subject": subject.patient,
            "encounter": subject.encounter,
            "onsetDateTime": instant(min(onset, injury.occurred_at)),
            "recordedDate": instant(injury.occurred_at),
            "recorder": actor(injury.author),
        }
    )


def diagnosis_condition(diagnosis: DiagnosisRecorded, subject: Subject) -> JSON:
    """Return a Condition for Form 100's diagnosis, with its lesion types and CBRN agents."""
    extensions = [
        extension("lesion-type", valueCoding=own("lesion-type", kind))
        for kind in sorted(diagnosis.lesion_types, key=lambda k: k.value)
    ]
    extensions += [extension("cbrn-agent", valueCoding=own("cbrn-agent", agent))
                   for agent in sorted(diagnosis.cbrn_agents, key=lambda a: a.value)]  # fmt: skip
    if diagnosis.battle_loss is not None:
        extensions.append(extension("battle-loss", valueBoolean=diagnosis.battle_loss))
    if diagnosis.sanitary_treatment is not None:
        extensions.append(
            extension(
                "sanitary-treatment",
                valueCoding=own("sanitary-treatment", diagnosis.sanitary_treatment),
            )
        )
    return compact(
        {
            "resourceType": "Condition",
            "id": resource_id("Condition", diagnosis.event_id),
            "extension": extensions,
            "identifier": [event_identifier(diagnosis.event_id)],
            "clinicalStatus": concept(coding(CONDITION_CLINICAL, "active", "Active")),
            "verificationStatus": concept(
                coding(CONDITION_VERIFICATION, "provisional", "Provisional")
            ),
            "category": [
                concept(coding(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")),
                concept(own("card-section", "form100-diagnosis"), text="Form 100 diagnosis"),
            ],
            "code": concept(text=diagnosis.diagnosis),
            "subject": subject.patient,
            "encounter": subject.encounter,
            "recordedDate": instant(diagnosis.occurred_at),
            "recorder": actor(diagnosis.author),
            "asserter": actor(diagnosis.physician) if diagnosis.physician else None,
        }
    )


def tourniquet_procedure(record: TourniquetRecord, subject: Subject) -> JSON:
    """Return a Procedure for one tourniquet: time on to time off, on its limb."""
    ended = record.ended_at
    where = label(record.limb.value) if record.limb else label(record.category.value)
    text = f"Tourniquet, {label(record.category.value)}"
    if record.limb is not None:
        text += f", {where}"
    if record.location:
        text += f" ({record.location})"
    site = (
        concept(snomed(LIMBS[record.limb]), text=record.location or where)
        if record.limb is not None
        else concept(text=record.location or where)
    )
    extensions = [extension("tourniquet-category", valueCoding=own("tourniquet-category",
                                                                    record.category))]  # fmt: skip
    if record.converted_at is not None:
        extensions.append(extension("tourniquet-converted", valueDateTime=instant(
            record.converted_at)))  # fmt: skip
    if record.removed_at is not None:
        extensions.append(extension("tourniquet-removed", valueDateTime=instant(
            record.removed_at)))  # fmt: skip
    period = {"start": instant(record.applied_at)}
    if ended is not None:
        period["end"] = instant(ended)
    return compact(
        {
            "resourceType": "Procedure",
            "id": resource_id("Procedure", record.application_id),
            "extension": extensions,
            "identifier": [event_identifier(record.application_id)],
            "status": "completed" if ended is not None else "in-progress",
            "category": concept(own("march", "massive_hemorrhage")),
            "code": concept(snomed(TOURNIQUET_PROCEDURE), text=text),
            "subject": subject.patient,
            "encounter": subject.encounter,
            "performedPeriod": period,
            "performer": [{"actor": actor(record.applied_by)}],
            "bodySite": [site],
            "usedCode": [concept(text=record.tourniquet_type)] if record.tourniquet_type else [],
        }
    )


def treatment_procedure(treatment: TreatmentGiven, subject: Subject) -> JSON:
    """Return a Procedure for a MARCH intervention, SNOMED-coded where a concept fits."""
    codings = [own("intervention", treatment.intervention)]
    if treatment.intervention in INTERVENTIONS:
        codings.insert(0, snomed(INTERVENTIONS[treatment.intervention]))
    text = label(treatment.intervention.value)
    if treatment.detail:
        text += f": {treatment.detail}"
    side = treatment.side
    return compact(
        {
            "resourceType": "Procedure",
            "id": resource_id("Procedure", treatment.event_id),
            "identifier": [event_identifier(treatment.event_id)],
            "status": "completed",
            "category": concept(own("march", INTERVENTION_MARCH[treatment.intervention])),
            "code": concept(*codings, text=text),
            "subject": subject.patient,
            "encounter": subject.encounter,
            "performedDateTime": instant(treatment.occurred_at),
            "performer": [{"actor": actor(treatment.author)}],
            "bodySite": (
                [{"extension": _laterality(side), "text": f"{label(side.value)} side"}]
                if side is not None
                else []
            ),
        }
    )


def _route(route: Route) -> JSON:
    return concept(snomed(ROUTES[route]), text=route.value)


def medication_administration(given: MedicationGiven | FluidGiven, subject: Subject) -> JSON:
    """Return a MedicationAdministration for a drug, a fluid or a blood product."""
    if isinstance(given, MedicationGiven):
        category = own("drug-class", given.drug_class)
        dose = (
            quantity(given.dose, unit=given.dose_unit, ucum=DOSE_UNITS.get(given.dose_unit))
            if given.dose is not None and given.dose_unit is not None
            else None
        )
    else:
        category = own("fluid-kind", given.fluid_kind)
        dose = quantity(given.volume_ml, unit="mL", ucum="mL")
    kind = "blood product" if getattr(given, "fluid_kind", None) is FluidKind.BLOOD_PRODUCT else ""
    return compact(
        {
            "resourceType": "MedicationAdministration",
            "id": resource_id("MedicationAdministration", given.event_id),
            "identifier": [event_identifier(given.event_id)],
            "status": "completed",
            "category": concept(category, text=kind or category["display"]),
            "medicationCodeableConcept": concept(text=given.name),
            "subject": subject.patient,
            "context": subject.encounter,
            "effectiveDateTime": instant(given.occurred_at),
            "performer": [{"actor": actor(given.author)}],
            "dosage": compact({"route": _route(given.route), "dose": dose}),
        }
    )
