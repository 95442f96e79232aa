"""The arrivals a coordinator expects, and the charge on vehicle time the optimiser makes of
them (docs/planning.md, "The worth of a vehicle's time")."""

from __future__ import annotations

from pathlib import Path

import pytest
from observation_builders import SCENE, casualty, observation, vehicle

from goldenhour.domain.geo.position import Position
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.optimiser import OptimiserSettings
from goldenhour.planning.optimiser.arrivals import ExpectedArrivals
from goldenhour.planning.policies import create_policy
from goldenhour.planning.policies.optimiser import Optimiser
from goldenhour.planning.policy import PolicySetup
from goldenhour.planning.scenario_file import load_scenario, parse_scenario

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


def test_the_seed_scenario_expects_its_generator_rate_of_casualties_who_can_gain() -> None:
    """Bilohorivka: 3 an hour from minute 0 to 360, 60 % immediate or delayed (minor
    casualties' survival does not fall, so they are not counted)."""
    expected = ExpectedArrivals.of(load_scenario(SCENARIOS / "bilohorivka.yaml"))
    assert expected.per_minute(0.0) == pytest.approx(3 * 0.6 / 60)
    assert expected.per_minute(330.0) == pytest.approx(3 * 0.6 / 60 / 2)  # half the hour left
    assert expected.per_minute(360.0) == 0.0


def test_a_scene_whose_casualties_are_all_reported_expects_no_more() -> None:
    """The civilian incident's casualties are all reported in its first five minutes: after
    that the optimiser charges nothing for vehicle time and plans as without the charge."""
    scenario = load_scenario(SCENARIOS / "mci-civilian.yaml")
    expected = ExpectedArrivals.of(scenario)
    assert expected.per_minute(0.0) > 0.0
    assert expected.per_minute(5.0) == 0.0
    optimiser = Optimiser(expected=expected)
    late = observation((), (vehicle("v1", position=SCENE),), now_min=30.0)
    assert optimiser.epoch_settings(late).minute_cost == 0.0


def test_a_scenario_listing_its_casualties_expects_none() -> None:
    listed = parse_scenario({
        "name": "listed", "horizon_min": 60,
        "facilities": [{"id": "h", "lat": 48.7, "lon": 37.6, "capabilities": ["surgery"]}],
        "vehicles": [{"id": "v", "kind": "ambulance", "base": "h", "speed_kmh": 60,
                      "litter": 1, "seated": 1}],
        "casualties": [{"id": "c1", "at_min": 0, "lat": 48.9, "lon": 38.2, "class": "delayed"}],
    })  # fmt: skip
    assert ExpectedArrivals.of(listed).per_minute(0.0) == 0.0


def test_the_bench_optimiser_knows_the_rate_not_the_casualties() -> None:
    """The factory gives the optimiser the generators' rate only: the same for any two
    replications, whoever they realise."""
    scenario = load_scenario(SCENARIOS / "bilohorivka.yaml")
    built = [create_policy("optimiser", PolicySetup(scenario=scenario, realised=(), seed=s))
             for s in (1, 2)]  # fmt: skip
    assert all(isinstance(p, Optimiser) for p in built)
    rates = [p.expected.per_minute(0.0) for p in built if isinstance(p, Optimiser)]
    assert rates == [pytest.approx(0.03)] * 2


def test_with_more_wounded_expected_a_vehicle_is_not_spent_on_a_hopeless_run() -> None:
    """An immediate casualty injured three hours ago has almost nothing left to gain (p about
    0.01); with more wounded expected, no vehicle is sent on a long run for them, while a
    delayed casualty with much to gain is still collected."""
    far = Position(lat=48.95, lon=38.30)
    hopeless = casualty("red", reported=-180.0, position=far)
    fleet = tuple(vehicle(f"v{i}", position=Position(lat=48.88, lon=38.15)) for i in range(3))
    busy_front = ExpectedArrivals(spans=((0.0, 480.0, 0.015),))  # 0.001 a vehicle-minute
    assert [a.pickups for a in Optimiser().decide(observation((hopeless,), fleet))] == [
        ("red",)
    ]  # without expected arrivals the run is worth its small gain
    assert Optimiser(expected=busy_front).decide(observation((hopeless,), fleet)) == []
    yellow = casualty("yellow", category=StartCategory.DELAYED, reported=-60.0, position=far)
    decision = Optimiser(expected=busy_front).decide(observation((hopeless, yellow), fleet))
    # One trip, for the delayed casualty; the immediate one, past their class's care deadline
    # by then, rides along on it (issue 18) but no vehicle goes for them alone.
    assert len(decision) == 1 and "yellow" in decision[0].pickups


def test_no_charge_while_the_known_work_fills_the_fleet() -> None:
    """With at least as many casualties waiting who can gain as vehicles, the model already
    weighs each trip against them: the charge would count the same time twice."""
    expected = ExpectedArrivals(spans=((0.0, 600.0, 0.05),))
    fleet = tuple(vehicle(f"v{i}", position=SCENE) for i in range(2))
    optimiser = Optimiser(expected=expected)
    one = (casualty("y1", category=StartCategory.DELAYED),)
    two = (*one, casualty("y2", category=StartCategory.DELAYED))
    minors = tuple(casualty(f"m{i}", category=StartCategory.MINOR) for i in range(3))
    assert optimiser.epoch_settings(observation(one, fleet)).minute_cost > 0.0
    assert optimiser.epoch_settings(observation((*one, *minors), fleet)).minute_cost > 0.0
    assert optimiser.epoch_settings(observation(two, fleet)).minute_cost == 0.0


def test_the_charge_is_the_arrivals_worth_shared_by_the_fleet() -> None:
    expected = ExpectedArrivals(spans=((0.0, 600.0, 0.05),))
    fleet = tuple(vehicle(f"v{i}", position=SCENE) for i in range(4))
    settings = Optimiser(OptimiserSettings(arrival_value=0.2), expected=expected).epoch_settings(
        observation((), fleet, now_min=0.0)
    )
    assert settings.minute_cost == pytest.approx(0.2 * 0.05 / 4)
