"""Issue 18, item 4: a re-plan takes a deadline (200 ms by default) and returns the best plan
found by then, always: CP-SAT gets what is left of it, the greedy plan stands when nothing is
left for the solver, and START's dispatch answers when building the model took it all."""

from __future__ import annotations

import time

from observation_builders import SCENE, casualty, observation, vehicle

from goldenhour.domain.geo.position import Position
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.optimiser import OptimiserSettings, build_request, solve
from goldenhour.planning.optimiser.solve import greedy_choice, value_of
from goldenhour.planning.plan import current_plan
from goldenhour.planning.policies.optimiser import Optimiser
from goldenhour.planning.policies.start import StartPriority


def _situation():  # type: ignore[no-untyped-def]
    classes = (StartCategory.IMMEDIATE, StartCategory.DELAYED, StartCategory.MINOR)
    waiting = tuple(
        casualty(f"c{i}", category=classes[i % 3], reported=-float(5 * i),
                 position=Position(lat=SCENE.lat + 0.015 * (i % 4),
                                   lon=SCENE.lon + 0.02 * (i // 4)))
        for i in range(12)
    )  # fmt: skip
    fleet = tuple(vehicle(f"v{i}", position=Position(lat=48.88, lon=38.15)) for i in range(3))
    return observation(waiting, fleet, now_min=0.0)


def test_the_default_deadline_is_200_ms() -> None:
    assert OptimiserSettings().deadline_ms == 200.0


def test_with_no_time_left_for_the_solver_the_greedy_plan_stands() -> None:
    request = build_request(_situation(), settings=OptimiserSettings())
    spent = time.perf_counter() - 1.0  # the request took a whole second to build
    plan = solve(request, started=spent)
    assert plan.method == "greedy (deadline)"
    # The idle vehicles' first trips (dispatched now) are always chosen; later ones are cut.
    idle = {pv.view.id for pv in request.vehicles if pv.dispatchable}
    assert idle and {t.vehicle_id for t in plan.trips if t.dispatch_now} == idle
    assert round(plan.objective * 100_000) <= value_of(request, greedy_choice(request))


def test_when_building_the_model_takes_the_deadline_start_dispatch_answers() -> None:
    obs = _situation()
    optimiser = Optimiser(OptimiserSettings(deadline_ms=0.0))
    decision = optimiser.decide(obs)
    assert optimiser.last_plan is not None
    assert optimiser.last_plan.method == "fallback (deadline)"
    assert [(a.vehicle_id, a.pickups) for a in decision] == [
        (a.vehicle_id, a.pickups) for a in StartPriority().decide(obs)
    ]
    live = current_plan(obs, OptimiserSettings(deadline_ms=0.0))
    assert live.method == "fallback (deadline)" and live.suggestions
    assert {d.casualty_id for d in live.deferred} | {
        c for s in live.suggestions for c in s.pickups
    } == {c.id for c in obs.waiting}


def test_the_live_plan_counts_its_deadline_from_when_the_situation_was_read() -> None:
    # The server's budget (GOLDENHOUR_PLAN_DEADLINE_MS) counted only from the start of the
    # plan: reading the live situation into an observation came on top of it.
    obs = _situation()
    read_at = time.perf_counter() - 1.0  # reading the situation took a whole second
    plan = current_plan(obs, OptimiserSettings(deadline_ms=200.0), started=read_at)
    assert plan.method == "fallback (deadline)" and plan.suggestions
    assert current_plan(obs, OptimiserSettings(deadline_ms=None)).method.startswith("cp-sat")
