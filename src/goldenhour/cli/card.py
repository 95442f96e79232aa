"""``goldenhour card``: derive a casualty's card from a file of events."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from goldenhour.cli.card_view import card_text
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.times import resolve_now
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.casualty.history import CasualtyHistory
from goldenhour.domain.codec import decode_event
from goldenhour.domain.errors import EventCodecError, ValidationError
from goldenhour.services.cards import card_report

card_app = typer.Typer(
    help="Casualty cards derived from their event history.", no_args_is_help=True
)


def read_source(path: str) -> str:
    """Return the text of ``path``, or standard input for ``-``."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EventCodecError("file", f"cannot read {path}: {error}") from error


@card_app.command("show")
def show(
    events_file: Annotated[
        str,
        typer.Argument(
            help="JSON list of events (as 'goldenhour demo --json' shows them), or - for stdin."
        ),
    ],
    now: Annotated[str | None, typer.Option(help="Reckon clocks at this ISO 8601 time.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Fold a file of casualty events into the current card; every event is validated."""
    moment = resolve_now(now)
    try:
        raw = json.loads(read_source(events_file))
    except json.JSONDecodeError as error:
        raise EventCodecError("file", f"not JSON: {error}") from error
    if not isinstance(raw, list) or not raw:
        raise EventCodecError("file", "expected a non-empty JSON list of events")
    events: list[CasualtyEvent] = []
    for index, item in enumerate(raw):
        try:
            event = decode_event(item)
        except ValidationError as error:
            raise type(error)(f"[{index}].{error.field}", error.reason) from error
        if not isinstance(event, CasualtyEvent):
            raise EventCodecError(f"[{index}].kind", f"{event.kind} is not a casualty event")
        events.append(event)
    history = CasualtyHistory(events[0].casualty_id)
    for index, event in enumerate(events):
        try:
            history.append(event, now=moment)
        except ValidationError as error:
            raise type(error)(f"[{index}].{error.field}", error.reason) from error
    card = history.card()
    if as_json:
        print_json(card_report(card, now=moment))
    else:
        print_text(card_text(card, now=moment))
