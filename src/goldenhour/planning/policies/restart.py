"""ReSTART: START's classes, with the order between immediate and delayed set by resources.

Mills, Argon & Ziya, "Resource-based patient prioritization in mass-casualty incidents",
MSOM 15(3):361-377, 2013 (doi:10.1287/msom.1120.0426), model triage as a fluid: casualties of
each class drain at the rate the transport resources allow, and each one's survival falls
with the time to care. Their result, as the paper's abstract and the authors' summary in
J Spec Oper Med 14(1):30-39, 2014 state it: when resources are plentiful relative to the
immediate (red) casualties, START's order (immediate first) is right; when they are scarce,
the delayed (yellow), who are more salvageable, should go first.

What we implement, at every decision epoch: the fleet's rate ``mu`` (casualties per minute:
each vehicle's litters per round trip between the casualties and the nearest facility, loading
included) and the two orders "immediate, then delayed" and "delayed, then immediate" (each
class by report time, minor last). In each order the ``i``-th casualty reaches care at
``now + i / mu + one_way``; the order with more expected survivors (the sum of each casualty's
survival model at that moment) is used for this epoch, each casualty with the closest idle
vehicle. NOT VERIFIED against the paper's text: its exact switching formula (we could read the
abstract and front matter, not Section 5), so this fluid comparison is our reading of the rule.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.policies.dispatch import closest_vehicle, dispatch, travel_minutes
from goldenhour.planning.policy import (
    Assignment,
    CasualtyView,
    FacilityView,
    Observation,
    VehicleStatus,
)
from goldenhour.planning.travel import Place

_IMMEDIATE_FIRST = {StartCategory.IMMEDIATE: 0, StartCategory.DELAYED: 1,
                    StartCategory.MINOR: 2, StartCategory.DEAD: 3}  # fmt: skip
_DELAYED_FIRST = {StartCategory.DELAYED: 0, StartCategory.IMMEDIATE: 1,
                  StartCategory.MINOR: 2, StartCategory.DEAD: 3}  # fmt: skip


class ReStart:
    """START order, switched to delayed-first when the fleet is too small for the reds."""

    name = "restart"

    def __init__(self) -> None:
        self.delayed_first = False

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return assignments for the idle vehicles in the order the fluid comparison picks."""
        if not observation.idle_vehicles() or not observation.waiting:
            return []
        self.delayed_first = prefers_delayed(observation)
        rank = _DELAYED_FIRST if self.delayed_first else _IMMEDIATE_FIRST

        def order(casualty: CasualtyView) -> tuple[object, ...]:
            return (rank[casualty.category], casualty.reported_at_min, casualty.id)

        return dispatch(observation, order=order, choose=closest_vehicle)


def prefers_delayed(observation: Observation) -> bool:
    """Tell whether serving delayed casualties first saves more lives in the fluid model."""
    waiting = [c for c in observation.waiting
               if c.category in (StartCategory.IMMEDIATE, StartCategory.DELAYED)]  # fmt: skip
    if not waiting:
        return False
    rate, one_way = _fleet_rate(observation, waiting)
    if rate <= 0:
        return False
    by_report = sorted(waiting, key=lambda c: (c.reported_at_min, c.id))
    reds = [c for c in by_report if c.category is StartCategory.IMMEDIATE]
    yellows = [c for c in by_report if c.category is StartCategory.DELAYED]
    now = observation.now_min
    return fluid_survivors([*yellows, *reds], now=now, rate=rate, one_way=one_way) > (
        fluid_survivors([*reds, *yellows], now=now, rate=rate, one_way=one_way)
    )


def fluid_survivors(
    order: Sequence[CasualtyView], *, now: float, rate: float, one_way: float
) -> float:
    """Return the expected survivors when casualties reach care in this order at ``rate``."""
    return sum(
        c.survival.probability(now + i / rate + one_way - c.injured_at_min)
        for i, c in enumerate(order)
    )


def _fleet_rate(observation: Observation, waiting: Sequence[CasualtyView]) -> tuple[float, float]:
    """Return casualties per minute the available fleet can carry, and the one-way time."""
    rate, legs = 0.0, []
    sample = waiting[:: max(1, len(waiting) // 30)]  # a median needs no more
    for vehicle in observation.vehicles:
        if vehicle.status is VehicleStatus.UNAVAILABLE or vehicle.litter + vehicle.seated == 0:
            continue
        one_way = statistics.median(
            min(travel_minutes(observation, vehicle, c.place, _at(f))
                for f in observation.facilities)
            for c in sample
        )  # fmt: skip
        cycle = 2 * one_way + vehicle.load_min + vehicle.unload_min
        rate += max(1, vehicle.litter) / max(cycle, 1.0)
        legs.append(one_way)
    return rate, (statistics.median(legs) if legs else 0.0)


def _at(facility: FacilityView) -> Place:
    return Place(position=facility.position, site_id=facility.id)
