"""ReSTART: START order while the fleet keeps up, delayed first when it cannot."""

from __future__ import annotations

from observation_builders import SCENE, casualty, observation, vehicle

from goldenhour.domain.geo.position import Position
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.policies.restart import ReStart, fluid_survivors, prefers_delayed
from goldenhour.planning.policy import VehicleStatus

BASE = Position(lat=48.88, lon=38.15)


def test_with_few_reds_and_a_vehicle_each_immediate_goes_first() -> None:
    waiting = (casualty("red", reported=0.0),
               casualty("yellow", category=StartCategory.DELAYED, reported=0.0))  # fmt: skip
    fleet = (vehicle("v1", position=SCENE), vehicle("v2", position=SCENE))
    obs = observation(waiting, fleet)
    assert not prefers_delayed(obs)
    decision = ReStart().decide(obs)
    assert decision[0].pickups[0] == "red"


def test_with_many_reds_and_one_slow_vehicle_delayed_goes_first() -> None:
    reds = tuple(casualty(f"red{i}", reported=0.0) for i in range(15))
    yellows = tuple(
        casualty(f"yel{i}", category=StartCategory.DELAYED, reported=0.0) for i in range(15)
    )
    slow = vehicle("v1", position=BASE, speed_kmh=10.0, litter=1, seated=0)
    obs = observation((*reds, *yellows), (slow,))
    assert prefers_delayed(obs)
    assert ReStart().decide(obs)[0].pickups[0].startswith("yel")


def test_the_fluid_model_counts_later_service_as_lower_survival() -> None:
    red = casualty("red")
    assert fluid_survivors([red], now=0.0, rate=1.0, one_way=10.0) > fluid_survivors(
        [red], now=0.0, rate=1.0, one_way=60.0
    )


def test_no_idle_vehicle_means_no_assignment() -> None:
    busy = vehicle("v1", position=SCENE, status=VehicleStatus.BUSY)
    assert ReStart().decide(observation((casualty("red"),), (busy,))) == []
