"""The reason of a suggestion names chances a coordinator can tell apart, and its facts are
given apart from its words (``Explanation``) for interfaces in other languages."""

from __future__ import annotations

from dataclasses import replace

import pytest
from observation_builders import casualty, observation, vehicle

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.plan import Suggestion, _probability, current_plan
from goldenhour.planning.policy import FacilityView, Observation


@pytest.mark.parametrize(
    ("chance", "written"),
    [(0.62, "0.62"), (0.41, "0.41"), (0.093, "0.093"), (0.0015, "0.0015"),
     (0.00003, "< 0.001"), (0.0, "0")],
)  # fmt: skip
def test_small_chances_keep_two_significant_digits(chance: float, written: str) -> None:
    assert _probability(chance) == written


def test_two_small_chances_that_differ_are_written_differently() -> None:
    assert _probability(0.0015) != _probability(0.0004)


# The situation of ``goldenhour plan``'s test (tests/unit/cli/test_cli_plan.py): two
# casualties near a surgical hospital and one ambulance there with a single litter, so it
# takes one per trip: the one whose tourniquet has been on 100 min first, the other next.
ROLE2 = FacilityView(
    id="role2",
    position=Position(lat=48.85, lon=38.10),
    capabilities=frozenset({Capability.SURGERY, Capability.BLOOD}),
    teams=1,
    queue=0,
    in_treatment=0,
)
TOURNIQUET_CASE = observation(
    (
        casualty(
            "casevac-7",
            category=StartCategory.DELAYED,
            injured_at_min=-100.0,
            needs=frozenset({Capability.SURGERY}),
            tourniquet_at_min=-100.0,
        ),
        casualty(
            "casevac-9",
            category=StartCategory.DELAYED,
            injured_at_min=-10.0,
            position=Position(lat=48.93, lon=38.25),
        ),
    ),
    (vehicle("V2", position=ROLE2.position, site_id="role2", base="role2", litter=1, seated=0),),
    facilities=(ROLE2,),
    now_min=0.0,
)


def _only(observation: Observation) -> Suggestion:
    [suggestion] = current_plan(observation).suggestions
    return suggestion


class TestExplanation:
    """The facts behind a suggestion's reason, for interfaces that word it themselves."""

    def test_names_who_loses_most_by_waiting_and_whose_trip_they_would_wait_for(self) -> None:
        """The casualty with the tourniquet goes first, before the vehicle's next pickup."""
        suggestion = _only(TOURNIQUET_CASE)
        facts = suggestion.explanation
        assert (suggestion.vehicle_id, suggestion.pickups) == ("V2", ("casevac-7",))
        assert (facts.casualty_id, facts.after) == ("casevac-7", ("casevac-9",))
        assert facts.tourniquet_min == pytest.approx(100.0)
        assert 0.0 <= facts.p_later < facts.p_now <= 1.0

    def test_holds_the_numbers_of_the_reason(self) -> None:
        """The English reason is the explanation in words, its chances written as before."""
        suggestion = _only(TOURNIQUET_CASE)
        facts = suggestion.explanation
        assert suggestion.reason == (
            "V2 to casevac-7 first: tourniquet on for 1 h 40 min, "
            f"p falls from {_probability(facts.p_now)} to {_probability(facts.p_later)} "
            "if served after casevac-9"
        )

    def test_without_a_next_trip_the_alternative_is_a_later_trip(self) -> None:
        """Alone and without a tourniquet, the casualty waits for no one in particular."""
        alone = replace(TOURNIQUET_CASE, waiting=TOURNIQUET_CASE.waiting[1:])
        suggestion = _only(alone)
        facts = suggestion.explanation
        assert (facts.casualty_id, facts.after, facts.tourniquet_min) == ("casevac-9", (), None)
        assert suggestion.reason == (
            f"V2 to casevac-9 first: p falls from {_probability(facts.p_now)} to "
            f"{_probability(facts.p_later)} if left to a later trip"
        )

    def test_the_pickup_falls_between_setting_off_and_delivery(self) -> None:
        """The planned arrival at the pickup is after departure and before delivery."""
        suggestion = _only(TOURNIQUET_CASE)
        assert suggestion.depart_min < suggestion.pickup_min < suggestion.delivery_min
