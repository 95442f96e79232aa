"""The evacuation path as FHIR R4: the Encounter with one location per stage, the evacuation
requests (ServiceRequest), handovers and notes (Communication) and Form 100's strips (Flag)."""

from __future__ import annotations

from datetime import datetime

from goldenhour.adapters.fhir.clinical import Subject
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
    reference,
    resource_id,
)
from goldenhour.adapters.fhir.terminology import V3_ACT_CODE, V3_ACT_PRIORITY, gh_identifier
from goldenhour.domain.casualty.card import Card, CardStatus
from goldenhour.domain.casualty.events import (
    DiagnosisRecorded,
    EvacuationRequested,
    HandedOver,
    NoteAdded,
)
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.from_card import label
from goldenhour.domain.triage.categories import Precedence, TriageSystem

# 9-line precedence (ATP 4-02.2 line 3) to FHIR request priority and v3 ActPriority.
_REQUEST_PRIORITY = {Precedence.URGENT: "stat", Precedence.URGENT_SURGICAL: "stat",
                     Precedence.PRIORITY: "urgent", Precedence.ROUTINE: "routine",
                     Precedence.CONVENIENCE: "routine"}  # fmt: skip
_ACT_PRIORITY = {"stat": ("EM", "emergency"), "urgent": ("UR", "urgent"),
                 "routine": ("R", "routine")}  # fmt: skip
_PRECEDENCE_WORDS = {Precedence.URGENT: "urgent", Precedence.URGENT_SURGICAL: "urgent surgical",
                     Precedence.PRIORITY: "priority", Precedence.ROUTINE: "routine",
                     Precedence.CONVENIENCE: "convenience"}  # fmt: skip
#: Evacuation request fields kept as ServiceRequest.orderDetail: field, code system, words.
_ORDER_DETAILS = (
    ("transport", "transport-mode", "transport"),
    ("destination", "facility-level", "destination"),
    ("form100_priority", "form100-priority", "Form 100 evacuation order"),
)
_STRIP_WORDS = {"urgent_care": "red strip: urgent care", "decontamination": "yellow strip: "
                "decontamination", "isolation": "black strip: isolation",
                "radiation": "blue strip: radiation injury"}  # fmt: skip


def _precedence(precedence: Precedence) -> JSON:
    words = _PRECEDENCE_WORDS[precedence]
    return concept(
        coding("urn:goldenhour:codesystem:precedence", precedence.value, words),
        text=f"9-line precedence {precedence.value} ({words})",
    )


def _location(key: str, name: str, position: Position | None, **more: object) -> JSON:
    return compact(
        {
            "resourceType": "Location",
            "id": resource_id("Location", key),
            "status": "active",
            "name": name,
            "mode": "instance",
            **more,
            "position": (
                {"longitude": position.lon, "latitude": position.lat} if position else None
            ),
        }
    )


def _period(start: datetime | None, end: datetime | None) -> JSON:
    if start is not None and end is not None and end < start:
        start = end
    return compact({"start": instant(start) if start else None,
                    "end": instant(end) if end else None})  # fmt: skip


def evacuation_path(card: Card, *, start: datetime) -> tuple[list[JSON], list[JSON]]:
    """Return the Locations of the path and the Encounter.location entries, one per stage."""
    closed = card.status is CardStatus.CLOSED
    stages: list[tuple[JSON, datetime]] = []
    if card.position is not None:
        stages.append((_location(f"{card.casualty_id}/point-of-injury", "Point of injury",
                                 card.position), start))  # fmt: skip
    for handover in card.handovers:
        level = handover.facility_level
        stage = _location(
            str(handover.event_id), handover.to_stage, None,
            identifier=(
                [{"system": gh_identifier("facility"), "value": str(handover.facility_id)}]
                if handover.facility_id is not None
                else None
            ),
            type=[concept(own("facility-level", level), text=label(level.value))]
            if level else None,
        )  # fmt: skip
        stages.append((stage, handover.occurred_at))
    entries = []
    for index, (location, since) in enumerate(stages):
        until = stages[index + 1][1] if index + 1 < len(stages) else None
        entries.append(
            {
                "location": reference(location),
                "status": "completed" if until is not None or closed else "active",
                "period": _period(since, until),
            }
        )
    return [location for location, _ in stages], entries


def _priority(card: Card) -> Precedence | None:
    if card.evacuation_requests:
        return card.evacuation_requests[-1].precedence
    assessed = card.triage.get(TriageSystem.PRECEDENCE)
    category = assessed.category if assessed is not None else None
    return category if isinstance(category, Precedence) else None


def encounter_resource(card: Card, patient: JSON, *, start: datetime, path: list[JSON]) -> JSON:
    """Return the Encounter: class field (v3 FLD), period from wounding, the evacuation path."""
    closed = card.status is CardStatus.CLOSED
    precedence = _priority(card)
    priority = _ACT_PRIORITY[_REQUEST_PRIORITY[precedence]] if precedence else None
    outcome = card.outcome
    end = outcome.occurred_at if outcome is not None and closed else None
    first_responder = card.first_responder_name or ""
    if card.first_responder_last4:
        first_responder += f" (last 4: {card.first_responder_last4})"
    first_responder = first_responder.strip()
    return compact(
        {
            "resourceType": "Encounter",
            "id": resource_id("Encounter", card.casualty_id),
            "extension": (
                [extension("battle-loss", valueBoolean=card.battle_loss)]
                if card.battle_loss is not None
                else None
            ),
            "identifier": [{"system": gh_identifier("casualty"), "value": str(card.casualty_id)}],
            "status": "finished" if closed else "in-progress",
            # v3 ActCode FLD: "an encounter outside a dedicated healthcare setting" (roadside).
            "class": coding(V3_ACT_CODE, "FLD", "field"),
            "type": [concept(own("encounter-type", "casualty_care"),
                             text="Casualty care from point of injury (DD 1380, Form 100)")],
            "priority": concept(coding(V3_ACT_PRIORITY, *priority)) if priority else None,
            "subject": patient,
            "participant": (
                [{"type": [concept(text="first responder")],
                  "individual": actor(first_responder)}]
                if first_responder else None
            ),
            "period": _period(start, end),
            "hospitalization": (
                {"dischargeDisposition": concept(own("outcome", outcome.outcome),
                                                 text=outcome.details or label(
                                                     outcome.outcome.value))}
                if outcome is not None else None
            ),
            "location": path,
            "serviceProvider": actor(card.issued_by) if card.issued_by else None,
        }
    )  # fmt: skip


def evacuation_request(
    request: EvacuationRequested, subject: Subject, *, answered: bool
) -> list[JSON]:
    """Return the ServiceRequest for an evacuation request, and its pickup Location if given."""
    details = [
        concept(own("evacuation-position", request.position), text=label(request.position.value))
    ]
    for name, system, words in _ORDER_DETAILS:
        value = getattr(request, name)
        if value is not None:
            details.append(concept(own(system, value), text=f"{words}: {label(value.value)}"))
    pickup = (
        _location(f"{request.event_id}/pickup", "Pickup site", request.pickup)
        if request.pickup is not None
        else None
    )
    service = compact(
        {
            "resourceType": "ServiceRequest",
            "id": resource_id("ServiceRequest", request.event_id),
            "identifier": [
                event_identifier(request.event_id),
                {"system": gh_identifier("evacuation-request"), "value": str(request.request_id)},
            ],
            "status": "completed" if answered else "active",
            "intent": "order",
            "category": [concept(own("card-section", "evacuation"), text="Casualty evacuation")],
            "priority": _REQUEST_PRIORITY[request.precedence],
            "code": _precedence(request.precedence),
            "orderDetail": details,
            "subject": subject.patient,
            "encounter": subject.encounter,
            "authoredOn": instant(request.occurred_at),
            "requester": actor(request.author),
            "locationReference": [reference(pickup)] if pickup is not None else None,
        }
    )
    return [service, pickup] if pickup is not None else [service]


def _communication(event: NoteAdded | HandedOver, subject: Subject, section: str, text: str,
                   payload: list[str]) -> JSON:  # fmt: skip
    return compact(
        {
            "resourceType": "Communication",
            "id": resource_id("Communication", event.event_id),
            "identifier": [event_identifier(event.event_id)],
            "status": "completed",
            "category": [concept(own("card-section", section), text=text)],
            "subject": subject.patient,
            "encounter": subject.encounter,
            "sent": instant(event.occurred_at),
            "sender": actor(event.author),
            "payload": [{"contentString": item} for item in payload],
        }
    )


def note_communication(note: NoteAdded, subject: Subject) -> JSON:
    """Return a card note (DD 1380 NOTES) as a Communication."""
    return _communication(note, subject, "note", "Card note (DD 1380 NOTES)", [note.text])


def handover_communication(handover: HandedOver, subject: Subject) -> JSON:
    """Return a handover (one entry of Form 100's stage log) as a Communication."""
    lines = [f"Handed over to {handover.to_stage}"]
    for name in ("received_by", "care_given", "diagnosis", "notes", "carried_by", "disposition"):
        value = getattr(handover, name)
        if value:
            lines.append(f"{label(name)}: {value}")
    if handover.walked_out is not None:
        lines.append(f"walked out: {'yes' if handover.walked_out else 'no'}")
    if handover.condition_on_arrival is not None:
        lines.append(f"condition on arrival: {handover.condition_on_arrival.value}")
    return _communication(handover, subject, "handover", "Handover (Form 100 stage log)", lines)


def strip_flags(diagnosis: DiagnosisRecorded, subject: Subject) -> list[JSON]:
    """Return Form 100's kept signal strips as Flags (isolation, decontamination...)."""
    return [
        {
            "resourceType": "Flag",
            "id": resource_id("Flag", diagnosis.event_id, strip.value),
            "identifier": [event_identifier(diagnosis.event_id)],
            "status": "active",
            "category": [concept(own("card-section", "form100-strip"),
                                 text="Form 100 signal strip")],
            "code": concept(own("signal-strip", strip), text=_STRIP_WORDS[strip.value]),
            "subject": subject.patient,
            "period": {"start": instant(diagnosis.occurred_at)},
            "encounter": subject.encounter,
        }
        for strip in sorted(diagnosis.signal_strips, key=lambda s: s.value)
    ]  # fmt: skip
