"""Stamping an arriving event (its author, its receive time) copies it without checking it anew."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given

from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.event import DomainEvent

from strategies import histories

RECEIVED = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@given(histories())
def test_a_stamped_event_equals_the_one_built_anew(history: list[CasualtyEvent]) -> None:
    for event in history:
        assert event.received(RECEIVED) == replace(event, received_at=RECEIVED)
        assert event.by("another medic") == replace(event, author="another medic")
        assert event.received(RECEIVED).content() == replace(event, received_at=None)
        assert type(event.received(RECEIVED)) is type(event)


@given(histories())
def test_a_stamp_is_still_checked(history: list[CasualtyEvent]) -> None:
    event = history[0]
    with pytest.raises(InvalidEventError) as refused:
        event.received(datetime(2026, 11, 29, 12, 0))
    assert refused.value.field == "received_at"
    with pytest.raises(InvalidEventError) as refused:
        event.by("")
    assert refused.value.field == "author"


@given(histories())
def test_a_stamp_checks_only_what_it_changes(history: list[CasualtyEvent]) -> None:
    # The other fields were checked when the event was made, and a frozen event keeps them.
    checks: list[object] = []
    event = history[0]
    original = DomainEvent.__post_init__
    DomainEvent.__post_init__ = lambda self: checks.append(self)  # type: ignore[method-assign]
    try:
        event.received(RECEIVED).by("another medic").content()
    finally:
        DomainEvent.__post_init__ = original  # type: ignore[method-assign]
    assert checks == []
