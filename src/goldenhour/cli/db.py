"""``goldenhour db``: create or upgrade the schema, rebuild projections, say where things stand."""

from __future__ import annotations

from typing import Annotated

import typer

from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir

db_app = typer.Typer(
    help="The database: schema upgrades and projection rebuilds.", no_args_is_help=True
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@db_app.command("upgrade")
def upgrade(
    data_dir: DataDir = None, database_url: DatabaseUrl = None, as_json: Json = False
) -> None:
    """Create the schema, or bring it up to this version's newest revision."""
    from goldenhour.cli.wiring import maintenance_store
    from goldenhour.services.maintenance import upgrade_schema

    change = upgrade_schema(maintenance_store(data_dir, database_url))
    if as_json:
        print_json({"from": change.before, "to": change.after})
    else:
        print_text(f"schema {change.before or '(none)'} -> {change.after}")


@db_app.command("status")
def status(
    data_dir: DataDir = None, database_url: DatabaseUrl = None, as_json: Json = False
) -> None:
    """Print the schema revision and the number of events in the log."""
    from goldenhour.cli.wiring import maintenance_store
    from goldenhour.services.maintenance import schema_status

    found = schema_status(maintenance_store(data_dir, database_url))
    report = {
        "schema": found.current,
        "expected": found.expected,
        "up_to_date": found.up_to_date,
        "last_seq": found.last_seq,
    }
    if as_json:
        print_json(report)
    else:
        print_text(
            f"schema {found.current or '(none)'} (this version needs {found.expected}); "
            f"log at {found.last_seq if found.last_seq is not None else '?'}"
        )


@db_app.command("rebuild")
def rebuild_command(
    data_dir: DataDir = None, database_url: DatabaseUrl = None, as_json: Json = False
) -> None:
    """Empty every projection (cards, map, boards) and rebuild it from the event log."""
    from goldenhour.cli.wiring import maintenance_store
    from goldenhour.services.maintenance import rebuild_projections

    replayed = rebuild_projections(maintenance_store(data_dir, database_url))
    if as_json:
        print_json({"replayed": replayed})
    else:
        print_text(f"rebuilt projections from {replayed} events")
