"""The ``goldenhour`` Typer root: registers one sub-app per noun and maps errors to exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from goldenhour import __version__
from goldenhour.cli import (
    audit,
    bench,
    bench_server,
    card,
    compact,
    cot,
    db,
    demo,
    fhir,
    mgrs,
    nineline,
    plan,
    serve,
    tak,
    users,
)
from goldenhour.cli.output import print_error
from goldenhour.domain.errors import GoldenHourError

#: Exit code for input the core refused (a bad 9-line, MGRS reference, event...).
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="goldenhour",
    help="Golden Hour: casualty cards, 9-line MEDEVAC, MIST, MGRS and triage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command(name="mgrs", context_settings={"ignore_unknown_options": True})(mgrs.mgrs_command)
app.add_typer(nineline.nineline_app, name="nineline")
app.add_typer(card.card_app, name="card")
bench.bench_app.command(name="server")(bench_server.server_command)
app.add_typer(bench.bench_app, name="bench")
app.command(name="plan")(plan.plan_command)
app.command(name="demo")(demo.demo_command)
app.command(name="serve")(serve.serve_command)
app.add_typer(db.db_app, name="db")
app.add_typer(users.users_app, name="users")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(cot.cot_app, name="cot")
app.add_typer(compact.compact_app, name="compact")
app.add_typer(fhir.fhir_app, name="fhir")
app.add_typer(tak.tak_app, name="tak")


@app.command()
def version(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the Golden Hour version."""
    if as_json:
        sys.stdout.write(json.dumps({"version": __version__}) + "\n")
    else:
        sys.stdout.write(f"goldenhour {__version__}\n")


def run(argv: Sequence[str] | None = None) -> None:
    """Run the CLI on ``argv`` (the command line when None), turning Golden Hour errors into a
    message and exit code 2.

    Click itself reports usage errors (exit 2) and honours ``typer.Exit``; the core's errors
    pass through it and are reported here, once, with the field that was wrong.
    """
    try:
        app(None if argv is None else list(argv), prog_name="goldenhour")
    except GoldenHourError as error:
        print_error(str(error))
        sys.exit(EXIT_BAD_INPUT)
