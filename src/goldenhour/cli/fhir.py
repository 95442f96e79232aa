"""``goldenhour fhir``: a casualty's events to a FHIR R4 Bundle and back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from goldenhour.adapters.fhir import MAX_BUNDLE_BYTES, FhirError, export_bundle, read_bundle
from goldenhour.cli.card import read_source
from goldenhour.cli.card_view import card_text
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.times import resolve_now
from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import encode_event
from goldenhour.domain.errors import EventCodecError
from goldenhour.services.cards import card_report, casualty_history, events_from_text

fhir_app = typer.Typer(
    help="FHIR R4 handoff: export a casualty's card as a transaction Bundle, import one back.",
    no_args_is_help=True,
)


def _one_casualty(events: list[CasualtyEvent], chosen: UUID | None) -> UUID:
    found = sorted({event.casualty_id for event in events}, key=str)
    if chosen is not None:
        if chosen not in found:
            raise EventCodecError("--casualty", f"no event in the file is about {chosen}")
        return chosen
    if len(found) > 1:
        raise EventCodecError(
            "--casualty", f"the file holds {len(found)} casualties; name one of: "
            + ", ".join(str(casualty) for casualty in found)
        )  # fmt: skip
    return found[0]


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
    events = events_from_text(read_source(events_file))
    casualty_id = _one_casualty(events, casualty)
    history = casualty_history(events, casualty_id, others=True)
    print_json(export_bundle(history.events, casualty_id=casualty_id))


def _read_bytes(path: str) -> bytes:
    # One byte past the limit is enough to refuse an oversized bundle without reading it all.
    try:
        if path == "-":
            return sys.stdin.buffer.read(MAX_BUNDLE_BYTES + 1)
        with Path(path).open("rb") as stream:
            return stream.read(MAX_BUNDLE_BYTES + 1)
    except OSError as error:
        raise FhirError("file", f"cannot read {path}: {error}") from error


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
    events = read_bundle(_read_bytes(bundle_file))
    if not card:
        print_json([encode_event(event) for event in events])
        return
    moment = resolve_now(now)
    folded = fold(events[0].casualty_id, events)
    if as_json:
        print_json(card_report(folded, now=moment))
    else:
        print_text(card_text(folded, now=moment))
