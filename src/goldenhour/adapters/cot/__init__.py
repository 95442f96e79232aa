"""TAK Cursor-on-Target: CoT XML and TAK Protocol v1 events to and from what they mean to us.

``decode_cot`` / ``encode_cot`` read and write CoT XML (defusedxml, size-limited);
``decode_tak_proto`` / ``encode_tak_proto`` do the same for TAK Protocol v1 (takproto).
A decoded ``CotEvent`` carries its envelope and its ``meaning``: a ``MedevacMarker``,
``PositionReport``, ``PointMarker``, ``ThreatShape``, ``ChatMessage`` or ``None``.
"""

from __future__ import annotations

from goldenhour.adapters.cot.errors import CotError
from goldenhour.adapters.cot.model import (
    ChatMessage,
    CircleArea,
    CotEvent,
    CotLink,
    CotPoint,
    FreehandArea,
    HlzBrief,
    MedevacMarker,
    PointKind,
    PointMarker,
    PolygonArea,
    PositionReport,
    ThreatKind,
    ThreatShape,
    Vertex,
    ZMist,
)
from goldenhour.adapters.cot.proto_codec import decode_tak_proto, encode_tak_proto
from goldenhour.adapters.cot.shapes import threat_from_geojson, threat_geojson
from goldenhour.adapters.cot.xml_codec import MAX_EVENT_BYTES, decode_cot, encode_cot

__all__ = [
    "MAX_EVENT_BYTES",
    "ChatMessage",
    "CircleArea",
    "CotError",
    "CotEvent",
    "CotLink",
    "CotPoint",
    "FreehandArea",
    "HlzBrief",
    "MedevacMarker",
    "PointKind",
    "PointMarker",
    "PolygonArea",
    "PositionReport",
    "ThreatKind",
    "ThreatShape",
    "Vertex",
    "ZMist",
    "decode_cot",
    "decode_tak_proto",
    "encode_cot",
    "encode_tak_proto",
    "threat_from_geojson",
    "threat_geojson",
]
