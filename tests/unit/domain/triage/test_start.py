"""Tests for START adult triage: the S01-S26 cases from the triage card, rules and properties."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.domain.errors import ValidationError
from goldenhour.domain.triage.categories import StartCategory, TriageSystem
from goldenhour.domain.triage.observations import AVPU_LEVELS, TriageObservations
from goldenhour.domain.triage.start import triage_start

# The card's test cases, derived by the team from the published rules (tests/data/README.md).
TRIAGE_CARD = Path(__file__).resolve().parents[3] / "data" / "triage" / "start-jumpstart-cases.md"
START_HEADING = "## 7. START test cases"
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


START_ROWS = read_card_table(START_HEADING)

NOT_ASSESSED = "–"  # an en dash in the card: an earlier rule fired
YES_NO = {"yes": True, "no": False, "no (leg fracture)": False, NOT_ASSESSED: None}
CAPILLARY_REFILL_NOT_MEASURED = {"unknown", NOT_ASSESSED}
# "Follows commands" cells -> (follows_commands, avpu).
FOLLOWS_COMMANDS = {
    "yes": (True, None),
    "no": (False, None),
    NOT_ASSESSED: (None, None),
    "no (unconscious)": (False, None),
    "no (AVPU = P)": (False, "P"),
    "no (AVPU = V, confused, cannot follow)": (False, "V"),
    "yes (AVPU = A)": (True, "A"),
}
EXPECTED = {
    "MINOR": StartCategory.MINOR,
    "DELAYED": StartCategory.DELAYED,
    "IMMEDIATE": StartCategory.IMMEDIATE,
    "DEAD": StartCategory.DEAD,
}


def card_observations(row: dict[str, str]) -> TriageObservations:
    """Build observations from one row of the START table."""
    follows_commands, avpu = FOLLOWS_COMMANDS[row["Follows commands"]]
    rate, refill = row["RR"], row["CRT"]
    return TriageObservations(
        walking=YES_NO[row["Walks"]],
        breathing=YES_NO[row["Breathing (spont.)"]],
        breathing_after_airway=YES_NO[row["Breathes after airway repositioning"]],
        respiratory_rate=None if rate == NOT_ASSESSED else int(rate),
        peripheral_pulse=YES_NO[row["Radial"]],
        capillary_refill_s=None if refill in CAPILLARY_REFILL_NOT_MEASURED else float(refill),
        follows_commands=follows_commands,
        avpu=avpu,
    )


class TestStartCardCases:
    """The START cases S01-S26 in tests/data/triage/start-jumpstart-cases.md."""

    def test_the_card_holds_all_26_cases(self) -> None:
        """The parser finds S01 to S26, in order."""
        assert [row["#"] for row in START_ROWS] == [f"S{n:02d}" for n in range(1, 27)]

    @pytest.mark.parametrize("row", START_ROWS, ids=[row["#"] for row in START_ROWS])
    def test_case_gets_the_expected_category(self, row: dict[str, str]) -> None:
        """Each case gets the category the card expects."""
        suggestion = triage_start(card_observations(row))
        assert suggestion.system is TriageSystem.START
        assert suggestion.category is EXPECTED[row["Expected"]]


ADULT_BREATHING = TriageObservations(
    walking=False, breathing=True, respiratory_rate=20, peripheral_pulse=True
)


class TestStartRules:
    """The rule text names the step and the finding that decided, or the finding still needed."""

    @pytest.mark.parametrize(
        ("obs", "rule"),
        [
            (TriageObservations(walking=True), "START step 1: walks"),
            (
                TriageObservations(walking=False, breathing=False, breathing_after_airway=False),
                "START step 2a: not breathing after airway repositioning",
            ),
            (
                dataclasses.replace(ADULT_BREATHING, respiratory_rate=36),
                "START step 3: respiratory rate 36/min > 30",
            ),
            (
                dataclasses.replace(ADULT_BREATHING, peripheral_pulse=False),
                "START step 4: radial pulse absent",
            ),
            (
                dataclasses.replace(ADULT_BREATHING, capillary_refill_s=2.1),
                "START step 4: capillary refill 2.1 s > 2 s",
            ),
            (
                dataclasses.replace(ADULT_BREATHING, avpu="U"),
                "START step 5: AVPU U, cannot follow simple commands",
            ),
        ],
    )
    def test_rule_names_step_and_finding(self, obs: TriageObservations, rule: str) -> None:
        """The rule says which step fired and on what finding."""
        assert triage_start(obs).rule == rule

    @pytest.mark.parametrize(
        ("obs", "needed"),
        [
            (TriageObservations(), "START step 1 needs whether the casualty can walk"),
            (
                TriageObservations(walking=False),
                "START step 2 needs whether the casualty is breathing",
            ),
            (
                TriageObservations(walking=False, breathing=False),
                "START step 2a needs whether breathing starts after airway repositioning",
            ),
            (
                TriageObservations(walking=False, breathing=True),
                "START step 3 needs the respiratory rate",
            ),
            (
                TriageObservations(walking=False, breathing=True, respiratory_rate=20),
                "START step 4 needs the radial pulse or the capillary refill time",
            ),
            (ADULT_BREATHING, "START step 5 needs whether the casualty follows simple commands"),
            (
                dataclasses.replace(ADULT_BREATHING, avpu="V"),
                "START step 5 needs whether the casualty follows simple commands",
            ),
        ],
    )
    def test_missing_finding_gives_no_category(self, obs: TriageObservations, needed: str) -> None:
        """A missing finding stops triage with no category and a rule naming the finding."""
        suggestion = triage_start(obs)
        assert suggestion.category is None
        assert suggestion.rule == needed

    def test_normal_capillary_refill_stands_in_for_an_unknown_radial_pulse(self) -> None:
        """CRT of 2 s or less with the radial pulse not assessed goes on to step 5."""
        obs = dataclasses.replace(
            ADULT_BREATHING, peripheral_pulse=None, capillary_refill_s=1.0, follows_commands=True
        )
        assert triage_start(obs).category is StartCategory.DELAYED

    def test_avpu_p_overrides_a_contradictory_follows_commands(self) -> None:
        """AVPU P with "follows commands" recorded is read the urgent way."""
        obs = dataclasses.replace(ADULT_BREATHING, avpu="P", follows_commands=True)
        assert triage_start(obs).category is StartCategory.IMMEDIATE


class TestTriageObservations:
    """Observations refuse impossible values with a ValidationError naming the field."""

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"respiratory_rate": -1}, "respiratory_rate"),
            ({"respiratory_rate": 81}, "respiratory_rate"),
            ({"respiratory_rate": True}, "respiratory_rate"),
            ({"respiratory_rate": 20.5}, "respiratory_rate"),
            ({"capillary_refill_s": -0.1}, "capillary_refill_s"),
            ({"capillary_refill_s": 20.5}, "capillary_refill_s"),
            ({"capillary_refill_s": float("nan")}, "capillary_refill_s"),
            ({"capillary_refill_s": "2"}, "capillary_refill_s"),
            ({"avpu": "a"}, "avpu"),
            ({"avpu": "GCS 15"}, "avpu"),
        ],
    )
    def test_refuses_impossible_value(self, changes: dict[str, object], field: str) -> None:
        """An out-of-range or mistyped value raises ValidationError for that field."""
        with pytest.raises(ValidationError) as caught:
            TriageObservations(**changes)  # type: ignore[arg-type]
        assert caught.value.field == field

    def test_accepts_the_bounds(self) -> None:
        """Rates 0 and 80 and refill times 0 and 20 s are accepted."""
        TriageObservations(respiratory_rate=0, capillary_refill_s=0)
        TriageObservations(respiratory_rate=80, capillary_refill_s=20.0)


def maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    """Return ``strategy`` or None (not assessed)."""
    return st.none() | strategy


RATES = st.integers(min_value=0, max_value=80)
REFILLS = st.floats(min_value=0, max_value=20, allow_nan=False)
AVPUS = st.sampled_from(AVPU_LEVELS)
ANY_OBSERVATIONS = st.builds(
    TriageObservations,
    walking=maybe(st.booleans()),
    breathing=maybe(st.booleans()),
    breathing_after_airway=maybe(st.booleans()),
    peripheral_pulse=maybe(st.booleans()),
    respiratory_rate=maybe(RATES),
    capillary_refill_s=maybe(REFILLS),
    follows_commands=maybe(st.booleans()),
    avpu=maybe(AVPUS),
)
# Every finding START can ask for is present (AVPU stays optional: START asks for commands).
COMPLETE_OBSERVATIONS = st.builds(
    TriageObservations,
    walking=st.booleans(),
    breathing=st.booleans(),
    breathing_after_airway=st.booleans(),
    peripheral_pulse=st.booleans(),
    respiratory_rate=RATES,
    capillary_refill_s=REFILLS,
    follows_commands=st.booleans(),
    avpu=maybe(AVPUS),
)
# Findings that may be left out without START guessing. The perfusion pair is not among them:
# step 4 deliberately decides on the radial pulse or the refill time alone (triage.md §1 notes),
# nor is AVPU, which START reads only to overrule a contradictory "follows commands".
FORGETTABLE = (
    "walking",
    "breathing",
    "breathing_after_airway",
    "respiratory_rate",
    "follows_commands",
)
# A non-walking, breathing adult: the vital-sign steps 3-5 decide.
VITALS_DECIDE = COMPLETE_OBSERVATIONS.map(
    lambda obs: dataclasses.replace(obs, walking=False, breathing=True)
)


class TestStartProperties:
    """Properties that hold for every valid set of observations."""

    @given(ANY_OBSERVATIONS)
    def test_never_raises(self, obs: TriageObservations) -> None:
        """Any valid observations give a START suggestion with a rule."""
        suggestion = triage_start(obs)
        assert suggestion.system is TriageSystem.START
        assert suggestion.rule.startswith("START step ")

    @given(COMPLETE_OBSERVATIONS)
    def test_complete_observations_always_get_a_category(self, obs: TriageObservations) -> None:
        """With every finding present there is always a category."""
        assert triage_start(obs).category is not None

    @given(ANY_OBSERVATIONS)
    def test_minor_if_and_only_if_walking(self, obs: TriageObservations) -> None:
        """MINOR is given exactly to casualties who walk."""
        assert (triage_start(obs).category is StartCategory.MINOR) == (obs.walking is True)

    @given(COMPLETE_OBSERVATIONS, st.integers(min_value=31, max_value=80))
    def test_fast_breathing_never_makes_less_urgent(
        self, obs: TriageObservations, rate: int
    ) -> None:
        """Raising the rate above 30 either changes nothing or makes the casualty IMMEDIATE."""
        before = triage_start(obs).category
        after = triage_start(dataclasses.replace(obs, respiratory_rate=rate)).category
        assert after in {before, StartCategory.IMMEDIATE}

    @given(VITALS_DECIDE, st.integers(min_value=0, max_value=30))
    def test_any_rate_up_to_30_is_treated_alike(self, obs: TriageObservations, rate: int) -> None:
        """START has no low-rate rule: every rate from 0 to 30 gives the same category."""
        normal = dataclasses.replace(obs, respiratory_rate=20)
        assert (
            triage_start(dataclasses.replace(obs, respiratory_rate=rate)).category
            is triage_start(normal).category
        )

    @given(COMPLETE_OBSERVATIONS, REFILLS)
    def test_losing_perfusion_never_makes_less_urgent(
        self, obs: TriageObservations, refill: float
    ) -> None:
        """Losing the radial pulse or a longer refill either changes nothing or gives IMMEDIATE."""
        before = triage_start(obs).category
        slower = max(refill, obs.capillary_refill_s or 0.0)
        for worse in (
            dataclasses.replace(obs, peripheral_pulse=False),
            dataclasses.replace(obs, capillary_refill_s=slower),
        ):
            assert triage_start(worse).category in {before, StartCategory.IMMEDIATE}

    @given(COMPLETE_OBSERVATIONS)
    def test_not_following_commands_never_makes_less_urgent(self, obs: TriageObservations) -> None:
        """Losing the ability to follow commands either changes nothing or gives IMMEDIATE."""
        before = triage_start(obs).category
        after = triage_start(dataclasses.replace(obs, follows_commands=False)).category
        assert after in {before, StartCategory.IMMEDIATE}

    @given(COMPLETE_OBSERVATIONS, st.sets(st.sampled_from(FORGETTABLE)))
    def test_forgetting_findings_never_changes_the_category(
        self, obs: TriageObservations, forgotten: set[str]
    ) -> None:
        """With findings left out there is either no category or the same one: no guessing."""
        partial = dataclasses.replace(obs, **dict.fromkeys(forgotten))
        assert triage_start(partial).category in {None, triage_start(obs).category}
