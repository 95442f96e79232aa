"""``goldenhour survival``: fit the planner's survival models from the record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from goldenhour.cli.output import print_error, print_json, print_text, stdout_console
from goldenhour.cli.server_options import DataDir

survival_app = typer.Typer(
    help="Fit the planner's survival models from recorded outcomes and times.",
    no_args_is_help=True,
)


@survival_app.command("fit")
def fit_command(
    out: Annotated[Path, typer.Option("--out", help="Write the fitted model file (JSON) here.")],
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            "--database-url",
            help="SQLAlchemy URL of the database to read, e.g. postgresql+psycopg://user@host/db.",
        ),
    ] = None,
    data_dir: DataDir = None,
    events: Annotated[
        Path | None,
        typer.Option("--events", help="Read events from this file (a JSON list or JSON lines)."),
    ] = None,
    censor_at_care: Annotated[
        bool,
        typer.Option(
            "--censor-at-care",
            help="Stop each casualty's clock when care begins (handover to a facility), as the "
            "planner reads its curves; by default the clock runs to death or the last record.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Fit a log-logistic per triage class, with 95% intervals, and write the model file."""
    # Imported here so that `goldenhour --help` does not load SciPy.
    from goldenhour.planning.survival_file import model_document
    from goldenhour.services.survival import (
        RecordObservations,
        fit_record,
        observations_from_log,
        observations_from_text,
    )

    record: RecordObservations
    if events is not None:
        if database is not None or data_dir is not None:
            print_error("--events reads a file: give it without --database or --data-dir")
            raise typer.Exit(2)
        try:
            text = events.read_text(encoding="utf-8")
        except OSError as error:
            print_error(f"{events}: cannot read the file: {error.strerror or error}")
            raise typer.Exit(2) from error
        record = observations_from_text(text, censor_at_care=censor_at_care)
    else:
        from goldenhour.cli.wiring import event_log

        with event_log(data_dir, database) as log:
            record = observations_from_log(log, censor_at_care=censor_at_care)
    fit = fit_record(record)
    document = model_document(fit)
    out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if as_json:
        print_json({"casualties": record.casualties, "unclassified": record.unclassified,
                    "out": str(out), **document})  # fmt: skip
        return
    table = Table(title=f"Survival fit: {record.casualties} casualties "
                  f"({record.unclassified} without a class or time)")  # fmt: skip
    for column in ("class", "n", "deaths", "censored", "b0 (95% CI)", "b1 min (95% CI)",
                   "b2 (95% CI)"):  # fmt: skip
        table.add_column(column, justify="left" if column == "class" else "right")
    for c in fit.fitted:
        table.add_row(
            c.category.value, str(c.casualties), str(c.deaths), str(c.censored),
            f"{c.model.b0:.3f} ({c.b0.low:.3f}–{c.b0.high:.3f})",
            f"{c.model.b1:.1f} ({c.b1.low:.1f}–{c.b1.high:.1f})",
            f"{c.model.b2:.2f} ({c.b2.low:.2f}–{c.b2.high:.2f})",
        )  # fmt: skip
    for u in fit.unfitted:
        table.add_row(u.category.value, str(u.casualties), str(u.deaths), "", "not fitted:",
                      u.reason, "")  # fmt: skip
    stdout_console().print(table)
    print_text(f"model file: {out}")
