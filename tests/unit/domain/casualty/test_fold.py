"""The card is a fold of the history: order of arrival and repetition do not change it."""

from __future__ import annotations

from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import CasualtyEvent, EntryRetracted, NoteAdded
from goldenhour.domain.casualty.history import AppendOutcome, CasualtyHistory

from builders import CASUALTY, make
from strategies import histories


@given(events=histories(), data=st.data())
def test_the_card_does_not_depend_on_arrival_order(
    events: list[CasualtyEvent], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(events))
    assert fold(CASUALTY, shuffled) == fold(CASUALTY, events)


@given(events=histories(), data=st.data())
def test_the_same_event_twice_counts_once(events: list[CasualtyEvent], data: st.DataObject) -> None:
    repeats = data.draw(st.lists(st.sampled_from(events), max_size=len(events)))
    mixed = data.draw(st.permutations(events + repeats))
    assert fold(CASUALTY, mixed) == fold(CASUALTY, events)


@given(events=histories())
def test_a_history_accepts_every_valid_event_once_and_derives_the_same_card(
    events: list[CasualtyEvent],
) -> None:
    history = CasualtyHistory(CASUALTY)
    outcomes = [history.append(event) for event in events]
    again = [history.append(event) for event in events]
    assert outcomes == [AppendOutcome.ACCEPTED] * len(events)
    assert again == [AppendOutcome.DUPLICATE] * len(events)
    assert history.card() == fold(CASUALTY, events)
    assert history.card().version == len(events)


@given(events=histories())
def test_tourniquet_clocks_never_end_before_they_start(events: list[CasualtyEvent]) -> None:
    for record in fold(CASUALTY, events).tourniquets:
        assert record.ended_at is None or record.ended_at >= record.applied_at


def test_a_malformed_cycle_of_retractions_folds_without_looping() -> None:
    """Two retractions naming each other (never accepted by a history) both count; no loop."""
    note = make(NoteAdded, minute=1, text="kept")
    first_id, second_id = uuid4(), uuid4()
    first = make(EntryRetracted, minute=2, event_id=first_id, target=second_id, reason="x")
    second = make(EntryRetracted, minute=3, event_id=second_id, target=first_id, reason="y")
    assert [n.text for n in fold(CASUALTY, [note, first, second]).notes] == ["kept"]
