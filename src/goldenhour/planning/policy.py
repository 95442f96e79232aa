"""The policy interface: what a coordinator sees at a decision epoch, and what they decide.

The simulator calls ``Policy.decide`` at every decision epoch (``EpochReason``) with an
``Observation`` holding only what a coordinator would know then: casualties reported so far
and not yet assigned, every vehicle's state, facilities with their queues, and the threat
areas announced so far. Never a future arrival. The policy answers with ``Assignment``s for
idle vehicles: pick these casualties up in this order, then go to this facility, exchange
point or base. An assignment runs to its end; a vehicle is idle again when it has unloaded.

``check_decision`` holds the rules every decision must keep; the simulator refuses (raises
``DecisionRefusedError``) a decision that breaks one, and planners can call it on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.survival.models import SurvivalModel
from goldenhour.domain.triage.categories import Precedence, StartCategory
from goldenhour.planning.errors import DecisionRefusedError
from goldenhour.planning.scenario import (
    Casualty,
    Scenario,
    ThreatArea,
    TimeWindow,
    VehicleKind,
)
from goldenhour.planning.travel import Place, TravelModel


class EpochReason(Enum):
    """Why the policy is being asked now."""

    START = "start"
    CASUALTY_REPORTED = "casualty_reported"
    VEHICLE_FREE = "vehicle_free"  # unloaded at a facility or exchange point, or repositioned
    VEHICLE_AVAILABLE = "vehicle_available"  # its available_from_min has come
    THREAT_CHANGED = "threat_changed"  # an area was announced, or its window opened or closed
    GROUNDING_CHANGED = "grounding_changed"


class VehicleStatus(Enum):
    """Whether a vehicle can take an assignment now."""

    IDLE = "idle"
    BUSY = "busy"
    UNAVAILABLE = "unavailable"  # before available_from_min


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyView:
    """A reported casualty waiting for a vehicle, at the scene or at an exchange point."""

    id: str
    category: StartCategory
    precedence: Precedence
    position: Position
    site_id: str | None  # the exchange point they wait at, or None at the point of injury
    injured_at_min: float
    reported_at_min: float
    litter: bool
    needs: frozenset[Capability]
    survival: SurvivalModel
    tourniquet_at_min: float | None = None

    @property
    def place(self) -> Place:
        """Return where a vehicle must go to pick the casualty up."""
        return Place(position=self.position, site_id=self.site_id)

    def minutes_since_injury(self, now_min: float) -> float:
        """Return the minutes since injury at ``now_min``."""
        return now_min - self.injured_at_min


@dataclass(frozen=True, slots=True, kw_only=True)
class VehicleView:
    """A vehicle as the coordinator knows it: where, in what state, with what places."""

    id: str
    kind: VehicleKind
    status: VehicleStatus
    position: Position  # where it is idle, or where it was last reported
    site_id: str | None  # the site it is idle at, if any
    base: str
    speed_kmh: float
    litter: int
    seated: int
    load_min: float
    unload_min: float
    available_from_min: float
    grounded: tuple[TimeWindow, ...]
    hands_over_at: str | None
    exchange_pickups_only: bool
    idle_since_min: float | None = None  # for an idle vehicle
    destination: str | None = None  # for a busy vehicle
    onboard: tuple[str, ...] = ()  # casualty ids aboard a busy vehicle
    # A busy vehicle's pickups still to make: each stop's place and how many it loads there.
    stops: tuple[tuple[Place, int], ...] = ()
    # The exchange points it may hand over at, ``hands_over_at`` first; empty: any of them.
    handover_points: tuple[str, ...] = ()

    @property
    def place(self) -> Place:
        """Return where the vehicle is, as a place to travel from."""
        return Place(position=self.position, site_id=self.site_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class FacilityView:
    """A facility, its capabilities, and how many casualties wait for or are in treatment."""

    id: str
    position: Position
    capabilities: frozenset[Capability]
    teams: int
    queue: int
    in_treatment: int

    def can_treat(self, needs: frozenset[Capability]) -> bool:
        """Tell whether the facility offers everything in ``needs``."""
        return needs <= self.capabilities


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteView:
    """An exchange point or a base."""

    id: str
    position: Position


@dataclass(frozen=True, slots=True, kw_only=True)
class Observation:
    """Everything known at a decision epoch, and nothing from the future."""

    now_min: float
    horizon_min: float
    reason: EpochReason
    waiting: tuple[CasualtyView, ...]
    vehicles: tuple[VehicleView, ...]
    facilities: tuple[FacilityView, ...]
    exchange_points: tuple[SiteView, ...]
    bases: tuple[SiteView, ...]
    threats: tuple[ThreatArea, ...]  # announced by now: open, closed or still to come
    travel: TravelModel

    def idle_vehicles(self) -> tuple[VehicleView, ...]:
        """Return the vehicles that can take an assignment now."""
        return tuple(v for v in self.vehicles if v.status is VehicleStatus.IDLE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """Send a vehicle to pick casualties up in this order, then to a destination site.

    ``destination`` is a facility (the casualties are delivered), an exchange point (they wait
    there for another vehicle) or, with no pickups, a base or any other site to reposition to.
    """

    vehicle_id: str
    pickups: tuple[str, ...]
    destination: str


class Policy(Protocol):
    """Decides, at each epoch, which idle vehicle goes where, in what order, to which site."""

    @property
    def name(self) -> str:
        """Return the policy's short name (as used by ``goldenhour bench``)."""
        ...

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return assignments for some of the idle vehicles (none is a valid answer)."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicySetup:
    """What a policy is built from for one replication.

    ``realised`` is the replication's whole casualty list, for offline bounds only (the
    clairvoyant policy); an online policy must not read it.
    """

    scenario: Scenario
    realised: tuple[Casualty, ...]
    seed: int


PolicyFactory = Callable[[PolicySetup], Policy]


def check_decision(observation: Observation, decision: Sequence[Assignment]) -> None:
    """Refuse a decision that breaks a rule; raise ``DecisionRefusedError`` naming it."""
    vehicles = {v.id: v for v in observation.vehicles}
    waiting = {c.id: c for c in observation.waiting}
    facilities = {f.id: f for f in observation.facilities}
    exchanges = {s.id for s in observation.exchange_points}
    sites = facilities.keys() | exchanges | {s.id for s in observation.bases}
    used_vehicles: set[str] = set()
    taken: set[str] = set()
    for assignment in decision:
        vid = assignment.vehicle_id

        def refuse(rule: str, reason: str, vid: str = vid) -> DecisionRefusedError:
            return DecisionRefusedError(vehicle_id=vid, rule=rule, reason=reason)

        vehicle = vehicles.get(vid)
        if vehicle is None:
            raise refuse("vehicle_id", "no such vehicle")
        if vehicle.status is not VehicleStatus.IDLE:
            raise refuse("vehicle_id", f"the vehicle is {vehicle.status.value}, not idle")
        if vid in used_vehicles:
            raise refuse("vehicle_id", "the vehicle has two assignments in one decision")
        used_vehicles.add(vid)
        if assignment.destination not in sites:
            raise refuse("destination", f"no site {assignment.destination!r}")
        if not assignment.pickups and assignment.destination == vehicle.site_id:
            raise refuse("destination", "the vehicle is already there and has nothing to pick up")
        picked = []
        for cid in assignment.pickups:
            casualty = waiting.get(cid)
            if casualty is None:
                raise refuse("pickups", f"casualty {cid!r} is not waiting for a vehicle")
            if cid in taken:
                raise refuse("pickups", f"casualty {cid!r} is assigned twice")
            if vehicle.exchange_pickups_only and casualty.site_id not in exchanges:
                raise refuse("pickups", f"{cid!r} is forward of the exchange points")
            taken.add(cid)
            picked.append(casualty)
        _check_places(picked, vehicle, refuse)
        _check_destination(picked, assignment.destination, facilities, exchanges, refuse)


def _check_places(
    picked: list[CasualtyView],
    vehicle: VehicleView,
    refuse: Callable[[str, str], DecisionRefusedError],
) -> None:
    litters = sum(1 for c in picked if c.litter)
    if litters > vehicle.litter:
        raise refuse("capacity", f"{litters} litter casualties for {vehicle.litter} litters")
    if len(picked) > vehicle.litter + vehicle.seated:
        places = vehicle.litter + vehicle.seated
        raise refuse("capacity", f"{len(picked)} casualties for {places} places")


def _check_destination(
    picked: list[CasualtyView],
    destination: str,
    facilities: dict[str, FacilityView],
    exchanges: set[str],
    refuse: Callable[[str, str], DecisionRefusedError],
) -> None:
    facility = facilities.get(destination)
    if picked and facility is None and destination not in exchanges:
        raise refuse("destination", "casualties go to a facility or an exchange point")
    if facility is not None and Capability.SURGERY not in facility.capabilities:
        for casualty in picked:
            if Capability.SURGERY in casualty.needs:
                raise refuse(
                    "destination", f"{casualty.id!r} needs surgery; {destination} has none"
                )
