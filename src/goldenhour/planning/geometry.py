"""Plane geometry on a small patch of the Earth: distances, circles, polygons, segments.

Distances are great-circle (haversine, mean Earth radius 6371.0088 km, IUGG). Shape tests
project onto a local equirectangular plane centred on the shapes involved, which is accurate
to well under 1% over the tens of kilometres a threat area or a leg spans.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from goldenhour.domain.geo.position import Position

EARTH_RADIUS_KM = 6371.0088


def distance_km(a: Position, b: Position) -> float:
    """Return the great-circle distance between two points, in kilometres."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True, kw_only=True)
class Circle:
    """A disc: every point within ``radius_km`` of ``centre``."""

    centre: Position
    radius_km: float

    def contains(self, point: Position) -> bool:
        """Tell whether the point lies in the disc (its edge included)."""
        return distance_km(self.centre, point) <= self.radius_km

    def meets_segment(self, a: Position, b: Position) -> bool:
        """Tell whether the straight segment from ``a`` to ``b`` touches the disc."""
        plane = _Plane(self.centre.lat)
        return _point_segment_distance(plane.xy(self.centre), plane.xy(a), plane.xy(b)) <= (
            self.radius_km
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Polygon:
    """A simple polygon given by its vertices in order (closed implicitly)."""

    vertices: tuple[Position, ...]

    def contains(self, point: Position) -> bool:
        """Tell whether the point lies inside the polygon (even-odd rule)."""
        plane = _Plane(self._mid_lat())
        return _inside(plane.xy(point), [plane.xy(v) for v in self.vertices])

    def meets_segment(self, a: Position, b: Position) -> bool:
        """Tell whether the straight segment from ``a`` to ``b`` touches the polygon."""
        plane = _Plane(self._mid_lat())
        ring = [plane.xy(v) for v in self.vertices]
        pa, pb = plane.xy(a), plane.xy(b)
        if _inside(pa, ring) or _inside(pb, ring):
            return True
        edges = zip(ring, ring[1:] + ring[:1], strict=True)
        return any(_segments_meet(pa, pb, p, q) for p, q in edges)

    def _mid_lat(self) -> float:
        return sum(v.lat for v in self.vertices) / len(self.vertices)


Shape = Circle | Polygon

_XY = tuple[float, float]


class _Plane:
    """A local equirectangular projection, in kilometres, around a reference latitude."""

    def __init__(self, ref_lat: float) -> None:
        self.kx = math.radians(1) * EARTH_RADIUS_KM * math.cos(math.radians(ref_lat))
        self.ky = math.radians(1) * EARTH_RADIUS_KM

    def xy(self, p: Position) -> _XY:
        return (p.lon * self.kx, p.lat * self.ky)


def _point_segment_distance(p: _XY, a: _XY, b: _XY) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2))
    return math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy))


def _inside(p: _XY, ring: list[_XY]) -> bool:
    x, y = p
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _orientation(a: _XY, b: _XY, c: _XY) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a: _XY, b: _XY, p: _XY) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def _segments_meet(a: _XY, b: _XY, c: _XY, d: _XY) -> bool:
    o1, o2 = _orientation(a, b, c), _orientation(a, b, d)
    o3, o4 = _orientation(c, d, a), _orientation(c, d, b)
    if ((o1 > 0) != (o2 > 0)) and ((o3 > 0) != (o4 > 0)) and o1 * o2 != 0 and o3 * o4 != 0:
        return True
    return (
        (o1 == 0 and _on_segment(a, b, c))
        or (o2 == 0 and _on_segment(a, b, d))
        or (o3 == 0 and _on_segment(c, d, a))
        or (o4 == 0 and _on_segment(c, d, b))
    )
