"""``goldenhour audit``: check that the audit chain is whole."""

from __future__ import annotations

from typing import Annotated

import typer

from goldenhour.adapters.storage import audit, schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir, settings_from
from goldenhour.domain.errors import GoldenHourError, ValidationError

audit_app = typer.Typer(
    help="The audit chain of every read and write of a casualty record.", no_args_is_help=True
)


class AuditChainBroken(GoldenHourError, ValueError):
    """The audit chain has a changed, removed or reordered entry."""


@audit_app.command("verify")
def verify(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    expect_head: Annotated[
        str | None,
        typer.Option(
            help="SEQ:HASH noted earlier with 'goldenhour audit head': entry SEQ must still "
            "exist with that hash (catches a cut-off or rewritten chain)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Verify the hash chain; exit 2 naming the first entry that was changed, removed or moved."""
    engine = make_engine(settings_from(data_dir, database_url).resolved_database_url())
    schema.require_current(engine)
    with engine.connect() as connection:
        report = audit.verify_chain(connection)
        if report.intact and expect_head is not None:
            seq_text, _, expected = expect_head.partition(":")
            if not seq_text.isdigit() or len(expected) != 64:
                raise ValidationError("--expect-head", "give SEQ:HASH as 'audit head' prints it")
            found = audit.entry_hash_at(connection, int(seq_text))
            if found != expected:
                state = "is missing" if found is None else "has another hash"
                report = audit.ChainReport(
                    entries=report.entries, first_bad_seq=int(seq_text),
                    problem=f"entry {seq_text} noted earlier {state}: cut off or rewritten",
                )  # fmt: skip
    if as_json:
        print_json({"entries": report.entries, "intact": report.intact,
                    "first_bad_seq": report.first_bad_seq, "problem": report.problem})  # fmt: skip
    elif report.intact:
        print_text(f"audit chain intact: {report.entries} entries")
    if not report.intact:
        raise AuditChainBroken(
            f"audit chain broken at entry {report.first_bad_seq}: {report.problem}"
        )


@audit_app.command("head")
def head(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the newest entry as SEQ:HASH, to note outside the database and check later."""
    engine = make_engine(settings_from(data_dir, database_url).resolved_database_url())
    schema.require_current(engine)
    with engine.connect() as connection:
        seq, digest = audit.chain_head(connection)
    text = f"{seq}:{digest}"
    if as_json:
        print_json({"head": text})
    else:
        print_text(text)
