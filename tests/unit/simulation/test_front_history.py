"""The demo's past weeks: plausible counts and outcomes, valid events, the same for one seed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cache
from uuid import UUID

from goldenhour.domain.casualty.card import Card, fold
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.casualty.history import CasualtyHistory
from goldenhour.domain.casualty.vocabulary import Outcome
from goldenhour.domain.codec import decode_event, encode_event
from goldenhour.domain.event import DomainEvent, check_timing
from goldenhour.domain.operations.events import EvacuationRequestFiled
from goldenhour.domain.survival.models import DELAYED, IMMEDIATE
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.services.survival import fit_record, observations_from_events
from goldenhour.simulation.front_history import HISTORY_SECTOR, history_events

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
ANCHOR = NOW - timedelta(minutes=40)
WEEKS = 4


@cache
def _events(seed: int = 1, weeks: int = WEEKS) -> tuple[DomainEvent, ...]:
    return tuple(history_events(anchor=ANCHOR, now=NOW, weeks=weeks, seed=seed))


def _card_events(seed: int = 1, weeks: int = WEEKS) -> list[CasualtyEvent]:
    return [e for e in _events(seed, weeks) if isinstance(e, CasualtyEvent)]


@cache
def _cards() -> dict[UUID, Card]:
    by: dict[UUID, list[CasualtyEvent]] = {}
    for event in _card_events():
        by.setdefault(event.casualty_id, []).append(event)
    return {cid: fold(cid, events) for cid, events in by.items()}


def test_the_same_seed_gives_the_same_history_and_another_seed_another() -> None:
    assert _events(1) == tuple(history_events(anchor=ANCHOR, now=NOW, weeks=WEEKS, seed=1))
    assert {e.event_id for e in _events(2)}.isdisjoint({e.event_id for e in _events(1)})


def test_the_weeks_are_a_setting_and_the_counts_are_plausible_for_a_front() -> None:
    """About 15 wounded a day (0.625 an hour): 4 weeks hold 300 to 540, one week a quarter."""
    assert 300 <= len(_cards()) <= 540
    one_week = {e.casualty_id for e in _card_events(1, 1)}
    assert 0.15 * len(_cards()) <= len(one_week) <= 0.35 * len(_cards())


def test_the_outcomes_are_every_kind_in_plausible_proportions() -> None:
    outcomes = Counter(c.outcome.outcome if c.outcome else None for c in _cards().values())
    kia = outcomes[Outcome.KILLED_IN_ACTION] + outcomes[Outcome.DIED_IN_TRANSIT]
    dow, rtd = outcomes[Outcome.DIED_OF_WOUNDS], outcomes[Outcome.RETURNED_TO_DUTY]
    wia = len(_cards()) - kia
    assert kia > 0 and dow > 0 and rtd > 0 and outcomes[Outcome.EVACUATED_FURTHER] > 0
    assert outcomes[None] > 0  # the latest are still in care
    # Holcomb et al. 2006: case fatality rate and the share returned to duty, in a wide band.
    assert 0.10 <= (kia + dow) / (kia + wia) <= 0.40
    assert 0.2 <= rtd / wia <= 0.7


def test_every_event_is_in_the_past_weeks_and_deaths_end_the_card() -> None:
    earliest = ANCHOR - timedelta(days=7 * WEEKS + 2)
    assert all(earliest <= e.occurred_at <= e.recorded_at <= NOW for e in _events())
    for card in _cards().values():
        assert card.injured_at is not None and card.triage_history
        if card.outcome and card.outcome.outcome is Outcome.KILLED_IN_ACTION:
            assert not card.handovers
            assert card.last_event_at == card.outcome.occurred_at
        if card.outcome and card.outcome.outcome is Outcome.DIED_OF_WOUNDS:
            assert card.handovers and card.handovers[0].occurred_at < card.outcome.occurred_at


def test_every_event_passes_validation_as_the_server_checks_it() -> None:
    histories: dict[UUID, CasualtyHistory] = {}
    for event in _events():
        again = decode_event(encode_event(event))  # the strict wire codec, every field checked
        assert again == event
        check_timing(event, now=NOW)
        if isinstance(event, CasualtyEvent):
            history = histories.setdefault(event.casualty_id, CasualtyHistory(event.casualty_id))
            history.append(event, now=NOW)  # refuses a contradiction, e.g. removal before on


def test_each_casualty_has_its_request_filed_in_the_history_sector() -> None:
    filed = [e for e in _events() if isinstance(e, EvacuationRequestFiled)]
    asked = {r.request_id: c.casualty_id for c in _cards().values() for r in c.evacuation_requests}
    assert {f.request_id: f.casualty_ids for f in filed} == {
        request: (casualty,) for request, casualty in asked.items()
    }
    assert {f.unit_id for f in filed} == {HISTORY_SECTOR}


def test_closing_the_loop_the_demos_record_gives_back_the_planners_curves() -> None:
    """Twelve weeks of the demo, fitted with the clock stopped at care: each class's 95%
    intervals hold the curve the history was drawn from (seed 2; docs/survival-models.md)."""
    events = history_events(anchor=ANCHOR, now=NOW, weeks=12, seed=2)
    record = observations_from_events(
        [e for e in events if isinstance(e, CasualtyEvent)], censor_at_care=True
    )
    fitted = {f.category: f for f in fit_record(record).fitted}
    for category, truth in ((StartCategory.IMMEDIATE, IMMEDIATE), (StartCategory.DELAYED, DELAYED)):
        fit = fitted[category]
        assert fit.b0.contains(truth.b0) and fit.b1.contains(truth.b1), fit
        assert fit.b2.contains(truth.b2), fit
