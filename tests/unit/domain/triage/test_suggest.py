"""Triage suggested from the card names the rule that fired; a medic's decision stands."""

from __future__ import annotations

from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    InjuryRecorded,
    OutcomeRecorded,
    TourniquetApplied,
    TourniquetRemoved,
    TreatmentGiven,
    TriageAssessed,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    Avpu,
    BodyRegion,
    InjuryKind,
    Intervention,
    Limb,
    Outcome,
)
from goldenhour.domain.triage.categories import (
    NatoCategory,
    Precedence,
    StartCategory,
    TriageSystem,
)
from goldenhour.domain.triage.suggest import current_triage, observations_from_card, suggest

from builders import CASUALTY, make

REGISTERED = make(CasualtyRegistered)
STABLE = make(VitalsRecorded, minute=1, walking=False, breathing=True, respiratory_rate=18,
              radial_pulse=True, capillary_refill_s=1.0, follows_commands=True)  # fmt: skip
THIGH = make(
    InjuryRecorded, minute=1, region=BodyRegion.THIGH, kinds=frozenset({InjuryKind.FRAGMENT})
)


def card_of(*events: CasualtyEvent):  # type: ignore[no-untyped-def]
    return fold(CASUALTY, [REGISTERED, *events])


def test_a_tourniquet_on_makes_t1_and_urgent_surgical() -> None:
    card = card_of(STABLE, THIGH, make(TourniquetApplied, minute=2, limb=Limb.LEFT_LEG))
    nato, precedence = suggest(card, TriageSystem.NATO), suggest(card, TriageSystem.PRECEDENCE)
    assert nato.category is NatoCategory.T1
    assert nato.rule == "life-saving intervention in place: tourniquet on left leg"
    assert precedence.category is Precedence.URGENT_SURGICAL


def test_a_removed_tourniquet_no_longer_counts() -> None:
    applied = make(TourniquetApplied, minute=2, limb=Limb.LEFT_LEG)
    card = card_of(STABLE, THIGH, applied,
                   make(TourniquetRemoved, minute=30, application_id=applied.event_id))  # fmt: skip
    assert suggest(card, TriageSystem.NATO).category is NatoCategory.T2


def test_a_start_immediate_finding_without_surgery_is_t1_and_urgent() -> None:
    fast = make(VitalsRecorded, minute=5, respiratory_rate=36)
    card = card_of(STABLE, THIGH, fast)
    assert suggest(card, TriageSystem.NATO).rule == "START step 3: respiratory rate 36/min > 30"
    assert suggest(card, TriageSystem.PRECEDENCE).category is Precedence.URGENT


def test_an_advanced_airway_is_a_life_saving_intervention() -> None:
    card = card_of(STABLE, make(TreatmentGiven, minute=3, intervention=Intervention.CRIC))
    assert suggest(card, TriageSystem.NATO).category is NatoCategory.T1


def test_a_cavity_wound_needs_surgery() -> None:
    chest = make(InjuryRecorded, minute=1, region=BodyRegion.CHEST,
                 kinds=frozenset({InjuryKind.CAVITY}))  # fmt: skip
    card = card_of(STABLE, chest)
    assert (
        suggest(card, TriageSystem.NATO).rule == "injury needing surgery: cavity-penetrating wound"
    )
    assert suggest(card, TriageSystem.PRECEDENCE).category is Precedence.URGENT_SURGICAL


def test_the_walking_wounded_are_t3_and_routine() -> None:
    card = card_of(THIGH, make(VitalsRecorded, minute=2, walking=True))
    assert suggest(card, TriageSystem.NATO).category is NatoCategory.T3
    assert suggest(card, TriageSystem.START).category is StartCategory.MINOR
    assert suggest(card, TriageSystem.PRECEDENCE).category is Precedence.ROUTINE


def test_an_injured_casualty_passing_start_is_t2_and_priority() -> None:
    card = card_of(STABLE, THIGH)
    assert suggest(card, TriageSystem.NATO).category is NatoCategory.T2
    assert suggest(card, TriageSystem.PRECEDENCE).category is Precedence.PRIORITY


def test_no_breathing_after_airway_repositioning_is_dead_without_precedence() -> None:
    card = card_of(make(VitalsRecorded, minute=1, walking=False, breathing=False,
                        breathing_after_airway=False))  # fmt: skip
    assert suggest(card, TriageSystem.NATO).category is NatoCategory.DEAD
    assert suggest(card, TriageSystem.PRECEDENCE).category is None


def test_a_recorded_death_is_dead() -> None:
    card = card_of(STABLE, make(OutcomeRecorded, minute=9, outcome=Outcome.DIED_OF_WOUNDS))
    assert suggest(card, TriageSystem.NATO).category is NatoCategory.DEAD


def test_an_empty_card_suggests_nothing_and_says_what_is_needed() -> None:
    nato = suggest(card_of(), TriageSystem.NATO)
    assert nato.category is None and "record injuries or vital signs" in nato.rule


def test_latest_findings_across_vitals_sets_feed_start() -> None:
    card = card_of(STABLE, make(VitalsRecorded, minute=9, avpu=Avpu.PAIN))
    observations = observations_from_card(card)
    assert (observations.respiratory_rate, observations.follows_commands) == (18, True)
    later = card_of(
        make(VitalsRecorded, minute=0, walking=False),
        make(VitalsRecorded, minute=9, avpu=Avpu.PAIN),
    )
    assert observations_from_card(later).follows_commands is False


def test_an_override_stands_keeps_its_reason_and_drives_precedence() -> None:
    tourniquet = make(TourniquetApplied, minute=2, limb=Limb.LEFT_LEG)
    override = make(
        TriageAssessed, minute=5, system=TriageSystem.NATO, category=NatoCategory.T4,
        suggested=NatoCategory.T1, reason="mass casualty, resources exhausted",
    )  # fmt: skip
    card = card_of(STABLE, THIGH, tourniquet, override)
    decision = current_triage(card, TriageSystem.NATO)
    assert (decision.category, decision.overridden) == (NatoCategory.T4, True)
    assert decision.assessed is not None
    assert decision.assessed.reason == "mass casualty, resources exhausted"
    assert decision.suggestion.category is NatoCategory.T1
    assert suggest(card, TriageSystem.PRECEDENCE).category is None


def test_children_are_triaged_with_jumpstart_by_default() -> None:
    child = make(CasualtyRegistered, identity=Identity(age_years=6))
    card = fold(CASUALTY, [child, make(VitalsRecorded, minute=1, walking=False, breathing=True,
                                      respiratory_rate=12)])  # fmt: skip
    decision = current_triage(card)
    assert decision.system is TriageSystem.JUMPSTART
    assert decision.category is StartCategory.IMMEDIATE
