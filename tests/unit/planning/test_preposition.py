"""Foresight: the optimiser moves an idle vehicle toward where casualties are expected
(``OptimiserSettings.preposition``, issue 18 item 3; docs/planning.md)."""

from __future__ import annotations

from observation_builders import observation, vehicle

from goldenhour.domain.geo.position import Position
from goldenhour.planning.optimiser import OptimiserSettings
from goldenhour.planning.optimiser.arrivals import ExpectedArrivals
from goldenhour.planning.policies.optimiser import Optimiser
from goldenhour.planning.policy import Assignment, SiteView
from goldenhour.planning.scenario_file import parse_scenario
from goldenhour.simulation.engine import simulate

FRONT = Position(lat=48.9258, lon=38.2464)
#: A front scenario: the crew waits at the exchange point, 15 km from where the wounded are
#: expected; its aid post is 4 km from there. One casualty is reported at minute 60.
SCENARIO = {
    "name": "front", "horizon_min": 240,
    "travel": {"model": "straight_line", "detour_factor": 1.4},
    "bases": [{"id": "aid-post", "lat": 48.8950, "lon": 38.1750}],
    "exchange_points": [{"id": "axp", "lat": 48.8706, "lon": 38.1268}],
    "facilities": [{"id": "stab", "lat": 48.8600, "lon": 38.0950,
                    "capabilities": ["surgery", "blood"]}],
    "vehicles": [{"id": "mtlb", "kind": "armoured", "base": "axp", "speed_kmh": 25,
                  "litter": 2, "seated": 2, "load_min": 3, "unload_min": 2}],
    "casualties": [{"id": "red", "at_min": 60, "lat": FRONT.lat, "lon": FRONT.lon,
                    "class": "immediate", "litter": True}],
}  # fmt: skip
EXPECTED = ExpectedArrivals(spans=((0.0, 240.0, 0.02),), centres=(FRONT,))


def _picked_up_at(preposition: bool) -> float:
    policy = Optimiser(OptimiserSettings(preposition=preposition), expected=EXPECTED)
    result = simulate(parse_scenario(SCENARIO), policy, seed=1)
    (record,) = result.casualties
    assert record.picked_up_at_min is not None
    return record.picked_up_at_min


def test_an_idle_crew_waits_nearer_the_expected_wounded_and_reaches_them_sooner() -> None:
    """Without the lever the crew drives 15 km from the exchange point once the casualty is
    reported; with it, it has moved to the aid post by then, 15 minutes nearer."""
    without, with_lever = _picked_up_at(False), _picked_up_at(True)
    assert with_lever < without - 10.0


def test_nothing_moves_without_expected_casualties_nor_for_a_shuttle() -> None:
    """No generator (a live situation), or a vehicle that serves only exchange points: the
    vehicles stay where they are; a front-line crew with casualties expected moves to the
    aid post."""
    aid_post = SiteView(id="aid-post", position=Position(lat=48.8950, lon=38.1750))
    crew = vehicle("v1", position=Position(lat=48.87, lon=38.13), site_id="axp")
    shuttle = vehicle("a1", position=Position(lat=48.87, lon=38.13), site_id="axp",
                      exchange_pickups_only=True)  # fmt: skip
    seen = observation((), (crew, shuttle), now_min=0.0, bases=(aid_post,))
    on = OptimiserSettings(preposition=True)
    assert Optimiser(on).decide(seen) == []
    assert Optimiser(expected=EXPECTED).decide(seen) == []  # the lever off
    assert Optimiser(on, expected=EXPECTED).decide(seen) == [
        Assignment(vehicle_id="v1", pickups=(), destination="aid-post")
    ]
