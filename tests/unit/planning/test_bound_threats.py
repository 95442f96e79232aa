"""The bound counts a threat window where it is certain to hold a pickup, and stays a bound."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from goldenhour.planning.optimiser import survival_bound
from goldenhour.planning.policies import ONLINE_POLICIES
from goldenhour.planning.scenario import Scenario, realise_for_seed
from goldenhour.planning.scenario_file import parse_scenario
from goldenhour.simulation import simulate
from goldenhour.simulation.bench import build_policy

# Two immediate casualties lying inside an area shelled for the first 90 minutes, 22 km from
# the hospital.
SHELLED: dict[str, Any] = {
    "name": "shelled village",
    "horizon_min": 360,
    "casualties": [
        {"id": "c1", "at_min": 0, "lat": 48.9, "lon": 38.3, "class": "immediate"},
        {"id": "c2", "at_min": 20, "lat": 48.905, "lon": 38.305, "class": "immediate"},
    ],
    "facilities": [{"id": "h1", "lat": 48.9, "lon": 38.0, "capabilities": ["surgery"]}],
    "vehicles": [
        {"id": "amb", "kind": "ambulance", "base": "h1", "speed_kmh": 60, "litter": 2, "seated": 2},
        {"id": "mtlb", "kind": "armoured", "base": "h1", "speed_kmh": 30, "litter": 2, "seated": 2},
    ],  # fmt: skip
    "threats": [
        {
            "id": "shelling",
            "kind": "shelling",
            "circle": {"lat": 48.9, "lon": 38.3, "radius_km": 2},
            "from_min": 0,
            "to_min": 90,
        },
    ],  # fmt: skip
}


def scenario(**threat: Any) -> Scenario:
    data = copy.deepcopy(SHELLED)
    data["threats"][0].update(threat)
    return parse_scenario(data)


def bound(of: Scenario) -> float:
    return survival_bound(of, realise_for_seed(of, 1))


def no_threats() -> Scenario:
    data = copy.deepcopy(SHELLED)
    del data["threats"]
    return parse_scenario(data)


def test_a_window_closing_the_casualties_to_every_vehicle_lowers_the_bound() -> None:
    assert bound(scenario()) < bound(no_threats()) - 0.01


def test_a_window_some_collector_may_drive_through_leaves_the_bound() -> None:
    assert bound(scenario(stops=["ambulance"])) == bound(no_threats())
    assert bound(scenario(stops=[], risk=0.3)) == bound(no_threats())


def test_a_window_over_before_anyone_could_arrive_leaves_the_bound() -> None:
    assert bound(scenario(to_min=5)) == bound(no_threats())


@pytest.mark.parametrize("to_min", [30, 90, 200])
@pytest.mark.parametrize("policy", ONLINE_POLICIES)
def test_no_policy_exceeds_the_bound_with_the_window(policy: str, to_min: float) -> None:
    shelled = scenario(to_min=to_min)
    realised = realise_for_seed(shelled, 1)
    built = build_policy(policy, shelled, realised, seed=1)
    run = simulate(shelled, built, seed=1, casualties=realised)
    assert run.expected_survivors <= survival_bound(shelled, realised) + 1e-9
