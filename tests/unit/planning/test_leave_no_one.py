"""Issue 18: every casualty reaches care, and whom the plan defers is said.

The optimiser valued only survival, so casualties whose survival no longer depends on time
(minor ones) were never collected: on the 120-casualty incident all 42 minor casualties were
still at the scene after 12 hours. Time to care is now valued after survival
(``OptimiserSettings.wait_value``), so with a vehicle free nobody it can reach is left waiting.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from observation_builders import SCENE, casualty, observation, vehicle

from goldenhour.domain.geo.position import Position
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.optimiser import OptimiserSettings, build_request
from goldenhour.planning.optimiser.arrivals import ExpectedArrivals
from goldenhour.planning.plan import current_plan, deferral_reason
from goldenhour.planning.policies.optimiser import Optimiser
from goldenhour.planning.policy import Observation
from goldenhour.planning.travel import Place

HORIZON = 480.0
_CLASSES = (StartCategory.IMMEDIATE, StartCategory.DELAYED, StartCategory.MINOR)


@st.composite
def _late_situations(
    draw: st.DrawFn,
) -> tuple[float, list[tuple[StartCategory, float, float, float]], int]:
    now = draw(st.floats(min_value=HORIZON - 240.0, max_value=HORIZON - 30.0))
    waiting = draw(st.lists(
        st.tuples(
            st.sampled_from(_CLASSES),
            st.floats(min_value=-0.05, max_value=0.05),  # north of the scene, degrees
            st.floats(min_value=-0.08, max_value=0.08),  # east
            st.floats(min_value=10.0, max_value=400.0),  # minutes since injury
        ),
        min_size=1, max_size=8,
    ))  # fmt: skip
    vehicles = draw(st.integers(min_value=1, max_value=4))
    return now, waiting, vehicles


@settings(max_examples=40, deadline=None)
@given(_late_situations())
def test_near_the_horizon_with_a_vehicle_free_nobody_reachable_is_left_waiting(
    situation: tuple[float, list[tuple[StartCategory, float, float, float]], int],
) -> None:
    now, drawn, count = situation
    waiting = tuple(
        casualty(f"c{i}", category=category, reported=now - since,
                 position=Position(lat=SCENE.lat + north, lon=SCENE.lon + east))
        for i, (category, north, east, since) in enumerate(drawn)
    )  # fmt: skip
    fleet = tuple(vehicle(f"v{i}", position=Position(lat=48.88, lon=38.15)) for i in range(count))
    obs = observation(waiting, fleet, now_min=now, horizon_min=HORIZON)
    decision = Optimiser().decide(obs)
    collected = {cid for a in decision for cid in a.pickups}
    sent = {a.vehicle_id for a in decision}
    free = [v for v in fleet if v.id not in sent]
    for c in waiting:
        if c.id in collected:
            continue
        # Reachable: a free vehicle can be there and bring them to the nearest facility
        # before the horizon.
        for v in free:
            there = obs.travel.minutes(kind=v.kind, speed_kmh=v.speed_kmh, origin=v.place,
                                       destination=c.place)  # fmt: skip
            back = min(
                obs.travel.minutes(kind=v.kind, speed_kmh=v.speed_kmh, origin=c.place,
                                   destination=Place(position=f.position, site_id=f.id))
                for f in obs.facilities
            )  # fmt: skip
            reachable = now + there + v.load_min + back <= HORIZON
            assert not reachable, (
                f"{c.id} ({c.category.value}) left waiting at minute {now:.0f} while {v.id} "
                f"is free and could bring them to care by the horizon"
            )


def _scarce_fleet_situation() -> Observation:
    """One litter vehicle; three delayed casualties who gain much from care soon, each at
    their own place, and an immediate one injured five hours ago whose chance is almost gone."""
    delayed = tuple(
        casualty(f"y{i}", category=StartCategory.DELAYED, reported=-100.0,
                 position=Position(lat=SCENE.lat + 0.02 * i, lon=SCENE.lon))
        for i in range(3)
    )  # fmt: skip
    red = casualty("red", reported=-300.0, position=Position(lat=SCENE.lat, lon=SCENE.lon + 0.05))
    fleet = (vehicle("v0", position=Position(lat=48.88, lon=38.15), litter=1, seated=0),)
    return observation((*delayed, red), fleet, now_min=0.0)


def test_the_plan_marks_every_casualty_it_defers_and_why() -> None:
    obs = _scarce_fleet_situation()
    plan = current_plan(obs, OptimiserSettings())
    collected = {cid for s in plan.suggestions for cid in s.pickups}
    deferred = {d.casualty_id: d for d in plan.deferred}
    assert collected | set(deferred) == {c.id for c in obs.waiting}
    assert not collected & set(deferred)
    red = deferred["red"]
    assert red.reason == "low_chance" and red.category == "immediate"
    assert red.p_now is not None and red.p_later is not None
    assert red.p_now - red.p_later < 0.01
    assert "little to gain" in deferral_reason(red, plan.now_min)
    later = [d for d in plan.deferred if d.reason == "later_trip"]
    assert later and all(d.vehicle_id == "v0" and d.delivery_min is not None for d in later)


def test_a_floor_on_immediate_priority_stops_the_plan_giving_them_up() -> None:
    obs = _scarce_fleet_situation()
    plan = current_plan(obs, OptimiserSettings(immediate_floor=0.5))
    deferred = {d.casualty_id: d for d in plan.deferred}
    collected = {cid for s in plan.suggestions for cid in s.pickups}
    assert "red" in collected or deferred["red"].reason == "later_trip"


def _front_with_a_walker(waited_min: float, *, north_km: float = 0.0) -> Observation:
    """Minute 120 on a front where wounded are expected (each trip is charged the worth of the
    vehicle's time): a delayed casualty reported half an hour ago, and ``north_km`` from them
    a minor casualty injured ``waited_min`` ago; two idle vehicles with seats to spare."""
    now = 120.0
    waiting = (
        casualty("yellow", category=StartCategory.DELAYED, reported=now - 30.0),
        casualty("walker", category=StartCategory.MINOR, reported=now - waited_min,
                 position=Position(lat=SCENE.lat + north_km / 111.2, lon=SCENE.lon)),
    )  # fmt: skip
    fleet = tuple(vehicle(f"v{i}", position=Position(lat=48.88, lon=38.15)) for i in range(2))
    return observation(waiting, fleet, now_min=now)


def test_a_casualty_past_their_class_care_deadline_rides_along_though_wounded_are_expected() -> (
    None
):
    # On bilohorivka an MT-LB went to the village for one casualty while minor ones waited
    # there, all day (left at the scene: 6.4 per replication, ReSTART 1.7): their wait saved
    # was worth less than the delayed casualty's extra minutes of loading.
    busy_front = ExpectedArrivals(spans=((0.0, 480.0, 0.03),))
    early = Optimiser(expected=busy_front)
    assert early.epoch_settings(_front_with_a_walker(60.0)).minute_cost > 0
    kept = [a.pickups for a in early.decide(_front_with_a_walker(60.0))]
    assert kept == [("yellow",)]  # within the deadline: the delayed casualty goes alone
    late = Optimiser(expected=busy_front).decide(_front_with_a_walker(300.0))
    assert [set(a.pickups) for a in late] == [{"yellow", "walker"}]  # one trip, no second


def test_a_crew_going_to_a_casualty_is_offered_those_who_only_wait_nearby() -> None:
    # The neighbourhoods grown across the 1 km cells took only casualties whose survival
    # falls, so a crew never took along a minor casualty a few hundred metres away.
    obs = _front_with_a_walker(300.0, north_km=1.5)
    request = build_request(obs, settings=OptimiserSettings(deadline_ms=None))
    ids = [c.id for c in request.casualties]
    grown = [{ids[c] for c in g.members} for g in request.groups if g.seed is not None]
    assert {"yellow", "walker"} in grown
