"""``goldenhour db``: create or upgrade the schema, rebuild projections, say where things stand."""

from __future__ import annotations

from typing import Annotated

import typer

from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.projector import rebuild
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir, settings_from

db_app = typer.Typer(
    help="The database: schema upgrades and projection rebuilds.", no_args_is_help=True
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@db_app.command("upgrade")
def upgrade(
    data_dir: DataDir = None, database_url: DatabaseUrl = None, as_json: Json = False
) -> None:
    """Create the schema, or bring it up to this version's newest revision."""
    engine = make_engine(settings_from(data_dir, database_url).resolved_database_url())
    before = schema.current_revision(engine)
    after = schema.upgrade(engine)
    if as_json:
        print_json({"from": before, "to": after})
    else:
        print_text(f"schema {before or '(none)'} -> {after}")


@db_app.command("status")
def status(
    data_dir: DataDir = None, database_url: DatabaseUrl = None, as_json: Json = False
) -> None:
    """Print the schema revision and the number of events in the log."""
    engine = make_engine(settings_from(data_dir, database_url).resolved_database_url())
    current, head = schema.current_revision(engine), schema.head_revision()
    events = SqlEventLog(engine).last_seq() if current == head else None
    report = {
        "schema": current,
        "expected": head,
        "up_to_date": current == head,
        "last_seq": events,
    }
    if as_json:
        print_json(report)
    else:
        print_text(
            f"schema {current or '(none)'} (this version needs {head}); "
            f"log at {events if events is not None else '?'}"
        )


@db_app.command("rebuild")
def rebuild_command(
    data_dir: DataDir = None, database_url: DatabaseUrl = None, as_json: Json = False
) -> None:
    """Empty every projection (cards, map, boards) and rebuild it from the event log."""
    engine = make_engine(settings_from(data_dir, database_url).resolved_database_url())
    schema.require_current(engine)
    # The log's own write transaction: on PostgreSQL it holds the writers' advisory lock, so a
    # rebuild never interleaves with batches a running server is appending.
    with SqlEventLog(engine).writer() as writer:
        replayed = rebuild(writer.connection)
    if as_json:
        print_json({"replayed": replayed})
    else:
        print_text(f"rebuilt projections from {replayed} events")
