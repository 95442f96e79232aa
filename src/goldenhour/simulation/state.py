"""The simulator's mutable state of casualties, vehicles and facilities, and what it shows
a policy: ``observe`` builds the ``Observation`` of one decision epoch from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import simpy

from goldenhour.planning.policy import (
    CasualtyView,
    EpochReason,
    FacilityView,
    Observation,
    SiteView,
    VehicleStatus,
    VehicleView,
)
from goldenhour.planning.scenario import Casualty, Facility, Scenario, Vehicle
from goldenhour.planning.travel import Place, TravelModel
from goldenhour.simulation.records import CasualtyRecord, ExchangeVisit, Outcome


@dataclass(slots=True)
class CasualtyState:
    """Where one casualty is and what has happened to them so far."""

    spec: Casualty
    place: Place = field(init=False)
    reported: bool = False
    assigned: bool = False
    aboard: bool = False
    picked_up_at: float | None = None
    vehicles: list[str] = field(default_factory=list)
    exchanges: list[ExchangeVisit] = field(default_factory=list)
    facility: Facility | None = None
    arrived_at: float | None = None
    treatment_started: float | None = None
    # The chance of surviving the risk areas driven through so far (1: none).
    threat_survival: float = 1.0

    def __post_init__(self) -> None:
        self.place = Place(position=self.spec.position)

    @property
    def waiting(self) -> bool:
        """Tell whether the casualty is reported and waits, unassigned, for a vehicle."""
        return self.reported and not self.assigned and not self.aboard and self.facility is None

    def board(self, *, vehicle: str, now: float) -> None:
        """Put the casualty aboard a vehicle."""
        self.assigned = False
        self.aboard = True
        if self.picked_up_at is None:
            self.picked_up_at = now
        self.vehicles.append(vehicle)

    def deliver(self, *, facility: Facility, now: float) -> None:
        """Record arrival at a facility."""
        self.aboard = False
        self.facility = facility
        self.arrived_at = now
        self.place = Place(position=facility.position, site_id=facility.id)

    def set_down(self, *, place: Place, now: float) -> None:
        """Leave the casualty at an exchange point to wait for the next vehicle."""
        self.aboard = False
        self.place = place
        self.exchanges.append(ExchangeVisit(exchange_id=place.site_id or "", arrived_at_min=now))

    def record(self, horizon: float) -> CasualtyRecord:
        """Return the casualty's path as it stands at the horizon."""
        spec = self.spec
        capable = None if self.facility is None else self.facility.can_treat(spec.needs)
        care = None
        if capable and self.arrived_at is not None:
            care = self.arrived_at - spec.injured_at_min
        # Not (yet) at a facility able to meet every need: the model at the horizon.
        survival = self.threat_survival * spec.survival.probability(
            care if care is not None else horizon - spec.injured_at_min
        )
        tourniquet = None
        if spec.tourniquet_at_min is not None:
            end = self.arrived_at if self.arrived_at is not None else horizon
            tourniquet = end - spec.tourniquet_at_min
        return CasualtyRecord(
            casualty_id=spec.id,
            category=spec.category,
            precedence=spec.precedence,
            needs=spec.needs,
            litter=spec.litter,
            injured_at_min=spec.injured_at_min,
            reported_at_min=spec.at_min,
            picked_up_at_min=self.picked_up_at,
            vehicles=tuple(self.vehicles),
            exchanges=tuple(self.exchanges),
            facility_id=None if self.facility is None else self.facility.id,
            arrived_at_min=self.arrived_at,
            capable=capable,
            treatment_started_at_min=self.treatment_started,
            outcome=self._outcome(),
            survival=survival,
            minutes_to_care=care,
            tourniquet_min=tourniquet,
        )

    def _outcome(self) -> Outcome:
        if self.facility is not None:
            return Outcome.DELIVERED
        if self.aboard:
            return Outcome.IN_TRANSIT
        if self.exchanges:
            return Outcome.AT_EXCHANGE
        return Outcome.WAITING


@dataclass(slots=True)
class VehicleState:
    """Where one vehicle is, whether it is free, and who is aboard."""

    spec: Vehicle
    status: VehicleStatus
    place: Place
    idle_since: float | None
    destination: str | None = None
    onboard: list[str] = field(default_factory=list)
    stops: list[tuple[Place, int]] = field(default_factory=list)  # pickups still to make

    @classmethod
    def starting(cls, vehicle: Vehicle, *, at_base: bool) -> VehicleState:
        """Return the vehicle at its start: at its base (or given position), maybe not yet
        available."""
        available = vehicle.available_from_min <= 0
        return cls(
            spec=vehicle,
            status=VehicleStatus.IDLE if available else VehicleStatus.UNAVAILABLE,
            place=Place(position=vehicle.position, site_id=vehicle.base if at_base else None),
            idle_since=0.0 if available else None,
        )

    def become_available(self, now: float) -> None:
        """Make the vehicle idle when its available_from_min comes."""
        if self.status is VehicleStatus.UNAVAILABLE:
            self.status = VehicleStatus.IDLE
            self.idle_since = now


@dataclass(slots=True)
class FacilityState:
    """A facility with its surgical teams as a SimPy resource (none when it has no teams)."""

    spec: Facility
    teams: simpy.Resource | None
    queue: int = 0
    in_treatment: int = 0


def observe(
    *,
    scenario: Scenario,
    casualties: Iterable[CasualtyState],
    vehicles: Iterable[VehicleState],
    facilities: Iterable[FacilityState],
    travel: TravelModel,
    reason: EpochReason,
    now: float,
) -> Observation:
    """Return what a coordinator knows at ``now``: no casualty before their report, no
    threat area before it is announced."""
    return Observation(
        now_min=now,
        horizon_min=scenario.horizon_min,
        reason=reason,
        waiting=tuple(_casualty_view(c) for c in casualties if c.waiting),
        vehicles=tuple(_vehicle_view(v) for v in vehicles),
        facilities=tuple(
            FacilityView(
                id=f.spec.id,
                position=f.spec.position,
                capabilities=f.spec.capabilities,
                teams=f.spec.teams,
                queue=f.queue,
                in_treatment=f.in_treatment,
            )
            for f in facilities
        ),
        exchange_points=tuple(
            SiteView(id=s.id, position=s.position) for s in scenario.exchange_points
        ),
        bases=tuple(SiteView(id=s.id, position=s.position) for s in scenario.bases),
        threats=tuple(t for t in scenario.threats if t.announced_at_min <= now),
        travel=travel,
    )


def _casualty_view(state: CasualtyState) -> CasualtyView:
    spec = state.spec
    return CasualtyView(
        id=spec.id,
        category=spec.category,
        precedence=spec.precedence,
        position=state.place.position,
        site_id=state.place.site_id,
        injured_at_min=spec.injured_at_min,
        reported_at_min=spec.at_min,
        litter=spec.litter,
        needs=spec.needs,
        survival=spec.survival,
        tourniquet_at_min=spec.tourniquet_at_min,
    )


def _vehicle_view(state: VehicleState) -> VehicleView:
    spec = state.spec
    return VehicleView(
        id=spec.id,
        kind=spec.kind,
        status=state.status,
        position=state.place.position,
        site_id=state.place.site_id,
        base=spec.base,
        speed_kmh=spec.speed_kmh,
        litter=spec.litter,
        seated=spec.seated,
        load_min=spec.load_min,
        unload_min=spec.unload_min,
        available_from_min=spec.available_from_min,
        grounded=spec.grounded,
        hands_over_at=spec.hands_over_at,
        handover_points=spec.handover_points,
        exchange_pickups_only=spec.exchange_pickups_only,
        idle_since_min=state.idle_since,
        destination=state.destination,
        onboard=tuple(state.onboard),
        stops=tuple(state.stops),
    )
