"""Simulator invariants on random scenarios: casualties conserved, places respected, no
vehicle entering an open threat area, surgery only where there is surgery, same seed same run."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.planning.errors import DecisionRefusedError, ScenarioError
from goldenhour.planning.geometry import Circle
from goldenhour.planning.policies import POLICIES
from goldenhour.planning.policies.clairvoyant import (
    Clairvoyant,
    ClairvoyantSettings,
    HindsightSetup,
)
from goldenhour.planning.policy import Assignment, Observation, Policy, PolicySetup, VehicleStatus
from goldenhour.planning.scenario import Scenario, realise_for_seed
from goldenhour.planning.scenario_file import parse_scenario
from goldenhour.simulation import Outcome, SimulationResult, simulate

LAT = st.floats(48.80, 48.95)
LON = st.floats(38.00, 38.25)
NEEDS = st.lists(st.sampled_from(["surgery", "blood", "burns"]), max_size=2, unique=True)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Draw a small scenario: a few casualties, vehicles, facilities and shelling circles."""
    facilities = [
        {"id": f"h{i}", "lat": draw(LAT), "lon": draw(LON), "teams": draw(st.integers(0, 2)),
         "capabilities": ["surgery", "blood", "burns"] if i == 0 else draw(NEEDS),
         "service_min": {"immediate": 60, "delayed": 30}}
        for i in range(draw(st.integers(1, 3)))
    ]  # fmt: skip
    exchanges = [{"id": "x1", "lat": draw(LAT), "lon": draw(LON)}]
    vehicles = [
        {"id": f"v{i}", "kind": draw(st.sampled_from(["armoured", "ambulance", "helicopter"])),
         "base": draw(st.sampled_from(["h0", "x1"])), "speed_kmh": draw(st.floats(20, 200)),
         "litter": draw(st.integers(0, 2)), "seated": draw(st.integers(1, 3)),
         "load_min": draw(st.floats(0, 5)), "unload_min": draw(st.floats(0, 5)),
         "available_from_min": draw(st.sampled_from([0, 0, 20])),
         "grounded": draw(st.sampled_from([[], [{"from_min": 10, "to_min": 40}]]))}
        for i in range(draw(st.integers(1, 4)))
    ]  # fmt: skip
    casualties = [
        {"id": f"c{i}", "at_min": draw(st.floats(0, 100)), "lat": draw(LAT), "lon": draw(LON),
         "class": draw(st.sampled_from(["immediate", "delayed", "minor"])),
         "litter": draw(st.booleans()), "needs": draw(NEEDS),
         "tourniquet_at_min": draw(st.sampled_from([None, 0.0]))}
        for i in range(draw(st.integers(1, 12)))
    ]  # fmt: skip
    for c in casualties:
        if c["tourniquet_at_min"] is None:
            del c["tourniquet_at_min"]
        else:
            c["tourniquet_at_min"] = c["at_min"]
    threats = [
        {"id": f"t{i}", "kind": "shelling",
         "circle": {"lat": draw(LAT), "lon": draw(LON), "radius_km": draw(st.floats(0.3, 3))},
         "from_min": (start := draw(st.floats(0, 150))), "to_min": start + draw(st.floats(5, 60))}
        for i in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    data: dict[str, Any] = {
        "name": "drawn", "horizon_min": 240, "facilities": facilities,
        "exchange_points": exchanges, "vehicles": vehicles, "casualties": casualties,
        "threats": threats, "randomness": {"travel_cv": draw(st.sampled_from([0.0, 0.3])),
                                           "service_cv": 0.2},
    }  # fmt: skip
    try:
        return parse_scenario(data)
    except ScenarioError:
        assume(False)  # a site drawn inside a threat area, say
        raise


class RandomPolicy:
    """Makes random decisions that keep the rules, to explore more than the baselines do."""

    name = "random"

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        waiting = list(observation.waiting)
        self.rng.shuffle(waiting)
        decision = []
        exchanges = [s.id for s in observation.exchange_points]
        for vehicle in observation.idle_vehicles():
            load = []
            for c in list(waiting):
                litters = sum(1 for x in [*load, c] if x.litter)
                if litters <= vehicle.litter and len(load) < vehicle.litter + vehicle.seated:
                    if self.rng.random() < 0.5:
                        load.append(c)
                        waiting.remove(c)
            surgical = any(Capability.SURGERY in c.needs for c in load)
            able = [f for f in observation.facilities
                    if not surgical or Capability.SURGERY in f.capabilities]  # fmt: skip
            sites = [f.id for f in able] + exchanges
            destination = self.rng.choice(sites)
            if load or destination != vehicle.site_id:
                decision.append(Assignment(vehicle_id=vehicle.id, pickups=tuple(c.id for c in load),
                                           destination=destination))  # fmt: skip
        return decision


POLICY_NAMES = st.sampled_from([*POLICIES, "random"])


def run(scenario: Scenario, name: str, seed: int) -> SimulationResult:
    realised = realise_for_seed(scenario, seed)
    setup = PolicySetup(scenario=scenario, realised=realised, seed=seed)
    policy: Policy
    if name == "random":
        policy = RandomPolicy(seed)
    elif name == "clairvoyant":  # a small search: its edited schedules must keep the rules too

        def here(candidate: Policy) -> SimulationResult:
            return simulate(scenario, candidate, seed=seed, casualties=realised)

        hindsight = HindsightSetup(scenario=scenario, realised=realised, seed=seed, play=here)
        policy = Clairvoyant(hindsight, ClairvoyantSettings(lookahead_min=(30.0,), plays=10))
    else:
        policy = POLICIES[name](setup)
    return simulate(scenario, policy, seed=seed)


# Each property plays hundreds of simulations: a second in a developer's run, more in CI.
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                         HealthCheck.filter_too_much])  # fmt: skip


@pytest.mark.slow
@PROPERTY
@given(scenario=scenarios(), name=POLICY_NAMES, seed=st.integers(0, 10_000))
def test_every_casualty_ends_in_exactly_one_state(scenario: Scenario, name: str, seed: int) -> None:
    result = run(scenario, name, seed)
    ids = [c.casualty_id for c in result.casualties]
    assert sorted(ids) == sorted(c.id for c in realise_for_seed(scenario, seed))
    for c in result.casualties:
        assert (c.outcome is Outcome.DELIVERED) == (c.facility_id is not None)
        assert (c.outcome is Outcome.WAITING) == (c.picked_up_at_min is None)
        assert (c.outcome is Outcome.AT_EXCHANGE) <= bool(c.exchanges)
        assert 0.0 <= c.survival <= 1.0


@pytest.mark.slow
@PROPERTY
@given(scenario=scenarios(), name=POLICY_NAMES, seed=st.integers(0, 10_000))
def test_no_vehicle_carries_more_than_its_places(scenario: Scenario, name: str, seed: int) -> None:
    vehicles = {v.id: v for v in scenario.vehicles}
    for leg in run(scenario, name, seed).legs:
        spec = vehicles[leg.vehicle_id]
        assert len(leg.aboard_after) <= spec.litter + spec.seated
        assert leg.litters_after <= spec.litter


@pytest.mark.slow
@PROPERTY
@given(scenario=scenarios(), name=POLICY_NAMES, seed=st.integers(0, 10_000))
def test_no_vehicle_enters_or_stops_in_an_open_threat_area(
    scenario: Scenario, name: str, seed: int
) -> None:
    for leg in run(scenario, name, seed).legs:
        for threat in scenario.threats:
            shape = threat.shape
            assert isinstance(shape, Circle)
            inner = Circle(centre=shape.centre, radius_km=shape.radius_km * 0.99)
            window = threat.window
            if not shape.contains(leg.origin):  # leaving an area is not entering it
                for step in range(101):
                    moment = (
                        leg.departed_at_min
                        + (leg.arrived_at_min - leg.departed_at_min) * step / 100
                    )
                    if window.from_min + 1e-6 < moment < window.to_min - 1e-6:
                        assert not inner.contains(_along(leg.origin, leg.destination, step / 100))
            if inner.contains(leg.destination):
                assert not window.overlaps(leg.arrived_at_min + 1e-6, leg.service_until_min - 1e-6)


@pytest.mark.slow
@PROPERTY
@given(scenario=scenarios(), name=POLICY_NAMES, seed=st.integers(0, 10_000))
def test_surgical_casualties_reach_only_facilities_with_surgery(
    scenario: Scenario, name: str, seed: int
) -> None:
    surgical = {f.id for f in scenario.facilities if Capability.SURGERY in f.capabilities}
    for c in run(scenario, name, seed).casualties:
        if c.facility_id is not None and Capability.SURGERY in c.needs:
            assert c.facility_id in surgical


@pytest.mark.slow
@PROPERTY
@given(scenario=scenarios(), name=POLICY_NAMES, seed=st.integers(0, 10_000))
def test_the_same_seed_gives_the_same_run(scenario: Scenario, name: str, seed: int) -> None:
    first, second = run(scenario, name, seed), run(scenario, name, seed)
    assert replace(first, decision_ms=()) == replace(second, decision_ms=())


class Spy:
    """Records what it is shown and decides nothing."""

    name = "spy"

    def __init__(self) -> None:
        self.seen: list[Observation] = []

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        self.seen.append(observation)
        return []


@pytest.mark.slow
@PROPERTY
@given(scenario=scenarios(), seed=st.integers(0, 10_000))
def test_a_policy_never_sees_a_casualty_before_the_report(scenario: Scenario, seed: int) -> None:
    spy = Spy()
    simulate(scenario, spy, seed=seed)
    assert spy.seen
    for seen in spy.seen:
        assert all(c.reported_at_min <= seen.now_min for c in seen.waiting)
        assert all(t.announced_at_min <= seen.now_min for t in seen.threats)


class Overloader:
    """Puts every waiting casualty into the first idle vehicle."""

    name = "overloader"

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        idle = observation.idle_vehicles()
        if not idle or len(observation.waiting) < 3:
            return []
        return [Assignment(vehicle_id=idle[0].id, pickups=tuple(c.id for c in observation.waiting),
                           destination=observation.facilities[0].id)]  # fmt: skip


def test_the_simulator_refuses_a_decision_that_breaks_a_rule() -> None:
    scenario = parse_scenario(
        {"name": "overload", "horizon_min": 60,
         "facilities": [{"id": "h", "lat": 48.7, "lon": 37.6, "capabilities": ["surgery"]}],
         "vehicles": [{"id": "v", "kind": "ambulance", "base": "h", "speed_kmh": 60,
                       "litter": 1, "seated": 1}],
         "casualties": [{"id": f"c{i}", "at_min": 0, "lat": 48.9, "lon": 38.2,
                         "class": "delayed"} for i in range(3)]}
    )  # fmt: skip
    with pytest.raises(DecisionRefusedError) as raised:
        simulate(scenario, Overloader(), seed=1)
    assert raised.value.rule == "capacity"


def _along(a: Position, b: Position, fraction: float) -> Position:
    return Position(lat=a.lat + (b.lat - a.lat) * fraction, lon=a.lon + (b.lon - a.lon) * fraction)


class MissionWatcher:
    """Plays a real policy and records, at every epoch, each busy vehicle's stops still to
    make next to the pickups of its mission that are not aboard yet."""

    name = "mission-watcher"

    def __init__(self, inner: Policy) -> None:
        self.inner = inner
        self.missions: dict[str, Assignment] = {}
        self.places: dict[str, Position] = {}
        self.checked = 0

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        self.places |= {c.id: c.position for c in observation.waiting}
        for v in observation.vehicles:
            mission = self.missions.get(v.id)
            if v.status is not VehicleStatus.BUSY or mission is None:
                continue
            to_load = [cid for cid in mission.pickups if cid not in v.onboard]
            expected: list[tuple[Position, int]] = []
            for cid in to_load:
                if expected and expected[-1][0] == self.places[cid]:
                    expected[-1] = (self.places[cid], expected[-1][1] + 1)
                else:
                    expected.append((self.places[cid], 1))
            # While loading at a stop its casualties are aboard but the stop is not yet done.
            stops = [(place.position, count) for place, count in v.stops]
            assert stops[len(stops) - len(expected) :] == expected
            assert sum(count for _, count in stops) >= len(to_load)
            self.checked += 1
        decision = self.inner.decide(observation)
        self.missions |= {a.vehicle_id: a for a in decision}
        return decision


@pytest.mark.slow
@PROPERTY
@given(scenario=scenarios(), seed=st.integers(0, 10_000))
def test_a_busy_vehicle_shows_the_stops_it_still_has_to_make(scenario: Scenario, seed: int) -> None:
    """The planner reads these stops to know when a crew out at the front will be free."""
    setup = PolicySetup(scenario=scenario, realised=realise_for_seed(scenario, seed), seed=seed)
    watcher = MissionWatcher(POLICIES["fcfs"](setup))
    simulate(scenario, watcher, seed=seed)
    assume(watcher.checked > 0)
