"""Drawn CoT shapes (``u-d-...``) as threat areas, and threat areas as GeoJSON (RFC 7946).

ATAK draws a circle as ``u-d-c-c`` with ``<shape><ellipse major minor angle/></shape>`` round
the event's point (radii in metres), a rectangle as ``u-d-r`` with four ``<link point=
'lat,lon[,hae]'/>`` corners, and a free-hand shape as ``u-d-f`` whose closed form repeats the
first point at the end. GeoJSON has no circle: a circle is a Point with ``radius_m``.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from goldenhour.adapters.cot.errors import CotError
from goldenhour.adapters.cot.model import (
    CircleArea,
    CotEvent,
    CotPoint,
    PolygonArea,
    ThreatKind,
    ThreatShape,
    Vertex,
)

__all__ = [
    "DEFAULT_STYLE",
    "read_threat",
    "threat_from_geojson",
    "threat_geojson",
    "threat_kind",
    "write_threat",
]

#: Red outline, translucent red fill (ATAK colours are signed ARGB integers).
DEFAULT_STYLE = ('<fillColor value="1358888960" />', '<strokeColor value="-65536" />')

# Words in a shape's name or remarks that say what it warns of, English and Ukrainian
# (Golden Hour's convention). Indirect fire is tried before mines: "мінометний" is a mortar.
_KIND_WORDS: tuple[tuple[ThreatKind, str], ...] = (
    (ThreatKind.INDIRECT_FIRE, r"artiller|mortar|shell|indirect|rocket|арт|міномет|обстріл"),
    (ThreatKind.MINEFIELD, r"mine|ied|мін|розтяжк"),
    (ThreatKind.SNIPER, r"sniper|снайпер"),
    (ThreatKind.DRONE, r"drone|fpv|uav|uas|дрон|бпла|фпв"),
    (ThreatKind.CBRN, r"cbrn|nbc|chemical|gas|хім|газ"),
    (ThreatKind.ENEMY, r"enemy|hostile|contact|ворог|противник"),
)
_KIND_PATTERNS = tuple(
    (kind, re.compile(rf"\b(?:{words})", re.IGNORECASE)) for kind, words in _KIND_WORDS
)


def threat_kind(*texts: str | None) -> ThreatKind:
    """Return the kind of threat the words of a shape's name and remarks name."""
    joined = " ".join(text for text in texts if text)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(joined):
            return kind
    return ThreatKind.UNSPECIFIED


def read_threat(
    detail: ET.Element | None, *, cot_type: str, words: tuple[str | None, ...]
) -> tuple[ThreatShape, list[ET.Element]]:
    """Read a drawn shape; return it and the detail children it was read from."""
    kind = threat_kind(*words)
    if detail is None:
        raise CotError("detail", "a drawn shape needs <shape> or <link point=...> vertices")
    ellipse = detail.find("shape/ellipse")
    if ellipse is not None:
        area = CircleArea(
            major_m=_number(ellipse, "major"),
            minor_m=_number(ellipse, "minor"),
            angle_deg=_number(ellipse, "angle", 360.0),
        )
        return ThreatShape(kind=kind, area=area), [e for e in detail if e.tag == "shape"]
    links = [e for e in detail if e.tag == "link" and e.get("point") is not None]
    vertices = [_vertex(link.get("point", "")) for link in links]
    closed = cot_type.startswith("u-d-r") or (
        len(vertices) > 3
        and (vertices[0].lat, vertices[0].lon) == (vertices[-1].lat, vertices[-1].lon)
    )
    if closed and not cot_type.startswith("u-d-r"):
        vertices.pop()
    return ThreatShape(kind=kind, area=PolygonArea(vertices=tuple(vertices), closed=closed)), links


def _number(element: ET.Element, name: str, default: float | None = None) -> float:
    value = element.get(name)
    if value is None and default is not None:
        return default
    try:
        return float(value or "")
    except ValueError:
        raise CotError(element.tag, f"{value!r} is not a number", attribute=name) from None


def _vertex(text: str) -> Vertex:
    parts = text.split(",")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        hae = float(parts[2]) if len(parts) == 3 else None
    except (ValueError, IndexError):
        raise CotError("link", f"{text!r} is not lat,lon[,hae]", attribute="point") from None
    return Vertex(lat=lat, lon=lon, hae=hae)


def write_threat(shape: ThreatShape, *, cot_type: str) -> list[ET.Element]:
    """Write a threat area as the detail children ATAK draws it from."""
    area = shape.area
    if isinstance(area, CircleArea):
        holder = ET.Element("shape")
        ET.SubElement(
            holder,
            "ellipse",
            {
                "major": repr(area.major_m),
                "minor": repr(area.minor_m),
                "angle": repr(area.angle_deg),
            },
        )
        return [holder]
    vertices = list(area.vertices)
    if area.closed and not cot_type.startswith("u-d-r"):
        vertices.append(vertices[0])
    return [ET.Element("link", {"point": _point_text(vertex)}) for vertex in vertices]


def _point_text(vertex: Vertex) -> str:
    hae = "" if vertex.hae is None else f",{vertex.hae!r}"
    return f"{vertex.lat!r},{vertex.lon!r}{hae}"


def threat_geojson(event: CotEvent) -> dict[str, Any]:
    """Return a threat-area event as a GeoJSON Feature (coordinates are lon, lat[, hae]).

    Raises ``CotError`` when the event is not a threat area.
    """
    shape = event.meaning
    if not isinstance(shape, ThreatShape):
        raise CotError("event", f"type {event.type!r} is not a drawn threat area")
    properties: dict[str, Any] = {
        "uid": event.uid,
        "cot_type": event.type,
        "kind": shape.kind.value,
        "name": event.callsign,
        "remarks": event.remarks,
        "stale": event.stale.isoformat(),
    }
    area = shape.area
    geometry: dict[str, Any]
    if isinstance(area, CircleArea):
        geometry = {"type": "Point", "coordinates": [event.point.lon, event.point.lat]}
        properties.update(radius_m=area.major_m, minor_m=area.minor_m, angle_deg=area.angle_deg)
    else:
        ring = [_position(v) for v in area.vertices]
        if area.closed:
            geometry = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
        else:
            geometry = {"type": "LineString", "coordinates": ring}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _position(vertex: Vertex) -> list[float]:
    return [vertex.lon, vertex.lat] + ([] if vertex.hae is None else [vertex.hae])


def threat_from_geojson(
    feature: Mapping[str, Any], *, uid: str, now: datetime, stale: datetime
) -> CotEvent:
    """Build a threat-area event from a GeoJSON Feature (Polygon, LineString, or Point with
    ``radius_m``); ``properties.name`` and ``properties.remarks`` name it.

    Raises ``CotError`` (element ``geojson``) for anything else.
    """
    geometry = feature.get("geometry") if feature.get("type") == "Feature" else feature
    properties = feature.get("properties") if feature.get("type") == "Feature" else None
    properties = properties if isinstance(properties, Mapping) else {}
    if not isinstance(geometry, Mapping):
        raise CotError("geojson", "needs a Feature with a geometry, or a geometry")
    name, remarks = _text(properties, "name"), _text(properties, "remarks")
    kind = threat_kind(name, remarks)
    area, cot_type = _area(geometry, properties)
    if isinstance(area, CircleArea):
        lon, lat = _pair(geometry.get("coordinates"))
    else:
        lat = sum(v.lat for v in area.vertices) / len(area.vertices)
        lon = sum(v.lon for v in area.vertices) / len(area.vertices)
    return CotEvent(
        uid=uid,
        type=cot_type,
        how="h-g-i-g-o",
        time=now.astimezone(UTC),
        start=now.astimezone(UTC),
        stale=stale.astimezone(UTC),
        point=CotPoint(lat=lat, lon=lon),
        callsign=name,
        remarks=remarks,
        other_detail=DEFAULT_STYLE,
        meaning=ThreatShape(kind=kind, area=area),
    )


def _area(
    geometry: Mapping[str, Any], properties: Mapping[str, Any]
) -> tuple[CircleArea | PolygonArea, str]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        radius = _number_or_none(properties.get("radius_m"))
        if radius is None:
            raise CotError("geojson", "a Point threat area needs a numeric properties.radius_m")
        return CircleArea(major_m=radius, minor_m=radius), "u-d-c-c"
    if kind == "Polygon" and isinstance(coordinates, list) and coordinates:
        ring = _vertices(coordinates[0])
        if len(ring) > 1 and (ring[0].lat, ring[0].lon) == (ring[-1].lat, ring[-1].lon):
            ring.pop()
        return PolygonArea(vertices=tuple(ring), closed=True), "u-d-f"
    if kind == "LineString":
        return PolygonArea(vertices=tuple(_vertices(coordinates)), closed=False), "u-d-f"
    raise CotError("geojson", f"geometry {kind!r} is not a Point, LineString or Polygon")


def _vertices(positions: object) -> list[Vertex]:
    if not isinstance(positions, list):
        raise CotError("geojson", "coordinates must be a list of [lon, lat] positions")
    vertices = []
    for position in positions:
        lon, lat = _pair(position)
        hae = position[2] if isinstance(position, list) and len(position) == 3 else None
        vertices.append(Vertex(lat=lat, lon=lon, hae=_number_or_none(hae)))
    return vertices


def _pair(position: object) -> tuple[float, float]:
    if (
        not isinstance(position, list)
        or len(position) not in (2, 3)
        or not all(_is_number(value) for value in position)
    ):
        raise CotError("geojson", f"{position!r} is not a [lon, lat] position")
    return float(position[0]), float(position[1])


def _is_number(value: object) -> bool:
    return _number_or_none(value) is not None


def _number_or_none(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return number if math.isfinite(number) else None


def _text(properties: Mapping[str, Any], name: str) -> str | None:
    value = properties.get(name)
    if value is not None and not isinstance(value, str):
        raise CotError("geojson", f"properties.{name} must be text")
    return value or None
