"""``goldenhour demo``: the Bilohorivka casualty's card, tourniquet clock, 9-line and MIST."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from goldenhour.cli.card_view import card_text
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.times import resolve_now
from goldenhour.demo.bilohorivka import (
    DEMO_CASUALTY_ID,
    DEMO_RADIO,
    PICKUP_SITE,
    demo_casualty_events,
)
from goldenhour.domain.casualty.history import CasualtyHistory
from goldenhour.domain.codec import encode_event
from goldenhour.domain.medevac.from_card import mist_from_card, nine_line_from_cards
from goldenhour.domain.medevac.mist import encode_mist
from goldenhour.domain.medevac.nine_line_text import encode_nine_line
from goldenhour.services.cards import card_report

#: How long before "now" the demo casualty was hit: his tourniquet has been on a while.
DEMO_MINUTES_SINCE_INJURY = 45


def demo_command(
    now: Annotated[
        str | None,
        typer.Option(
            help="Reckon clocks at this ISO 8601 time (default: now); injury 45 min before."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the demo casualty's card, tourniquet clock, 9-line and MIST (Bilohorivka, 2022)."""
    moment = resolve_now(now)
    injured_at = moment - timedelta(minutes=DEMO_MINUTES_SINCE_INJURY)
    events = demo_casualty_events(injured_at=injured_at)
    history = CasualtyHistory(DEMO_CASUALTY_ID)
    for event in events:
        history.append(event, now=moment)
    card = history.card()
    request = nine_line_from_cards(
        [card],
        pickup=PICKUP_SITE,
        frequency=DEMO_RADIO.frequency,
        call_sign=DEMO_RADIO.call_sign,
        security=DEMO_RADIO.security,
        marking=DEMO_RADIO.marking,
    )
    nine_line = encode_nine_line(request)
    mist = encode_mist(mist_from_card(card, now=moment))
    if as_json:
        print_json(
            {
                "now": moment.isoformat(),
                "card": card_report(card, now=moment),
                "nine_line": nine_line,
                "mist": mist,
                "events": [encode_event(event) for event in events],
            }
        )
        return
    print_text(card_text(card, now=moment))
    print_text("\n9-LINE MEDEVAC REQUEST\n" + nine_line)
    print_text("\nMIST HANDOVER\n" + mist)
