"""Threats that stop some vehicle kinds only or only raise risk, and incidents whose casualties
are all reported at once at positions drawn per replication: each takes effect in a run."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from goldenhour.planning.policies import POLICIES
from goldenhour.planning.policy import PolicySetup
from goldenhour.planning.scenario import Scenario, realise_for_seed
from goldenhour.planning.scenario_file import parse_scenario
from goldenhour.simulation import SimulationResult, simulate

# One casualty 22 km east of the hospital; the drive back crosses a 2 km disc half-way,
# open for the whole run.
ROAD: dict[str, Any] = {
    "name": "road",
    "horizon_min": 240,
    "casualties": [{"id": "c1", "at_min": 0, "lat": 48.9, "lon": 38.3, "class": "immediate"}],
    "facilities": [{"id": "h1", "lat": 48.9, "lon": 38.0, "capabilities": ["surgery"]}],
    "vehicles": [
        {"id": "v1", "kind": "armoured", "base": "h1", "speed_kmh": 40, "litter": 2, "seated": 2},
    ],  # fmt: skip
    "threats": [
        {
            "id": "drones",
            "kind": "drones",
            "circle": {"lat": 48.9, "lon": 38.15, "radius_km": 2},
            "from_min": 0,
            "to_min": 240,
        },
    ],  # fmt: skip
}


def road(kind: str, **threat: Any) -> Scenario:
    data = copy.deepcopy(ROAD)
    data["vehicles"][0]["kind"] = kind
    data["threats"][0].update(threat)
    return parse_scenario(data)


def without_threats(kind: str) -> Scenario:
    data = copy.deepcopy(ROAD)
    data["vehicles"][0]["kind"] = kind
    del data["threats"]
    return parse_scenario(data)


def run(scenario: Scenario, policy: str, seed: int = 1) -> SimulationResult:
    setup = PolicySetup(scenario=scenario, realised=realise_for_seed(scenario, seed), seed=seed)
    return simulate(scenario, POLICIES[policy](setup), seed=seed)


@pytest.mark.parametrize("policy", ["fcfs", "optimiser"])
def test_a_threat_that_stops_ambulances_leaves_the_armoured_route_open(policy: str) -> None:
    armoured = run(road("armoured", stops=["ambulance", "helicopter"]), policy)
    clear = run(without_threats("armoured"), policy)
    assert armoured.casualties[0].arrived_at_min == clear.casualties[0].arrived_at_min
    assert all(leg.departed_at_min == leg.ready_at_min for leg in armoured.legs)
    # The same area closes to an ambulance for the whole run: it never crosses it.
    ambulance = run(road("ambulance", stops=["ambulance", "helicopter"]), policy)
    assert ambulance.casualties[0].arrived_at_min is None


@pytest.mark.parametrize("policy", ["fcfs", "optimiser"])
def test_by_default_a_threat_stops_every_kind(policy: str) -> None:
    assert run(road("armoured"), policy).casualties[0].arrived_at_min is None


@pytest.mark.parametrize("policy", ["fcfs", "optimiser"])
def test_a_risk_only_threat_lowers_survival_along_the_route_but_does_not_block(
    policy: str,
) -> None:
    risky = run(road("ambulance", stops=[], risk=0.2), policy)
    clear = run(without_threats("ambulance"), policy)
    assert risky.casualties[0].arrived_at_min == clear.casualties[0].arrived_at_min
    # Out empty (no one at risk), back with the casualty aboard: one pass, 1 - 0.2.
    assert risky.casualties[0].survival == pytest.approx(0.8 * clear.casualties[0].survival)


def test_risk_counts_only_while_the_area_is_open() -> None:
    closed_by_then = run(road("ambulance", stops=[], risk=0.2, to_min=1), "fcfs")
    clear = run(without_threats("ambulance"), "fcfs")
    assert closed_by_then.casualties[0].survival == clear.casualties[0].survival


INCIDENT: dict[str, Any] = {
    "name": "station",
    "horizon_min": 600,
    "generate": [
        {
            "count": 30,
            "area": {"circle": {"lat": 48.9, "lon": 38.3, "radius_km": 0.5}},
            "class_mix": {"immediate": 0.3, "delayed": 0.3, "minor": 0.4},
        },
    ],  # fmt: skip
    "facilities": [{"id": "h1", "lat": 48.9, "lon": 38.0, "capabilities": ["surgery"]}],
    "vehicles": [
        {"id": "v1", "kind": "ambulance", "base": "h1", "speed_kmh": 60, "litter": 2, "seated": 2},
    ],  # fmt: skip
}


def test_an_incident_reports_its_count_at_once_drawn_per_replication_inside_its_area() -> None:
    scenario = parse_scenario(INCIDENT)
    area = scenario.generators[0].area
    first, again, other = (realise_for_seed(scenario, s) for s in (3, 3, 4))
    assert first == again
    assert [c.position for c in first] != [c.position for c in other]
    for drawn in (first, other):
        assert len(drawn) == 30
        assert all(c.at_min == 0 and c.injured_at_min == 0 for c in drawn)
        assert all(area.contains(c.position) for c in drawn)


def test_an_incident_is_played_with_every_casualty_reported_at_its_minute() -> None:
    data = copy.deepcopy(INCIDENT)
    data["generate"][0]["at_min"] = 15
    result = run(parse_scenario(data), "start")
    assert len(result.casualties) == 30
    assert {c.reported_at_min for c in result.casualties} == {15}
    assert all(c.picked_up_at_min is None or c.picked_up_at_min >= 15 for c in result.casualties)


# An armoured vehicle brings a casualty from the front to an exchange point, where a shuttle
# collects them for the hospital; the casualty lies near the southern point x2.
EXCHANGES: dict[str, Any] = {
    "name": "two exchange points",
    "horizon_min": 480,
    "casualties": [{"id": "c1", "at_min": 0, "lat": 48.78, "lon": 38.25, "class": "immediate"}],
    "facilities": [{"id": "h1", "lat": 48.9, "lon": 37.9, "capabilities": ["surgery"]}],
    "exchange_points": [
        {"id": "x1", "lat": 49.0, "lon": 38.1},
        {"id": "x2", "lat": 48.8, "lon": 38.1},
    ],
    "vehicles": [
        {
            "id": "mtlb",
            "kind": "armoured",
            "base": "x1",
            "speed_kmh": 25,
            "litter": 2,
            "seated": 2,
            "hands_over_at": "x1",
        },
        {
            "id": "amb",
            "kind": "ambulance",
            "base": "h1",
            "speed_kmh": 60,
            "litter": 2,
            "seated": 2,
            "exchange_pickups_only": True,
        },
    ],  # fmt: skip
}


def handed_over_at(hands_over_at: object, policy: str) -> list[str]:
    data = copy.deepcopy(EXCHANGES)
    data["vehicles"][0]["hands_over_at"] = hands_over_at
    (casualty,) = run(parse_scenario(data), policy).casualties
    assert casualty.arrived_at_min is not None
    return [visit.exchange_id for visit in casualty.exchanges]


def test_a_baseline_hands_over_at_the_listed_point_nearest_the_casualty() -> None:
    assert handed_over_at("x1", "fcfs") == ["x1"]  # one point: always there
    assert handed_over_at(["x1", "x2"], "fcfs") == ["x2"]


def test_the_optimiser_hands_over_only_at_the_listed_points() -> None:
    assert handed_over_at("x1", "optimiser") == ["x2"]  # one point given: any may be chosen
    assert handed_over_at(["x1", "x2"], "optimiser") == ["x2"]
    # A list: only those (the optimiser may still drive a hand-over vehicle to a hospital).
    assert "x2" not in handed_over_at(["x1"], "optimiser")
