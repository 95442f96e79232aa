"""A manual assignment's times, from the planner's own travel model (issue 17 item 2).

A coordinator who sends a vehicle by hand gets the ETAs the planner would give the same trip:
the vehicle free (now, or after the pickups and delivery of its current mission), the leg to the
pickup and on to the destination each timed by the observation's ``TravelModel`` and held back
while an open threat window lies on it (``LegTimer.leg``, as the optimiser and the simulator).
"""

from __future__ import annotations

from dataclasses import dataclass

from goldenhour.planning.optimiser.timing import LegTimer
from goldenhour.planning.policy import Observation, VehicleStatus, VehicleView
from goldenhour.planning.travel import Place

__all__ = ["TripTimes", "trip_times"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TripTimes:
    """When a vehicle sent now sets off, reaches the pickup and delivers (minutes)."""

    depart_min: float  # leaves for the pickup: later than ready when a threat window holds it
    pickup_min: float  # reaches the pickup
    delivery_min: float  # reaches the destination
    ready_min: float  # free to go: now, or after its current mission


def _ready(
    vehicle: VehicleView, now: float, timer: LegTimer, sites: dict[str, Place]
) -> tuple[float, Place]:
    """Return when and where the vehicle is free: now where it is, or (busy) after its
    remaining pickups, the drive to its destination and the unloading."""
    destination = sites.get(vehicle.destination or "")
    if vehicle.status is not VehicleStatus.BUSY or destination is None:
        return now, vehicle.place
    moment, origin, riders = now, vehicle.place, len(vehicle.onboard)
    for stop, count in vehicle.stops:
        _, moment = timer.leg(vehicle, moment, origin, stop, vehicle.load_min * count)
        moment += vehicle.load_min * count
        origin, riders = stop, riders + count
    _, moment = timer.leg(vehicle, moment, origin, destination, vehicle.unload_min * riders)
    return moment + vehicle.unload_min * riders, destination


def trip_times(
    observation: Observation, *, vehicle: VehicleView, pickup: Place, destination: Place,
    casualties: int,
) -> TripTimes:  # fmt: skip
    """Return the times of ``vehicle`` sent for ``casualties`` at ``pickup`` to ``destination``."""
    timer = LegTimer(observation)
    sites = {f.id: Place(position=f.position, site_id=f.id) for f in observation.facilities}
    sites |= {
        s.id: Place(position=s.position, site_id=s.id)
        for s in (*observation.exchange_points, *observation.bases)
    }
    ready, origin = _ready(vehicle, observation.now_min, timer, sites)
    loading = vehicle.load_min * max(1, casualties)
    depart, arrive = timer.leg(vehicle, ready, origin, pickup, loading)
    _, deliver = timer.leg(vehicle, arrive + loading, pickup, destination, vehicle.unload_min)
    return TripTimes(depart_min=depart, pickup_min=arrive, delivery_min=deliver, ready_min=ready)
