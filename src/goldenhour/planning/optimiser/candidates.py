"""Build the optimiser's ``PlanRequest`` from an observation: vehicles, groups, trip options.

Candidate pruning keeps the model small: each vehicle considers its ``nearest_groups`` nearest
groups of casualties and the ``urgent_groups`` most urgent ones; each group offers, per
destination, its most urgent members up to what the vehicles that may come can carry. Leg times
are nominal (``TravelModel``) and wait out announced threat areas and grounding with
``threats.earliest_departure``, the rule the simulator applies. The groups are made in
``groups``, the options in ``options``; ``retime`` re-times the solved plan.
"""

from __future__ import annotations

import math
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence

from goldenhour.planning.optimiser.groups import cell_groups, neighbourhoods
from goldenhour.planning.optimiser.options import DeadlinePassed, OptionBuilder, RawOption
from goldenhour.planning.optimiser.problem import (
    OptimiserSettings,
    PlanningVehicle,
    PlanRequest,
)
from goldenhour.planning.optimiser.timing import LegTimer
from goldenhour.planning.policy import CasualtyView, Observation, VehicleStatus, VehicleView
from goldenhour.planning.travel import Place

_DEFAULT_CYCLE_MIN = 60.0


def build_request(
    observation: Observation,
    *,
    settings: OptimiserSettings,
    future: Sequence[CasualtyView] = (),
    deadline_at: float | None = None,
    first_trips_at: float | None = None,
) -> PlanRequest:
    """Return the model's data for this epoch; ``future`` is for the clairvoyant only.

    Past ``first_trips_at`` (a ``time.perf_counter()`` reading) only the first trips of the
    idle vehicles are still built (``PlanRequest.first_trips_only``): the look-ahead is cut,
    what is dispatched now is not. Past ``deadline_at``, raise ``DeadlinePassed`` so that the
    caller can still answer in time.
    """
    casualties = (*observation.waiting, *future)
    timer = LegTimer(observation)
    first = _planning_vehicles(observation, timer)
    cells = cell_groups(observation, casualties)
    groups = cells + neighbourhoods(observation, casualties, cells)
    if deadline_at is not None and time.perf_counter() > deadline_at:
        raise DeadlinePassed
    builder = OptionBuilder(
        observation, settings, timer, first, groups, casualties, deadline_at, first_trips_at
    )
    raw = builder.options(slot=1)
    cycles = _cycles(first, raw)
    vehicles = tuple(
        PlanningVehicle(view=v.view, ready_min=v.ready_min, place=v.place,
                        dispatchable=v.dispatchable, cycle_min=cycles[i])
        for i, v in enumerate(first)
    )  # fmt: skip
    builder.vehicles = vehicles
    for slot in range(2, settings.slots + 1):
        raw += builder.options(slot=slot)
    late = _late(observation.horizon_min, casualties, raw, cycles)
    options = []
    for n, r in enumerate(raw):
        if n % 64 == 0 and builder.first_trips_only():
            break  # late: only the first trips of the idle vehicles are scored (below)
        options.append(builder.finish(r, late))
    if builder.cut_short:  # the idle vehicles' first trips are built: score them
        first_trips = [r for r in raw if r.slot == 1 and first[r.vehicle].dispatchable]
        options = []
        for n, r in enumerate(first_trips):
            if n % 32 == 0:
                builder.check_deadline()
            options.append(builder.finish(r, late))
    return PlanRequest(
        now_min=observation.now_min,
        horizon_min=observation.horizon_min,
        vehicles=vehicles,
        casualties=casualties,
        future=frozenset(range(len(observation.waiting), len(casualties))),
        groups=groups,
        options=tuple(o for o in options if o.candidates and max(o.gains) > 0),
        late_min=late,
        settings=settings,
        first_trips_only=builder.cut_short,
    )


def _planning_vehicles(observation: Observation, timer: LegTimer) -> list[PlanningVehicle]:
    found = []
    sites = {f.id: f.position for f in observation.facilities}
    sites |= {s.id: s.position for s in (*observation.exchange_points, *observation.bases)}
    for v in observation.vehicles:
        if v.status is VehicleStatus.IDLE:
            ready, place = observation.now_min, v.place
        elif v.status is VehicleStatus.UNAVAILABLE:
            ready, place = max(observation.now_min, v.available_from_min), v.place
        elif v.destination in sites:
            # Busy: free after its pickups still to make, the drive on to its destination and
            # unloading (an upper estimate, as if it set off now from where it was last
            # reported); without the pickups a crew on its way to the front looked free at once.
            place = Place(position=sites[v.destination], site_id=v.destination)
            ready = _free_at(v, observation.now_min, place, timer)
        else:
            continue
        if ready < observation.horizon_min:
            found.append(PlanningVehicle(view=v, ready_min=ready, place=place,
                                         dispatchable=v.status is VehicleStatus.IDLE,
                                         cycle_min=_DEFAULT_CYCLE_MIN))  # fmt: skip
    return found


def _free_at(v: VehicleView, now: float, destination: Place, timer: LegTimer) -> float:
    """Return when a busy vehicle is free at ``destination``: each remaining stop reached
    (waiting out threat windows as the simulator does) and loaded, then the last leg and the
    unloading of everyone aboard."""
    moment, origin, riders = now, v.place, len(v.onboard)
    for stop, count in v.stops:
        _, moment = timer.leg(v, moment, origin, stop, v.load_min * count)
        moment += v.load_min * count
        origin, riders = stop, riders + count
    _, moment = timer.leg(v, moment, origin, destination, v.unload_min * riders)
    return moment + v.unload_min * riders


def _cycles(vehicles: Sequence[PlanningVehicle], raw: Sequence[RawOption]) -> list[float]:
    durations: dict[int, list[float]] = defaultdict(list)
    for r in raw:
        v = vehicles[r.vehicle]
        durations[r.vehicle].append(r.arrive + v.view.unload_min - v.ready_min)
    return [
        statistics.median(durations[i]) if durations[i] else _DEFAULT_CYCLE_MIN
        for i in range(len(vehicles))
    ]


def _late(
    horizon: float,
    casualties: Sequence[CasualtyView],
    raw: Sequence[RawOption],
    cycles: Sequence[float],
) -> tuple[float, ...]:
    """Return, per casualty, the moment they would reach care if served one trip after the
    plan's last slot (the rolling horizon's terminal estimate); it may lie beyond the
    horizon, where survival is counted at the horizon (``care_gain``) but waiting goes on: a
    casualty a vehicle can still collect before the horizon is worth collecting."""
    cycle = statistics.median(cycles) if cycles else _DEFAULT_CYCLE_MIN
    best: dict[int, tuple[int, float]] = {}
    for r in raw:
        for c, delivery in zip(r.candidates, r.deliveries, strict=True):
            slot, moment = best.get(c, (0, math.inf))
            if r.slot > slot or (r.slot == slot and delivery < moment):
                best[c] = (r.slot, delivery)
    return tuple(best[i][1] + cycle if i in best else horizon + cycle
                 for i in range(len(casualties)))  # fmt: skip
