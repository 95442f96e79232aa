"""The registry row written at ingest reuses the fold's events instead of walking them again."""

from __future__ import annotations

from test_record import _history

from goldenhour.domain.casualty.card import fold, fold_history
from goldenhour.domain.casualty.events import EntryRetracted, OutcomeRecorded
from goldenhour.domain.casualty.vocabulary import Outcome
from goldenhour.domain.trauma_registry.record import registry_record

from builders import CASUALTY, at, make


def test_the_row_from_the_fold_equals_the_row_from_the_history_without_reading_it() -> None:
    surgery = make(OutcomeRecorded, minute=300, outcome=Outcome.SURGERY)
    wrong = make(OutcomeRecorded, minute=200, outcome=Outcome.SURGERY)
    history = [
        *_history(),
        surgery,
        wrong,
        make(EntryRetracted, minute=210, target=wrong.event_id, reason="wrong casualty"),
    ]
    folded = fold_history(CASUALTY, history)
    assert folded.card == fold(CASUALTY, history)
    from_history = registry_record(CASUALTY, history, picked_up_at=at(40))
    # No history given: everything the row needs beyond the card comes from the fold.
    from_fold = registry_record(CASUALTY, (), folded=folded, picked_up_at=at(40))
    assert from_fold == from_history
    assert from_fold.surgery_at not in (None, at(200))  # the retracted surgery does not count
    assert from_fold.first_event_at is not None
