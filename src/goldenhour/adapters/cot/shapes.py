"""Drawn CoT shapes (``u-d-...``) as threat areas, and threat areas as GeoJSON (RFC 7946).

ATAK draws a circle as ``u-d-c-c`` with ``<shape><ellipse major minor angle/></shape>`` round
the event's point (radii in metres), a rectangle as ``u-d-r`` with four ``<link point=
'lat,lon[,hae]'/>`` corners, a free-hand shape as ``u-d-f`` whose closed form repeats the
first point at the end, and a freehand drawing (telestration) as ``u-d-f-m`` whose strokes are
whole ``u-d-f`` events nested, escaped, in ``<link line='...'/>``. Other senders write CoT's
shape schema, ``<shape><polyline closed='true'><vertex lat lon hae/></polyline></shape>``.
GeoJSON has no circle: a circle is a Point with ``radius_m``; a freehand drawing is a
MultiLineString, one line per stroke.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from goldenhour.adapters.cot.errors import CotError
from goldenhour.adapters.cot.model import (
    UNKNOWN,
    CircleArea,
    CotEvent,
    CotPoint,
    FreehandArea,
    PolygonArea,
    ThreatKind,
    ThreatShape,
    Vertex,
)
from goldenhour.adapters.cot.values import read_number

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
    detail: ET.Element | None,
    *,
    cot_type: str,
    words: tuple[str | None, ...],
    parse: Callable[[str], ET.Element],
) -> tuple[ThreatShape, list[ET.Element]]:
    """Read a drawn shape; return it and the detail children it was read from.

    ``parse`` reads the CoT events a freehand drawing nests in ``<link line=...>`` (the
    caller's safe XML reader). The shape is, in the first form found: an ellipse, a
    ``<shape><polyline>`` of ``<vertex>`` (CoT's shape schema), freehand strokes, or
    ``<link point=...>`` vertices (ATAK's own form).
    """
    kind = threat_kind(*words)
    if detail is None:
        raise CotError("detail", "a drawn shape needs <shape> or <link point=...> vertices")
    shapes = [e for e in detail if e.tag == "shape"]
    ellipse = detail.find("shape/ellipse")
    if ellipse is not None:
        area = CircleArea(
            major_m=read_number(ellipse, "major"),
            minor_m=read_number(ellipse, "minor"),
            angle_deg=read_number(ellipse, "angle", 360.0),
        )
        return ThreatShape(kind=kind, area=area), shapes
    polyline = detail.find("shape/polyline")
    if polyline is not None:
        declared = (polyline.get("closed") or "").strip().lower() == "true"
        vertices = [_vertex_element(vertex) for vertex in polyline.iterfind("vertex")]
        return ThreatShape(kind=kind, area=_line(vertices, closed=declared)), shapes
    strokes = [e for e in detail if e.tag == "link" and e.get("line") is not None]
    if strokes:
        drawing = FreehandArea(strokes=tuple(_stroke(link, parse) for link in strokes))
        return ThreatShape(kind=kind, area=drawing), strokes
    links = [e for e in detail if e.tag == "link" and e.get("point") is not None]
    vertices = [_vertex(link.get("point", "")) for link in links]
    if cot_type.startswith("u-d-r"):
        return ThreatShape(kind=kind, area=PolygonArea(vertices=tuple(vertices))), links
    return ThreatShape(kind=kind, area=_line(vertices, closed=False)), links


def _line(vertices: list[Vertex], *, closed: bool) -> PolygonArea:
    """A polygon when declared closed or when its last point repeats its first, else a line."""
    repeated = len(vertices) > 3 and (vertices[0].lat, vertices[0].lon) == (
        vertices[-1].lat,
        vertices[-1].lon,
    )
    if repeated:
        vertices = vertices[:-1]
    return PolygonArea(vertices=tuple(vertices), closed=closed or repeated)


def _stroke(link: ET.Element, parse: Callable[[str], ET.Element]) -> PolygonArea:
    # ATAK nests each stroke as a whole u-d-f event, escaped, in the link's line attribute.
    stroke = parse(link.get("line", ""))
    if stroke.tag != "event":
        raise CotError("link", f"a stroke is <{stroke.tag[:40]}>, not <event>", attribute="line")
    detail = stroke.find("detail")
    points = [] if detail is None else detail.iterfind("link")
    vertices = [_vertex(e.get("point", "")) for e in points if e.get("point") is not None]
    return _line(vertices, closed=False)


def _vertex_element(element: ET.Element) -> Vertex:
    hae = element.get("hae")
    return Vertex(
        lat=read_number(element, "lat"),
        lon=read_number(element, "lon"),
        hae=None if hae is None else read_number(element, "hae"),
    )


def _vertex(text: str) -> Vertex:
    parts = text.split(",")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        hae = float(parts[2]) if len(parts) == 3 else None
    except (ValueError, IndexError):
        raise CotError("link", f"{text!r} is not lat,lon[,hae]", attribute="point") from None
    return Vertex(lat=lat, lon=lon, hae=hae)


def write_threat(
    shape: ThreatShape, *, cot_type: str, envelope: Mapping[str, str]
) -> list[ET.Element]:
    """Write a threat area as the detail children ATAK draws it from.

    ``envelope`` holds the event's ``uid``, ``time``, ``start`` and ``stale`` as written, for
    the stroke events a freehand drawing nests.
    """
    area = shape.area
    if isinstance(area, FreehandArea):
        return [
            ET.Element("link", {"line": _stroke_event(stroke, number, envelope)})
            for number, stroke in enumerate(area.strokes, start=1)
        ]
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


def _stroke_event(stroke: PolygonArea, number: int, envelope: Mapping[str, str]) -> str:
    vertices = list(stroke.vertices)
    if stroke.closed:
        vertices.append(vertices[0])
    event = ET.Element(
        "event",
        {
            "version": "2.0",
            "uid": f"{envelope['uid']}.stroke.{number}",
            "type": "u-d-f",
            "how": "h-e",
            **{name: envelope[name] for name in ("time", "start", "stale")},
        },
    )
    ET.SubElement(
        event,
        "point",
        {
            "lat": repr(sum(v.lat for v in stroke.vertices) / len(stroke.vertices)),
            "lon": repr(sum(v.lon for v in stroke.vertices) / len(stroke.vertices)),
            "hae": repr(UNKNOWN),
            "ce": repr(UNKNOWN),
            "le": repr(UNKNOWN),
        },
    )
    detail = ET.SubElement(event, "detail")
    for vertex in vertices:
        ET.SubElement(detail, "link", {"point": _point_text(vertex)})
    return ET.tostring(event, encoding="unicode")


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
    elif isinstance(area, FreehandArea):
        # Each stroke a line; a closed stroke ends where it began.
        lines = [
            [_position(v) for v in (*s.vertices, *s.vertices[:1] * s.closed)] for s in area.strokes
        ]
        geometry = {"type": "MultiLineString", "coordinates": lines}
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
