"""Tests for SALT triage: the global sort and the individual assessment of triage.md section 3."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.triage.observations import TriageObservations
from goldenhour.domain.triage.salt import SaltCategory, SaltSortGroup, salt_sort_group, triage_salt

T = TypeVar("T")

# Breathing, obeys commands, has a peripheral pulse, no distress, haemorrhage controlled.
PASSES_STEP_B = TriageObservations(
    breathing=True,
    follows_commands=True,
    peripheral_pulse=True,
    respiratory_distress=False,
    haemorrhage_controlled=True,
)


class TestSaltSortGroup:
    """The global sort puts walkers last and the still (or unassessed) first."""

    @pytest.mark.parametrize(
        ("obs", "group"),
        [
            (TriageObservations(walking=True), SaltSortGroup.WALK),
            (TriageObservations(walking=False, purposeful_movement=True), SaltSortGroup.WAVE),
            (TriageObservations(follows_commands=True), SaltSortGroup.WAVE),
            (TriageObservations(walking=False, purposeful_movement=False), SaltSortGroup.STILL),
            (TriageObservations(), SaltSortGroup.STILL),
        ],
    )
    def test_sorts_by_movement(self, obs: TriageObservations, group: SaltSortGroup) -> None:
        """Walking, waving and still casualties land in their groups."""
        assert salt_sort_group(obs) is group

    def test_still_casualties_are_assessed_first(self) -> None:
        """The group values give the order of assessment: still, wave, walk."""
        assert sorted(SaltSortGroup, key=lambda group: group.value) == [
            SaltSortGroup.STILL,
            SaltSortGroup.WAVE,
            SaltSortGroup.WALK,
        ]


class TestSaltAssessment:
    """Steps a-d of the individual assessment."""

    @pytest.mark.parametrize(
        ("obs", "category"),
        [
            (
                TriageObservations(breathing=False, breathing_after_airway=False),
                SaltCategory.DEAD,
            ),
            (
                dataclasses.replace(
                    PASSES_STEP_B,
                    breathing=False,
                    breathing_after_airway=True,
                    minor_injuries_only=False,
                ),
                SaltCategory.DELAYED,
            ),
            (dataclasses.replace(PASSES_STEP_B, minor_injuries_only=True), SaltCategory.MINIMAL),
            (dataclasses.replace(PASSES_STEP_B, minor_injuries_only=False), SaltCategory.DELAYED),
            (
                dataclasses.replace(PASSES_STEP_B, peripheral_pulse=False, likely_to_survive=True),
                SaltCategory.IMMEDIATE,
            ),
            (
                dataclasses.replace(
                    PASSES_STEP_B, respiratory_distress=True, likely_to_survive=False
                ),
                SaltCategory.EXPECTANT,
            ),
            (
                dataclasses.replace(
                    PASSES_STEP_B,
                    follows_commands=False,
                    purposeful_movement=False,
                    likely_to_survive=True,
                ),
                SaltCategory.IMMEDIATE,
            ),
            (
                dataclasses.replace(
                    PASSES_STEP_B,
                    follows_commands=False,
                    purposeful_movement=True,
                    minor_injuries_only=True,
                ),
                SaltCategory.MINIMAL,
            ),
            (
                TriageObservations(
                    breathing=True, haemorrhage_controlled=False, likely_to_survive=True
                ),
                SaltCategory.IMMEDIATE,
            ),
        ],
    )
    def test_gets_the_expected_category(
        self, obs: TriageObservations, category: SaltCategory
    ) -> None:
        """Each set of findings gets the category SALT gives it."""
        assert triage_salt(obs).category is category

    def test_rule_names_the_failed_check(self) -> None:
        """The rule says which step-b check failed and how step c was answered."""
        obs = dataclasses.replace(PASSES_STEP_B, peripheral_pulse=False, likely_to_survive=False)
        assert triage_salt(obs).rule == (
            "SALT step c: no peripheral pulse; unlikely to survive with current resources"
        )

    @pytest.mark.parametrize(
        ("obs", "needed"),
        [
            (TriageObservations(), "SALT step a needs whether the casualty is breathing"),
            (
                TriageObservations(breathing=False),
                "SALT step a needs whether breathing starts after the airway is opened",
            ),
            (
                TriageObservations(breathing=True),
                "SALT step b needs whether the casualty obeys commands or moves purposefully",
            ),
            (
                dataclasses.replace(PASSES_STEP_B, haemorrhage_controlled=None),
                "SALT step b needs whether major haemorrhage is controlled",
            ),
            (
                dataclasses.replace(PASSES_STEP_B, peripheral_pulse=False),
                "SALT step c (no peripheral pulse) needs whether survival is likely",
            ),
            (PASSES_STEP_B, "SALT step d needs whether the injuries are minor only"),
        ],
    )
    def test_missing_finding_gives_no_category(self, obs: TriageObservations, needed: str) -> None:
        """A missing finding stops triage with no category and a rule naming the finding."""
        suggestion = triage_salt(obs)
        assert suggestion.category is None
        assert suggestion.rule == needed


def maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    """Return ``strategy`` or None (not assessed)."""
    return st.none() | strategy


SALT_FINDINGS = (
    "walking",
    "breathing",
    "breathing_after_airway",
    "follows_commands",
    "purposeful_movement",
    "peripheral_pulse",
    "respiratory_distress",
    "haemorrhage_controlled",
    "likely_to_survive",
    "minor_injuries_only",
)
ANY_OBSERVATIONS = st.builds(
    TriageObservations, **{name: maybe(st.booleans()) for name in SALT_FINDINGS}
)
COMPLETE_OBSERVATIONS = st.builds(
    TriageObservations, **{name: st.booleans() for name in SALT_FINDINGS}
)


class TestSaltProperties:
    """Properties that hold for every valid set of observations."""

    @given(ANY_OBSERVATIONS)
    def test_never_raises(self, obs: TriageObservations) -> None:
        """Any valid observations give a suggestion with a SALT rule."""
        assert triage_salt(obs).rule.startswith("SALT step ")

    @given(COMPLETE_OBSERVATIONS)
    def test_complete_observations_always_get_a_category(self, obs: TriageObservations) -> None:
        """With every finding present there is always a category."""
        assert triage_salt(obs).category is not None

    @given(COMPLETE_OBSERVATIONS)
    def test_dead_if_and_only_if_not_breathing_after_airway(self, obs: TriageObservations) -> None:
        """DEAD is given exactly to casualties who breathe neither before nor after the airway."""
        not_breathing = not obs.breathing and not obs.breathing_after_airway
        assert (triage_salt(obs).category is SaltCategory.DEAD) == not_breathing

    @given(COMPLETE_OBSERVATIONS)
    def test_uncontrolled_haemorrhage_is_never_minimal_or_delayed(
        self, obs: TriageObservations
    ) -> None:
        """A failed step-b check leads to IMMEDIATE, EXPECTANT or DEAD, never the lower tags."""
        failed = dataclasses.replace(obs, haemorrhage_controlled=False)
        assert triage_salt(failed).category not in {SaltCategory.MINIMAL, SaltCategory.DELAYED}

    @given(COMPLETE_OBSERVATIONS, st.sets(st.sampled_from(SALT_FINDINGS)))
    def test_forgetting_findings_never_changes_the_category(
        self, obs: TriageObservations, forgotten: set[str]
    ) -> None:
        """With findings left out there is either no category or the same one: no guessing."""
        partial = dataclasses.replace(obs, **dict.fromkeys(forgotten))
        assert triage_salt(partial).category in {None, triage_salt(obs).category}
