"""Nominal leg times for planning, with the threat and grounding waits the simulator applies."""

from __future__ import annotations

from goldenhour.planning.policy import CasualtyView, Observation, VehicleView
from goldenhour.planning.threats import earliest_departure
from goldenhour.planning.travel import Place


def survival_at(casualty: CasualtyView, moment: float) -> float:
    """Return the casualty's survival probability if they reach care at ``moment``."""
    return casualty.survival.probability(moment - casualty.injured_at_min)


class LegTimer:
    """Travel minutes (cached) and threat-aware departures for one observation."""

    def __init__(self, observation: Observation) -> None:
        self.travel = observation.travel
        self.threats = observation.threats
        self._cache: dict[tuple[object, ...], float] = {}

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
        if not self.threats and not vehicle.grounded:
            return ready, ready + travel
        depart = earliest_departure(
            ready_at=ready, travel_min=travel, service_min=service, origin=origin.position,
            destination=destination.position, threats=self.threats, grounded=vehicle.grounded,
        )  # fmt: skip
        return depart, depart + travel
