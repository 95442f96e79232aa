"""``goldenhour registry``: the trauma registry's figures and its de-identified export."""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir
from goldenhour.cli.wiring import registry_ports
from goldenhour.domain.errors import ValidationError
from goldenhour.services.registry import (
    EXPORT_COLUMNS,
    RegistryQuery,
    acting_as,
    registry_export,
    registry_summary,
    summary_json,
)

registry_app = typer.Typer(
    help="The trauma registry: its figures and its de-identified export (docs/registry.md).",
    no_args_is_help=True,
)

Since = Annotated[
    str | None, typer.Option(help="Injuries from this time, ISO 8601 with its zone (included).")
]
Until = Annotated[str | None, typer.Option(help="Injuries before this time (excluded).")]
Unit = Annotated[str | None, typer.Option(help="A unit id: it and every unit below it.")]
Area = Annotated[
    str | None, typer.Option(help="A 10 km MGRS square (37UDQ08) or a prefix of one (37UDQ).")
]
Population = Annotated[str | None, typer.Option(help="military or civilian.")]
AsUser = Annotated[
    str | None,
    typer.Option(
        "--as-user",
        help="Answer as this user sees it (an analyst: small cells suppressed); "
        "without it, as the system, which sees every figure.",
    ),
]


def _time(name: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            name, f"found {text!r}; give ISO 8601, e.g. 2026-11-02T00:00Z"
        ) from None


def _unit(text: str | None) -> UUID | None:
    if text is None:
        return None
    try:
        return UUID(text)
    except ValueError:
        raise ValidationError("--unit", f"found {text!r}; give a unit id (a UUID)") from None


def _query(
    since: str | None, until: str | None, unit: str | None, area: str | None,
    population: str | None,
) -> RegistryQuery:  # fmt: skip
    return RegistryQuery(
        since=_time("--since", since), until=_time("--until", until), unit_id=_unit(unit),
        area=area, population=population,
    )  # fmt: skip


@registry_app.command("summary")
def summary_command(
    since: Since = None, until: Until = None, unit: Unit = None, area: Area = None,
    population: Population = None, as_user: AsUser = None, data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:  # fmt: skip
    """Print the registry's figures over the casualties the filters select (audited)."""
    store, audits, accounts = registry_ports(data_dir, database_url)
    principal = acting_as(accounts, as_user, device="goldenhour-cli")
    summary = summary_json(
        registry_summary(
            store,
            audits,
            principal,
            _query(since, until, unit, area, population),
            now=datetime.now(UTC),
        )  # fmt: skip
    )
    if as_json:
        print_json(summary)
        return
    counts = summary["counts"]
    print_text(
        "  ".join(
            f"{name} {cell['value'] if cell['value'] is not None else '<5'}"
            for name, cell in counts.items()
        )  # fmt: skip
    )
    for name, label in (("cfr", "CFR"), ("pct_kia", "%KIA"), ("pct_dow", "%DOW")):
        rate = summary[name]
        if rate["percent"] is None:
            print_text(f"{label}: suppressed or no denominator")
        else:
            print_text(
                f"{label} {rate['percent']:.1f}% ({rate['numerator']}/{rate['denominator']}, "
                f"95% CI {rate['low']:.1f}-{rate['high']:.1f}), {rate['missing']} lacking data"
            )
    for step in summary["chain"]:
        median = step["median_minutes"]
        if step["suppressed"]:
            shown = "suppressed"
        elif median is None:
            shown = "no data"
        else:
            shown = f"median {median:.0f} min, p90 {step['p90_minutes']:.0f}"
        print_text(f"{step['name']}: {shown} (n={step['count']}, {step['missing']} lacking)")


@registry_app.command("export")
def export_command(
    export_format: Annotated[
        str, typer.Option("--format", help="csv (parquet is not offered: docs/registry.md).")
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output.")
    ] = None,
    since: Since = None, until: Until = None, unit: Unit = None, area: Area = None,
    population: Population = None, as_user: AsUser = None, data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Write the de-identified export, one line per casualty (audited)."""
    if export_format != "csv":
        raise ValidationError("--format", f"found {export_format!r}; allowed: csv")
    store, audits, accounts = registry_ports(data_dir, database_url)
    principal = acting_as(accounts, as_user, device="goldenhour-cli")
    lines = registry_export(
        store, audits, principal, _query(since, until, unit, area, population),
        now=datetime.now(UTC),
    )  # fmt: skip
    target = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        writer = csv.DictWriter(target, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(lines)
    finally:
        if output:
            target.close()
