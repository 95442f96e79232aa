"""What a casualty's card says for the survival fit: class, time, death or censoring."""

from __future__ import annotations

from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    HandedOver,
    OutcomeRecorded,
    TriageAssessed,
)
from goldenhour.domain.casualty.vocabulary import FacilityLevel, Outcome
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


def test_with_the_clock_stopped_at_care_a_survivor_is_censored_at_the_handover() -> None:
    handed = make(HandedOver, minute=80, to_stage="Role 2", facility_level=FacilityLevel.HOSPITAL)
    back = make(OutcomeRecorded, minute=2000, outcome=Outcome.RETURNED_TO_DUTY)
    events = (_registered(), _t1(), handed, back)
    assert observation_from_card(fold(CASUALTY, events), censor_at_care=True) == (
        SurvivalObservation(category=IMMEDIATE, minutes=80.0, died=False)
    )


def test_with_the_clock_stopped_at_care_a_death_of_wounds_is_censored_at_the_handover() -> None:
    handed = make(HandedOver, minute=90, to_stage="Role 2", facility_level=FacilityLevel.HOSPITAL)
    dow = make(OutcomeRecorded, minute=600, outcome=Outcome.DIED_OF_WOUNDS)
    card = fold(CASUALTY, (_registered(), _t1(), handed, dow))
    assert observation_from_card(card, censor_at_care=True) == SurvivalObservation(
        category=IMMEDIATE, minutes=90.0, died=False
    )
    assert observation_from_card(card) == SurvivalObservation(
        category=IMMEDIATE, minutes=600.0, died=True
    )


def test_with_the_clock_stopped_at_care_a_handover_to_a_vehicle_does_not_stop_it() -> None:
    carried = make(HandedOver, minute=30, to_stage="BUHAI 2")
    died = make(OutcomeRecorded, minute=50, outcome=Outcome.DIED_IN_TRANSIT)
    card = fold(CASUALTY, (_registered(), _t1(), carried, died))
    assert observation_from_card(card, censor_at_care=True) == SurvivalObservation(
        category=IMMEDIATE, minutes=50.0, died=True
    )
