"""The content hash that tells a retried event from a conflicting one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given

from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import encode_event
from goldenhour.services.sync import content_hash

from strategies import histories

RECEIVED = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _reference(event: CasualtyEvent) -> str:
    # The definition: the hash of the event without its receive time, in canonical JSON.
    body = json.dumps(encode_event(event.content()), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


@given(histories())
def test_the_hash_is_that_of_the_event_without_its_receive_time(
    history: list[CasualtyEvent],
) -> None:
    for event in history:
        received = replace(event, received_at=RECEIVED)
        assert content_hash(event) == _reference(event)
        assert content_hash(received) == content_hash(event)


@given(histories())
def test_any_other_change_changes_the_hash(history: list[CasualtyEvent]) -> None:
    event = history[0]
    assert content_hash(replace(event, author=event.author + "x")) != content_hash(event)
