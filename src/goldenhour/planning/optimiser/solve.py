"""Solve a ``PlanRequest`` with CP-SAT, warm-started from the previous plan or a greedy one.

The model (docs/planning.md): ``y[o]`` chooses trip option ``o`` (vehicle, slot, group,
destination), ``x[o, c]`` puts candidate ``c`` aboard it. Each vehicle takes at most one option
per slot and fills slots in order; an option holds no more litter casualties than litters and
no more casualties than places; each casualty rides at most one option. The objective is the
scaled survival gained against being served after the plan, less the loading delay each extra
casualty costs the most urgent one aboard. CP-SAT runs single-threaded under a deterministic
time limit so that runs are reproducible; if it returns nothing better, the greedy plan stands.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from goldenhour.planning.optimiser.problem import (
    SCALE,
    OptimiserSettings,
    Plan,
    PlannedTrip,
    PlanRequest,
)

#: A choice: option index -> positions (in ``option.candidates``) of the casualties aboard.
Choice = dict[int, list[int]]


#: Of a re-plan's deadline, what is kept back for the work after the solver (reading its
#: answer, timing the trips, dispatching them): a few ms of CPU at 200 casualties and 20
#: vehicles, and 20-35 ms of wall time measured on the shared machine under load.
_AFTER_SOLVE_MS = 40.0
#: CP-SAT's own start (loading the model, setting up the LP) is not cut by its time limit:
#: measured 10-25 ms over a limit of a few ms at 200 x 20 under load. With less than this
#: left, it is not started.
_SOLVER_START_MS = 25.0


def solve(
    request: PlanRequest, *, previous: Plan | None = None, started: float | None = None
) -> Plan:
    """Return the best plan found for the request by the settings' deadline, counted from
    ``started`` (a ``time.perf_counter()`` reading taken before the request was built; now
    without one): CP-SAT gets what is left of it, and when the request took it all, the
    better of the greedy and the previous plan stands (method ``greedy (deadline)``)."""
    solve_started = time.perf_counter()
    started = solve_started if started is None else started
    deadline_ms = request.settings.deadline_ms

    def left_s() -> float | None:
        if deadline_ms is None:
            return None
        spent_ms = (time.perf_counter() - started) * 1000.0
        return (deadline_ms - _AFTER_SOLVE_MS - spent_ms) / 1000.0

    stop_at = None if deadline_ms is None else started + (deadline_ms - _AFTER_SOLVE_MS) / 1000.0
    greedy = greedy_choice(request, stop_at=stop_at)
    start = greedy
    if previous is not None:
        warm = _repair(request, _from_previous(request, previous))
        if value_of(request, warm) > value_of(request, greedy):
            start = warm
    if not request.options:
        return _plan(request, {}, "empty", solve_started, 0)
    remaining = left_s()
    if remaining is not None and remaining <= _SOLVER_START_MS / 1000.0:
        return _plan(request, start, "greedy (deadline)", solve_started, 0)
    model = _Model()
    y = [model.new_bool_var(f"y{i}") for i in range(len(request.options))]
    x = [[model.new_bool_var(f"x{i}_{j}") for j in range(len(o.candidates))]
         for i, o in enumerate(request.options)]  # fmt: skip
    _constrain(model, request, y, x)
    # Gains per casualty aboard, less the extra loading cost of each casualty after the
    # first: sum(g * x) - extra * (sum(x) - y), written as one weighted sum.
    terms: list[cp_model.IntVar] = []
    weights: list[int] = []
    for i, o in enumerate(request.options):
        terms.extend(x[i])
        weights.extend(g - o.extra_cost for g in o.gains)
        if o.extra_cost != o.trip_cost:
            terms.append(y[i])
            weights.append(o.extra_cost - o.trip_cost)
    model.maximize(cp_model.LinearExpr.weighted_sum(terms, weights))
    for i in range(len(request.options)):
        chosen = set(start.get(i, ()))
        model.add_hint(y[i], i in start)
        for j, var in enumerate(x[i]):
            model.add_hint(var, j in chosen)
    variables = len(y) + sum(len(row) for row in x)
    solver = _solver(request.settings, variables=variables)
    remaining = left_s()
    if remaining is not None:
        if remaining <= _SOLVER_START_MS / 1000.0:  # building the model took what was left
            return _plan(request, start, "greedy (deadline)", solve_started, variables)
        solver.parameters.max_time_in_seconds = min(
            request.settings.time_limit_s, remaining - _SOLVER_START_MS / 1000.0
        )
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found: Choice = {}
        for i in range(len(request.options)):
            if solver.boolean_value(y[i]):
                found[i] = [j for j, var in enumerate(x[i]) if solver.boolean_value(var)]
        if value_of(request, found) >= value_of(request, start):
            method = "cp-sat optimal" if status == cp_model.OPTIMAL else "cp-sat feasible"
            return _plan(request, found, method, solve_started, variables)
    return _plan(request, start, "greedy", solve_started, variables)


#: Models with more booleans than this are presolved (see ``_solver``).
PRESOLVE_FROM = 1_000


def _solver(settings: OptimiserSettings, *, variables: int = 0) -> cp_model.CpSolver:
    """Return CP-SAT set up for these models: a few hundred booleans, solved to optimality
    in milliseconds when the LP relaxation is strong (docs/planning.md, "Solver settings").
    From ``PRESOLVE_FROM`` booleans on (busy epochs of large scenarios), presolve pays: without
    it the search spent the whole limit on the hint and returned it; with it such models were
    proved optimal in less time."""
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.num_workers = settings.workers
    if settings.deterministic_time is not None:  # None: solved to the end (bench --unlimited)
        parameters.max_deterministic_time = settings.deterministic_time
    if settings.deadline_ms is not None:
        parameters.max_time_in_seconds = settings.time_limit_s
    # The LP with clique and other cuts closes the gap that the search alone could not
    # within the time limit: the large re-plans went from "feasible" to "optimal".
    parameters.linearization_level = 2
    # Presolve, probing and symmetry detection cost more than they save on models this
    # small (measured: together more than half of the solver's time, no better plans).
    parameters.cp_model_presolve = variables > PRESOLVE_FROM
    parameters.cp_model_probing_level = 0
    parameters.symmetry_level = 0
    return solver


class _Model(cp_model.CpModel):
    """A CP-SAT model without the camelCase aliases that ``CpModel()`` adds to every new
    model (a few milliseconds each, a fifth of a small re-plan); we use the snake_case API."""

    def _add_pre_pep8_methods(self) -> None:
        return


def _constrain(
    model: cp_model.CpModel,
    request: PlanRequest,
    y: Sequence[cp_model.IntVar],
    x: Sequence[Sequence[cp_model.IntVar]],
) -> None:
    by_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_casualty: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for i, o in enumerate(request.options):
        by_slot[(o.vehicle, o.slot)].append(i)
        view = request.vehicles[o.vehicle].view
        litters = [var for c, var in zip(o.candidates, x[i], strict=True)
                   if request.casualties[c].litter]  # fmt: skip
        # Capacity times y (not a constant): the same integer plans, a much tighter LP bound.
        if len(litters) > view.litter:
            model.add(sum(litters) <= view.litter * y[i])
        if len(x[i]) > view.litter + view.seated:
            model.add(sum(x[i]) <= (view.litter + view.seated) * y[i])
        for c, var in zip(o.candidates, x[i], strict=True):
            model.add_implication(var, y[i])
            by_casualty[c].append(var)
        model.add(y[i] <= sum(x[i]))  # no empty trips
    for options in by_slot.values():
        model.add_at_most_one(y[i] for i in options)
    for (vehicle, slot), options in by_slot.items():
        before = by_slot.get((vehicle, slot - 1))
        if slot > 1:
            model.add(sum(y[i] for i in options) <= sum(y[i] for i in before or ()))
    for riders in by_casualty.values():
        if len(riders) > 1:
            model.add_at_most_one(riders)


def greedy_choice(request: PlanRequest, *, stop_at: float | None = None) -> Choice:
    """Return a feasible plan built slot by slot, earliest vehicle first, best option each;
    past ``stop_at`` (a ``time.perf_counter()`` reading) only the first trips of the idle
    vehicles, which are dispatched now, are still chosen."""
    by_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, o in enumerate(request.options):
        by_slot[(o.vehicle, o.slot)].append(i)
    order = sorted(by_slot, key=lambda key: (key[1], request.vehicles[key[0]].ready_min, key[0]))
    taken: set[int] = set()
    used: set[tuple[int, int]] = set()
    choice: Choice = {}
    for vehicle, slot in order:
        if stop_at is not None and (slot > 1 or not request.vehicles[vehicle].dispatchable):
            if time.perf_counter() > stop_at:
                continue  # the first trips of the idle vehicles are dispatched: always chosen
        if slot > 1 and (vehicle, slot - 1) not in used:
            continue
        best, best_value, best_load = -1, 0, []
        for i in by_slot[(vehicle, slot)]:
            load, value = _fill(request, i, taken)
            value -= request.options[i].trip_cost
            if value > best_value:
                best, best_value, best_load = i, value, load
        if best >= 0:
            choice[best] = best_load
            used.add((vehicle, slot))
            taken.update(request.options[best].candidates[j] for j in best_load)
    return choice


def _fill(request: PlanRequest, i: int, taken: set[int]) -> tuple[list[int], int]:
    """Return the most valuable load of option ``i`` from casualties not yet taken."""
    o = request.options[i]
    view = request.vehicles[o.vehicle].view
    ranked = sorted(range(len(o.candidates)), key=lambda j: -o.gains[j])
    load: list[int] = []
    litters, value = 0, 0
    for j in ranked:
        c = o.candidates[j]
        gain = o.gains[j] - (o.extra_cost if load else 0)
        if c in taken or gain <= 0 or len(load) >= view.litter + view.seated:
            continue
        if request.casualties[c].litter:
            if litters >= view.litter:
                continue
            litters += 1
        load.append(j)
        value += gain
    return load, value


def value_of(request: PlanRequest, choice: Choice) -> int:
    """Return the scaled objective of a choice (as the model counts it)."""
    total = 0
    for i, load in choice.items():
        o = request.options[i]
        total += sum(o.gains[j] for j in load) - o.extra_cost * max(0, len(load) - 1)
        total -= o.trip_cost
    return total


def _from_previous(request: PlanRequest, previous: Plan) -> Choice:
    """Map the previous plan's trips not yet dispatched onto this request's options."""
    index = {c.id: i for i, c in enumerate(request.casualties)}
    vehicles = {v.view.id: i for i, v in enumerate(request.vehicles)}
    dispatched = {t.vehicle_id for t in previous.trips if t.dispatch_now}
    choice: Choice = {}
    wanted: dict[tuple[int, int, str], set[int]] = {}
    for t in previous.trips:
        if t.dispatch_now or t.vehicle_id not in vehicles:
            continue
        slot = t.slot - 1 if t.vehicle_id in dispatched else t.slot
        riders = {index[c] for c in t.pickups if c in index}
        if slot >= 1 and riders:
            wanted[(vehicles[t.vehicle_id], slot, t.destination)] = riders
    for i, o in enumerate(request.options):
        riders = wanted.get((o.vehicle, o.slot, o.destination), set())
        if riders and riders <= set(o.candidates):
            choice[i] = [j for j, c in enumerate(o.candidates) if c in riders]
    return choice


def _repair(request: PlanRequest, choice: Choice) -> Choice:
    """Drop what would break a rule (a slot used twice, a casualty twice, a gap in slots)."""
    kept: Choice = {}
    slots: set[tuple[int, int]] = set()
    taken: set[int] = set()
    for i in sorted(choice, key=lambda i: (request.options[i].slot, i)):
        o = request.options[i]
        riders = {o.candidates[j] for j in choice[i]}
        key = (o.vehicle, o.slot)
        if key in slots or riders & taken or (o.slot > 1 and (o.vehicle, o.slot - 1) not in slots):
            continue
        kept[i] = choice[i]
        slots.add(key)
        taken |= riders
    return kept


def _plan(
    request: PlanRequest, choice: Choice, method: str, started: float, variables: int
) -> Plan:
    trips = []
    for i in sorted(choice, key=lambda i: (request.options[i].vehicle, request.options[i].slot)):
        o = request.options[i]
        pv = request.vehicles[o.vehicle]
        load = choice[i]
        gain = sum(o.gains[j] for j in load) - o.extra_cost * max(0, len(load) - 1)
        trips.append(PlannedTrip(
            vehicle_id=pv.view.id, slot=o.slot,
            pickups=tuple(request.casualties[o.candidates[j]].id for j in sorted(load)),
            destination=o.destination, dispatch_now=pv.dispatchable and o.slot == 1,
            depart_min=o.depart_min, pickup_min=o.pickup_min, arrive_min=o.arrive_min,
            delivery_min=o.delivery_min, gain=gain / SCALE,
            through=tuple(o.through[j] for j in sorted(load)) if o.through else (),
        ))  # fmt: skip
    if request.first_trips_only:
        method += ", first trips only"  # the deadline cut the look-ahead (``build_request``)
    return Plan(
        trips=tuple(trips),
        objective=value_of(request, choice) / SCALE,
        method=method,
        solve_ms=(time.perf_counter() - started) * 1000.0,
        variables=variables,
    )
