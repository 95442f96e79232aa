"""Greedy dispatch shared by the baseline policies: order casualties, give each a vehicle.

The baselines differ only in the order they serve casualties and in how they pick a vehicle.
For each casualty in order, the chosen idle vehicle is filled with others waiting at the same
exchange point, or within ``GATHER_KM`` of the casualty at the front (in the same order; a
crew collects the wounded of one position in one run), and sent to its hand-over exchange
point if it has one, else to the nearest facility that can treat everyone aboard (nearest by
nominal travel time).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.planning.geometry import distance_km
from goldenhour.planning.policy import Assignment, CasualtyView, Observation, VehicleView
from goldenhour.planning.scenario import VehicleKind
from goldenhour.planning.travel import Place

#: Golden Hour's assumption: casualties within 1 km of each other are one crew's run.
GATHER_KM = 1.0

OrderKey = Callable[[CasualtyView], tuple[object, ...]]
ChooseVehicle = Callable[[Sequence[VehicleView], CasualtyView, Observation], VehicleView]


def dispatch(
    observation: Observation, *, order: OrderKey, choose: ChooseVehicle
) -> list[Assignment]:
    """Return one assignment per idle vehicle used, serving casualties in ``order``."""
    exchanges = {s.id for s in observation.exchange_points}
    idle = [v for v in observation.idle_vehicles() if not _grounded_now(v, observation.now_min)]
    queue = sorted(observation.waiting, key=order)
    taken: set[str] = set()
    assignments: list[Assignment] = []
    for casualty in queue:
        if not idle:
            break
        if casualty.id in taken:
            continue
        able = [v for v in idle if _may_carry(v, casualty, exchanges)]
        if not able:
            continue
        vehicle = choose(able, casualty, observation)
        idle.remove(vehicle)
        destination = destination_for(vehicle, casualty, observation)
        load = [casualty]
        for other in queue:
            if other.id in taken or other is casualty or not _together(casualty, other):
                continue
            if _may_carry(vehicle, other, exchanges) and _fits(vehicle, [*load, other]):
                if _treats(observation, destination, other.needs):
                    load.append(other)
        taken.update(c.id for c in load)
        assignments.append(
            Assignment(
                vehicle_id=vehicle.id,
                pickups=tuple(c.id for c in load),
                destination=destination,
            )
        )
    return assignments


def travel_minutes(observation: Observation, vehicle: VehicleView, a: Place, b: Place) -> float:
    """Return the nominal minutes for ``vehicle`` to drive or fly from ``a`` to ``b``."""
    return observation.travel.minutes(
        kind=vehicle.kind, speed_kmh=vehicle.speed_kmh, origin=a, destination=b
    )


def closest_vehicle(
    vehicles: Sequence[VehicleView], casualty: CasualtyView, observation: Observation
) -> VehicleView:
    """Return the vehicle that would reach the casualty first (ties: lowest id)."""
    return min(
        vehicles,
        key=lambda v: (travel_minutes(observation, v, v.place, casualty.place), v.id),
    )


def destination_for(vehicle: VehicleView, casualty: CasualtyView, observation: Observation) -> str:
    """Return the hand-over exchange point, or the nearest facility able to treat the casualty.

    With no facility able to meet every need, the nearest with surgery for a surgical case,
    else the nearest facility.
    """
    if vehicle.hands_over_at is not None and casualty.site_id is None:
        if len(vehicle.handover_points) <= 1:
            return vehicle.hands_over_at
        # Several points listed: the one nearest the casualty (ties: the first listed).
        return min(
            vehicle.handover_points,
            key=lambda site: travel_minutes(
                observation, vehicle, casualty.place,
                Place(position=_exchange(observation, site), site_id=site),
            ),
        )  # fmt: skip
    facilities = [f for f in observation.facilities if f.can_treat(casualty.needs)]
    if not facilities and Capability.SURGERY in casualty.needs:
        facilities = [f for f in observation.facilities if Capability.SURGERY in f.capabilities]
    candidates = facilities or list(observation.facilities)
    return min(
        candidates,
        key=lambda f: (
            travel_minutes(
                observation, vehicle, casualty.place, Place(position=f.position, site_id=f.id)
            ),
            f.id,
        ),
    ).id


def _together(first: CasualtyView, other: CasualtyView) -> bool:
    if first.site_id is not None or other.site_id is not None:
        return first.site_id == other.site_id
    return distance_km(first.position, other.position) <= GATHER_KM


def _treats(observation: Observation, destination: str, needs: frozenset[Capability]) -> bool:
    for facility in observation.facilities:
        if facility.id == destination:
            return facility.can_treat(needs)
    return True  # an exchange point: the next vehicle chooses the facility


def _may_carry(vehicle: VehicleView, casualty: CasualtyView, exchanges: set[str]) -> bool:
    if casualty.litter and vehicle.litter == 0:
        return False
    if vehicle.exchange_pickups_only and casualty.site_id not in exchanges:
        return False
    # A vehicle never takes casualties back from a point it hands them over at.
    if vehicle.hands_over_at is None:
        return True
    return casualty.site_id not in {vehicle.hands_over_at, *vehicle.handover_points}


def _exchange(observation: Observation, site_id: str) -> Position:
    for site in observation.exchange_points:
        if site.id == site_id:
            return site.position
    raise KeyError(site_id)


def _fits(vehicle: VehicleView, load: Sequence[CasualtyView]) -> bool:
    litters = sum(1 for c in load if c.litter)
    return litters <= vehicle.litter and len(load) <= vehicle.litter + vehicle.seated


def _grounded_now(vehicle: VehicleView, now_min: float) -> bool:
    return vehicle.kind is VehicleKind.HELICOPTER and any(
        w.contains(now_min) for w in vehicle.grounded
    )
