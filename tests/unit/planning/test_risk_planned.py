"""The optimiser weighs a risk area's toll on those aboard as the simulator charges it
(``threats.survival_through``): given a safe choice at little cost in time, it takes it."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest
from observation_builders import casualty, observation, vehicle

from goldenhour.domain.geo.position import Position
from goldenhour.planning.geometry import Circle
from goldenhour.planning.optimiser.timing import LegTimer
from goldenhour.planning.plan import current_plan
from goldenhour.planning.policies import POLICIES
from goldenhour.planning.policy import FacilityView, PolicySetup
from goldenhour.planning.scenario import (
    Capability,
    Scenario,
    ThreatArea,
    ThreatKind,
    TimeWindow,
    realise_for_seed,
)
from goldenhour.planning.scenario_file import parse_scenario
from goldenhour.planning.threats import survival_through
from goldenhour.planning.travel import Place
from goldenhour.simulation import SimulationResult, simulate

# One immediate casualty; the nearest hospital h1 lies 22 km west, the road to it crosses a
# 2 km disc of drones open all day; h2 lies 24 km north, the road to it clear.
TWO_HOSPITALS: dict[str, Any] = {
    "name": "two hospitals",
    "horizon_min": 240,
    "casualties": [{"id": "c1", "at_min": 0, "lat": 48.9, "lon": 38.3, "class": "immediate"}],
    "facilities": [
        {"id": "h1", "lat": 48.9, "lon": 38.0, "capabilities": ["surgery"]},
        {"id": "h2", "lat": 49.118, "lon": 38.3, "capabilities": ["surgery"]},
    ],
    "vehicles": [
        {"id": "v1", "kind": "ambulance", "base": "h1", "speed_kmh": 60, "litter": 2, "seated": 2},
    ],  # fmt: skip
    "threats": [
        {
            "id": "drones",
            "kind": "drones",
            "circle": {"lat": 48.9, "lon": 38.15, "radius_km": 2},
            "from_min": 0,
            "to_min": 240,
            "stops": [],
            "risk": 0.3,
        },
    ],  # fmt: skip
}


def run(scenario: Scenario, policy: str, seed: int = 1) -> SimulationResult:
    setup = PolicySetup(scenario=scenario, realised=realise_for_seed(scenario, seed), seed=seed)
    return simulate(scenario, POLICIES[policy](setup), seed=seed)


def two_hospitals(**threat: Any) -> Scenario:
    data = copy.deepcopy(TWO_HOSPITALS)
    data["threats"][0].update(threat)
    return parse_scenario(data)


def test_the_optimiser_takes_the_safe_hospital_over_the_nearer_one_through_a_risk_area() -> None:
    scenario = two_hospitals()
    result = run(scenario, "optimiser")
    (casualty,) = result.casualties
    assert casualty.facility_id == "h2"
    assert not carried_through(result, scenario)
    # The safe road costs a few minutes' survival, far less than the drones' 30%.
    (through_drones,) = run(two_hospitals(risk=0.0, stops=["boat"]), "fcfs").casualties
    assert through_drones.facility_id == "h1"
    assert casualty.survival > 0.8 * through_drones.survival


def test_the_nearer_hospital_stands_when_the_risk_area_is_closed_by_the_time_it_is_crossed() -> (
    None
):
    (casualty,) = run(two_hospitals(to_min=5), "optimiser").casualties
    assert casualty.facility_id == "h1"


# An armoured vehicle brings a casualty to an exchange point, where an ambulance collects them.
# x2 is nearer the casualty, but the drive to it crosses a risk area; x1 is clear.
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
    "threats": [
        {
            "id": "mortars",
            "kind": "shelling",
            "circle": {"lat": 48.79, "lon": 38.17, "radius_km": 1.5},
            "from_min": 0,
            "to_min": 480,
            "stops": [],
            "risk": 0.3,
        },
    ],  # fmt: skip
}


def carried_through(result: SimulationResult, scenario: Scenario) -> bool:
    """Tell whether a leg with the casualty aboard crossed the risk area."""
    (area,) = scenario.threats
    return any(
        leg.aboard and area.shape.crossing(leg.origin, leg.destination) is not None
        for leg in result.legs
    )


def test_the_optimiser_hands_over_where_the_drive_there_is_safe() -> None:
    data = copy.deepcopy(EXCHANGES)
    scenario = parse_scenario(data)
    result = run(scenario, "optimiser")
    (casualty,) = result.casualties
    assert casualty.arrived_at_min is not None
    assert "x2" not in [visit.exchange_id for visit in casualty.exchanges]
    assert not carried_through(result, scenario)
    # Without the risk, the drive to x2 (through the area) is the one it takes.
    data["threats"][0]["risk"], data["threats"][0]["stops"] = 0.0, ["boat"]
    clear = run(parse_scenario(data), "optimiser")
    assert [visit.exchange_id for visit in clear.casualties[0].exchanges] == ["x2"]
    assert carried_through(clear, scenario)


def test_the_planner_charges_a_leg_with_the_simulators_own_rule() -> None:
    scenario = two_hospitals()
    start = Place(position=Position(lat=48.9, lon=38.3))
    h1 = Place(position=Position(lat=48.9, lon=38.0), site_id="h1")
    ambulance = vehicle("v1", position=start.position)
    timer = LegTimer(observation((), (ambulance,), threats=scenario.threats))
    for depart in (0.0, 100.0, 230.0, 239.9):
        expected = survival_through(
            scenario.threats, kind=ambulance.kind, origin=start.position,
            destination=h1.position, depart=depart, travel_min=timer.minutes(ambulance, start, h1),
        )  # fmt: skip
        assert timer.survival(ambulance, depart, start, h1) == expected
    assert timer.survival(ambulance, 0.0, start, h1) == pytest.approx(0.7)
    assert timer.survival(ambulance, 300.0, start, h1) == 1.0  # the window has closed
    assert timer.survival(ambulance, 0.0, h1, h1) == 1.0  # no drive


def test_the_live_plans_chance_now_counts_the_risk_area_on_the_way() -> None:
    """The only hospital lies across a 30% risk area: the suggestion's chance now, and its
    expected gain, are what the casualty keeps after the toll, as the optimiser weighed it."""
    hospital = FacilityView(
        id="h1", position=Position(lat=48.92, lon=37.93),
        capabilities=frozenset({Capability.SURGERY}), teams=1, queue=0, in_treatment=0,
    )  # fmt: skip
    area = ThreatArea(
        id="drones", kind=ThreatKind.DRONES,
        shape=Circle(centre=Position(lat=48.92, lon=38.08), radius_km=2.0),
        window=TimeWindow(from_min=0.0, to_min=480.0), announced_at_min=0.0,
        stops=frozenset(), risk=0.3,
    )  # fmt: skip
    wounded = casualty("c1", needs=frozenset({Capability.SURGERY}))
    situation = observation(
        (wounded,), (vehicle("v1", position=hospital.position, site_id="h1", base="h1"),),
        facilities=(hospital,), exchange_points=(), now_min=0.0,
    )  # fmt: skip
    clear = current_plan(situation)
    risky = current_plan(replace(situation, threats=(area,)))
    [before], [after] = clear.suggestions, risky.suggestions
    assert after.delivery_min == before.delivery_min  # a risk area holds no vehicle
    chance = wounded.survival.probability(after.delivery_min - wounded.injured_at_min)
    assert before.explanation.p_now == pytest.approx(chance)
    assert after.explanation.p_now == pytest.approx(0.7 * chance)
    assert after.expected_gain == pytest.approx(before.expected_gain - 0.3 * chance)
