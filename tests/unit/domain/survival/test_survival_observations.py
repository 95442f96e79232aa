"""What a casualty's card says for the survival fit: class, time, death or censoring."""

from __future__ import annotations

from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    HandedOver,
    OutcomeRecorded,
    TriageAssessed,
)
from goldenhour.domain.casualty.vocabulary import Outcome
from goldenhour.domain.survival.observations import SurvivalObservation, observation_from_card
from goldenhour.domain.triage.categories import NatoCategory, StartCategory, TriageSystem

from builders import CASUALTY, at, make

IMMEDIATE = StartCategory.IMMEDIATE


def _observe(*events: object) -> SurvivalObservation | None:
    return observation_from_card(fold(CASUALTY, events))  # type: ignore[arg-type]


def _registered(minute: float = 5) -> CasualtyRegistered:
    return make(CasualtyRegistered, minute=minute, injured_at=at(0))


def _t1(minute: float = 6) -> TriageAssessed:
    return make(TriageAssessed, minute=minute, system=TriageSystem.NATO, category=NatoCategory.T1)


def test_a_death_is_an_event_at_the_outcomes_time_from_injury() -> None:
    died = make(OutcomeRecorded, minute=47, outcome=Outcome.DIED_IN_TRANSIT)
    assert _observe(_registered(), _t1(), died) == SurvivalObservation(
        category=IMMEDIATE, minutes=47.0, died=True
    )


def test_a_return_to_duty_is_censored_at_the_last_moment_known_alive() -> None:
    handed = make(HandedOver, minute=80, to_stage="Role 1")
    back = make(OutcomeRecorded, minute=2000, outcome=Outcome.RETURNED_TO_DUTY)
    assert _observe(_registered(), _t1(), handed, back) == SurvivalObservation(
        category=IMMEDIATE, minutes=2000.0, died=False
    )


def test_a_casualty_still_in_care_is_censored_at_their_newest_record() -> None:
    handed = make(HandedOver, minute=95, to_stage="Role 2")
    observed = _observe(_registered(), _t1(), handed)
    assert observed == SurvivalObservation(category=IMMEDIATE, minutes=95.0, died=False)


def test_a_missing_casualty_is_censored_before_the_missing_record() -> None:
    handed = make(HandedOver, minute=60, to_stage="Role 1")
    missing = make(OutcomeRecorded, minute=300, outcome=Outcome.MISSING)
    observed = _observe(_registered(), _t1(), handed, missing)
    assert observed == SurvivalObservation(category=IMMEDIATE, minutes=60.0, died=False)


def test_the_first_class_counts_even_when_the_casualty_is_retriaged_dead() -> None:
    dead = make(TriageAssessed, minute=40, system=TriageSystem.NATO, category=NatoCategory.DEAD)
    delayed = make(TriageAssessed, minute=6, system=TriageSystem.START,
                   category=StartCategory.DELAYED)  # fmt: skip
    kia = make(OutcomeRecorded, minute=40, outcome=Outcome.KILLED_IN_ACTION)
    observed = _observe(_registered(), delayed, dead, kia)
    assert observed == SurvivalObservation(category=StartCategory.DELAYED, minutes=40.0, died=True)


def test_a_card_with_no_class_gives_no_observation() -> None:
    assert _observe(_registered(), make(HandedOver, minute=30, to_stage="Role 1")) is None
