"""The rules every decision must keep: places, surgery, idle vehicles, known casualties."""

from __future__ import annotations

import pytest
from observation_builders import SCENE, casualty, observation, vehicle

from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.errors import DecisionRefusedError
from goldenhour.planning.policy import Assignment, VehicleStatus, check_decision

SURGICAL = frozenset({Capability.SURGERY})


def refused(decision: list[Assignment], **overrides: object) -> DecisionRefusedError:
    waiting = (
        casualty("a"),
        casualty("b"),
        casualty("c"),
        casualty("s", needs=SURGICAL),
        casualty("m", category=StartCategory.MINOR),
    )
    van = vehicle("v1", position=SCENE, litter=2, seated=0, **overrides)
    with pytest.raises(DecisionRefusedError) as raised:
        check_decision(observation(waiting, (van, vehicle("v2", position=SCENE))), decision)
    return raised.value


def go(pickups: tuple[str, ...], destination: str = "h-surgical", vid: str = "v1") -> Assignment:
    return Assignment(vehicle_id=vid, pickups=pickups, destination=destination)


def test_more_litter_casualties_than_litters_is_refused() -> None:
    error = refused([go(("a", "b", "c"))])
    assert (error.vehicle_id, error.rule) == ("v1", "capacity")


def test_more_casualties_than_places_is_refused() -> None:
    assert refused([go(("a", "b", "m"))]).rule == "capacity"


def test_a_surgical_casualty_to_a_facility_without_surgery_is_refused() -> None:
    error = refused([go(("s",), destination="h-near")])
    assert error.rule == "destination" and "surgery" in error.reason


def test_a_busy_vehicle_cannot_be_assigned() -> None:
    assert refused([go(("a",))], status=VehicleStatus.BUSY).rule == "vehicle_id"


def test_a_casualty_assigned_twice_is_refused() -> None:
    assert refused([go(("a",)), go(("a",), vid="v2")]).rule == "pickups"


def test_an_unknown_casualty_is_refused() -> None:
    assert refused([go(("zz",))]).rule == "pickups"


def test_an_unknown_destination_is_refused() -> None:
    assert refused([go(("a",), destination="mars")]).rule == "destination"


def test_a_vehicle_kept_behind_the_exchange_points_may_not_drive_forward() -> None:
    assert refused([go(("a",))], exchange_pickups_only=True).rule == "pickups"


def test_casualties_are_not_left_at_a_base() -> None:
    error = refused([go(("a",), destination="base")], site_id=None)
    assert error.rule == "destination"


def test_a_valid_decision_passes() -> None:
    waiting = (casualty("a"), casualty("s", needs=SURGICAL))
    check_decision(observation(waiting, (vehicle("v1", position=SCENE),)), [go(("a", "s"))])
