"""The current state of an operational stream (a vehicle, facility, threat area, ...), folded.

Like a casualty card, the state is derived: events are read in the order they happened (ties by
recording time and id), a correction replaces the event it supersedes, and the result is a
JSON-ready dict that storage keeps as a projection and the API serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from goldenhour.domain.codec import encode_value
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    FacilityCapacityReported,
    FacilityStatusReported,
    MissionAssigned,
    MissionStatusChanged,
    RequestAcknowledged,
    RequestCancelled,
    RequestRedirected,
    ThreatAreaWithdrawn,
    UserDisabled,
    UserPasswordChanged,
    UserReassigned,
    UserRegistered,
    VehiclePositionReported,
    VehicleStatusChanged,
)
from goldenhour.domain.operations.vocabulary import MissionStatus, RequestStatus

__all__ = ["can_continue", "fold_stream"]

_ENVELOPE = frozenset(
    {"event_id", "occurred_at", "recorded_at", "author", "device", "received_at", "supersedes"}
)


def _fields(event: DomainEvent, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    names = [name for name in event.__dataclass_fields__ if name not in _ENVELOPE | skip]
    return {name: encode_value(getattr(event, name)) for name in names}


def _ordered(events: Iterable[DomainEvent]) -> list[DomainEvent]:
    unique = {event.event_id: event for event in events}
    superseded = {e.supersedes for e in unique.values() if e.supersedes is not None}
    live = [e for e in unique.values() if e.event_id not in superseded]
    return sorted(live, key=lambda e: (e.occurred_at, e.recorded_at, str(e.event_id)))


def fold_stream(
    events: Iterable[DomainEvent], *, state: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Fold the events of one operational stream into its current state.

    With ``state``, continue from it: valid only for events that happened after everything
    already folded in and supersede nothing (``can_continue`` tells).
    """
    state = dict(state or {})
    for event in _ordered(events):
        at = event.occurred_at.isoformat()
        if isinstance(event, UserRegistered):
            state.update(_fields(event, skip=frozenset({"password_hash"})), disabled=False)
        elif isinstance(event, UserPasswordChanged):
            state.update(password_changed_at=at)
        elif isinstance(event, UserDisabled):
            state.update(disabled=True, disabled_reason=event.reason)
        elif isinstance(event, UserReassigned):
            state.update(_fields(event), reassigned_at=at)
        elif isinstance(event, VehiclePositionReported):
            state.update(_fields(event), position_at=at)
        elif isinstance(event, VehicleStatusChanged):
            state.update(status=event.status.value, status_at=at)
        elif isinstance(event, FacilityCapacityReported):
            # Each figure keeps the time it was last reported: a report gives only some.
            for name, value in event.figures().items():
                state[name] = value
                state[f"{name}_at"] = at
            state.update(capacity_at=at)
        elif isinstance(event, FacilityStatusReported):
            state.update(status=event.status.value, status_at=at, status_reason=event.reason)
        elif isinstance(event, ThreatAreaWithdrawn):
            state.update(withdrawn_at=at)
        elif isinstance(event, EvacuationRequestFiled):
            state.update(_fields(event), status=RequestStatus.REQUESTED.value, filed_at=at)
        elif isinstance(event, RequestAcknowledged):
            state.update(status=RequestStatus.ACKNOWLEDGED.value, eta=encode_value(event.eta))
            state["acknowledged_at"] = at
        elif isinstance(event, RequestRedirected):
            redirects = [*state.get("redirects", []), {"at": at, **_fields(event)}]
            state.update(pickup=encode_value(event.pickup), redirects=redirects)
            state["pickup_point_id"] = encode_value(event.pickup_point_id)
        elif isinstance(event, RequestCancelled):
            state.update(status=RequestStatus.CANCELLED.value, cancel_reason=event.reason)
        elif isinstance(event, MissionAssigned):
            state.update(_fields(event), status=MissionStatus.ASSIGNED.value, assigned_at=at)
        elif isinstance(event, MissionStatusChanged):
            state.update(status=event.status.value, status_at=at, status_reason=event.reason)
            if event.casualty_ids is not None:
                state["loaded_casualty_ids"] = [str(c) for c in event.casualty_ids]
            _follow_report(state, event)
        else:
            state.update(_fields(event))
        state["updated_at"] = at
    return state


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _follow_report(state: dict[str, Any], event: MissionStatusChanged) -> None:
    """Move a mission's ETAs with its crew's report, keeping the planned legs' durations.

    The ETAs given at assignment assume the crew left at once: leaving late moves both by the
    delay; at the pickup or loaded at ``t``, the facility is due at ``t`` plus the planned leg
    from pickup to facility; at the facility, it is there. The ETAs first given stay as
    ``planned_eta_pickup`` and ``planned_eta_destination``.
    """
    state.setdefault("planned_eta_pickup", state.get("eta_pickup"))
    state.setdefault("planned_eta_destination", state.get("eta_destination"))
    pickup = _moment(state["planned_eta_pickup"])
    destination = _moment(state["planned_eta_destination"])
    leg = destination - pickup if pickup is not None and destination is not None else None
    at, status = event.occurred_at, event.status
    if status is MissionStatus.EN_ROUTE:
        assigned = _moment(state.get("assigned_at"))
        if assigned is not None and at > assigned:
            if pickup is not None:
                state["eta_pickup"] = encode_value(pickup + (at - assigned))
            if destination is not None:
                state["eta_destination"] = encode_value(destination + (at - assigned))
    elif status in (MissionStatus.AT_PICKUP, MissionStatus.PICKED_UP):
        if status is MissionStatus.AT_PICKUP:
            state["eta_pickup"] = encode_value(at)
        if leg is not None and leg.total_seconds() >= 0:
            state["eta_destination"] = encode_value(at + leg)
    elif status is MissionStatus.AT_FACILITY:
        state["eta_destination"] = encode_value(at)


def can_continue(state: dict[str, Any], event: DomainEvent) -> bool:
    """Tell whether ``event`` can be folded onto ``state`` without reading the stream again."""
    updated = state.get("updated_at")
    if not state or event.supersedes is not None or not isinstance(updated, str):
        return False
    # Strictly later: an event at the same moment may sort before the last one folded in.
    return event.occurred_at > datetime.fromisoformat(updated)
