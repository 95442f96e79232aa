"""A casualty's card history as a FHIR R4 transaction Bundle a hospital system can take.

The bundle holds the card as structured resources (Patient, Encounter and its Locations,
Condition, Procedure, Observation, MedicationAdministration, ServiceRequest, Communication, Flag,
AllergyIntolerance) and, so that nothing is lost, the complete event history as JSON in a
DocumentReference that a Provenance names as the source of every structured resource.
docs/fhir.md has the mapping table.

Every entry is a ``PUT`` to an id derived from the casualty's or the event's id (UUID 5), and its
``fullUrl`` is ``urn:uuid:<id>``: sending the same export twice updates the same resources.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from goldenhour.adapters.fhir.clinical import (
    Subject,
    diagnosis_condition,
    injury_condition,
    medication_administration,
    tourniquet_procedure,
    treatment_procedure,
)
from goldenhour.adapters.fhir.elements import (
    JSON,
    actor,
    coding,
    concept,
    instant,
    reference,
    resource_id,
)
from goldenhour.adapters.fhir.errors import FhirError
from goldenhour.adapters.fhir.evacuation import (
    encounter_resource,
    evacuation_path,
    evacuation_request,
    handover_communication,
    note_communication,
    strip_flags,
)
from goldenhour.adapters.fhir.observations import (
    blood_group_observation,
    triage_observation,
    vitals_observations,
)
from goldenhour.adapters.fhir.patient import allergy_resource, patient_resource
from goldenhour.adapters.fhir.terminology import (
    DATA_OPERATION,
    HISTORY_TYPE_CODE,
    HISTORY_TYPE_SYSTEM,
    PROVENANCE_PARTICIPANT,
)
from goldenhour.domain.casualty.card import Card, canonical_order, fold, unique_events
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.casualty.vocabulary import Outcome
from goldenhour.domain.codec import encode_event

__all__ = ["HISTORY_MEDIA_TYPE", "export_bundle", "history_payload"]

#: Media type of the event history attached to the DocumentReference: a JSON list of events in
#: the wire form of ``goldenhour.domain.codec``.
HISTORY_MEDIA_TYPE = "application/json"

_DEATHS = frozenset({Outcome.DIED_OF_WOUNDS, Outcome.KILLED_IN_ACTION, Outcome.DIED_IN_TRANSIT})


def export_bundle(events: Iterable[CasualtyEvent], *, casualty_id: UUID) -> JSON:
    """Return the casualty's card and full history as a FHIR R4 transaction Bundle (a dict).

    Events of other casualties are ignored. Raises ``FhirError`` when no event is about the
    casualty and ``EventConflictError`` when one event id comes with two contents.

    >>> bundle = export_bundle(history, casualty_id=card_id)  # doctest: +SKIP
    >>> bundle["type"], bundle["entry"][0]["resource"]["resourceType"]  # doctest: +SKIP
    ('transaction', 'Patient')
    """
    by_id = unique_events(event for event in events if event.casualty_id == casualty_id)
    if not by_id:
        raise FhirError("events", f"no event is about casualty {casualty_id}")
    history = sorted(by_id.values(), key=canonical_order)
    card = fold(casualty_id, history)
    start = card.injured_at or history[0].occurred_at
    outcome = card.outcome
    deceased_at = outcome.occurred_at if outcome and outcome.outcome in _DEATHS else None
    patient = patient_resource(card, deceased_at=deceased_at)
    encounter_ref = {"reference": f"urn:uuid:{resource_id('Encounter', casualty_id)}"}
    subject = Subject(
        patient=reference(patient), encounter=encounter_ref, injured_at=card.injured_at
    )
    locations, path = evacuation_path(card, start=start)
    encounter = encounter_resource(card, subject.patient, start=start, path=path)
    structured = [patient, encounter, *locations, *_card_resources(card, subject)]
    document = _history_document(history, subject, casualty_id=casualty_id)
    provenance = _provenance(structured, document, history, casualty_id=casualty_id)
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [_entry(resource) for resource in [*structured, document, provenance]],
    }


def _card_resources(card: Card, subject: Subject) -> list[JSON]:
    found: list[JSON] = []
    allergy = allergy_resource(card, subject.patient)
    if allergy is not None:
        found.append(allergy)
    if card.identity.blood_group:
        key = str(card.casualty_id)
        found.append(blood_group_observation(card.identity.blood_group, subject, key=key))
    found += [injury_condition(injury, subject) for injury in card.injuries]
    if card.diagnosis is not None:
        found.append(diagnosis_condition(card.diagnosis, subject))
        found += strip_flags(card.diagnosis, subject)
    found += [tourniquet_procedure(record, subject) for record in card.tourniquets]
    found += [treatment_procedure(treatment, subject) for treatment in card.treatments]
    found += [medication_administration(given, subject) for given in card.medications]
    found += [medication_administration(given, subject) for given in card.fluids]
    for vitals in card.vitals:
        found += vitals_observations(vitals, subject)
    found += [triage_observation(triage, subject) for triage in card.triage_history]
    for request in card.evacuation_requests:
        answered = any(h.occurred_at >= request.occurred_at for h in card.handovers)
        found += evacuation_request(request, subject, answered=answered)
    found += [handover_communication(handover, subject) for handover in card.handovers]
    found += [note_communication(note, subject) for note in card.notes]
    return found


def history_payload(history: Iterable[CasualtyEvent]) -> bytes:
    """Return the events as the JSON list (UTF-8, ASCII-escaped) the history document carries."""
    encoded = [encode_event(event) for event in history]
    # ASCII escapes: any text the log holds survives, even text that is not valid UTF-8.
    return json.dumps(encoded, separators=(",", ":")).encode("ascii")


def _latest(history: list[CasualtyEvent]) -> datetime:
    return max(event.recorded_at for event in history)


def _history_document(history: list[CasualtyEvent], subject: Subject, *, casualty_id: UUID) -> JSON:
    payload = history_payload(history)
    return {
        "resourceType": "DocumentReference",
        "id": resource_id("DocumentReference", casualty_id, "history"),
        "status": "current",
        "type": concept(
            coding(HISTORY_TYPE_SYSTEM, HISTORY_TYPE_CODE, "Golden Hour casualty event history"),
            text="Golden Hour casualty event history (every event, corrections included)",
        ),
        "subject": subject.patient,
        "date": instant(_latest(history)),
        "description": (
            "The complete append-only history of the casualty card; the structured resources "
            "of this bundle are derived from it."
        ),
        "content": [
            {
                "attachment": {
                    "contentType": HISTORY_MEDIA_TYPE,
                    "data": base64.b64encode(payload).decode("ascii"),
                    "size": len(payload),
                    # R4 Attachment.hash: the base64 of the SHA-1 of the data.
                    "hash": base64.b64encode(hashlib.sha1(payload).digest()).decode("ascii"),
                    "title": "goldenhour-events.json",
                }
            }
        ],
        "context": {"encounter": [subject.encounter]},
    }


def _provenance(
    targets: list[JSON], document: JSON, history: list[CasualtyEvent], *, casualty_id: UUID
) -> JSON:
    authors = sorted({event.author for event in history})
    return {
        "resourceType": "Provenance",
        "id": resource_id("Provenance", casualty_id),
        "target": [reference(resource) for resource in targets],
        "recorded": instant(_latest(history)),
        "activity": concept(coding(DATA_OPERATION, "CREATE", "create")),
        "agent": [
            {"type": concept(coding(PROVENANCE_PARTICIPANT, "author", "Author")), "who": actor(a)}
            for a in authors
        ],
        "entity": [{"role": "source", "what": reference(document)}],
    }


def _entry(resource: JSON) -> JSON:
    kind, ident = resource["resourceType"], resource["id"]
    return {
        "fullUrl": f"urn:uuid:{ident}",
        "resource": resource,
        "request": {"method": "PUT", "url": f"{kind}/{ident}"},
    }
