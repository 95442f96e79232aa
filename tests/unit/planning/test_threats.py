"""Threat areas: a leg waits outside until the area it would enter is closed."""

from __future__ import annotations

import pytest

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import ThreatKind
from goldenhour.planning.geometry import Circle, distance_km
from goldenhour.planning.scenario import ThreatArea, TimeWindow
from goldenhour.planning.threats import active_threats, earliest_departure

WEST = Position(lat=48.9, lon=38.1)
EAST = Position(lat=48.9, lon=38.3)
CENTRE = Position(lat=48.9, lon=38.2)


def threat(start: float, end: float, centre: Position = CENTRE) -> ThreatArea:
    return ThreatArea(
        id="t",
        kind=ThreatKind.SHELLING,
        shape=Circle(centre=centre, radius_km=1.0),
        window=TimeWindow(from_min=start, to_min=end),
        announced_at_min=0.0,
    )


def depart(*threats: ThreatArea, ready: float = 0.0, **kwargs: object) -> float:
    fields: dict[str, object] = {"travel_min": 20.0, "service_min": 5.0, "origin": WEST,
                                 "destination": EAST, "threats": threats}  # fmt: skip
    fields.update(kwargs)
    return earliest_departure(ready_at=ready, **fields)  # type: ignore[arg-type]


def test_a_clear_leg_departs_at_once() -> None:
    assert depart() == 0.0


# The leg is 14.62 km long; a 1 km disc on it is entered 1 km before its centre.
ENTER_MIDDLE = 0.5 - 1.0 / distance_km(WEST, EAST)
ENTER_END = 1.0 - 1.0 / distance_km(WEST, EAST)


def test_a_leg_that_would_enter_an_open_area_waits_until_it_closes() -> None:
    assert depart(threat(5, 30)) == pytest.approx(30 - ENTER_MIDDLE * 20)


def test_a_leg_that_passes_before_the_area_opens_departs_at_once() -> None:
    assert depart(threat(15, 30)) == 0.0


def test_a_leg_may_neither_serve_in_nor_drive_into_an_open_area_at_its_end() -> None:
    # Departing at 20 would unload after the window; but it would drive in before it closed.
    at_destination = threat(22, 40, centre=EAST)
    assert depart(at_destination) == pytest.approx(40 - ENTER_END * 20)


def test_leaving_an_area_from_inside_is_not_entering_it() -> None:
    assert depart(threat(0, 100), origin=CENTRE) == 0.0


def test_a_grounded_vehicle_waits_for_the_grounding_to_end() -> None:
    assert depart(grounded=(TimeWindow(from_min=0, to_min=45),)) == 45


def test_areas_are_active_only_within_their_window() -> None:
    area = threat(10, 20)
    assert active_threats([area], 10) == [area]
    assert active_threats([area], 20) == []
