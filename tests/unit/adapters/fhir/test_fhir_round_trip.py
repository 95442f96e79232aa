"""FHIR round trips: a card exported and read back folds into the same card, nothing lost."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given

from goldenhour.adapters.fhir import export_bundle, read_bundle
from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import encode_event

from fhir_cases import CASUALTY, demo_histories, full_history
from strategies import histories


def through_json(events: list[CasualtyEvent]) -> list[CasualtyEvent]:
    """Export, write as JSON text, read back."""
    bundle = export_bundle(events, casualty_id=events[0].casualty_id)
    return read_bundle(json.dumps(bundle, ensure_ascii=False))


def wire(events: list[CasualtyEvent]) -> list[dict[str, Any]]:
    return sorted((encode_event(e) for e in events), key=lambda e: str(e["event_id"]))


class TestRoundTrip:
    @given(histories())
    def test_a_drawn_history_folds_into_the_same_card(self, history: list[CasualtyEvent]) -> None:
        """Any valid history survives export and import: the card folds the same."""
        assert fold(CASUALTY, through_json(history)) == fold(CASUALTY, history)

    @given(histories())
    def test_every_event_comes_back_unchanged(self, history: list[CasualtyEvent]) -> None:
        """Corrections, retractions and voided events come back too, field for field."""
        assert wire(through_json(history)) == wire(history)

    def test_every_event_kind_comes_back(self) -> None:
        """A history with every event kind and most optional fields loses nothing."""
        history = full_history()
        back = through_json(history)
        assert wire(back) == wire(history)
        assert fold(CASUALTY, back) == fold(CASUALTY, history)

    def test_the_demo_casualties_come_back(self) -> None:
        """The three Bilohorivka casualties of the seeded scenario each round-trip."""
        for casualty_id, history in demo_histories().items():
            assert fold(casualty_id, through_json(history)) == fold(casualty_id, history)

    def test_re_export_gives_the_same_bundle(self) -> None:
        """Exporting what was imported gives the same bundle: ids and content are stable."""
        history = full_history()
        bundle = export_bundle(history, casualty_id=CASUALTY)
        assert export_bundle(through_json(history), casualty_id=CASUALTY) == bundle

    def test_the_order_events_arrive_in_does_not_change_the_bundle(self) -> None:
        """Like the fold, the export depends on the set of events, not on their order."""
        history = full_history()
        shuffled = list(history)
        random.Random(7).shuffle(shuffled)
        assert export_bundle(shuffled, casualty_id=CASUALTY) == export_bundle(
            history, casualty_id=CASUALTY
        )
