"""The baseline policies: who goes first, which vehicle goes, and where it takes them."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from observation_builders import casualty, observation, vehicle

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.errors import UnknownPolicyError
from goldenhour.planning.policies import POLICIES, create_policy, policy_factory
from goldenhour.planning.policies.closest import ClosestAvailable
from goldenhour.planning.policies.fcfs import FirstComeFirstServed
from goldenhour.planning.policies.precedence import PrecedenceThenFcfs
from goldenhour.planning.policies.start import StartPriority
from goldenhour.planning.policy import Assignment, check_decision

NEAR = Position(lat=48.91, lon=38.22)
FAR = Position(lat=48.70, lon=37.60)
FAR_SCENE = Position(lat=48.99, lon=38.40)

# An early delayed casualty and a later immediate one, far apart; one small vehicle.
WAITING = (
    casualty("early-delayed", category=StartCategory.DELAYED, reported=1.0, position=FAR_SCENE),
    casualty("late-immediate", reported=5.0, needs=frozenset({Capability.SURGERY})),
)


def first_pickup(decision: Sequence[Assignment]) -> str:
    return decision[0].pickups[0]


@pytest.mark.parametrize(
    ("policy", "served_first"),
    [
        (FirstComeFirstServed(), "early-delayed"),
        (ClosestAvailable(), "early-delayed"),
        (PrecedenceThenFcfs(), "late-immediate"),
        (StartPriority(), "late-immediate"),
    ],
)
def test_each_policy_serves_first_whom_its_rule_puts_first(
    policy: FirstComeFirstServed, served_first: str
) -> None:
    seen = observation(WAITING, (vehicle("v1", position=NEAR, litter=1, seated=0),))
    decision = policy.decide(seen)
    assert first_pickup(decision) == served_first
    check_decision(seen, decision)


def test_closest_sends_the_nearest_vehicle_and_fcfs_the_longest_idle() -> None:
    vehicles = (
        vehicle("far", position=FAR, idle_since_min=0.0),
        vehicle("near", position=NEAR, idle_since_min=8.0),
    )
    seen = observation((casualty("a"),), vehicles)
    assert ClosestAvailable().decide(seen)[0].vehicle_id == "near"
    assert FirstComeFirstServed().decide(seen)[0].vehicle_id == "far"


def test_a_surgical_casualty_goes_to_the_nearest_facility_with_surgery() -> None:
    seen = observation((WAITING[1],), (vehicle("v1", position=NEAR),))
    assert StartPriority().decide(seen)[0].destination == "h-surgical"


def test_a_casualty_without_needs_goes_to_the_nearest_facility() -> None:
    seen = observation((casualty("a"),), (vehicle("v1", position=NEAR),))
    assert StartPriority().decide(seen)[0].destination == "h-near"


def test_a_vehicle_that_hands_over_goes_to_its_exchange_point() -> None:
    seen = observation((casualty("a"),), (vehicle("v1", position=NEAR, hands_over_at="axp"),))
    assert ClosestAvailable().decide(seen)[0].destination == "axp"


def test_a_vehicle_is_filled_with_casualties_waiting_together() -> None:
    together = (casualty("a"), casualty("b", reported=2.0), casualty("c", reported=3.0))
    seen = observation(together, (vehicle("v1", position=NEAR, litter=2, seated=2),))
    decision = FirstComeFirstServed().decide(seen)
    assert decision[0].pickups == ("a", "b")  # two litters; the third waits
    check_decision(seen, decision)


def test_no_idle_vehicle_means_no_assignment() -> None:
    assert FirstComeFirstServed().decide(observation(WAITING, ())) == []


def test_the_registry_knows_the_four_baselines_by_name() -> None:
    assert set(POLICIES) == {
        "fcfs", "closest", "precedence", "start", "restart", "optimiser", "clairvoyant",
        "optimiser-unlimited", "optimiser-preposition",
    }  # fmt: skip
    assert policy_factory("start") is POLICIES["start"]


def test_an_unknown_policy_lists_the_available_ones() -> None:
    with pytest.raises(UnknownPolicyError) as raised:
        create_policy("telepathy", None)  # type: ignore[arg-type]
    names = ("fcfs", "closest", "precedence", "start", "restart", "optimiser", "clairvoyant",
             "optimiser-unlimited", "optimiser-preposition")  # fmt: skip
    assert raised.value.available == names
    assert f"available: {', '.join(names)}" in str(raised.value)
