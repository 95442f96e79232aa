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

    def crossing(self, a: Position, b: Position) -> tuple[float, float] | None:
        """Return the fractions [enter, leave] of the segment from ``a`` to ``b`` inside the
        disc, or ``None`` if it stays outside."""
        plane = _Plane(self.centre.lat)
        (cx, cy), (ax, ay), (bx, by) = plane.xy(self.centre), plane.xy(a), plane.xy(b)
        dx, dy, fx, fy = bx - ax, by - ay, ax - cx, ay - cy
        qa, qb = dx * dx + dy * dy, 2 * (fx * dx + fy * dy)
        qc = fx * fx + fy * fy - self.radius_km * self.radius_km
        if qa == 0:
            return (0.0, 1.0) if qc <= 0 else None
        disc = qb * qb - 4 * qa * qc
        if disc < 0:
            return None
        root = math.sqrt(disc)
        enter, leave = (-qb - root) / (2 * qa), (-qb + root) / (2 * qa)
        if leave < 0 or enter > 1:
            return None
        return (max(0.0, enter), min(1.0, leave))


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

    def crossing(self, a: Position, b: Position) -> tuple[float, float] | None:
        """Return the fractions [enter, leave] of the segment from ``a`` to ``b`` inside the
        polygon (for a concave polygon, from the first entry to the last exit), or ``None``."""
        plane = _Plane(self._mid_lat())
        ring = [plane.xy(v) for v in self.vertices]
        pa, pb = plane.xy(a), plane.xy(b)
        found = [t for p, q in zip(ring, ring[1:] + ring[:1], strict=True)
                 if (t := _segment_hit(pa, pb, p, q)) is not None]  # fmt: skip
        if _inside(pa, ring):
            found.append(0.0)
        if _inside(pb, ring):
            found.append(1.0)
        if not found:
            return None
        return (min(found), max(found))

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


def _segment_hit(a: _XY, b: _XY, c: _XY, d: _XY) -> float | None:
    """Return the fraction along a-b where it meets c-d, or ``None`` (parallel: the nearest
    shared end)."""
    rx, ry, sx, sy = b[0] - a[0], b[1] - a[1], d[0] - c[0], d[1] - c[1]
    denom = rx * sy - ry * sx
    qx, qy = c[0] - a[0], c[1] - a[1]
    if denom == 0:
        if not _segments_meet(a, b, c, d):
            return None
        length2 = rx * rx + ry * ry or 1.0
        shared = [((p[0] - a[0]) * rx + (p[1] - a[1]) * ry) / length2 for p in (c, d)]
        inside = [t for t in shared if 0.0 <= t <= 1.0]
        return min(inside) if inside else 0.0
    t = (qx * sy - qy * sx) / denom
    u = (qx * ry - qy * rx) / denom
    if 0.0 <= t <= 1.0 and 0.0 <= u <= 1.0:
        return t
    return None


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
