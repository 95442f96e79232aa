"""The current state of an operational stream (a vehicle, facility, threat area, ...), folded.

Like a casualty card, the state is derived: events are read in the order they happened (ties by
recording time and id), a correction replaces the event it supersedes, and the result is a
JSON-ready dict that storage keeps as a projection and the API serves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Annotated, Any, NotRequired, TypedDict, cast
from uuid import UUID

from goldenhour.domain.codec import encode_value
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.position import Position
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
from goldenhour.domain.operations.vocabulary import (
    Capability,
    FacilityRole,
    FacilityStatus,
    MissionStatus,
    PointKind,
    RequestStatus,
    Role,
    ThreatKind,
    UnitKind,
    VehicleKind,
    VehicleStatus,
)
from goldenhour.domain.triage.categories import Precedence

__all__ = [
    "FacilityState",
    "MissionState",
    "PointState",
    "Redirect",
    "RequestState",
    "StreamState",
    "ThreatState",
    "UnitState",
    "UserState",
    "VehicleState",
    "can_continue",
    "fold_stream",
    "request_status",
]

# The states are JSON-ready: ``Annotated[str, X]`` is a value of X in its wire form (an id, a
# time, an enum's value), ``Annotated[dict[str, float], Position]`` a position ({lat, lon}).
_Id = Annotated[str, UUID]
_Time = Annotated[str, datetime]
_Place = Annotated[dict[str, float], Position]


class _Folded(TypedDict):
    # The class names of the last event whose fields were copied in, and when the last event
    # happened.
    kind: str
    stream: str
    stream_field: str
    updated_at: _Time


class UnitState(_Folded):
    """A unit of the tree."""

    unit_id: _Id
    name: str
    unit_kind: Annotated[str, UnitKind]
    parent_id: _Id | None


class UserState(_Folded):
    """An account (never its password hash)."""

    user_id: _Id
    username: str
    role: Annotated[str, Role]
    unit_id: _Id
    facility_id: _Id | None
    disabled: bool
    disabled_reason: NotRequired[str | None]
    password_changed_at: NotRequired[_Time]
    reassigned_at: NotRequired[_Time]


class VehicleState(_Folded):
    """A vehicle: what it is, where it was last reported and its status."""

    vehicle_id: _Id
    call_sign: str
    vehicle_kind: Annotated[str, VehicleKind]
    unit_id: _Id
    litter: int
    seated: int
    base: _Place | None
    position: NotRequired[_Place]
    heading_deg: NotRequired[float | None]
    speed_kmh: NotRequired[float | None]
    position_at: NotRequired[_Time]
    status: NotRequired[Annotated[str, VehicleStatus]]
    status_at: NotRequired[_Time]


class FacilityState(_Folded):
    """A facility, with each capacity figure as last reported and when (``<figure>_at``)."""

    facility_id: _Id
    name: str
    role: Annotated[str, FacilityRole]
    capabilities: list[Annotated[str, Capability]]
    position: _Place
    unit_id: _Id
    beds_free: NotRequired[int]
    beds_free_at: NotRequired[_Time]
    icu_beds_free: NotRequired[int]
    icu_beds_free_at: NotRequired[_Time]
    ward_beds_free: NotRequired[int]
    ward_beds_free_at: NotRequired[_Time]
    operating_tables_free: NotRequired[int]
    operating_tables_free_at: NotRequired[_Time]
    surgical_teams_free: NotRequired[int]
    surgical_teams_free_at: NotRequired[_Time]
    blood_whole_units: NotRequired[int]
    blood_whole_units_at: NotRequired[_Time]
    blood_red_cells_units: NotRequired[int]
    blood_red_cells_units_at: NotRequired[_Time]
    blood_plasma_units: NotRequired[int]
    blood_plasma_units_at: NotRequired[_Time]
    blood_platelets_units: NotRequired[int]
    blood_platelets_units_at: NotRequired[_Time]
    specialties: NotRequired[list[Annotated[str, Capability]]]
    specialties_at: NotRequired[_Time]
    capacity_at: NotRequired[_Time]
    status: NotRequired[Annotated[str, FacilityStatus]]
    status_at: NotRequired[_Time]
    status_reason: NotRequired[str | None]


class PointState(_Folded):
    """A pickup point, exchange point or landing zone."""

    point_id: _Id
    point_kind: Annotated[str, PointKind]
    name: str
    position: _Place
    unit_id: _Id
    notes: str | None


class ThreatState(_Folded):
    """A threat area: a circle (centre, radius) or a polygon, and its time window."""

    area_id: _Id
    threat_kind: Annotated[str, ThreatKind]
    unit_id: _Id
    starts_at: _Time
    ends_at: _Time | None
    centre: _Place | None
    radius_m: float | None
    polygon: list[_Place] | None
    notes: str | None
    # Drawn before the kinds and risk could be given: absent, as None (every kind, no risk).
    stops: NotRequired[list[Annotated[str, VehicleKind]] | None]
    risk: NotRequired[float | None]
    withdrawn_at: NotRequired[_Time]


class Redirect(TypedDict):
    """A request's pickup moved: when, where to, and why."""

    at: _Time
    kind: str
    stream: str
    stream_field: str
    request_id: _Id
    pickup: _Place
    pickup_point_id: _Id | None
    reason: str | None


class RequestState(_Folded):
    """An evacuation request and where it stands."""

    request_id: _Id
    unit_id: _Id
    casualty_ids: list[_Id]
    pickup: _Place
    precedence: Annotated[str, Precedence]
    pickup_point_id: _Id | None
    nine_line: str | None
    dated_on_receipt: bool
    # Where the request stands: its own events' status (``filed_status``), moved on by what
    # happened to its casualties and its mission (``request_status``).
    status: Annotated[str, RequestStatus]
    filed_status: Annotated[str, RequestStatus]
    filed_at: _Time
    eta: NotRequired[_Time | None]
    acknowledged_at: NotRequired[_Time]
    redirects: NotRequired[list[Redirect]]
    cancel_reason: NotRequired[str]
    # The status last reported by a mission serving the request (kept by storage, which sees
    # the mission's events; no event of the request's own stream sets it).
    mission_status: NotRequired[Annotated[str, MissionStatus]]


class MissionState(_Folded):
    """A mission: the vehicle, the requests it serves, where it goes, and its status."""

    mission_id: _Id
    vehicle_id: _Id
    request_ids: list[_Id]
    destination_id: _Id
    unit_id: _Id
    eta_pickup: _Time | None
    eta_destination: _Time | None
    reason: str | None
    status: Annotated[str, MissionStatus]
    assigned_at: _Time
    status_at: NotRequired[_Time]
    status_reason: NotRequired[str | None]
    # A crew's reports (issue 17 item 6): who is on board, and the ETAs first given, kept when
    # the reports move the ETAs.
    loaded_casualty_ids: NotRequired[list[_Id]]
    planned_eta_pickup: NotRequired[_Time | None]
    planned_eta_destination: NotRequired[_Time | None]


#: The state of any operational stream; which one, the stream's name says.
StreamState = (
    UnitState | UserState | VehicleState | FacilityState | PointState | ThreatState
    | RequestState | MissionState
)  # fmt: skip

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
    events: Iterable[DomainEvent], *, state: Mapping[str, Any] | None = None
) -> StreamState:
    """Fold the events of one operational stream into its current state.

    With ``state``, continue from it: valid only for events that happened after everything
    already folded in and supersede nothing (``can_continue`` tells).
    """
    folded: dict[str, Any] = dict(state or {})
    for event in _ordered(events):
        at = event.occurred_at.isoformat()
        if isinstance(event, UserRegistered):
            folded.update(_fields(event, skip=frozenset({"password_hash"})), disabled=False)
        elif isinstance(event, UserPasswordChanged):
            folded.update(password_changed_at=at)
        elif isinstance(event, UserDisabled):
            folded.update(disabled=True, disabled_reason=event.reason)
        elif isinstance(event, UserReassigned):
            folded.update(_fields(event), reassigned_at=at)
        elif isinstance(event, VehiclePositionReported):
            folded.update(_fields(event), position_at=at)
        elif isinstance(event, VehicleStatusChanged):
            folded.update(status=event.status.value, status_at=at)
        elif isinstance(event, FacilityCapacityReported):
            # Each figure keeps the time it was last reported: a report gives only some.
            for name, value in event.figures().items():
                folded[name] = value
                folded[f"{name}_at"] = at
            folded.update(capacity_at=at)
        elif isinstance(event, FacilityStatusReported):
            folded.update(status=event.status.value, status_at=at, status_reason=event.reason)
        elif isinstance(event, ThreatAreaWithdrawn):
            folded.update(withdrawn_at=at)
        elif isinstance(event, EvacuationRequestFiled):
            folded.update(_fields(event), status=RequestStatus.REQUESTED.value, filed_at=at)
            folded["filed_status"] = RequestStatus.REQUESTED.value
        elif isinstance(event, RequestAcknowledged):
            folded.update(status=RequestStatus.ACKNOWLEDGED.value, eta=encode_value(event.eta))
            folded.update(acknowledged_at=at, filed_status=RequestStatus.ACKNOWLEDGED.value)
        elif isinstance(event, RequestRedirected):
            redirects = [*folded.get("redirects", []), {"at": at, **_fields(event)}]
            folded.update(pickup=encode_value(event.pickup), redirects=redirects)
            folded["pickup_point_id"] = encode_value(event.pickup_point_id)
        elif isinstance(event, RequestCancelled):
            folded.update(status=RequestStatus.CANCELLED.value, cancel_reason=event.reason)
            folded["filed_status"] = RequestStatus.CANCELLED.value
        elif isinstance(event, MissionAssigned):
            folded.update(_fields(event), status=MissionStatus.ASSIGNED.value, assigned_at=at)
        elif isinstance(event, MissionStatusChanged):
            folded.update(status=event.status.value, status_at=at, status_reason=event.reason)
            if event.casualty_ids is not None:
                folded["loaded_casualty_ids"] = [str(c) for c in event.casualty_ids]
            _follow_report(folded, event)
        else:
            folded.update(_fields(event))
        folded["updated_at"] = at
    # The branches above give each stream exactly its state's keys (tests/unit/domain/
    # test_stream_states.py folds every event kind and checks).
    return cast(StreamState, folded)


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


#: A request's status while a mission serving it reports these (the casualties on board).
_MISSION_CARRIES = frozenset({MissionStatus.PICKED_UP.value, MissionStatus.AT_FACILITY.value})


def request_status(state: Mapping[str, Any], *, casualties_delivered: bool) -> str:
    """Return where a request stands, from its own events and what became of its casualties.

    ``casualties_delivered``: every casualty it names was handed over or their card closed
    (died, returned to duty) since the request was filed. Then, or once a mission serving it
    reported the hand-over, the request is ``handed_over`` (served: no longer open); while its
    mission carries them it is ``picked_up``; otherwise it is what its own events say. A
    cancelled request stays cancelled.
    """
    filed = str(state.get("filed_status") or state.get("status") or RequestStatus.REQUESTED.value)
    if filed == RequestStatus.CANCELLED.value:
        return filed
    mission = state.get("mission_status")
    if casualties_delivered or mission == MissionStatus.HANDED_OVER.value:
        return RequestStatus.HANDED_OVER.value
    if mission in _MISSION_CARRIES:
        return RequestStatus.PICKED_UP.value
    return filed


def can_continue(state: Mapping[str, Any], event: DomainEvent) -> bool:
    """Tell whether ``event`` can be folded onto ``state`` without reading the stream again."""
    updated = state.get("updated_at")
    if not state or event.supersedes is not None or not isinstance(updated, str):
        return False
    # Strictly later: an event at the same moment may sort before the last one folded in.
    return event.occurred_at > datetime.fromisoformat(updated)
