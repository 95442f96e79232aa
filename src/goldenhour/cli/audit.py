"""``goldenhour audit``: check that the audit chain is whole."""

from __future__ import annotations

from typing import Annotated

import typer

from goldenhour.adapters.storage import audit, schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir, settings_from
from goldenhour.domain.errors import GoldenHourError

audit_app = typer.Typer(
    help="The audit chain of every read and write of a casualty record.", no_args_is_help=True
)


class AuditChainBroken(GoldenHourError, ValueError):
    """The audit chain has a changed, removed or reordered entry."""


@audit_app.command("verify")
def verify(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Verify the hash chain; exit 2 naming the first entry that was changed, removed or moved."""
    engine = make_engine(settings_from(data_dir, database_url).resolved_database_url())
    schema.require_current(engine)
    with engine.connect() as connection:
        report = audit.verify_chain(connection)
    if as_json:
        print_json({"entries": report.entries, "intact": report.intact,
                    "first_bad_seq": report.first_bad_seq, "problem": report.problem})  # fmt: skip
    elif report.intact:
        print_text(f"audit chain intact: {report.entries} entries")
    if not report.intact:
        raise AuditChainBroken(
            f"audit chain broken at entry {report.first_bad_seq}: {report.problem}"
        )
