"""Cursor-on-Target events read for people and written from a 9-line or a GeoJSON area.

``CotFormats`` is ``services.formats.CotFormat`` (``goldenhour cot``, ``tak send``): what an
event means, as text, GeoJSON or JSON, and a MEDEVAC marker or threat area written as CoT XML
or TAK Protocol v1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from goldenhour.adapters.cot import (
    MAX_EVENT_BYTES,
    ChatMessage,
    CotError,
    CotEvent,
    CotPoint,
    MedevacMarker,
    PointMarker,
    PositionReport,
    ThreatShape,
    ZMist,
    decode_cot,
    decode_tak_proto,
    encode_cot,
    encode_tak_proto,
    threat_from_geojson,
    threat_geojson,
)
from goldenhour.adapters.cot.proto_codec import TakFraming
from goldenhour.domain.geo.mgrs import format_mgrs, mgrs_to_latlon, to_mgrs
from goldenhour.domain.medevac.mist import Mist, encode_mist, encode_mists
from goldenhour.domain.medevac.nine_line import NineLineRequest
from goldenhour.domain.medevac.nine_line_json import nine_line_to_json
from goldenhour.domain.medevac.nine_line_text import encode_nine_line

__all__ = [
    "CotFormats",
    "CotReading",
    "decode_event",
    "encoded",
    "event_json",
    "medevac_event",
    "unused_type_reason",
    "utf8",
    "vars_of",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class CotReading:
    """What a CoT event means, ready to print (``services.formats.EventReading``)."""

    cot_type: str
    received_note: str | None
    meaningful: bool
    unused_reason: str
    text: str | None
    geojson: dict[str, Any] | None
    data: dict[str, Any]
    warnings: tuple[str, ...]


class CotFormats:
    """CoT XML and TAK Protocol v1 as ``services.formats.CotFormat``."""

    @property
    def max_event_bytes(self) -> int:
        """Return the size of the largest event read (``xml_codec.MAX_EVENT_BYTES``)."""
        return MAX_EVENT_BYTES

    def read(self, data: bytes, *, source: str, tak_proto: bool = True) -> CotReading:
        """Return what the event means; a refusal names the element, then ``source``, then why.

        ``source`` is a file name, ``-`` for standard input.
        """
        try:
            event = decode_event(data) if tak_proto else decode_cot(data)
        except CotError as error:
            where = "standard input" if source == "-" else source
            raise CotError(
                error.element, f"{where}: {error.reason}", attribute=error.attribute
            ) from None
        meaning = event.meaning
        note = None
        # A MEDEVAC marker's warnings say it already, with the rest of what was left out.
        if event.times_received and not isinstance(meaning, MedevacMarker):
            names = ", ".join(f"event@{name}" for name in event.times_received)
            note = f"{names} missing: dated when received"
        text: str | None = None
        geojson = None
        warnings: tuple[str, ...] = ()
        if isinstance(meaning, MedevacMarker):
            text, warnings = _medevac_text(event, meaning)
        elif isinstance(meaning, ThreatShape):
            geojson = threat_geojson(event)
        elif meaning is not None:
            text = _summary(event, meaning)
        return CotReading(
            cot_type=event.type, received_note=note, meaningful=meaning is not None, text=text,
            geojson=geojson, data=event_json(event), warnings=warnings,
            unused_reason=unused_type_reason(event.type),
        )  # fmt: skip

    def write_medevac(
        self, request: NineLineRequest, mists: tuple[Mist, ...], *, uid: str, now: datetime,
        stale: timedelta, framing: str,
    ) -> bytes:  # fmt: skip
        """Return a ``b-r-f-h-c`` MEDEVAC marker at the centre of line 1's grid square."""
        return encoded(medevac_event(request, mists, uid=uid, now=now, stale=stale), framing)

    def write_threat(
        self, feature: dict[str, Any], *, uid: str, now: datetime, stale: datetime,
        framing: str,
    ) -> bytes:  # fmt: skip
        """Return a drawn threat area from a GeoJSON Feature (Polygon, LineString, or Point
        with properties.radius_m)."""
        return encoded(threat_from_geojson(feature, uid=uid, now=now, stale=stale), framing)


def encoded(event: CotEvent, framing: str) -> bytes:
    """Return the event as CoT XML (``xml``) or TAK Protocol v1 (``mesh``, ``stream``)."""
    if framing == "xml":
        return encode_cot(event)
    return encode_tak_proto(event, framing=TakFraming(framing))


def decode_event(data: bytes) -> CotEvent:
    """Decode CoT XML, or TAK Protocol v1 when the data starts with its 0xbf magic byte."""
    return decode_tak_proto(data) if data[:1] == b"\xbf" else decode_cot(data)


def utf8(data: bytes, what: str) -> str:
    """Return ``data`` as UTF-8 text (a byte-order mark dropped) or raise ``CotError``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CotError(what, f"is not UTF-8 text ({error.reason} at byte {error.start})") from None


def unused_type_reason(cot_type: str) -> str:
    """Say why an event of ``cot_type`` means nothing to Golden Hour."""
    if cot_type.startswith("b-t-f-"):
        return f"type {cot_type!r} is a chat delivery or read receipt, not a message"
    return f"type {cot_type!r} is not one Golden Hour uses"


def _medevac_text(event: CotEvent, marker: MedevacMarker) -> tuple[str, tuple[str, ...]]:
    mists = tuple(entry.mist for entry in marker.mists)
    if marker.nine_line is not None:
        text = encode_nine_line(marker.nine_line)
        text += "\n" + encode_mists(mists) if mists else ""
    else:
        where = format_mgrs(to_mgrs(event.point.lat, event.point.lon))
        text = f"MEDEVAC MARKER: {marker.title or event.uid}\nLOCATION: {where}"
        if mists:
            text += "\n\n" + encode_mists(mists)
    warnings = list(marker.warnings)
    notes = _atak_notes(marker)
    if notes:
        warnings.append(f"ATAK fields outside the 9-line: {notes}")
    return text, tuple(warnings)


def _atak_notes(marker: MedevacMarker) -> str:
    fields = {
        "title": marker.title,
        "remarks": marker.medline_remarks,
        "CASEVAC": "yes" if marker.casevac else None,
        "other equipment": marker.equipment_detail or ("yes" if marker.equipment_other else None),
        "children": marker.children,
        **{f"HLZ {k.replace('_', ' ')}": v for k, v in vars_of(marker.hlz).items()},
        **dict(marker.extras),
    }
    return "; ".join(f"{name}: {value}" for name, value in fields.items() if value is not None)


def _summary(event: CotEvent, meaning: PositionReport | PointMarker | ChatMessage) -> str:
    where = format_mgrs(to_mgrs(event.point.lat, event.point.lon))
    name = event.callsign or event.uid
    if isinstance(meaning, ChatMessage):
        return (
            f"CHAT {meaning.chatroom or '?'} FROM {meaning.sender_callsign or '?'}: {meaning.text}"
        )
    if isinstance(meaning, PositionReport):
        kind = "VEHICLE" if meaning.is_vehicle(event.type) else "POSITION"
        team = f"\nTEAM: {meaning.team} ({meaning.role or 'no role'})" if meaning.team else ""
        return f"{kind}: {name}\nGRID: {where}{team}\nSTALE: {event.stale.isoformat()}"
    remarks = f"\nREMARKS: {event.remarks}" if event.remarks else ""
    return f"POINT ({meaning.kind.value}): {name}\nGRID: {where}{remarks}"


def event_json(event: CotEvent) -> dict[str, Any]:
    """Return an event and its meaning as JSON-ready data."""
    point = event.point
    data: dict[str, Any] = {
        "uid": event.uid,
        "type": event.type,
        "how": event.how,
        "time": event.time.isoformat(),
        "start": event.start.isoformat(),
        "stale": event.stale.isoformat(),
        "point": {
            "lat": point.lat,
            "lon": point.lon,
            "hae": point.hae,
            "ce": point.ce,
            "le": point.le,
        },
        "mgrs": to_mgrs(point.lat, point.lon),
        "callsign": event.callsign,
        "remarks": event.remarks,
        "links": [vars_of(link) for link in event.links],
        "other_detail": list(event.other_detail),
    }
    meaning = event.meaning
    if isinstance(meaning, MedevacMarker):
        data["medevac"] = _medevac_json(meaning)
    elif isinstance(meaning, ThreatShape):
        data["threat"] = threat_geojson(event)
    elif meaning is not None:
        data[type(meaning).__name__] = {
            key: value.value if isinstance(value, Enum) else value
            for key, value in vars_of(meaning).items()
        }
    return data


def vars_of(value: object) -> dict[str, Any]:
    """Return a slotted dataclass's fields as a dict."""
    return {name: getattr(value, name) for name in getattr(value, "__dataclass_fields__", {})}


def _medevac_json(marker: MedevacMarker) -> dict[str, Any]:
    return {
        "nine_line": None if marker.nine_line is None else nine_line_to_json(marker.nine_line),
        "warnings": list(marker.warnings),
        "title": marker.title,
        "medline_remarks": marker.medline_remarks,
        "casevac": marker.casevac,
        "equipment_other": marker.equipment_other,
        "equipment_detail": marker.equipment_detail,
        "children": marker.children,
        "hlz": vars_of(marker.hlz),
        "mists": [
            {"title": entry.title, "text": encode_mist(entry.mist)} for entry in marker.mists
        ],
        "extras": dict(marker.extras),
    }


def medevac_event(
    request: NineLineRequest, mists: tuple[Mist, ...], *, uid: str, now: datetime, stale: timedelta
) -> CotEvent:
    """Build a ``b-r-f-h-c`` MEDEVAC marker at the centre of line 1's grid square."""
    lat, lon = mgrs_to_latlon(request.location)
    return CotEvent(
        uid=uid,
        type="b-r-f-h-c",
        how="h-g-i-g-o",
        time=now,
        start=now,
        stale=now + stale,
        point=CotPoint(lat=lat, lon=lon),
        callsign=request.call_sign,
        meaning=MedevacMarker(
            nine_line=request,
            title=f"MEDEVAC {request.call_sign}",
            mists=tuple(ZMist(title=f"ZMIST{n}", mist=mist) for n, mist in enumerate(mists, 1)),
        ),
    )
