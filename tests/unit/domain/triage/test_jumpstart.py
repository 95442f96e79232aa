"""Tests for JumpSTART paediatric triage: the J01-J13 card cases, rules and properties."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from goldenhour.domain.triage.categories import StartCategory, TriageSystem
from goldenhour.domain.triage.jumpstart import triage_jumpstart
from goldenhour.domain.triage.observations import AVPU_LEVELS, TriageObservations

# The card's test cases, derived by the team from the published rules (tests/data/README.md).
TRIAGE_CARD = Path(__file__).resolve().parents[3] / "data" / "triage" / "start-jumpstart-cases.md"
JUMPSTART_HEADING = "### JumpSTART test cases"
T = TypeVar("T")


def read_card_table(heading: str) -> list[dict[str, str]]:
    """Return the rows of the first markdown table after ``heading``, keyed by column header."""
    lines = TRIAGE_CARD.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith(heading))
    table: list[list[str]] = []
    for line in lines[first + 1 :]:
        if line.startswith("|"):
            table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif table:
            break
    header, _separator, *rows = table
    return [dict(zip(header, row, strict=True)) for row in rows]


JUMPSTART_ROWS = read_card_table(JUMPSTART_HEADING)

NOT_ASSESSED = "–"  # an en dash in the card: an earlier rule fired
YES_NO = {"yes": True, "no": False, NOT_ASSESSED: None}
BREATHES = {"breathes": True, "apnoeic": False, NOT_ASSESSED: None}
# "AVPU" cells -> (avpu, pain_response_appropriate).
AVPU = {
    "A": ("A", None),
    "V": ("V", None),
    "U": ("U", None),
    "P (posturing)": ("P", False),
    "P (localises pain)": ("P", True),
    NOT_ASSESSED: (None, None),
}
# The card adds the threshold in brackets, e.g. "IMMEDIATE (< 15)"; the first word is the category.
EXPECTED = {
    "MINOR": StartCategory.MINOR,
    "DELAYED": StartCategory.DELAYED,
    "IMMEDIATE": StartCategory.IMMEDIATE,
    "DEAD": StartCategory.DEAD,
}


def card_observations(row: dict[str, str]) -> TriageObservations:
    """Build observations from one row of the JumpSTART table.

    The card's "Pulse" (step 2b) and "Periph. pulse" (step 4) columns are the same finding, a
    palpable peripheral pulse; no row fills both, so whichever is filled sets the one field.
    """
    avpu, pain_response_appropriate = AVPU[row["AVPU"]]
    apnoeic_pulse, pulse = YES_NO[row["Pulse"]], YES_NO[row["Periph. pulse"]]
    rate = row["RR"]
    return TriageObservations(
        walking=YES_NO[row["Walks"]],
        breathing=YES_NO[row["Spont. breathing"]],
        breathing_after_airway=BREATHES[row["After positioning"]],
        peripheral_pulse=pulse if apnoeic_pulse is None else apnoeic_pulse,
        breathing_after_rescue_breaths=BREATHES[row["After 5 breaths"]],
        respiratory_rate=None if rate == NOT_ASSESSED else int(rate),
        avpu=avpu,
        pain_response_appropriate=pain_response_appropriate,
    )


class TestJumpstartCardCases:
    """The JumpSTART cases J01-J13 in tests/data/triage/start-jumpstart-cases.md."""

    def test_the_card_holds_all_13_cases(self) -> None:
        """The parser finds J01 to J13, in order."""
        assert [row["#"] for row in JUMPSTART_ROWS] == [f"J{n:02d}" for n in range(1, 14)]

    @pytest.mark.parametrize("row", JUMPSTART_ROWS, ids=[row["#"] for row in JUMPSTART_ROWS])
    def test_case_gets_the_expected_category(self, row: dict[str, str]) -> None:
        """Each case gets the category the card expects."""
        suggestion = triage_jumpstart(card_observations(row))
        assert suggestion.system is TriageSystem.JUMPSTART
        assert suggestion.category is EXPECTED[row["Expected"].split()[0]]


CHILD_BREATHING = TriageObservations(
    walking=False, breathing=True, respiratory_rate=30, peripheral_pulse=True
)
CHILD_APNOEIC = TriageObservations(walking=False, breathing=False, breathing_after_airway=False)


class TestJumpstartRules:
    """The rule text names the step and the finding that decided, or the finding still needed."""

    @pytest.mark.parametrize(
        ("obs", "rule"),
        [
            (TriageObservations(walking=True), "JumpSTART step 1: walks"),
            (
                dataclasses.replace(CHILD_APNOEIC, breathing_after_airway=True),
                "JumpSTART step 2a: breathes after airway positioning",
            ),
            (
                dataclasses.replace(CHILD_APNOEIC, peripheral_pulse=False),
                "JumpSTART step 2b: apnoeic with no palpable peripheral pulse",
            ),
            (
                dataclasses.replace(
                    CHILD_APNOEIC, peripheral_pulse=True, breathing_after_rescue_breaths=False
                ),
                "JumpSTART step 2c: still apnoeic after 5 rescue breaths",
            ),
            (
                dataclasses.replace(CHILD_BREATHING, respiratory_rate=12),
                "JumpSTART step 3: respiratory rate 12/min < 15",
            ),
            (
                dataclasses.replace(CHILD_BREATHING, respiratory_rate=50),
                "JumpSTART step 3: respiratory rate 50/min > 45",
            ),
            (
                dataclasses.replace(CHILD_BREATHING, peripheral_pulse=False),
                "JumpSTART step 4: no palpable peripheral pulse",
            ),
            (
                dataclasses.replace(CHILD_BREATHING, avpu="V"),
                "JumpSTART step 5: AVPU V; earlier steps pass",
            ),
        ],
    )
    def test_rule_names_step_and_finding(self, obs: TriageObservations, rule: str) -> None:
        """The rule says which step fired and on what finding."""
        assert triage_jumpstart(obs).rule == rule

    @pytest.mark.parametrize(
        ("obs", "needed"),
        [
            (TriageObservations(), "JumpSTART step 1 needs whether the child can walk"),
            (
                TriageObservations(walking=False),
                "JumpSTART step 2 needs whether the child is breathing spontaneously",
            ),
            (
                TriageObservations(walking=False, breathing=False),
                "JumpSTART step 2a needs whether breathing starts after airway positioning",
            ),
            (
                CHILD_APNOEIC,
                "JumpSTART step 2b needs whether a peripheral pulse is palpable",
            ),
            (
                dataclasses.replace(CHILD_APNOEIC, peripheral_pulse=True),
                "JumpSTART step 2c needs whether breathing starts after 5 rescue breaths",
            ),
            (
                TriageObservations(walking=False, breathing=True),
                "JumpSTART step 3 needs the respiratory rate",
            ),
            (
                dataclasses.replace(CHILD_BREATHING, peripheral_pulse=None),
                "JumpSTART step 4 needs whether a peripheral pulse is palpable",
            ),
            (CHILD_BREATHING, "JumpSTART step 5 needs the AVPU level"),
            (
                dataclasses.replace(CHILD_BREATHING, avpu="P"),
                "JumpSTART step 5 needs whether the response to pain is appropriate (localises)",
            ),
        ],
    )
    def test_missing_finding_gives_no_category(self, obs: TriageObservations, needed: str) -> None:
        """A missing finding stops triage with no category and a rule naming the finding."""
        suggestion = triage_jumpstart(obs)
        assert suggestion.category is None
        assert suggestion.rule == needed


def maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    """Return ``strategy`` or None (not assessed)."""
    return st.none() | strategy


RATES = st.integers(min_value=0, max_value=80)
JUMPSTART_FINDINGS = (
    "walking",
    "breathing",
    "breathing_after_airway",
    "peripheral_pulse",
    "breathing_after_rescue_breaths",
    "respiratory_rate",
    "avpu",
    "pain_response_appropriate",
)
ANY_OBSERVATIONS = st.builds(
    TriageObservations,
    walking=maybe(st.booleans()),
    breathing=maybe(st.booleans()),
    breathing_after_airway=maybe(st.booleans()),
    peripheral_pulse=maybe(st.booleans()),
    breathing_after_rescue_breaths=maybe(st.booleans()),
    respiratory_rate=maybe(RATES),
    avpu=maybe(st.sampled_from(AVPU_LEVELS)),
    pain_response_appropriate=maybe(st.booleans()),
)
COMPLETE_OBSERVATIONS = st.builds(
    TriageObservations,
    walking=st.booleans(),
    breathing=st.booleans(),
    breathing_after_airway=st.booleans(),
    peripheral_pulse=st.booleans(),
    breathing_after_rescue_breaths=st.booleans(),
    respiratory_rate=RATES,
    avpu=st.sampled_from(AVPU_LEVELS),
    pain_response_appropriate=st.booleans(),
)
# A non-walking child breathing spontaneously: the vital-sign steps 3-5 decide.
VITALS_DECIDE = COMPLETE_OBSERVATIONS.map(
    lambda obs: dataclasses.replace(obs, walking=False, breathing=True)
)
ABNORMAL_RATES = st.integers(min_value=0, max_value=14) | st.integers(min_value=46, max_value=80)


class TestJumpstartProperties:
    """Properties that hold for every valid set of observations."""

    @given(ANY_OBSERVATIONS)
    def test_never_raises(self, obs: TriageObservations) -> None:
        """Any valid observations give a JumpSTART suggestion with a rule."""
        suggestion = triage_jumpstart(obs)
        assert suggestion.system is TriageSystem.JUMPSTART
        assert suggestion.rule.startswith("JumpSTART step ")

    @given(COMPLETE_OBSERVATIONS)
    def test_complete_observations_always_get_a_category(self, obs: TriageObservations) -> None:
        """With every finding present there is always a category."""
        assert triage_jumpstart(obs).category is not None

    @given(ANY_OBSERVATIONS)
    def test_minor_if_and_only_if_walking(self, obs: TriageObservations) -> None:
        """MINOR is given exactly to children who walk."""
        assert (triage_jumpstart(obs).category is StartCategory.MINOR) == (obs.walking is True)

    @given(VITALS_DECIDE, ABNORMAL_RATES)
    def test_rate_outside_15_to_45_is_immediate(self, obs: TriageObservations, rate: int) -> None:
        """A breathing child with a rate below 15 or above 45 is IMMEDIATE."""
        after = triage_jumpstart(dataclasses.replace(obs, respiratory_rate=rate))
        assert after.category is StartCategory.IMMEDIATE

    @given(COMPLETE_OBSERVATIONS, ABNORMAL_RATES)
    def test_abnormal_rate_never_makes_less_urgent(
        self, obs: TriageObservations, rate: int
    ) -> None:
        """Moving the rate outside 15-45 either changes nothing or makes the child IMMEDIATE."""
        before = triage_jumpstart(obs).category
        after = triage_jumpstart(dataclasses.replace(obs, respiratory_rate=rate)).category
        assert after in {before, StartCategory.IMMEDIATE}

    @given(VITALS_DECIDE, st.sampled_from(AVPU_LEVELS))
    def test_less_responsive_never_makes_less_urgent(
        self, obs: TriageObservations, worse: str
    ) -> None:
        """A lower AVPU level never turns IMMEDIATE into DELAYED for a breathing child."""
        assume(AVPU_LEVELS.index(worse) >= AVPU_LEVELS.index(obs.avpu or "A"))
        before = triage_jumpstart(obs).category
        after = triage_jumpstart(dataclasses.replace(obs, avpu=worse)).category
        assert after in {before, StartCategory.IMMEDIATE}

    @given(COMPLETE_OBSERVATIONS, st.sets(st.sampled_from(JUMPSTART_FINDINGS)))
    def test_forgetting_findings_never_changes_the_category(
        self, obs: TriageObservations, forgotten: set[str]
    ) -> None:
        """With findings left out there is either no category or the same one: no guessing."""
        partial = dataclasses.replace(obs, **dict.fromkeys(forgotten))
        assert triage_jumpstart(partial).category in {None, triage_jumpstart(obs).category}
