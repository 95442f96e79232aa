"""Nominal leg times for planning, with the threat and grounding waits the simulator applies,
and the risk areas' toll on those aboard, charged as the simulator charges it."""

from __future__ import annotations

from goldenhour.domain.geo.position import Position
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.optimiser.problem import OptimiserSettings
from goldenhour.planning.policy import CasualtyView, Observation, VehicleView
from goldenhour.planning.scenario import ThreatArea, VehicleKind
from goldenhour.planning.threats import earliest_departure, survival_through
from goldenhour.planning.travel import Place


def survival_at(casualty: CasualtyView, moment: float) -> float:
    """Return the casualty's survival probability if they reach care at ``moment``."""
    return casualty.survival.probability(moment - casualty.injured_at_min)


def waiting_cost(casualty: CasualtyView, moment: float, settings: OptimiserSettings) -> float:
    """Return what the casualty's wait from injury to care at ``moment`` costs the plan, in
    expected survivors (ours, issue 18): ``wait_value`` per hour, and ``overdue_value`` more
    per hour past their class's care deadline. Tiny beside survival while it is short; it grows
    until collecting someone whose survival no longer depends on time is worth a trip."""
    hours = max(0.0, moment - casualty.injured_at_min) / 60.0
    cost = settings.wait_value * hours
    deadline = dict(settings.care_deadline_min).get(casualty.category.value)
    if deadline is not None:
        cost += settings.overdue_value * max(0.0, hours - deadline / 60.0)
    return cost


def care_gain(
    casualty: CasualtyView,
    delivery: float,
    late: float,
    settings: OptimiserSettings,
    *,
    horizon: float,
) -> float:
    """Return the value of care at ``delivery`` rather than at ``late``: the survival gained
    (counted at the horizon at the latest, as the simulator counts it; for an immediate
    casualty at least ``immediate_floor`` per hour sooner) and the wait saved
    (``waiting_cost``, which goes on past the horizon)."""
    reached, instead = min(delivery, horizon), min(late, horizon)
    survival = survival_at(casualty, reached) - survival_at(casualty, instead)
    if casualty.category is StartCategory.IMMEDIATE and settings.immediate_floor > 0:
        survival = max(survival, settings.immediate_floor * (instead - reached) / 60.0)
    wait = waiting_cost(casualty, late, settings) - waiting_cost(casualty, delivery, settings)
    return survival + wait


def survival_falls(casualty: CasualtyView, observation: Observation) -> bool:
    """Tell whether the casualty's survival still falls before the horizon (who can gain)."""
    start = max(observation.now_min, casualty.reported_at_min)
    return survival_at(casualty, start) > survival_at(casualty, observation.horizon_min)


class LegTimer:
    """Travel minutes (cached), threat-aware departures and the risk areas' toll on a leg,
    for one observation."""

    def __init__(self, observation: Observation) -> None:
        self.travel = observation.travel
        self.threats = observation.threats
        self._risky = tuple(t for t in observation.threats if t.risk > 0)
        self._cache: dict[tuple[object, ...], float] = {}
        self._on_leg: dict[tuple[VehicleKind, Position, Position], tuple[ThreatArea, ...]] = {}
        self._risky_on: dict[tuple[VehicleKind, Position, Position], tuple[ThreatArea, ...]] = {}

    def minutes(self, vehicle: VehicleView, origin: Place, destination: Place) -> float:
        """Return the nominal minutes for the vehicle from ``origin`` to ``destination``."""
        key = (vehicle.kind, vehicle.speed_kmh, origin, destination)
        found = self._cache.get(key)
        if found is None:
            found = self.travel.minutes(
                kind=vehicle.kind, speed_kmh=vehicle.speed_kmh, origin=origin,
                destination=destination,
            )  # fmt: skip
            self._cache[key] = found
        return found

    def leg(
        self, vehicle: VehicleView, ready: float, origin: Place, destination: Place, service: float
    ) -> tuple[float, float]:
        """Return (departure, arrival) of a leg that may not meet an open threat window."""
        travel = self.minutes(vehicle, origin, destination)
        threats = self._threats_on(vehicle.kind, origin.position, destination.position)
        if not threats and not vehicle.grounded:
            return ready, ready + travel
        depart = earliest_departure(
            ready_at=ready, travel_min=travel, service_min=service, origin=origin.position,
            destination=destination.position, threats=threats, grounded=vehicle.grounded,
        )  # fmt: skip
        return depart, depart + travel

    def survival(
        self, vehicle: VehicleView, depart: float, origin: Place, destination: Place
    ) -> float:
        """Return the chance a casualty aboard survives the risk areas of a leg that sets off
        at ``depart``: ``threats.survival_through`` over the nominal travel time, the rule the
        simulator charges (1 without a risk area on the leg)."""
        areas = self.risky_areas(vehicle.kind, origin.position, destination.position)
        if not areas:
            return 1.0
        return survival_through(
            areas, kind=vehicle.kind, origin=origin.position, destination=destination.position,
            depart=depart, travel_min=self.minutes(vehicle, origin, destination),
        )  # fmt: skip

    def risky_areas(
        self, kind: VehicleKind, origin: Position, destination: Position
    ) -> tuple[ThreatArea, ...]:
        """Return the risk areas a vehicle of ``kind`` would drive through on the segment,
        whatever their windows (those that stop it are waited out, not driven through)."""
        if not self._risky or origin == destination:
            return ()
        key = (kind, origin, destination)
        found = self._risky_on.get(key)
        if found is None:
            found = tuple(t for t in self._risky if not t.stops_kind(kind)
                          and t.shape.crossing(origin, destination) is not None)  # fmt: skip
            self._risky_on[key] = found
        return found

    def _threats_on(
        self, kind: VehicleKind, origin: Position, destination: Position
    ) -> tuple[ThreatArea, ...]:
        """Return the areas that can hold a leg of a vehicle of ``kind``: those that stop it
        and that it enters from outside or that hold its destination (``earliest_departure``
        ignores the others; many legs share their ends, so the geometry is done once)."""
        key = (kind, origin, destination)
        found = self._on_leg.get(key)
        if found is None:
            found = tuple(
                t for t in self.threats
                if t.stops_kind(kind) and (t.shape.contains(destination) or (
                    not t.shape.contains(origin) and t.shape.crossing(origin, destination)
                    is not None
                ))
            )  # fmt: skip
            self._on_leg[key] = found
        return found
