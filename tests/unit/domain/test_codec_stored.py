"""The stored-event decoder gives exactly the events the validating decoder gives.

``decode_stored_event`` reads the log's own events (a rebuild reads the whole log) without
running the checks again; whatever it decodes must equal ``decode_event``'s answer, field for
field and type for type.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings

from goldenhour.demo.scenario import scenario_events
from goldenhour.domain.casualty.events import CasualtyEvent, TriageAssessed
from goldenhour.domain.codec import decode_event, decode_stored_event, encode_event
from goldenhour.domain.errors import EventCodecError
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.registry import ALL_EVENT_TYPES
from goldenhour.simulation.front_history import history_events

from strategies import histories
from strategies_card import printed_card_histories

ANCHOR = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def _stored(event: DomainEvent, *, received: bool = True) -> dict[str, Any]:
    """Return the event as the log stores it: through JSON, with its receive time."""
    if received:
        event = event.received(ANCHOR + timedelta(hours=1))
    stored: dict[str, Any] = json.loads(json.dumps(encode_event(event)))
    return stored


def _same(raw: dict[str, Any]) -> None:
    validated = decode_event(dict(raw))
    fast = decode_stored_event(dict(raw))
    assert type(fast) is type(validated)
    assert fast == validated
    assert encode_event(fast) == encode_event(validated)


@settings(deadline=None, max_examples=200)
@given(events=histories())
def test_casualty_histories_decode_to_the_same_events(events: list[CasualtyEvent]) -> None:
    for event in events:
        _same(_stored(event))
        _same(_stored(event, received=False))


@settings(deadline=None, max_examples=100)
@given(events=printed_card_histories())
def test_crowded_histories_decode_to_the_same_events(events: list[CasualtyEvent]) -> None:
    for event in events:
        _same(_stored(event))


def test_the_demo_and_a_week_of_history_decode_to_the_same_events() -> None:
    events = [
        *scenario_events(ANCHOR),
        *history_events(anchor=ANCHOR, now=ANCHOR, weeks=1),
    ]
    kinds = set()
    for event in events:
        _same(_stored(event))
        kinds.add(event.kind)
    # Units, users, vehicles, requests, missions and every part of a casualty's card.
    assert len(kinds) >= 15, sorted(kinds)


@pytest.mark.parametrize("kind", sorted(set(ALL_EVENT_TYPES) - {TriageAssessed.kind}))
def test_every_kind_but_triage_has_a_stored_path_of_its_own(kind: str) -> None:
    # Otherwise the stored decoder would quietly fall back to the validating one for the kind.
    from goldenhour.domain import codec

    assert codec._stored_decoder(ALL_EVENT_TYPES[kind]) is not None


def test_an_unknown_kind_field_or_a_missing_field_is_refused_as_by_the_validating_decoder() -> None:
    event = next(e for e in scenario_events(ANCHOR) if isinstance(e, CasualtyEvent))
    stored = _stored(event)
    for broken, field in (
        ({**stored, "kind": "no_such_kind"}, "kind"),
        ({**stored, "extra": 1}, "extra"),
        ({k: v for k, v in stored.items() if k != "author"}, "author"),
    ):
        with pytest.raises(EventCodecError) as raised:
            decode_stored_event(broken)
        assert raised.value.field == field
