"""submit_events on the in-memory log: idempotence, refusals that stop nothing else, authors."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from goldenhour.adapters.memory import InMemoryEventLog
from goldenhour.domain.access import Attribution
from goldenhour.domain.casualty.events import CasualtyRegistered, NoteAdded
from goldenhour.domain.codec import encode_event
from goldenhour.services.sync import Outcome, submit_events
from world import World

from builders import make

NOW = datetime(2022, 6, 14, 13, 0, tzinfo=UTC)
SKEW = timedelta(minutes=5)


def _casualty_events(log: InMemoryEventLog) -> list[str]:
    return [str(e.event_id) for e in log.read_after(0, limit=1000) if e.stream == "casualty"]


def test_a_batch_sent_again_is_answered_duplicate_and_stored_once(
    log: InMemoryEventLog, world: World
) -> None:
    registered = make(CasualtyRegistered, minute=1, casualty_id=uuid4())
    note = make(NoteAdded, minute=2, casualty_id=registered.casualty_id, text="conscious")
    batch = [encode_event(registered), encode_event(note)]
    first = submit_events(log, world.medic, batch, now=NOW, max_skew=SKEW)
    again = submit_events(log, world.medic, batch, now=NOW, max_skew=SKEW)
    assert [r.outcome for r in first] == [Outcome.ACCEPTED, Outcome.ACCEPTED]
    assert [r.outcome for r in again] == [Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert [r.seq for r in again] == [r.seq for r in first]
    assert _casualty_events(log) == [b["event_id"] for b in batch]


def test_an_invalid_event_never_stops_the_others(log: InMemoryEventLog, world: World) -> None:
    good = [make(CasualtyRegistered, minute=m, casualty_id=uuid4()) for m in (1, 2)]
    bad = {**encode_event(make(CasualtyRegistered, minute=3)), "kind": "no_such_kind"}
    results = submit_events(
        log, world.medic, [encode_event(good[0]), bad, encode_event(good[1])], now=NOW,
        max_skew=SKEW,
    )  # fmt: skip
    assert [r.outcome for r in results] == [Outcome.ACCEPTED, Outcome.INVALID, Outcome.ACCEPTED]
    assert results[1].field == "kind"
    assert _casualty_events(log) == [str(good[0].event_id), str(good[1].event_id)]
    assert [(r.event_id, r.outcome) for r in log.rejected()] == [(bad["event_id"], "invalid")]


def test_a_medic_may_not_write_into_another_companys_casualty(
    log: InMemoryEventLog, world: World
) -> None:
    registered = make(CasualtyRegistered, minute=1, casualty_id=uuid4())
    submit_events(log, world.medic, [encode_event(registered)], now=NOW, max_skew=SKEW)
    note = make(NoteAdded, minute=2, casualty_id=registered.casualty_id, text="not mine")
    [result] = submit_events(log, world.other_medic, [encode_event(note)], now=NOW, max_skew=SKEW)
    assert result.outcome is Outcome.NOT_FOUND
    assert log.rejected() == []  # an access refusal keeps no copy: the device keeps the event


def test_the_caller_is_recorded_as_author_whatever_the_event_says(
    log: InMemoryEventLog, world: World
) -> None:
    event = make(CasualtyRegistered, minute=1, casualty_id=uuid4(), author="medic2")
    [result] = submit_events(log, world.medic, [encode_event(event)], now=NOW, max_skew=SKEW)
    assert (result.outcome, result.field) == (Outcome.ACCEPTED, "author")
    assert result.reason == "recorded as medic, who sent it"
    [stored] = log.read_after(result.seq - 1 if result.seq else 0, limit=1)
    assert stored.payload["author"] == "medic"


def test_a_shared_device_may_name_a_user_of_its_unit_as_author_but_no_one_else(
    log: InMemoryEventLog, world: World
) -> None:
    device = replace(world.coordinator, attribution=Attribution.UNIT_DEVICE)
    casualty = uuid4()
    registered = make(CasualtyRegistered, minute=0, casualty_id=casualty, author="coordinator")
    named = make(NoteAdded, minute=1, casualty_id=casualty, author="medic", text="named")
    ghost = make(NoteAdded, minute=2, casualty_id=casualty, author="ghost", text="no such user")
    results = submit_events(
        log, device, [encode_event(e) for e in (registered, named, ghost)], now=NOW,
        max_skew=SKEW,
    )  # fmt: skip
    assert [r.outcome for r in results] == [Outcome.ACCEPTED] * 3
    assert [r.field for r in results] == [None, None, "author"]
    stored = [e.payload["author"] for e in log.read_after(0, limit=1000) if e.stream == "casualty"]
    assert stored == ["coordinator", "medic", "coordinator"]
