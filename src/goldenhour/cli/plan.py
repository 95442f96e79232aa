"""``goldenhour plan STATE``: the optimiser's current plan for a live situation, explained."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from goldenhour.cli.output import print_json, print_text, stdout_console

if TYPE_CHECKING:
    from goldenhour.planning.plan import LivePlan


def plan_command(
    state: Annotated[
        Path,
        typer.Argument(
            help="Live situation in the scenario format (docs/scenarios.md), at minute 0."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    immediate_floor: Annotated[
        float,
        typer.Option(
            "--immediate-floor",
            min=0.0,
            max=1.0,
            help="Floor on the priority of immediate casualties: an hour sooner to care is "
            "worth at least this many expected survivors for each (0: the plan may defer "
            "those with little chance; it says whom).",
        ),
    ] = 0.0,
    deadline_ms: Annotated[
        float,
        typer.Option(
            "--deadline-ms",
            help="Wall-clock budget of the re-plan in milliseconds: the best plan found by "
            "then is printed (START's dispatch if the model could not be built in time).",
        ),
    ] = 200.0,
    max_wait: Annotated[
        list[str] | None,
        typer.Option(
            "--max-wait",
            metavar="CLASS=MINUTES",
            help="Longest a casualty of the START class (immediate, delayed, minor) should "
            "wait from injury to care (240 by default); past it, a crew going to their area "
            "takes them along. Repeat for several classes.",
        ),
    ] = None,
) -> None:
    """Print what each idle vehicle should do now, its expected survival gain and why."""
    # Imported here so that `goldenhour --help` does not load OR-Tools or YAML.
    from goldenhour.planning.optimiser.arrivals import ExpectedArrivals
    from goldenhour.planning.plan import current_plan, deferral_reason, live_observation
    from goldenhour.planning.policies.optimiser import Optimiser
    from goldenhour.planning.scenario_file import load_scenario

    if not deadline_ms > 0:
        raise typer.BadParameter("must be more than 0", param_hint="--deadline-ms")
    deadlines = _max_waits(max_wait or [])
    scenario = load_scenario(state)
    observation = live_observation(scenario)
    # The file's generators are the forecast of wounded to come: the same charge on vehicle
    # time as the bench's optimiser makes of them (docs/planning.md).
    forecast = Optimiser(expected=ExpectedArrivals.of(scenario))
    forecast.settings = dataclasses.replace(
        forecast.settings,
        immediate_floor=immediate_floor,
        deadline_ms=deadline_ms,
        care_deadline_min=tuple((dict(forecast.settings.care_deadline_min) | deadlines).items()),
    )
    plan = current_plan(observation, forecast.epoch_settings(observation))
    if as_json:
        print_json({
            "now_min": plan.now_min, "method": plan.method, "solve_ms": plan.solve_ms,
            "waiting": plan.waiting, "idle_vehicles": plan.idle_vehicles,
            "suggestions": [
                {"vehicle_id": s.vehicle_id, "pickups": list(s.pickups),
                 "destination": s.destination, "depart_min": s.depart_min,
                 "pickup_min": s.pickup_min, "delivery_min": s.delivery_min,
                 "expected_gain": s.expected_gain, "reason": s.reason,
                 "explanation": {
                     "casualty_id": s.explanation.casualty_id,
                     "tourniquet_min": s.explanation.tourniquet_min,
                     "p_now": s.explanation.p_now, "p_later": s.explanation.p_later,
                     "after": list(s.explanation.after),
                 }}
                for s in plan.suggestions
            ],
            "deferred": [
                {"casualty_id": d.casualty_id, "category": d.category, "reason": d.reason,
                 "vehicle_id": d.vehicle_id, "delivery_min": d.delivery_min,
                 "p_now": d.p_now, "p_later": d.p_later,
                 "text": deferral_reason(d, plan.now_min)}
                for d in plan.deferred
            ],
        })  # fmt: skip
        return
    if not plan.suggestions:
        print_text(f"No suggestion: {plan.waiting} waiting, {plan.idle_vehicles} idle vehicles.")
        _print_deferred(plan)
        return
    table = Table(title=f"{scenario.name}: plan at minute {plan.now_min:g} ({plan.method})")
    for column in ("vehicle", "pick up", "to", "at care", "gain", "reason"):
        table.add_column(column)
    for s in plan.suggestions:
        table.add_row(s.vehicle_id, ", ".join(s.pickups), s.destination,
                      f"{s.delivery_min:.0f} min", f"{s.expected_gain:+.2f}", s.reason)  # fmt: skip
    stdout_console().print(table)
    _print_deferred(plan)


def _print_deferred(plan: LivePlan) -> None:
    """Print every casualty the plan does not collect now, and why."""
    from goldenhour.planning.plan import deferral_reason

    for d in plan.deferred:
        print_text(f"deferred: {deferral_reason(d, plan.now_min)}")


_CLASSES = ("immediate", "delayed", "minor")


def _max_waits(values: list[str]) -> dict[str, float]:
    """Return the ``--max-wait CLASS=MINUTES`` values by class; a bad one exits 2 naming the
    option and the value."""
    found: dict[str, float] = {}
    for value in values:
        name, _, minutes = value.partition("=")
        try:
            number = float(minutes)
        except ValueError:
            number = -1.0
        if name.strip() not in _CLASSES or not number > 0:
            raise typer.BadParameter(
                f"{value!r}: expected CLASS=MINUTES, CLASS one of {', '.join(_CLASSES)} and "
                "MINUTES a positive number",
                param_hint="--max-wait",
            )
        found[name.strip()] = number
    return found
