"""``goldenhour fhir``: a casualty's events to a FHIR R4 Bundle and back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from goldenhour.cli.card import read_source
from goldenhour.cli.card_view import card_text
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.times import resolve_now
from goldenhour.domain.casualty.card import fold
from goldenhour.domain.codec import encode_event
from goldenhour.domain.errors import ValidationError
from goldenhour.services.cards import card_report, events_from_text

fhir_app = typer.Typer(
    help="FHIR R4 handoff: export a casualty's card as a transaction Bundle, import one back.",
    no_args_is_help=True,
)


@fhir_app.command("export")
def export_command(
    events_file: Annotated[
        str,
        typer.Argument(
            help="JSON list of events (as 'goldenhour demo --json | jq .events'), or - for stdin."
        ),
    ],
    casualty: Annotated[
        UUID | None, typer.Option(help="The casualty to export when the file holds several.")
    ] = None,
) -> None:
    """Print a casualty's card and full history as a FHIR R4 transaction Bundle (JSON)."""
    from goldenhour.cli.wiring import fhir_bundles
    from goldenhour.services.handoff import export_casualty

    events = events_from_text(read_source(events_file))
    print_json(export_casualty(fhir_bundles(), events, chosen=casualty))


def _read_bytes(path: str, *, limit: int) -> bytes:
    # One byte past the limit is enough to refuse an oversized bundle without reading it all.
    try:
        if path == "-":
            return sys.stdin.buffer.read(limit + 1)
        with Path(path).open("rb") as stream:
            return stream.read(limit + 1)
    except OSError as error:
        raise ValidationError("file", f"cannot read {path}: {error}") from error


@fhir_app.command("import")
def import_command(
    bundle_file: Annotated[
        str, typer.Argument(help="FHIR R4 Bundle made by 'goldenhour fhir export', or - for stdin.")
    ],
    card: Annotated[
        bool, typer.Option("--card", help="Print the card the events fold into, not the events.")
    ] = False,
    now: Annotated[
        str | None, typer.Option(help="With --card: reckon clocks at this ISO 8601 time.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="With --card: print JSON.")] = False,
) -> None:
    """Read a Golden Hour FHIR bundle back into its events (JSON), or with --card the card."""
    from goldenhour.cli.wiring import fhir_bundles

    bundles = fhir_bundles()
    events = bundles.read(_read_bytes(bundle_file, limit=bundles.max_bytes))
    if not card:
        print_json([encode_event(event) for event in events])
        return
    moment = resolve_now(now)
    folded = fold(events[0].casualty_id, events)
    if as_json:
        print_json(card_report(folded, now=moment))
    else:
        print_text(card_text(folded, now=moment))
