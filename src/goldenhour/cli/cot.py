"""``goldenhour cot``: read a TAK Cursor-on-Target event and say what it means, or write one."""

from __future__ import annotations

import json
import re
import sys
import uuid
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

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
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.times import resolve_now
from goldenhour.domain.geo.mgrs import format_mgrs, mgrs_to_latlon, to_mgrs
from goldenhour.domain.medevac.mist import Mist, encode_mist, encode_mists, parse_mists
from goldenhour.domain.medevac.nine_line import NineLineRequest
from goldenhour.domain.medevac.nine_line_json import nine_line_to_json
from goldenhour.domain.medevac.nine_line_text import encode_nine_line, parse_nine_line

cot_app = typer.Typer(
    help="Read and write TAK Cursor-on-Target events (CoT XML and TAK Protocol v1).",
    no_args_is_help=True,
)

_MIST_START = re.compile(r"^\s*(?:MIST\s+Z|Z)\s*[:.\-]", re.IGNORECASE | re.MULTILINE)
_USES = (
    "MEDEVAC markers (b-r-f-h-c), positions (a-...), points (b-m-p-..., u-d-p), "
    "shapes (u-d-...) and chat (b-t-f)"
)


class OutputFormat(Enum):
    """How ``cot encode`` writes the event."""

    XML = "xml"
    MESH = "mesh"
    STREAM = "stream"


def print_warning(message: str, *, label: str = "warning") -> None:
    """Print a warning (data kept, but worth a look) or a note on standard error."""
    Console(stderr=True, soft_wrap=True, highlight=False).print(
        f"[bold yellow]{label}:[/] {escape(message)}", markup=True
    )


def read_input(file: str, *, limit: int) -> bytes:
    """Return the bytes of ``file`` (``-`` for standard input), refusing more than ``limit``.

    The size is checked before reading a file, and standard input is read only to ``limit``,
    so a 100 MB body is refused at once. Raises ``CotError`` for an unreadable or large input.
    """
    try:
        if file == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            path = Path(file)
            if path.stat().st_size > limit:
                raise CotError("input", f"{file} is {path.stat().st_size} bytes; at most {limit}")
            data = path.read_bytes()
    except OSError as error:
        raise CotError("input", f"cannot read {file}: {error.strerror or error}") from None
    if len(data) > limit:
        raise CotError("input", f"more than {limit} bytes on standard input")
    return data


def decode_event(data: bytes) -> CotEvent:
    """Decode CoT XML, or TAK Protocol v1 when the data starts with its 0xbf magic byte."""
    return decode_tak_proto(data) if data[:1] == b"\xbf" else decode_cot(data)


def decode_file(file: str, data: bytes, *, tak_proto: bool = True) -> CotEvent:
    """Decode the event read from ``file`` (``-``: standard input), warning of missing times.

    ``cot decode`` and ``tak send`` both report a refusal this way: the element and attribute
    at fault (``event@time``), then the file, then why.
    """
    try:
        event = decode_event(data) if tak_proto else decode_cot(data)
    except CotError as error:
        where = "standard input" if file == "-" else file
        raise CotError(
            error.element, f"{where}: {error.reason}", attribute=error.attribute
        ) from None
    # A MEDEVAC marker's warnings say it already, with the rest of what was left out.
    if event.times_received and not isinstance(event.meaning, MedevacMarker):
        names = ", ".join(f"event@{name}" for name in event.times_received)
        print_warning(f"{names} missing: dated when received")
    return event


def split_nine_line_and_mists(text: str) -> tuple[NineLineRequest, tuple[Mist, ...]]:
    """Read a 9-line text followed by zero or more MISTs (each starting ``MIST Z:``)."""
    match = _MIST_START.search(text)
    nine_line = text if match is None else text[: match.start()]
    mists = () if match is None else parse_mists(text[match.start() :])
    return parse_nine_line(nine_line), mists


def utf8(data: bytes, what: str) -> str:
    """Return ``data`` as UTF-8 text (a byte-order mark dropped) or raise ``CotError``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CotError(what, f"is not UTF-8 text ({error.reason} at byte {error.start})") from None


@cot_app.command("decode")
def decode_command(
    file: Annotated[str, typer.Argument(help="CoT XML or TAK protobuf file, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print everything as JSON.")] = False,
) -> None:
    """Say what a CoT event means: a MEDEVAC 9-line with MISTs, a position, a point, a threat
    area (GeoJSON) or a chat message. Events of other types exit 2."""
    event = decode_file(file, read_input(file, limit=MAX_EVENT_BYTES))
    if event.meaning is None:
        raise CotError("event", f"{unused_type_reason(event.type)}; it reads {_USES}")
    if as_json:
        print_json(event_json(event))
        return
    meaning = event.meaning
    if isinstance(meaning, MedevacMarker):
        _print_medevac(event, meaning)
    elif isinstance(meaning, ThreatShape):
        print_json(threat_geojson(event))
    else:
        print_text(_summary(event, meaning))


def unused_type_reason(cot_type: str) -> str:
    """Say why an event of ``cot_type`` means nothing to Golden Hour."""
    if cot_type.startswith("b-t-f-"):
        return f"type {cot_type!r} is a chat delivery or read receipt, not a message"
    return f"type {cot_type!r} is not one Golden Hour uses"


def _print_medevac(event: CotEvent, marker: MedevacMarker) -> None:
    mists = tuple(entry.mist for entry in marker.mists)
    if marker.nine_line is not None:
        text = encode_nine_line(marker.nine_line)
        print_text(text + ("\n" + encode_mists(mists) if mists else ""))
    else:
        where = format_mgrs(to_mgrs(event.point.lat, event.point.lon))
        print_text(f"MEDEVAC MARKER: {marker.title or event.uid}\nLOCATION: {where}")
        if mists:
            print_text("\n" + encode_mists(mists))
    for warning in marker.warnings:
        print_warning(warning)
    notes = _atak_notes(marker)
    if notes:
        print_warning(f"ATAK fields outside the 9-line: {notes}")


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


@cot_app.command("encode")
def encode_command(
    file: Annotated[
        str,
        typer.Argument(
            help="A 9-line text (with MISTs after it) or a GeoJSON threat area, or - for stdin."
        ),
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="CoT XML, or TAK protobuf mesh or stream.")
    ] = OutputFormat.XML,
    uid: Annotated[str | None, typer.Option(help="Event uid (default: a new UUID).")] = None,
    now: Annotated[str | None, typer.Option(help="Event time, ISO 8601 (default: now).")] = None,
    stale_hours: Annotated[float, typer.Option(help="Hours until the event is stale.")] = 24.0,
) -> None:
    """Write a CoT event: a MEDEVAC marker from a 9-line text with MISTs, or a drawn threat
    area from a GeoJSON Feature (Polygon, LineString, or Point with properties.radius_m)."""
    text = utf8(read_input(file, limit=MAX_EVENT_BYTES), "input")
    moment = resolve_now(now)
    if not 0 < stale_hours <= 24 * 365:
        raise CotError("--stale-hours", f"{stale_hours} is not between 0 and a year")
    stale = moment + timedelta(hours=stale_hours)
    event_uid = uid or str(uuid.uuid4())
    if text.lstrip().startswith("{"):
        try:
            feature = json.loads(text)
        except json.JSONDecodeError as error:
            raise CotError("geojson", f"is not JSON ({error.msg} at line {error.lineno})") from None
        if not isinstance(feature, dict):
            raise CotError("geojson", "must be a JSON object")
        event = threat_from_geojson(feature, uid=event_uid, now=moment, stale=stale)
    else:
        request, mists = split_nine_line_and_mists(text)
        event = medevac_event(
            request, mists, uid=event_uid, now=moment, stale=timedelta(hours=stale_hours)
        )
    if output_format is OutputFormat.XML:
        data = encode_cot(event)
    else:
        data = encode_tak_proto(event, framing=TakFraming(output_format.value))
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


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
