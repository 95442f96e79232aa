"""Scenario files: the shipped ones load; every bad key or value is refused by its key path."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.triage.categories import Precedence, StartCategory
from goldenhour.planning.errors import ScenarioError
from goldenhour.planning.scenario import (
    VehicleKind,
    realise_casualties,
    realise_for_seed,
)
from goldenhour.planning.scenario_file import load_scenario, parse_scenario

SCENARIOS = Path(__file__).parents[3] / "scenarios"

MINIMAL: dict[str, Any] = {
    "name": "minimal",
    "horizon_min": 120,
    "casualties": [
        {
            "id": "c1",
            "at_min": 0,
            "lat": 48.9,
            "lon": 38.2,
            "class": "immediate",
            "needs": ["surgery"],
        },
    ],  # fmt: skip
    "generate": [
        {
            "rate_per_hour": 6,
            "area": {"circle": {"lat": 48.9, "lon": 38.2, "radius_km": 1}},
            "from_min": 0,
            "to_min": 60,
            "class_mix": {"immediate": 0.5, "minor": 0.5},
        },
    ],  # fmt: skip
    "facilities": [
        {"id": "h1", "lat": 48.7, "lon": 37.6, "capabilities": ["surgery", "blood"], "teams": 1},
    ],
    "exchange_points": [{"id": "x1", "lat": 48.87, "lon": 38.12}],
    "vehicles": [
        {"id": "v1", "kind": "ambulance", "base": "h1", "speed_kmh": 60, "litter": 1, "seated": 2},
    ],  # fmt: skip
    "threats": [
        {
            "id": "t1",
            "kind": "shelling",
            "circle": {"lat": 48.92, "lon": 38.24, "radius_km": 1},
            "from_min": 10,
            "to_min": 30,
        },
    ],  # fmt: skip
}


def with_change(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()


@pytest.mark.parametrize("name", ["bilohorivka.yaml", "mci-civilian.yaml"])
def test_the_shipped_scenarios_load(name: str) -> None:
    scenario = load_scenario(SCENARIOS / name)
    assert scenario.vehicles and scenario.facilities


def test_the_minimal_scenario_reads_into_typed_values() -> None:
    scenario = parse_scenario(MINIMAL)
    casualty = scenario.casualties[0]
    assert casualty.category is StartCategory.IMMEDIATE
    assert casualty.needs == frozenset({Capability.SURGERY})
    assert casualty.precedence is Precedence.URGENT_SURGICAL
    assert casualty.litter is True


@pytest.mark.parametrize(
    ("path", "value", "key_path", "reason"),
    [
        (("colour",), "red", "colour", "unknown key"),
        (("horizon_min",), -5, "horizon_min", "greater than 0"),
        (("horizon_min",), DELETE, "horizon_min", "is required"),
        (("vehicles", 0, "speed_kmh"), "fast", "vehicles[0].speed_kmh", "must be a number"),
        (("vehicles", 0, "speed_kmh"), 0, "vehicles[0].speed_kmh", "greater than 0"),
        (("vehicles", 0, "kind"), "tank", "vehicles[0].kind", "not one of"),
        (("vehicles", 0, "base"), "nowhere", "vehicles[0].base", "no facility"),
        (("vehicles", 0, "litter"), 1.5, "vehicles[0].litter", "whole number"),
        (("vehicles", 0, "wheels"), 4, "vehicles[0].wheels", "unknown key"),
        (("vehicles", 0, "hands_over_at"), "x9", "vehicles[0].hands_over_at", "no exchange"),
        (("vehicles", 0, "hands_over_at"), ["x9"], "vehicles[0].hands_over_at[0]", "no exchange"),
        (
            ("vehicles", 0, "hands_over_at"),
            ["x1", "x9"],
            "vehicles[0].hands_over_at[1]",
            "no exchange",
        ),
        (("vehicles", 0, "hands_over_at"), ["x1", "x1"], "vehicles[0].hands_over_at[1]", "twice"),
        (("vehicles", 0, "hands_over_at"), [], "vehicles[0].hands_over_at", "must not be empty"),
        (("vehicles", 0, "hands_over_at"), [3], "vehicles[0].hands_over_at[0]", "non-empty text"),
        (("vehicles", 0, "hands_over_at"), None, "vehicles[0].hands_over_at", "non-empty text"),
        (
            ("vehicles", 0, "grounded"),
            [{"from_min": 5, "to_min": 1}],
            "vehicles[0].grounded[0].to_min",
            "not after",
        ),
        (("casualties", 0, "class"), "dead", "casualties[0].class", "not one of"),
        (("casualties", 0, "lat"), 95, "casualties[0].lat", "above the maximum"),
        (("casualties", 0, "needs"), ["magic"], "casualties[0].needs[0]", "not one of"),
        (("casualties", 0, "needs"), ["burns"], "casualties[0].needs", "no facility offers"),
        (("casualties", 0, "at_min"), 500, "casualties[0].at_min", "horizon"),
        (("casualties", 0, "injured_at_min"), 5, "casualties[0].injured_at_min", "after"),
        (
            ("casualties", 0, "survival"),
            {"model": "magic"},
            "casualties[0].survival.model",
            "not one of",
        ),
        (
            ("casualties", 0, "survival"),
            {"model": "log_logistic", "b0": 0.5, "b1": 30},
            "casualties[0].survival.b2",
            "is required",
        ),
        (
            ("casualties", 0, "survival"),
            {"model": "constant", "p": 2},
            "casualties[0].survival.p",
            "above the maximum",
        ),
        (("generate", 0, "class_mix"), {"immediate": 0.5}, "generate[0].class_mix", "add up"),
        (("generate", 0, "to_min"), 500, "generate[0].to_min", "horizon"),
        (("generate", 0, "area"), {"square": 1}, "generate[0].area.square", "unknown key"),
        (
            ("generate", 0, "area"),
            {"polygon": [{"lat": 1, "lon": 1}]},
            "generate[0].area.polygon",
            "at least 3",
        ),
        (
            ("facilities", 0, "capabilities"),
            "surgery",
            "facilities[0].capabilities",
            "must be a list",
        ),
        (
            ("facilities", 0, "service_min"),
            {"urgent": 5},
            "facilities[0].service_min.urgent",
            "not one of",
        ),
        (("threats", 0, "kind"), "rain", "threats[0].kind", "not one of"),
        (("threats", 0, "circle"), DELETE, "threats[0]", "exactly one of circle or polygon"),
        (("threats", 0, "announced_at_min"), 20, "threats[0].announced_at_min", "after"),
        (("threats", 0, "stops"), ["tank"], "threats[0].stops[0]", "not one of"),
        (("threats", 0, "stops"), "armoured", "threats[0].stops", "must be a list"),
        (("threats", 0, "stops"), [], "threats[0].stops", "no effect"),
        (("threats", 0, "risk"), 1.5, "threats[0].risk", "above the maximum"),
        (("threats", 0, "risk"), "high", "threats[0].risk", "must be a number"),
        (("generate", 0, "at_min"), 5, "generate[0].at_min", "goes with count"),
        (("generate", 0, "from_min"), DELETE, "generate[0].from_min", "is required"),
        (
            ("exchange_points", 0),
            {"id": "x1", "lat": 48.92, "lon": 38.24},
            "exchange_points[0]",
            "inside threat area",
        ),
        (("vehicles",), [], "vehicles", "must not be empty"),
        (("travel",), {"model": "matrix"}, "travel.matrix_file", "required"),
        (("randomness",), {"travel_cv": 2}, "randomness.travel_cv", "above the maximum"),
    ],  # fmt: skip
)
def test_a_bad_scenario_is_refused_naming_the_key_path(
    path: tuple[Any, ...], value: Any, key_path: str, reason: str
) -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(with_change(path, value))
    assert raised.value.path == key_path
    assert reason in raised.value.reason


INCIDENT = {
    "count": 40,
    "area": {"circle": {"lat": 48.9, "lon": 38.2, "radius_km": 0.3}},
    "class_mix": {"immediate": 0.3, "minor": 0.7},
}


def with_incident(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    data["generate"] = [{**INCIDENT, **changes}]
    return data


@pytest.mark.parametrize(
    ("changes", "key_path", "reason"),
    [
        ({"count": 0}, "generate[0].count", "below the minimum 1"),
        ({"count": 2.5}, "generate[0].count", "whole number"),
        ({"at_min": -1}, "generate[0].at_min", "below the minimum"),
        ({"at_min": 120}, "generate[0].at_min", "horizon"),
        ({"rate_per_hour": 6}, "generate[0].rate_per_hour", "goes with rate_per_hour, not count"),
        ({"to_min": 60}, "generate[0].to_min", "goes with rate_per_hour, not count"),
        (
            {"area": {"circle": {"lat": 48.9, "lon": 38.2}}},
            "generate[0].area.circle.radius_km",
            "is required",
        ),
    ],  # fmt: skip
)
def test_a_bad_incident_is_refused_naming_the_key_path(
    changes: dict[str, Any], key_path: str, reason: str
) -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(with_incident(**changes))
    assert raised.value.path == key_path
    assert reason in raised.value.reason


@settings(deadline=None)
@given(count=st.integers(1, 300), at=st.floats(0, 119.9), seed=st.integers(0, 10_000))
@example(count=52, at=0.0, seed=111)  # a draw at the rim fell 0.7 m outside the 300 m circle
def test_an_incident_draws_its_count_at_its_minute_inside_its_area(
    count: int, at: float, seed: int
) -> None:
    scenario = parse_scenario(with_incident(count=count, at_min=at))
    area = scenario.generators[0].area
    made = [c for c in realise_for_seed(scenario, seed) if c.id.startswith("g1-")]
    assert len(made) == count
    assert all(c.at_min == at and c.injured_at_min == at for c in made)
    assert all(area.contains(c.position) for c in made)


def test_hands_over_at_reads_one_point_or_a_list() -> None:
    data = copy.deepcopy(MINIMAL)
    data["exchange_points"].append({"id": "x2", "lat": 48.8, "lon": 38.0})
    one = parse_scenario(with_change(("vehicles", 0, "hands_over_at"), "x1")).vehicles[0]
    data["vehicles"][0]["hands_over_at"] = ["x2", "x1"]
    listed = parse_scenario(data).vehicles[0]
    assert (one.hands_over_at, one.handover_points) == ("x1", ())
    assert (listed.hands_over_at, listed.handover_points) == ("x2", ("x2", "x1"))


def test_threat_stops_and_risk_are_read() -> None:
    data = copy.deepcopy(MINIMAL)
    data["threats"][0] |= {"stops": ["ambulance", "helicopter"], "risk": 0.05}
    data["threats"].append({**data["threats"][0], "id": "t2", "stops": [], "risk": 0.1})
    (default,) = parse_scenario(MINIMAL).threats
    drones, risk_only = parse_scenario(data).threats
    assert default.stops == frozenset(VehicleKind) and default.risk == 0
    assert drones.stops == {VehicleKind.AMBULANCE, VehicleKind.HELICOPTER}
    assert drones.risk == 0.05
    assert not risk_only.stops and risk_only.risk == 0.1


def test_a_scenario_error_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(with_change(("vehicles", 0, "speed_kmh"), "fast")))
    with pytest.raises(ScenarioError) as raised:
        load_scenario(bad)
    assert str(raised.value).startswith(f"{bad} vehicles[0].speed_kmh: must be a number")


@pytest.mark.parametrize(
    ("content", "reason"), [("name: [unclosed", "not valid YAML"), ("- a list", "mapping")]
)
def test_a_file_that_is_not_a_scenario_is_refused(
    tmp_path: Path, content: str, reason: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    with pytest.raises(ScenarioError, match=reason):
        load_scenario(bad)


def test_a_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "absent.yaml")


def test_a_travel_time_matrix_is_read_beside_the_scenario(tmp_path: Path) -> None:
    (tmp_path / "roads.csv").write_text("from,to,minutes\nx1,h1,42\n")
    data = with_change(("travel",), {"model": "matrix", "matrix_file": "roads.csv"})
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data))
    scenario = load_scenario(tmp_path / "s.yaml")
    assert scenario.travel.matrix[("h1", "x1")] == 42


def test_generated_casualties_are_the_same_for_the_same_seed() -> None:
    scenario = parse_scenario(MINIMAL)
    assert realise_for_seed(scenario, 3) == realise_for_seed(scenario, 3)
    assert realise_for_seed(scenario, 3) != realise_for_seed(scenario, 4)


def test_generated_casualties_fall_in_their_area_and_span() -> None:
    scenario = parse_scenario(with_change(("generate", 0, "rate_per_hour"), 600))
    generator = scenario.generators[0]
    made = [c for c in realise_casualties(scenario, random.Random(1)) if c.id.startswith("g1-")]
    assert len(made) > 400
    assert all(generator.area.contains(c.position) for c in made)
    assert all(0 <= c.at_min < 60 for c in made)
    assert {c.category for c in made} == {StartCategory.IMMEDIATE, StartCategory.MINOR}
