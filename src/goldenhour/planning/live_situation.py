"""The live situation in the planner's terms: a server's records in, an ``Observation`` out.

``live_situation`` turns what the server keeps (the stored facts of the casualties waiting for
a vehicle, ``domain.medevac.waiting``, folded once with their cards, and the records of the
operational picture: vehicles, facilities, points, threat areas, requests, missions, each
already narrowed to what the caller may see) into the planner's ``Observation`` with minute 0 at
``now``, on the domain's vocabulary (``domain.operations.vocabulary``): the server's kinds and
statuses are read here, and only here, into the planner's.

What the server does not record is filled in by rules of ours (docs/planning.md, "From the
server"): a casualty's class and needs are the domain's (``domain.medevac.waiting``); vehicle
speeds and handling times are the scenario files' values per kind; legs are the straight line
times 1.3; the plan looks ``HORIZON_MIN`` ahead. ``services.live_plan`` runs the planner on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from goldenhour.domain.errors import ValidationError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.waiting import WAITING_STATUSES, NotEvacuated, WaitingCasualty
from goldenhour.domain.operations import vocabulary as ops
from goldenhour.domain.operations.facility import receives_casualties
from goldenhour.domain.operations.vocabulary import Capability, ThreatKind
from goldenhour.domain.survival.models import DELAYED, IMMEDIATE, MINOR, SurvivalModel
from goldenhour.domain.triage.categories import Precedence, StartCategory
from goldenhour.planning.geometry import Circle, Polygon, Shape
from goldenhour.planning.policy import (
    CasualtyView,
    EpochReason,
    FacilityView,
    Observation,
    SiteView,
    VehicleStatus,
    VehicleView,
)
from goldenhour.planning.scenario import (
    ThreatArea,
    TimeWindow,
    Travel,
    VehicleKind,
    default_precedence,
)
from goldenhour.planning.travel import Place, TravelModel

__all__ = [
    "ACTIVE_MISSION_STATUSES",
    "HORIZON_MIN",
    "LEFT_OUT_CODES",
    "OPEN_REQUEST_STATUSES",
    "WAITING_STATUSES",
    "LeftOut",
    "LivePicture",
    "LiveSituation",
    "PlanSite",
    "PlannedCasualty",
    "live_situation",
]

#: How far ahead the live plan looks (minutes): the length of the shipped scenarios' days.
HORIZON_MIN = 480.0
#: The missions whose vehicle is busy with them: the only ones the plan reads.
ACTIVE_MISSION_STATUSES = frozenset(
    {ops.MissionStatus.ASSIGNED.value, ops.MissionStatus.EN_ROUTE.value,
     ops.MissionStatus.AT_PICKUP.value, ops.MissionStatus.PICKED_UP.value,
     ops.MissionStatus.AT_FACILITY.value}
)  # fmt: skip
#: A mission's casualties are on board from "loaded" until handed over.
_LOADED = frozenset({ops.MissionStatus.PICKED_UP.value, ops.MissionStatus.AT_FACILITY.value})
_CLOSED_REQUESTS = frozenset(
    {ops.RequestStatus.CANCELLED.value, ops.RequestStatus.HANDED_OVER.value}
)
#: The requests still to be served: the only ones the plan reads.
OPEN_REQUEST_STATUSES = frozenset(
    s.value for s in ops.RequestStatus if s.value not in _CLOSED_REQUESTS
)
_ACTIVE_MISSIONS = ACTIVE_MISSION_STATUSES
#: Why a casualty the card says is not evacuated is left out of the plan.
_NOT_EVACUATED = {
    NotEvacuated.DEAD: "dead",
    NotEvacuated.EXPECTANT: "expectant (T4): not planned",
}
_BUSY = frozenset(
    {ops.VehicleStatus.ASSIGNED.value, ops.VehicleStatus.EN_ROUTE.value,
     ops.VehicleStatus.LOADING.value, ops.VehicleStatus.TRANSPORTING.value}
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class _Handling:
    planning_kind: VehicleKind
    speed_kmh: float
    load_min: float
    unload_min: float


#: Per kind, what the server does not record: the values of scenarios/*.yaml (ours).
_HANDLING = {
    ops.VehicleKind.ARMOURED_EVACUATION: _Handling(
        planning_kind=VehicleKind.ARMOURED, speed_kmh=25.0, load_min=3.0, unload_min=2.0
    ),
    ops.VehicleKind.GROUND_AMBULANCE: _Handling(
        planning_kind=VehicleKind.AMBULANCE, speed_kmh=50.0, load_min=2.0, unload_min=2.0
    ),
    ops.VehicleKind.HELICOPTER: _Handling(
        planning_kind=VehicleKind.HELICOPTER, speed_kmh=220.0, load_min=4.0, unload_min=3.0
    ),
    ops.VehicleKind.BOAT: _Handling(
        planning_kind=VehicleKind.BOAT, speed_kmh=20.0, load_min=3.0, unload_min=3.0
    ),
}
#: A facility's capabilities as the server records them (the planner's are the same words).
_CAPABILITIES = {c.value: c for c in Capability}
#: The planner closes every kind of area alike during its window; the kind is only a label.
_THREAT_KINDS = {k.value: k for k in ThreatKind}
#: A drawn area's ``stops`` in the planner's kinds (the server's names differ).
_PLANNING_KINDS = {kind.value: handling.planning_kind for kind, handling in _HANDLING.items()}
_SURVIVAL: dict[StartCategory, SurvivalModel] = {
    StartCategory.IMMEDIATE: IMMEDIATE,
    StartCategory.DELAYED: DELAYED,
    StartCategory.MINOR: MINOR,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LivePicture:
    """What the server holds and the caller may see: the facts of the casualties waiting for a
    vehicle, as stored with their cards (``domain.medevac.waiting``), and the records of each
    operational stream, as ``adapters.storage.queries.list_streams`` returns them."""

    casualties: Sequence[WaitingCasualty] = ()
    vehicles: Sequence[Mapping[str, Any]] = ()
    facilities: Sequence[Mapping[str, Any]] = ()
    points: Sequence[Mapping[str, Any]] = ()
    threats: Sequence[Mapping[str, Any]] = ()
    requests: Sequence[Mapping[str, Any]] = ()
    missions: Sequence[Mapping[str, Any]] = ()


#: Why a casualty or vehicle is not planned, as a code interfaces word in their language
#: (issue 17 item 3), from the English ``LeftOut.reason``; "other" for any reason not listed.
LEFT_OUT_CODES: Mapping[str, str] = {
    "on an active mission": "on_mission",
    "dead": "dead",
    "expectant (T4): not planned": "expectant",
    "no position on the card or its request": "no_position",
    "not registered": "not_registered",
    "no position or base reported": "no_vehicle_position",
    "unavailable": "unavailable",
    "busy, with no mission to a known facility or exchange point": "busy_elsewhere",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LeftOut:
    """A casualty or vehicle the plan does not consider, and why."""

    kind: Literal["casualty", "vehicle"]
    id: str
    reason: str

    @property
    def code(self) -> str:
        """Return the reason as a code (``LEFT_OUT_CODES``), "other" when it has none."""
        return LEFT_OUT_CODES.get(self.reason, "other")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedCasualty:
    """A casualty as the planner saw them."""

    casualty_id: str
    label: str  # call sign, else the first block of the id
    category: StartCategory
    precedence: Precedence
    request_id: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanSite:
    """A place a suggestion may send a vehicle to: a facility or an exchange point."""

    id: str
    name: str
    kind: Literal["facility", "exchange_point"]
    position: Position


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveSituation:
    """The planner's observation at minute 0 = ``now``, and how to name what is in it."""

    now: datetime
    observation: Observation
    casualties: Mapping[str, PlannedCasualty]
    call_signs: Mapping[str, str]
    sites: Mapping[str, PlanSite]
    pickup_points: Mapping[str, str]  # casualty id -> the request's pickup point id
    left_out: tuple[LeftOut, ...]


def live_situation(picture: LivePicture, *, now: datetime) -> LiveSituation:
    """Return the planner's observation of the picture at minute 0 = ``now``."""
    clock = _Clock(now)
    left: list[LeftOut] = []
    sites = _sites(picture.facilities, picture.points)
    exchanges = {s.id: s for s in sites.values() if s.kind == "exchange_point"}
    requests = _open_requests(picture.requests)
    missions = [m for m in picture.missions if m.get("status") in _ACTIVE_MISSIONS]
    on_mission = _casualties_on(missions, picture.requests)
    waiting: list[CasualtyView] = []
    planned: dict[str, PlannedCasualty] = {}
    pickup_points: dict[str, str] = {}
    for facts in sorted(picture.casualties, key=lambda c: str(c.casualty_id)):
        cid = str(facts.casualty_id)
        if not facts.waiting:
            continue
        if cid in on_mission:
            left.append(LeftOut(kind="casualty", id=cid, reason="on an active mission"))
            continue
        request = requests.get(cid)
        made = _casualty(facts, request, exchanges, clock)
        if isinstance(made, str):
            left.append(LeftOut(kind="casualty", id=cid, reason=made))
            continue
        view, info = made
        waiting.append(view)
        planned[cid] = info
        if request is not None and request.get("pickup_point_id"):
            pickup_points[cid] = str(request["pickup_point_id"])
    vehicles, call_signs, bases = _vehicles(picture.vehicles, missions, picture.requests, sites,
                                            left)  # fmt: skip
    facilities = tuple(
        FacilityView(
            id=s.id, position=s.position, capabilities=_facility_capabilities(record),
            teams=int(record.get("operating_tables_free") or 0), queue=0, in_treatment=0,
        )
        for record in picture.facilities
        for s in [sites.get(str(record.get("id")))]
        # A diverting or closed facility is no destination (its site stays known: a vehicle
        # already on its way there is still placed by it).
        if s is not None and receives_casualties(record)
    )  # fmt: skip
    observation = Observation(
        now_min=0.0, horizon_min=HORIZON_MIN, reason=EpochReason.START,
        waiting=tuple(waiting), vehicles=tuple(vehicles), facilities=facilities,
        exchange_points=tuple(SiteView(id=s.id, position=s.position) for s in exchanges.values()),
        bases=tuple(bases), threats=_threats(picture.threats, clock),
        travel=TravelModel(travel=Travel()),
    )  # fmt: skip
    return LiveSituation(
        now=now, observation=observation, casualties=planned, call_signs=call_signs,
        sites=sites, pickup_points=pickup_points, left_out=tuple(left),
    )  # fmt: skip


class _Clock:
    """Minutes from ``now``: the planner's minute 0."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def minutes(self, moment: datetime) -> float:
        return (moment - self.now).total_seconds() / 60.0

    def parse(self, text: object) -> float | None:
        if not isinstance(text, str):
            return None
        try:
            return self.minutes(datetime.fromisoformat(text))
        except (ValueError, TypeError):
            return None


def _position(value: object) -> Position | None:
    if not isinstance(value, Mapping):
        return None
    try:
        return Position(lat=float(value["lat"]), lon=float(value["lon"]))
    except (KeyError, TypeError, ValueError, ValidationError):
        return None


def _sites(
    facilities: Iterable[Mapping[str, Any]], points: Iterable[Mapping[str, Any]]
) -> dict[str, PlanSite]:
    found: dict[str, PlanSite] = {}
    for record in facilities:
        position = _position(record.get("position"))
        if position is not None:
            sid = str(record.get("id"))
            name = str(record.get("name") or sid)
            found[sid] = PlanSite(id=sid, name=name, kind="facility", position=position)
    for record in points:
        position = _position(record.get("position"))
        if record.get("point_kind") == ops.PointKind.AMBULANCE_EXCHANGE.value and position:
            sid = str(record.get("id"))
            name = str(record.get("name") or sid)
            found[sid] = PlanSite(id=sid, name=name, kind="exchange_point", position=position)
    return found


def _facility_capabilities(record: Mapping[str, Any]) -> frozenset[Capability]:
    given = record.get("capabilities") or ()
    return frozenset(_CAPABILITIES[c] for c in given if c in _CAPABILITIES)


def _open_requests(records: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Return, per casualty id, the latest request naming them that is still open."""
    found: dict[str, Mapping[str, Any]] = {}
    for record in sorted(records, key=lambda r: int(r.get("updated_seq") or 0)):
        if record.get("status") in _CLOSED_REQUESTS:
            continue
        for cid in record.get("casualty_ids") or ():
            found[str(cid)] = record
    return found


def _request_casualties(records: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    return {str(r.get("id")): tuple(str(c) for c in r.get("casualty_ids") or ()) for r in records}


def _casualties_on(
    missions: Iterable[Mapping[str, Any]], requests: Iterable[Mapping[str, Any]]
) -> set[str]:
    served = _request_casualties(requests)
    return {
        cid for mission in missions for rid in mission.get("request_ids") or ()
        for cid in served.get(str(rid), ())
    }  # fmt: skip


def _casualty(
    facts: WaitingCasualty,
    request: Mapping[str, Any] | None,
    exchanges: Mapping[str, PlanSite],
    clock: _Clock,
) -> tuple[CasualtyView, PlannedCasualty] | str:
    """Return the planner's view of a waiting casualty and how to name them, or why they are
    not planned."""
    cid = str(facts.casualty_id)
    if facts.not_evacuated is not None or facts.category is None:
        return _NOT_EVACUATED[facts.not_evacuated or NotEvacuated.DEAD]
    category = facts.category
    needs = facts.needs  # the domain's capabilities are the planner's
    precedence = facts.precedence or default_precedence(category, needs)
    position, site_id = _pickup(facts, request, exchanges)
    if position is None:
        return "no position on the card or its request"
    injured = clock.minutes(facts.injured_at or facts.first_occurred_at)
    reported = min(0.0, clock.minutes(facts.first_recorded_at))
    since = facts.tourniquet_since
    view = CasualtyView(
        id=cid, category=category, precedence=precedence, position=position, site_id=site_id,
        injured_at_min=min(injured, reported), reported_at_min=reported,
        litter=facts.litter, needs=needs, survival=_SURVIVAL[category],
        tourniquet_at_min=clock.minutes(since) if since is not None else None,
    )  # fmt: skip
    # With no call sign, the short id the screens show (web/src/card.ts displayName): "#DEC8".
    label = facts.callsign or f"#{cid[:4].upper()}"
    info = PlannedCasualty(
        casualty_id=cid, label=label, category=category, precedence=precedence,
        request_id=str(request["id"]) if request is not None else None,
    )  # fmt: skip
    return view, info


def _pickup(
    facts: WaitingCasualty, request: Mapping[str, Any] | None, exchanges: Mapping[str, PlanSite]
) -> tuple[Position | None, str | None]:
    """Return where a vehicle collects the casualty: the open request's pickup (at an exchange
    point, that site), else the card's last requested pickup, else the card's position."""
    if request is not None:
        point = exchanges.get(str(request.get("pickup_point_id")))
        if point is not None:
            return point.position, point.id
        pickup = _position(request.get("pickup"))
        if pickup is not None:
            return pickup, None
    return facts.requested_pickup or facts.position, None


def _vehicles(
    records: Iterable[Mapping[str, Any]],
    missions: Sequence[Mapping[str, Any]],
    requests: Iterable[Mapping[str, Any]],
    sites: Mapping[str, PlanSite],
    left: list[LeftOut],
) -> tuple[list[VehicleView], dict[str, str], list[SiteView]]:
    requests = tuple(requests)
    served = _request_casualties(requests)
    requests_by_id = {str(r.get("id")): r for r in requests}
    by_vehicle = {str(m.get("vehicle_id")): m for m in missions}
    at_site = {s.position: s.id for s in sites.values()}
    views: list[VehicleView] = []
    call_signs: dict[str, str] = {}
    bases: list[SiteView] = []
    for record in records:
        vid = str(record.get("id"))
        try:
            handling = _HANDLING[ops.VehicleKind(record.get("vehicle_kind"))]
            litter, seated = int(record["litter"]), int(record["seated"])
        except (KeyError, TypeError, ValueError):
            left.append(LeftOut(kind="vehicle", id=vid, reason="not registered"))
            continue
        call_signs[vid] = str(record.get("call_sign") or vid)
        base = _position(record.get("base"))
        position = _position(record.get("position")) or base
        if position is None:
            left.append(LeftOut(kind="vehicle", id=vid, reason="no position or base reported"))
            continue
        status = record.get("status")
        mission = by_vehicle.get(vid)
        if status == ops.VehicleStatus.UNAVAILABLE.value:
            left.append(LeftOut(kind="vehicle", id=vid, reason="unavailable"))
            continue
        destination = str(mission.get("destination_id")) if mission is not None else None
        busy = mission is not None or status in _BUSY
        if busy and destination not in sites:
            reason = "busy, with no mission to a known facility or exchange point"
            left.append(LeftOut(kind="vehicle", id=vid, reason=reason))
            continue
        onboard: tuple[str, ...] = ()
        if mission is not None and mission.get("status") in _LOADED:
            loaded = mission.get("loaded_casualty_ids")
            onboard = tuple(loaded) if loaded else tuple(
                c for rid in mission.get("request_ids") or () for c in served.get(str(rid), ())
            )  # fmt: skip
        stops: tuple[tuple[Place, int], ...] = ()
        if mission is not None and mission.get("status") in _OUTBOUND:
            stops = _mission_stops(mission, requests_by_id, served, sites)
        base_id = f"base:{vid}"
        if base is not None:
            bases.append(SiteView(id=base_id, position=base))
        views.append(VehicleView(
            id=vid, kind=handling.planning_kind,
            status=VehicleStatus.BUSY if busy else VehicleStatus.IDLE, position=position,
            site_id=at_site.get(position), base=base_id, speed_kmh=handling.speed_kmh,
            litter=litter, seated=seated, load_min=handling.load_min,
            unload_min=handling.unload_min, available_from_min=0.0, grounded=(),
            hands_over_at=None, exchange_pickups_only=False,
            idle_since_min=None if busy else 0.0, destination=destination if busy else None,
            onboard=onboard, stops=stops,
        ))  # fmt: skip
    return views, call_signs, bases


_OUTBOUND = (
    ops.MissionStatus.ASSIGNED.value, ops.MissionStatus.EN_ROUTE.value,
    ops.MissionStatus.AT_PICKUP.value,
)  # fmt: skip


def _mission_stops(
    mission: Mapping[str, Any],
    requests: Mapping[str, Mapping[str, Any]],
    served: Mapping[str, tuple[str, ...]],
    sites: Mapping[str, PlanSite],
) -> tuple[tuple[Place, int], ...]:
    """Return the pickups a mission not yet at its casualties still has to make: each
    request's pickup (an exchange point, else the requested place) and how many it collects
    there, so that the planner knows the crew is free only after them."""
    found: list[tuple[Place, int]] = []
    for rid in mission.get("request_ids") or ():
        request = requests.get(str(rid))
        if request is None:
            continue
        point = sites.get(str(request.get("pickup_point_id")))
        if point is not None:
            place = Place(position=point.position, site_id=point.id)
        else:
            position = _position(request.get("pickup"))
            if position is None:
                continue
            place = Place(position=position)
        found.append((place, max(1, len(served.get(str(rid), ())))))
    return tuple(found)


def _threats(records: Iterable[Mapping[str, Any]], clock: _Clock) -> tuple[ThreatArea, ...]:
    """Return the areas not withdrawn whose window has not closed; an open-ended one lasts
    beyond the horizon."""
    found = []
    for record in records:
        if record.get("withdrawn_at"):
            continue
        starts = clock.parse(record.get("starts_at"))
        ends = clock.parse(record.get("ends_at")) if record.get("ends_at") else HORIZON_MIN * 2
        if starts is None or ends is None or ends <= 0.0:
            continue
        shape = _shape(record)
        if shape is None:
            continue
        stops, risk = _threat_effect(record)
        found.append(ThreatArea(
            id=str(record.get("id")), kind=_THREAT_KINDS.get(str(record.get("threat_kind")),
                                                             ThreatKind.SHELLING),
            shape=shape, window=TimeWindow(from_min=starts, to_min=ends),
            announced_at_min=min(0.0, starts), stops=stops, risk=risk,
        ))  # fmt: skip
    return tuple(found)


def _threat_effect(record: Mapping[str, Any]) -> tuple[frozenset[VehicleKind], float]:
    """Return the planner kinds a drawn area closes to and its risk per pass: every kind and
    no risk for an area drawn without them (as every area was before they could be given)."""
    listed = record.get("stops")
    stops = frozenset(VehicleKind) if listed is None else frozenset(
        _PLANNING_KINDS[str(kind)] for kind in listed if str(kind) in _PLANNING_KINDS
    )  # fmt: skip
    risk = record.get("risk")
    return stops, float(risk) if isinstance(risk, int | float) else 0.0


def _shape(record: Mapping[str, Any]) -> Shape | None:
    centre = _position(record.get("centre"))
    radius = record.get("radius_m")
    if centre is not None and isinstance(radius, int | float):
        return Circle(centre=centre, radius_km=float(radius) / 1000.0)
    corners = [_position(corner) for corner in record.get("polygon") or ()]
    if len(corners) >= 3 and all(c is not None for c in corners):
        return Polygon(vertices=tuple(c for c in corners if c is not None))
    return None
