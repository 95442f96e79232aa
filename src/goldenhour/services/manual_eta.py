"""A manual assignment's ETAs, from the planner's travel model (issue 17 item 2).

The coordinator who picks a vehicle and a destination by hand gets the times the planner would
give the same trip (``goldenhour.planning.eta``): from the vehicles, places, threat areas,
requests and missions the caller may see, with no casualty record read (so nothing personal to
audit); the coordinator may still change them before assigning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from goldenhour.domain.access import Principal
from goldenhour.domain.errors import GoldenHourError, ValidationError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.ports import AuditRecorder, RecordReader
from goldenhour.planning.eta import trip_times
from goldenhour.planning.live_situation import LivePicture, live_situation
from goldenhour.planning.travel import Place
from goldenhour.services.audit import read_entry
from goldenhour.services.plan import PLANNING_ROLES, NotADispatcher

__all__ = ["ManualEta", "NoEta", "manual_eta"]


class NoEta(GoldenHourError, LookupError):
    """No ETA can be given: the named vehicle, request or destination is unknown to the caller
    or cannot be planned (``reason`` says why)."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ManualEta:
    """When the vehicle sets off, reaches the pickup and the destination, if sent now."""

    depart_at: datetime
    eta_pickup: datetime
    eta_destination: datetime
    #: Minutes the vehicle is held back by an open threat window (0: none).
    threat_wait_min: float


def _record(records: list[dict[str, Any]], record_id: str) -> dict[str, Any] | None:
    return next((r for r in records if str(r.get("id")) == record_id), None)


def manual_eta(
    records: RecordReader, audits: AuditRecorder, principal: Principal, *, now: datetime,
    vehicle_id: str, request_id: str, destination_id: str,
) -> ManualEta:  # fmt: skip
    """Return the ETAs of ``vehicle_id`` sent now for ``request_id`` to ``destination_id``.

    Raises ``NotADispatcher`` (audited) unless the caller plans, and ``NoEta`` naming the field
    when a record is not one the caller may see or the planner cannot use it.
    """
    if principal.role not in PLANNING_ROLES:
        audits.record(
            read_entry(principal, target_kind="plan", target_id="eta", action="denied_plan", at=now)
        )
        raise NotADispatcher()

    def states(stream: str) -> list[dict[str, Any]]:
        return records.list_streams(principal, stream)

    requests = states("request")
    picture = LivePicture(
        vehicles=states("vehicle"), facilities=states("facility"),
        points=states("point"), threats=states("threat"), requests=requests,
        missions=states("mission"),
    )  # fmt: skip
    situation = live_situation(picture, now=now)
    observation = situation.observation
    vehicle = next((v for v in observation.vehicles if v.id == vehicle_id), None)
    if vehicle is None:
        left = next((x for x in situation.left_out if x.id == vehicle_id), None)
        raise NoEta("vehicle_id", left.reason if left else "no such vehicle")
    destination = situation.sites.get(destination_id)
    if destination is None:
        raise NoEta("destination_id", "no such facility or exchange point with a position")
    request = _record(requests, request_id)
    if request is None:
        raise NoEta("request_id", "no such request")
    point = situation.sites.get(str(request.get("pickup_point_id")))
    if point is not None and point.kind == "exchange_point":
        pickup = Place(position=point.position, site_id=point.id)
    else:
        position = _position(request.get("pickup"))
        if position is None:
            raise NoEta("request_id", "the request has no pickup position")
        pickup = Place(position=position)
    times = trip_times(
        observation, vehicle=vehicle, pickup=pickup,
        destination=Place(position=destination.position, site_id=destination.id),
        casualties=len(request.get("casualty_ids") or ()),
    )  # fmt: skip
    return ManualEta(
        depart_at=now + timedelta(minutes=times.depart_min),
        eta_pickup=now + timedelta(minutes=times.pickup_min),
        eta_destination=now + timedelta(minutes=times.delivery_min),
        threat_wait_min=max(0.0, times.depart_min - times.ready_min),
    )


def _position(value: object) -> Position | None:
    """Return the request's (latest, redirected) pickup position, if it holds one."""
    if not isinstance(value, dict):
        return None
    try:
        return Position(lat=float(value["lat"]), lon=float(value["lon"]))
    except (KeyError, TypeError, ValueError, ValidationError):
        return None
