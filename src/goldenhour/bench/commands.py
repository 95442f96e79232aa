"""``goldenhour bench``: compare evacuation policies on a scenario by seeded simulation.

The group also holds the other benches (``nodes``, ``scale``, ``server``, ``startup``), each in
its module beside this one; the CLI's root imports this module only when ``bench`` runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from goldenhour.bench.nodes import nodes_command
from goldenhour.bench.scale import scale_command
from goldenhour.bench.server import server_command
from goldenhour.bench.startup import startup_command
from goldenhour.cli.output import print_json, print_text, stdout_console

if TYPE_CHECKING:
    from goldenhour.simulation.bench import PolicySummary

_TABLE_WIDTH = 148
#: The bound's row in the table, as docs/planning.md names it: with random travel times a lucky
#: replication can beat it, so it bounds nominal times only.
_BOUND_LABEL = "bound (nominal times)"

bench_app = typer.Typer(
    help="Compare evacuation policies on a scenario by seeded simulation.",
    no_args_is_help=True,
)


@bench_app.command("run")
def run_command(
    scenario: Annotated[
        Path, typer.Argument(help="Scenario file (YAML), e.g. scenarios/bilohorivka.yaml.")
    ],
    policies: Annotated[
        str,
        typer.Option(
            "--policies",
            help="Comma-separated policies: fcfs, closest, precedence, start, restart, "
            "optimiser, clairvoyant (an offline reference that plays many plans per "
            "replication: slow).",
        ),
    ] = "fcfs,closest,precedence,start,restart,optimiser",
    replications: Annotated[
        int, typer.Option("--replications", min=1, help="Replications per policy.")
    ] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the whole bench.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    bound: Annotated[
        bool, typer.Option("--bound", help="Add the survival upper bound as a last row.")
    ] = False,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="Also report each policy's paired difference to this one, with its 95% CI.",
        ),
    ] = None,
    clairvoyant_plays: Annotated[
        int,
        typer.Option(
            "--clairvoyant-plays",
            min=0,
            help="Edited plans the clairvoyant plays per replication after its candidates "
            "(fewer for large scenarios: each play is a whole run).",
        ),
    ] = 300,
    unlimited: Annotated[
        bool,
        typer.Option(
            "--unlimited",
            help="Also play the optimiser without its deadline (each re-plan solved to the "
            "end) and report what the deadline costs: optimiser-unlimited − optimiser, paired.",
        ),
    ] = False,
    survival_model: Annotated[
        Path | None,
        typer.Option(
            "--survival-model",
            help="Fitted survival model file (goldenhour survival fit): its classes replace "
            "the scenario's.",
        ),
    ] = None,
) -> None:
    """Play each policy on the scenario and print survivors, delays and decision times."""
    # Imported here so that `goldenhour --help` does not load SimPy, YAML or the planners.
    from goldenhour.planning.policies import UNLIMITED, check_policy_names
    from goldenhour.planning.policies.clairvoyant import ClairvoyantSettings
    from goldenhour.planning.scenario_file import load_scenario
    from goldenhour.simulation.bench import bound_summary, paired_difference, play, summarise

    names = [name.strip() for name in policies.split(",") if name.strip()]
    if against is not None and against not in names:
        names.append(against)
    if unlimited:
        names += [n for n in ("optimiser", UNLIMITED) if n not in names]
    check_policy_names(names)
    loaded = load_scenario(scenario)
    if survival_model is not None:
        from goldenhour.planning.survival_file import load_survival_models, with_survival_models

        loaded = with_survival_models(loaded, load_survival_models(survival_model))
    settings = ClairvoyantSettings(plays=clairvoyant_plays)
    played = play(loaded, names, replications=replications, seed=seed, clairvoyant=settings)
    summaries = tuple(summarise(name, runs) for name, runs in played.items())
    differences = {}
    if against is not None:
        differences = {n: paired_difference(runs, played[against]) for n, runs in played.items()}
    if bound:
        summaries += (bound_summary(loaded, replications=replications, seed=seed),)
    cost = None
    if unlimited:  # what the deadline costs: the unlimited solve less the optimiser, paired
        cost = paired_difference(played["optimiser"], played[UNLIMITED])
    if as_json:
        rows = [s.as_json() for s in summaries]
        for row in rows:
            if cost is not None and row["policy"] == "optimiser":
                bounds = None if cost[1] is None else list(cost[1])
                row |= {"deadline_cost": cost[0], "deadline_cost_ci95": bounds}
        for row in rows:
            if row["policy"] in differences:
                mean, ci = differences[row["policy"]]
                row |= {"against": against, "difference": mean,
                        "difference_ci95": None if ci is None else list(ci)}  # fmt: skip
        print_json(rows)
    else:
        _print_table(loaded.name, replications, seed, summaries)
        for name, (mean, ci) in differences.items():
            if name == against:
                continue  # a policy against itself says nothing
            interval = "" if ci is None else f" (95% CI {ci[0]:.2f} to {ci[1]:.2f})"
            print_text(f"{against} - {name}: {mean:+.2f} expected survivors{interval}")
        if cost is not None:
            interval = "" if cost[1] is None else f" (95% CI {cost[1][0]:.2f} to {cost[1][1]:.2f})"
            print_text(
                f"deadline cost ({UNLIMITED} - optimiser): {cost[0]:+.2f} expected survivors"
                f"{interval}"
            )


@bench_app.command("speed")
def speed_command(
    casualties: Annotated[
        int, typer.Option("--casualties", min=1, help="Casualties waiting in the situation.")
    ] = 200,
    vehicles: Annotated[int, typer.Option("--vehicles", min=1, help="Vehicles in the fleet.")] = 20,
    repeats: Annotated[
        int, typer.Option("--repeats", min=1, help="Generated situations to time.")
    ] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated situations.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    unlimited: Annotated[
        bool,
        typer.Option(
            "--unlimited",
            help="Also solve each situation without the deadline and report what the deadline "
            "costs: the worth of the trips dispatched now, both valued in the unhurried model.",
        ),
    ] = False,
) -> None:
    """Time the optimiser's full re-plan on generated live situations (p50, p95, max)."""
    from goldenhour.simulation.bench import measure_replanning

    summary = measure_replanning(
        casualties=casualties, vehicles=vehicles, repeats=repeats, seed=seed, unlimited=unlimited
    )
    if as_json:
        print_json(summary.as_json())
        return
    print_text(
        f"re-planning {casualties} casualties, {vehicles} vehicles, {repeats} situations: "
        f"p50 {summary.ms_p50:.0f} ms, p95 {summary.ms_p95:.0f} ms, max {summary.ms_max:.0f} ms"
    )
    cost = summary.unlimited
    if cost is not None:
        share = "-" if cost.share is None else f"{cost.share:.1%}"
        print_text(
            f"without the deadline: p50 {cost.ms_p50:.0f} ms, p95 {cost.ms_p95:.0f} ms; "
            f"the deadline's dispatched trips worth {cost.value:.3f} expected survivors against "
            f"{cost.unlimited_value:.3f} ({share})"
        )


def _print_table(
    name: str, replications: int, seed: int, summaries: tuple[PolicySummary, ...]
) -> None:
    table = Table(title=f"{name}: {replications} replications, seed {seed}")
    for column in (
        "policy", "survivors", "95% CI", "critical mortality", "urgent t mean",
        "urgent t p95", "urgent ≤60 min", "TQ > 2 h", "left at scene", "decision ms p50/p95",
    ):  # fmt: skip
        policy = column == "policy"
        table.add_column(column, justify="left" if policy else "right", no_wrap=policy)
    for s in summaries:
        table.add_row(
            _BOUND_LABEL if s.policy == "bound" else s.policy,
            f"{s.expected_survivors:.2f}",
            "-" if s.ci95 is None else f"{s.ci95[0]:.2f}–{s.ci95[1]:.2f}",
            _share(s.critical_mortality),
            _minutes(s.urgent_t_mean_min),
            _minutes(s.urgent_t_p95_min),
            _share(s.urgent_within_60_share),
            "-" if s.tourniquet_over_2h is None else f"{s.tourniquet_over_2h:.2f}",
            "-" if s.left_at_scene is None else f"{s.left_at_scene:.1f}",
            f"{_ms(s.decision_ms_p50)}/{_ms(s.decision_ms_p95)}",
        )
    console = stdout_console()
    console.width = max(console.width, _TABLE_WIDTH)  # ten columns; wrapping helps no one
    console.print(table)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} min"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


# The other benches, listed after ``run`` and ``speed`` as they always were.
bench_app.command(name="nodes")(nodes_command)
bench_app.command(name="scale")(scale_command)
bench_app.command(name="server")(server_command)
bench_app.command(name="startup")(startup_command)
