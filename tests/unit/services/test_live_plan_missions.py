"""The live plan reads a crew's mission: a vehicle still on its way to its casualties is free
only after collecting them (``services.live_plan``, docs/planning.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations import vocabulary as ops
from goldenhour.planning.live_situation import LivePicture, live_situation
from goldenhour.planning.travel import Place

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
AXP = {"lat": 48.8706, "lon": 38.1268}
ROADBLOCK = {"lat": 48.9172, "lon": 38.2297}


def picture(mission_status: ops.MissionStatus) -> LivePicture:
    vehicle: dict[str, Any] = {
        "id": "buhai", "vehicle_kind": ops.VehicleKind.ARMOURED_EVACUATION.value, "litter": 2,
        "seated": 2, "call_sign": "BUHAI 2", "base": AXP, "position": AXP,
        "status": ops.VehicleStatus.EN_ROUTE.value,
    }  # fmt: skip
    facility = {"id": "stab", "name": "Siversk", "position": {"lat": 48.86, "lon": 38.095},
                "capabilities": ["blood"], "operating_tables_free": 1}  # fmt: skip
    request = {"id": "r1", "casualty_ids": ["c1", "c2"], "pickup": ROADBLOCK,
               "status": "assigned", "updated_seq": 1}  # fmt: skip
    mission = {"id": "m1", "vehicle_id": "buhai", "request_ids": ["r1"],
               "destination_id": "stab", "status": mission_status.value}  # fmt: skip
    return LivePicture(vehicles=[vehicle], facilities=[facility], requests=[request],
                       missions=[mission])  # fmt: skip


def test_a_crew_bound_for_its_casualties_shows_the_pickup_still_to_make() -> None:
    for status in (ops.MissionStatus.ASSIGNED, ops.MissionStatus.EN_ROUTE):
        [view] = live_situation(picture(status), now=NOW).observation.vehicles
        place = Place(position=Position(lat=ROADBLOCK["lat"], lon=ROADBLOCK["lon"]))
        assert (view.destination, view.stops) == ("stab", ((place, 2),))


def test_a_crew_with_its_casualties_aboard_has_no_stop_left() -> None:
    [view] = live_situation(picture(ops.MissionStatus.PICKED_UP), now=NOW).observation.vehicles
    assert view.stops == ()
    assert view.onboard == ("c1", "c2")
