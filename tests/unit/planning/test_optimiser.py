"""The optimiser: its plans keep the rules, value urgency, and beat the baselines it should."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from observation_builders import FACILITIES, SCENE, casualty, observation, vehicle

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability, ThreatKind
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.geometry import Circle
from goldenhour.planning.optimiser import OptimiserSettings, build_request, solve
from goldenhour.planning.optimiser.solve import greedy_choice, value_of
from goldenhour.planning.optimiser.timing import LegTimer, care_gain
from goldenhour.planning.policies.optimiser import Optimiser
from goldenhour.planning.policy import SiteView, VehicleStatus, check_decision
from goldenhour.planning.scenario import (
    ThreatArea,
    TimeWindow,
    VehicleKind,
)
from goldenhour.planning.threats import crossings, earliest_departure
from goldenhour.planning.travel import Place

NEEDS = st.sets(st.sampled_from([Capability.SURGERY, Capability.BLOOD]), max_size=2)
CATEGORY = st.sampled_from([StartCategory.IMMEDIATE, StartCategory.DELAYED, StartCategory.MINOR])
LAT, LON = st.floats(48.85, 48.95), st.floats(38.05, 38.30)


@st.composite
def situations(draw: st.DrawFn) -> object:
    """Draw a small live situation: waiting casualties, idle vehicles, maybe a threat area."""
    waiting = tuple(
        casualty(f"c{i}", category=draw(CATEGORY), reported=-draw(st.floats(0, 90)),
                 position=Position(lat=draw(LAT), lon=draw(LON)),
                 needs=frozenset(draw(NEEDS)), litter=draw(st.booleans()))
        for i in range(draw(st.integers(1, 10)))
    )  # fmt: skip
    fleet = tuple(
        vehicle(f"v{i}", position=Position(lat=draw(LAT), lon=draw(LON)),
                kind=draw(st.sampled_from([VehicleKind.AMBULANCE, VehicleKind.HELICOPTER])),
                litter=draw(st.integers(0, 2)), seated=draw(st.integers(1, 2)))
        for i in range(draw(st.integers(1, 4)))
    )  # fmt: skip
    threats = tuple(
        ThreatArea(id=f"t{i}", kind=ThreatKind.SHELLING,
                   shape=Circle(centre=Position(lat=draw(LAT), lon=draw(LON)),
                                radius_km=draw(st.floats(0.3, 2.0))),
                   window=TimeWindow(from_min=0.0, to_min=draw(st.floats(5, 60))),
                   announced_at_min=0.0)
        for i in range(draw(st.integers(0, 2)))
    )  # fmt: skip
    return observation(waiting, fleet, now_min=0.0, threats=threats)


PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


class TestOptimiserPlans:
    """Properties of plans on generated small situations."""

    @PROPERTY
    @given(obs=situations())
    def test_decisions_keep_every_rule_of_the_world(self, obs: object) -> None:
        """Capacity, surgery, waiting casualties, idle vehicles: check_decision accepts."""
        check_decision(obs, Optimiser().decide(obs))  # type: ignore[arg-type]

    @PROPERTY
    @given(obs=situations())
    def test_no_trip_needs_more_places_than_the_vehicle_has(self, obs: object) -> None:
        """Every planned trip, dispatched or not, fits its vehicle."""
        plan = Optimiser().plan(obs)  # type: ignore[arg-type]
        vehicles = {v.id: v for v in obs.vehicles}  # type: ignore[attr-defined]
        waiting = {c.id: c for c in obs.waiting}  # type: ignore[attr-defined]
        for trip in plan.trips:
            v = vehicles[trip.vehicle_id]
            assert len(trip.pickups) <= v.litter + v.seated
            assert sum(waiting[c].litter for c in trip.pickups) <= v.litter

    @PROPERTY
    @given(obs=situations())
    def test_surgical_casualties_are_planned_only_to_surgery(self, obs: object) -> None:
        """A casualty needing surgery never goes to a facility without it."""
        plan = Optimiser().plan(obs)  # type: ignore[arg-type]
        surgical = {f.id for f in FACILITIES if Capability.SURGERY in f.capabilities}
        waiting = {c.id: c for c in obs.waiting}  # type: ignore[attr-defined]
        for trip in plan.trips:
            if any(Capability.SURGERY in waiting[c].needs for c in trip.pickups):
                assert trip.destination in surgical

    @PROPERTY
    @given(obs=situations())
    def test_no_planned_leg_departs_into_an_open_threat_area(self, obs: object) -> None:
        """A trip to dispatch now meets no open window on its way to its first stop, and its
        pickup time leaves room to wait out the windows between its stops."""
        plan = Optimiser().plan(obs)  # type: ignore[arg-type]
        vehicles = {v.id: v for v in obs.vehicles}  # type: ignore[attr-defined]
        waiting = {c.id: c for c in obs.waiting}  # type: ignore[attr-defined]
        travel = obs.travel  # type: ignore[attr-defined]
        threats = obs.threats  # type: ignore[attr-defined]
        for trip in plan.trips:
            if not trip.dispatch_now:
                continue
            v = vehicles[trip.vehicle_id]

            def minutes(origin: Place, destination: Place, v: object = v) -> float:
                return float(travel.minutes(kind=v.kind, speed_kmh=v.speed_kmh,  # type: ignore[attr-defined]
                                            origin=origin, destination=destination))  # fmt: skip

            # The stops as the vehicle is dispatched to them: nearest first.
            stops = list(dict.fromkeys(waiting[c].place for c in trip.pickups))
            stops.sort(key=lambda place: minutes(v.place, place))
            first = minutes(v.place, stops[0])
            for enter, leave, window in crossings(
                threats, origin=v.place.position, destination=stops[0].position
            ):
                inside = (trip.depart_min + enter * first, trip.depart_min + leave * first)
                assert not window.overlaps(inside[0] + 1e-6, inside[1] - 1e-6)
            moment, origin = trip.depart_min + first, stops[0]
            for stop in stops[1:]:
                leg = minutes(origin, stop)
                depart = earliest_departure(
                    ready_at=moment + v.load_min, travel_min=leg, service_min=v.load_min,
                    origin=origin.position, destination=stop.position, threats=threats,
                    grounded=v.grounded,
                )  # fmt: skip
                moment, origin = depart + leg, stop
            assert moment <= trip.pickup_min + 1e-6

    @PROPERTY
    @given(obs=situations())
    def test_the_solver_is_never_worse_than_its_greedy_start(self, obs: object) -> None:
        """CP-SAT starts from the greedy plan and keeps it unless it finds better."""
        request = build_request(obs, settings=OptimiserSettings())  # type: ignore[arg-type]
        plan = solve(request)
        assert plan.objective * 100_000 >= value_of(request, greedy_choice(request)) - 1


def test_the_most_urgent_casualty_is_served_first() -> None:
    waiting = (casualty("red", reported=-20.0),
               casualty("yellow", category=StartCategory.DELAYED, reported=-20.0))  # fmt: skip
    one = vehicle("v1", position=SCENE, litter=1, seated=0)
    decision = Optimiser().decide(observation(waiting, (one,), now_min=0.0))
    assert [a.pickups for a in decision] == [("red",)]


def test_a_surgical_case_goes_to_the_surgical_facility() -> None:
    waiting = (casualty("red", needs=frozenset({Capability.SURGERY}), reported=0.0),)
    decision = Optimiser().decide(observation(waiting, (vehicle("v1", position=SCENE),)))
    assert decision[0].destination == "h-surgical"


def test_the_same_situation_gives_the_same_plan() -> None:
    waiting = tuple(casualty(f"c{i}", reported=-float(i)) for i in range(8))
    fleet = tuple(vehicle(f"v{i}", position=SCENE) for i in range(3))
    obs = observation(waiting, fleet)
    first, second = Optimiser().plan(obs), Optimiser().plan(obs)
    assert replace(first, solve_ms=0.0) == replace(second, solve_ms=0.0)


@pytest.mark.parametrize("slots", [1, 2, 3])
def test_every_horizon_length_gives_a_valid_decision(slots: int) -> None:
    waiting = tuple(casualty(f"c{i}", reported=-float(i)) for i in range(5))
    obs = observation(waiting, (vehicle("v1", position=SCENE),))
    check_decision(obs, Optimiser(OptimiserSettings(slots=slots)).decide(obs))


ENDS = st.builds(Position, lat=LAT, lon=LON)


@settings(max_examples=80, deadline=None)
@given(
    origin=ENDS,
    destination=ENDS,
    ready=st.floats(0, 60),
    service=st.floats(0, 5),
    areas=st.lists(
        st.tuples(ENDS, st.floats(0.2, 3.0), st.floats(0, 40), st.floats(1, 60)), max_size=4
    ),
    grounded=st.booleans(),
)
def test_planned_legs_wait_as_the_simulator_rule_says(
    origin: Position,
    destination: Position,
    ready: float,
    service: float,
    areas: list[tuple[Position, float, float, float]],
    grounded: bool,
) -> None:
    """The timer keeps only the areas a leg can meet; its departures are the rule's own."""
    threats = tuple(
        ThreatArea(id=f"t{i}", kind=ThreatKind.SHELLING,
                   shape=Circle(centre=centre, radius_km=radius),
                   window=TimeWindow(from_min=start, to_min=start + length), announced_at_min=0.0)
        for i, (centre, radius, start, length) in enumerate(areas)
    )  # fmt: skip
    windows = (TimeWindow(from_min=10.0, to_min=25.0),) if grounded else ()
    helicopter = vehicle("v1", position=origin, kind=VehicleKind.HELICOPTER, grounded=windows)
    obs = observation((), (helicopter,), threats=threats)
    start, end = Place(position=origin), Place(position=destination)
    timer = LegTimer(obs)
    travel = timer.minutes(helicopter, start, end)
    expected = earliest_departure(
        ready_at=ready, travel_min=travel, service_min=service, origin=origin,
        destination=destination, threats=threats, grounded=windows,
    )  # fmt: skip
    for _ in range(2):  # the second time from the timer's cache
        assert timer.leg(helicopter, ready, start, end, service) == (expected, expected + travel)


def test_a_busy_epoch_is_improved_by_cp_sat() -> None:
    """On a busy epoch (100 casualties at 35 places, 20 vehicles, most of them free only
    later) CP-SAT returns a plan of its own, at least the greedy plan's value. (With the
    candidate set of before every valued group is in reach, about 2,000 booleans, this epoch
    is no longer proved optimal within the 0.03 limit; it was with the narrower set.)"""
    waiting = tuple(
        casualty(f"c{i:03d}", category=(StartCategory.IMMEDIATE, StartCategory.DELAYED)[i % 2],
                 reported=-float(i % 40),
                 position=Position(lat=48.86 + 0.01 * (i % 5), lon=38.06 + 0.02 * (i % 7)),
                 needs=frozenset({Capability.SURGERY}) if i % 3 == 0 else frozenset())
        for i in range(100)
    )  # fmt: skip
    fleet = tuple(
        vehicle(f"v{i}", position=Position(lat=48.88 + 0.01 * (i % 3), lon=38.15),
                status=VehicleStatus.IDLE if i % 3 == 0 else VehicleStatus.UNAVAILABLE,
                available_from_min=0.0 if i % 3 == 0 else 5.0 * i)
        for i in range(20)
    )  # fmt: skip
    # No wall-clock deadline: on the shared test machine it could cut the solver; the
    # deterministic limit stays (the model, not the machine, is under test here).
    settings = OptimiserSettings(deadline_ms=None)
    request = build_request(observation(waiting, fleet, now_min=0.0), settings=settings)
    plan = solve(request)
    assert plan.method.startswith("cp-sat")
    assert plan.objective * 100_000 >= value_of(request, greedy_choice(request))


def test_an_idle_vehicle_goes_past_minor_casualties_to_an_urgent_one() -> None:
    """The large scenario's failure: vehicles idle at a facility whose nearest groups held only
    minor casualties (whose survival does not depend on time) never saw the urgent casualties
    further off, and stayed idle. Groups with only their wait to gain are not ranked among the
    nearest with the others (issue 18: they are kept as well, and the vehicles not needed for
    the urgent casualty collect them)."""
    minors = tuple(
        casualty(f"m{i}", category=StartCategory.MINOR, reported=-5.0,
                 position=Position(lat=48.88 + 0.011 * (i % 4), lon=38.15 + 0.016 * (i // 4)))
        for i in range(12)
    )  # fmt: skip
    red = casualty("red", reported=-10.0, position=Position(lat=48.95, lon=38.40))
    fleet = tuple(vehicle(f"v{i}", position=Position(lat=48.88, lon=38.15)) for i in range(3))
    obs = observation((*minors, red), fleet, now_min=0.0)
    decision = Optimiser(OptimiserSettings(urgent_groups=0, nearest_vehicles=0)).decide(obs)
    assert ("red",) in [a.pickups for a in decision]


def test_every_valued_group_is_seen_by_the_vehicles_first_there() -> None:
    """A casualty who can gain is in an option of the vehicle first able to reach them, even
    when it is not among that vehicle's nearest groups."""
    reds = tuple(
        casualty(f"r{i}", reported=-float(i), position=Position(lat=48.86 + 0.02 * i, lon=38.10))
        for i in range(6)
    )  # fmt: skip
    one = vehicle("v1", position=Position(lat=48.86, lon=38.10))
    settings = OptimiserSettings(nearest_groups=1, urgent_groups=0, nearest_vehicles=1)
    request = build_request(observation(reds, (one,), now_min=0.0), settings=settings)
    seen = {request.casualties[c].id for o in request.options for c in o.candidates}
    assert seen == {c.id for c in reds}


def test_casualties_in_neighbouring_cells_ride_together() -> None:
    """Two delayed casualties 1.5 km apart fall in different 1 km cells; one crew with room
    for both collects both in one run instead of two (seen on bilohorivka, where every run to
    the exchange point takes an MT-LB about 40 minutes)."""
    east = Position(lat=SCENE.lat, lon=SCENE.lon + 0.02)  # ~1.5 km
    waiting = (
        casualty("y1", category=StartCategory.DELAYED, reported=-30.0),
        casualty("y2", category=StartCategory.DELAYED, reported=-30.0, position=east),
    )
    one = vehicle("v1", position=Position(lat=48.88, lon=38.15))
    decision = Optimiser().decide(observation(waiting, (one,), now_min=0.0))
    assert [sorted(a.pickups) for a in decision] == [["y1", "y2"]]


def test_a_crew_on_its_way_to_the_front_is_not_counted_free_at_once() -> None:
    """A busy vehicle still to collect casualties at the front is free only after those
    stops and the drive back, not at its destination now (the plan once kept an urgent
    casualty for such a vehicle, 'departing' from the exchange point it had just left)."""
    axp = Place(position=Position(lat=48.87, lon=38.13), site_id="axp")
    busy = vehicle(
        "busy",
        position=axp.position,
        site_id="axp",
        status=VehicleStatus.BUSY,
        destination="axp",
        idle_since_min=None,
        stops=((Place(position=SCENE), 1),),
    )
    idle = vehicle("idle", position=axp.position, site_id="axp")
    obs = observation((casualty("y1", category=StartCategory.DELAYED, reported=-10.0),),
                      (busy, idle), now_min=0.0)  # fmt: skip
    request = build_request(obs, settings=OptimiserSettings())
    ready = {v.view.id: v.ready_min for v in request.vehicles}
    timer = LegTimer(obs)
    there_and_back = 2 * timer.minutes(busy, axp, Place(position=SCENE))
    assert ready["busy"] >= there_and_back + busy.load_min + busy.unload_min
    assert ready["idle"] == 0.0
    decision = Optimiser().decide(obs)
    assert [(a.vehicle_id, a.pickups) for a in decision] == [("idle", ("y1",))]


def test_a_surgical_case_handed_over_is_valued_at_the_surgical_facility() -> None:
    """Left at an exchange point, a casualty who needs surgery is valued at their arrival at
    the nearest facility with surgery, not at the nearer stabilisation point without it (the
    estimate once made surgical cases look an hour nearer care than they were)."""
    axp = Place(position=Position(lat=48.87, lon=38.13), site_id="axp")
    front = vehicle("mtlb", position=axp.position, site_id="axp", hands_over_at="axp")
    shuttle = vehicle("amb", position=axp.position, site_id="axp", exchange_pickups_only=True)
    red = casualty("red", category=StartCategory.DELAYED, reported=-30.0,
                   needs=frozenset({Capability.SURGERY}))  # fmt: skip
    obs = observation((red,), (front, shuttle), now_min=0.0)
    request = build_request(obs, settings=OptimiserSettings())
    handed = [o for o in request.options if o.destination == "axp" and o.slot == 1]
    assert handed
    timer = LegTimer(obs)
    by_id = {f.id: Place(position=f.position, site_id=f.id) for f in obs.facilities}
    for option in handed:
        onward = timer.minutes(shuttle, axp, by_id["h-surgical"])
        reached = option.arrive_min + front.unload_min + shuttle.load_min + onward
        expected = care_gain(
            red, reached, request.late_min[0], request.settings, horizon=obs.horizon_min
        )
        assert option.gains[0] == round(expected * 100_000)
        nearer = (
            option.arrive_min
            + front.unload_min
            + shuttle.load_min
            + timer.minutes(shuttle, axp, by_id["h-near"])
        )
        assert nearer < reached - 30.0  # the stabilisation point is much nearer


def test_a_vehicle_hands_over_at_the_exchange_point_that_brings_care_soonest() -> None:
    """Issue 18, foresight: a front-line vehicle may hand over at any exchange point. Here an
    ambulance waits at an exchange point 3 km from the scene; the MT-LB's own one is 8 km
    away. Via the near one the casualty reaches surgery about ten minutes sooner (known by
    hand: the MT-LB's drive at 25 km/h is the slow part); before, the plan offered only the
    vehicle's own exchange point and the far facility."""
    own = SiteView(id="axp", position=Position(lat=48.87, lon=38.13))
    near = SiteView(id="axp-east", position=Position(lat=48.93, lon=38.195))
    front = vehicle("mtlb", position=SCENE, kind=VehicleKind.ARMOURED, speed_kmh=25.0,
                    hands_over_at="axp", load_min=3.0)  # fmt: skip
    shuttle = vehicle("amb", position=near.position, site_id="axp-east",
                      exchange_pickups_only=True)  # fmt: skip
    red = casualty("red", reported=-20.0, needs=frozenset({Capability.SURGERY}))
    obs = observation((red,), (front, shuttle), now_min=0.0, exchange_points=(own, near))
    request = build_request(obs, settings=OptimiserSettings(deadline_ms=None))
    firsts = {o.destination: o for o in request.options if o.vehicle == 0 and o.slot == 1}
    assert {"axp", "axp-east", "h-surgical"} <= firsts.keys()
    assert firsts["axp-east"].gains[0] > firsts["axp"].gains[0]
    assert firsts["axp-east"].gains[0] > firsts["h-surgical"].gains[0]
    decision = Optimiser(OptimiserSettings(deadline_ms=None)).decide(obs)
    assert [(a.vehicle_id, a.pickups, a.destination) for a in decision] == [
        ("mtlb", ("red",), "axp-east")
    ]
