"""``goldenhour bench``: compare evacuation policies on a scenario by seeded simulation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from goldenhour.cli.output import print_json, stdout_console

if TYPE_CHECKING:
    from goldenhour.simulation.bench import PolicySummary

_TABLE_WIDTH = 132

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
            help="Comma-separated policies: fcfs, closest, precedence, start.",
        ),
    ] = "fcfs,closest,precedence,start",
    replications: Annotated[
        int, typer.Option("--replications", min=1, help="Replications per policy.")
    ] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the whole bench.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Play each policy on the scenario and print survivors, delays and decision times."""
    # Imported here so that `goldenhour --help` does not load SimPy, YAML or the planners.
    from goldenhour.planning.policies import check_policy_names
    from goldenhour.planning.scenario_file import load_scenario
    from goldenhour.simulation.bench import run_bench

    names = [name.strip() for name in policies.split(",") if name.strip()]
    check_policy_names(names)
    loaded = load_scenario(scenario)
    summaries = run_bench(loaded, names, replications=replications, seed=seed)
    if as_json:
        print_json([s.as_json() for s in summaries])
    else:
        _print_table(loaded.name, replications, seed, summaries)


def _print_table(
    name: str, replications: int, seed: int, summaries: tuple[PolicySummary, ...]
) -> None:
    table = Table(title=f"{name}: {replications} replications, seed {seed}")
    for column in (
        "policy", "survivors", "95% CI", "critical mortality", "urgent t mean",
        "urgent t p95", "urgent ≤60 min", "TQ > 2 h", "decision ms p50/p95",
    ):  # fmt: skip
        table.add_column(column, justify="left" if column == "policy" else "right")
    for s in summaries:
        table.add_row(
            s.policy,
            f"{s.expected_survivors:.2f}",
            "-" if s.ci95 is None else f"{s.ci95[0]:.2f}–{s.ci95[1]:.2f}",
            _share(s.critical_mortality),
            _minutes(s.urgent_t_mean_min),
            _minutes(s.urgent_t_p95_min),
            _share(s.urgent_within_60_share),
            f"{s.tourniquet_over_2h:.2f}",
            f"{_ms(s.decision_ms_p50)}/{_ms(s.decision_ms_p95)}",
        )
    console = stdout_console()
    console.width = max(console.width, _TABLE_WIDTH)  # nine columns; wrapping helps no one
    console.print(table)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} min"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
