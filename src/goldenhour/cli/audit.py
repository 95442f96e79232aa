"""``goldenhour audit``: check that the audit chain is whole."""

from __future__ import annotations

from typing import Annotated

import typer

from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir
from goldenhour.cli.wiring import audit_chain
from goldenhour.services.audit import AuditChainBroken, check_chain, head_text

audit_app = typer.Typer(
    help="The audit chain of every read and write of a casualty record.", no_args_is_help=True
)


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
    report = check_chain(audit_chain(data_dir, database_url), expect_head=expect_head)
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
    text = head_text(audit_chain(data_dir, database_url))
    if as_json:
        print_json({"head": text})
    else:
        print_text(text)
