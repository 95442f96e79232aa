"""Geometry: great-circle distance, discs and polygons, and where a segment crosses them."""

from __future__ import annotations

import pytest

from goldenhour.domain.geo.position import Position
from goldenhour.planning.geometry import Circle, Polygon, distance_km

KRAMATORSK = Position(lat=48.7389, lon=37.5848)
DNIPRO = Position(lat=48.4647, lon=35.0462)
CENTRE = Position(lat=48.9, lon=38.2)
DISC = Circle(centre=CENTRE, radius_km=1.0)
SQUARE = Polygon(
    vertices=(
        Position(lat=48.89, lon=38.19),
        Position(lat=48.91, lon=38.19),
        Position(lat=48.91, lon=38.21),
        Position(lat=48.89, lon=38.21),
    )
)
WEST = Position(lat=48.9, lon=38.1)
EAST = Position(lat=48.9, lon=38.3)
NORTH = Position(lat=49.0, lon=38.2)


def test_distance_matches_the_known_road_free_distance_kramatorsk_dnipro() -> None:
    # Great-circle distance by GeographicLib's inverse (Vincenty agrees): about 188 km.
    assert distance_km(KRAMATORSK, DNIPRO) == pytest.approx(188.6, abs=1.0)


def test_distance_from_a_point_to_itself_is_zero() -> None:
    assert distance_km(CENTRE, CENTRE) == 0.0


def test_a_disc_contains_its_centre_and_not_a_point_far_away() -> None:
    assert DISC.contains(CENTRE) and not DISC.contains(WEST)


def test_a_segment_through_a_disc_crosses_it_symmetrically() -> None:
    span = DISC.crossing(WEST, EAST)
    assert span is not None
    enter, leave = span
    assert enter == pytest.approx(0.5 - 1.0 / distance_km(WEST, EAST), abs=1e-3)
    assert enter + leave == pytest.approx(1.0, abs=1e-6)
    assert DISC.meets_segment(WEST, EAST)


def test_a_segment_beside_a_disc_does_not_cross_it() -> None:
    assert DISC.crossing(NORTH, Position(lat=49.0, lon=38.3)) is None
    assert not DISC.meets_segment(NORTH, Position(lat=49.0, lon=38.3))


def test_a_segment_starting_inside_a_disc_crosses_from_zero() -> None:
    span = DISC.crossing(CENTRE, EAST)
    assert span is not None and span[0] == 0.0


def test_a_polygon_contains_its_inside_only() -> None:
    assert SQUARE.contains(CENTRE) and not SQUARE.contains(WEST)


def test_a_segment_through_a_polygon_crosses_between_its_edges() -> None:
    span = SQUARE.crossing(WEST, EAST)
    assert span is not None
    assert span == pytest.approx((0.45, 0.55), abs=1e-6)
    assert SQUARE.meets_segment(WEST, EAST)


def test_a_segment_beside_a_polygon_does_not_cross_it() -> None:
    assert SQUARE.crossing(NORTH, Position(lat=49.0, lon=38.3)) is None
    assert not SQUARE.meets_segment(NORTH, Position(lat=49.0, lon=38.3))
