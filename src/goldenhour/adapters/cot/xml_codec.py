"""CoT XML events to and from ``CotEvent``: parsed safely, read tolerantly, written as ATAK reads.

Reading is safe: the size is checked before parsing, defusedxml refuses any DTD (so no entity
expansion and no external entities: billion laughs and XXE are refused before they start), and
trees deeper than CoT ever nests are refused. Reading is tolerant: elements are found by name in
any order, unknown elements and attributes are kept or ignored, ``remarks`` may be an element or
(as FreeTAKServer rewrites it) an attribute of ``<detail>``.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import defusedxml.ElementTree as DefusedET  # type: ignore[import-untyped]
from defusedxml import DefusedXmlException

from goldenhour.adapters.cot import markers
from goldenhour.adapters.cot.errors import CotError
from goldenhour.adapters.cot.medevac import read_medevac, write_medevac
from goldenhour.adapters.cot.model import (
    UNKNOWN,
    CotEvent,
    CotLink,
    CotPoint,
    Meaning,
    MedevacMarker,
    PositionReport,
    ThreatShape,
)
from goldenhour.adapters.cot.shapes import read_threat, write_threat
from goldenhour.adapters.cot.values import read_number

__all__ = [
    "MAX_EVENT_BYTES",
    "decode_cot",
    "encode_cot",
    "event_element",
    "parse_xml",
    "read_event",
]

#: Largest CoT event read or written. ATAK's biggest routine events (a 9-line with ZMISTs,
#: a many-sided shape) are a few KiB; 64 KiB leaves room and refuses a flood before parsing.
MAX_EVENT_BYTES = 64 * 1024
#: How long an event that came without a stale time stays current (FreeTAKServer's 60 s).
RECEIVED_STALE = timedelta(seconds=60)
#: Deepest element nesting read: CoT nests about six deep (event/detail/shape/link/Style/...).
MAX_DEPTH = 32

_TIMES = ("time", "start", "stale")
_LINK_ATTRIBUTES = ("uid", "type", "relation", "parent_callsign", "production_time")
# Characters XML 1.0 allows (section 2.2); anything else would make the output unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# An XML declaration naming UTF-16 (utf-16, UTF16, utf-16le...); groups 1 and 2 keep the rest.
_UTF16_PROLOG = r"""^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*["'])utf-?16(?:-?[lb]e)?(["'])"""
_UTF16_PROLOG_BYTES = re.compile(_UTF16_PROLOG.encode(), re.IGNORECASE)
_UTF16_PROLOG_TEXT = re.compile(_UTF16_PROLOG, re.IGNORECASE)
_PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def parse_xml(data: bytes | str, *, what: str = "event") -> ET.Element:
    """Parse untrusted XML safely: size first, then defusedxml with DTDs forbidden.

    Raises ``CotError`` naming ``what`` for oversized, hostile or malformed input.
    """
    if not isinstance(data, bytes | str):
        raise CotError(what, "is neither bytes nor text")
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if len(data) > MAX_EVENT_BYTES or size > MAX_EVENT_BYTES:
        raise CotError(what, f"is {size} bytes; at most {MAX_EVENT_BYTES} are read")
    try:
        root: ET.Element = DefusedET.fromstring(_declared_encoding_fixed(data), forbid_dtd=True)
    except DefusedXmlException as error:
        raise CotError(
            what, f"refused: XML with a DTD or entities is never read ({type(error).__name__})"
        ) from None
    except ET.ParseError as error:
        raise CotError(what, f"is not well-formed XML ({error})") from None
    except (ValueError, UnicodeError, LookupError) as error:  # LookupError: unknown encoding
        raise CotError(what, f"cannot be read as XML ({error})") from None
    _check_depth(root, what)
    return root


def _declared_encoding_fixed(data: bytes | str) -> bytes | str:
    """Read a prolog that declares UTF-16 over 8-bit text as what the bytes are.

    WinTAK (through .NET's XmlWriter on a string) declares ``encoding="utf-16"`` and then sends
    the text as UTF-8. Real UTF-16 starts with a byte-order mark or has a zero byte in its
    first two (``<`` is 3C 00 or 00 3C); text that has neither cannot be UTF-16, and is read
    as UTF-8 (a byte that is not UTF-8 is still refused).
    """
    head = data[:2]
    if isinstance(data, bytes) and (b"\x00" in head or head in (b"\xff\xfe", b"\xfe\xff")):
        return data
    if isinstance(data, bytes):
        return _UTF16_PROLOG_BYTES.sub(rb"\1UTF-8\2", data, count=1)
    return _UTF16_PROLOG_TEXT.sub(r"\1UTF-8\2", data, count=1)


def _check_depth(root: ET.Element, what: str) -> None:
    level = [root]
    for _ in range(MAX_DEPTH):
        level = [child for element in level for child in element]
        if not level:
            return
    raise CotError(what, f"nests deeper than {MAX_DEPTH} elements; CoT never does")


def decode_cot(data: bytes | str, *, received: datetime | None = None) -> CotEvent:
    """Decode a CoT XML event and what it means to Golden Hour.

    An event without ``time``, ``start`` or ``stale`` (FreeTAKServer and small senders omit
    them) is dated ``received`` (default: now), named in ``times_received``. Raises
    ``CotError`` (and nothing else) naming the element for oversized, hostile, malformed or
    otherwise incomplete events.

    >>> decode_cot(open("atak-pli-sa.xml", "rb").read()).callsign  # doctest: +SKIP
    'dasuberdog'
    """
    return read_event(parse_xml(data), received=received)


def read_event(root: ET.Element, *, received: datetime | None = None) -> CotEvent:
    """Read a parsed ``<event>`` element (from XML, or rebuilt from TAK protobuf).

    Missing times are filled as ``decode_cot`` says, from ``received`` (default: now).
    """
    if root.tag != "event":
        raise CotError("event", f"the root element is <{root.tag[:40]}>, not <event>")
    point = _read_point(root.find("point"))
    detail = root.find("detail")
    children = [] if detail is None else list(detail)
    contact = next((e for e in children if e.tag == "contact"), None)
    callsign = None if contact is None else contact.get("callsign") or None
    endpoint = None if contact is None else contact.get("endpoint") or None
    remarks_element = next((e for e in children if e.tag == "remarks"), None)
    if remarks_element is not None:
        remarks = _newlines(remarks_element.text or "") or None
        remarks_attributes = tuple(remarks_element.attrib.items())
    else:
        remarks = None if detail is None else _newlines(detail.get("remarks") or "") or None
        remarks_attributes = ()
    # Shape vertices (point) and freehand strokes (line) belong to the shape, not the links.
    links = [
        e for e in children if e.tag == "link" and e.get("point") is None and e.get("line") is None
    ]
    cot_type = _required(root, "type")
    meaning, owned = _meaning(
        cot_type, detail, point=point, callsign=callsign, endpoint=endpoint, remarks=remarks
    )
    taken = {id(e) for e in [contact, remarks_element, *links, *owned] if e is not None}
    times, filled = _times(root, received)
    if filled and isinstance(meaning, MedevacMarker):
        meaning = replace(meaning, warnings=(*meaning.warnings, _dated_on_receipt(filled)))
    return CotEvent(
        uid=_required(root, "uid"),
        type=cot_type,
        how=root.get("how") or None,
        time=times["time"],
        start=times["start"],
        stale=times["stale"],
        times_received=filled,
        point=point,
        callsign=callsign,
        remarks=remarks,
        remarks_attributes=remarks_attributes,
        links=tuple(
            CotLink(**{name: link.get(name) for name in _LINK_ATTRIBUTES}) for link in links
        ),
        other_detail=tuple(
            text
            for _, text in sorted(
                ((e.tag, _text_of(e)) for e in children if id(e) not in taken),
                key=lambda pair: pair[0],
            )
        ),
        meaning=meaning,
    )


def _meaning(
    cot_type: str,
    detail: ET.Element | None,
    *,
    point: CotPoint,
    callsign: str | None,
    endpoint: str | None,
    remarks: str | None,
) -> tuple[Meaning | None, list[ET.Element]]:
    medevac = None if detail is None else detail.find("_medevac_")
    # b-r-f-h-c: ATAK's casualty / MEDEVAC marker (reference README).
    if cot_type.startswith("b-r-f-h-c") or medevac is not None:
        marker = read_medevac(medevac, point=point, call_sign=callsign)
        return marker, [] if medevac is None else [medevac]
    if cot_type == "u-d-p":  # ATAK's generic point (GenericPoint): a point, never a shape
        return markers.read_point(callsign, remarks), []
    if cot_type.startswith("u-d-"):  # ATAK drawing tools: circles, rectangles, free-hand
        return read_threat(
            detail, cot_type=cot_type, words=(callsign, remarks), parse=_nested_event
        )
    # GeoChat; b-t-f-d and b-t-f-r are delivery and read receipts of a message, not messages.
    if cot_type == "b-t-f":
        return markers.read_chat(detail, remarks=remarks), []
    if cot_type.startswith("a-") and markers.is_position_report(detail, endpoint):
        report, owned = markers.read_position(detail, endpoint=endpoint)
        return report, owned
    if cot_type.startswith(("a-", "b-m-p")):  # a dropped marker, or a map point
        return markers.read_point(callsign, remarks), []
    return None, []


def _nested_event(text: str) -> ET.Element:
    # A freehand stroke: an event in an attribute, read as safely as the event around it.
    return parse_xml(text, what="link")


def _required(element: ET.Element, name: str) -> str:
    value = element.get(name)
    if value is None or not value.strip():
        raise CotError(element.tag, "is missing", attribute=name)
    return value


def _read_point(element: ET.Element | None) -> CotPoint:
    if element is None:
        raise CotError("point", "is missing: a CoT event needs <point lat=... lon=...>")
    return CotPoint(
        lat=read_number(element, "lat"),
        lon=read_number(element, "lon"),
        hae=_height_or_error(element, "hae"),
        ce=_height_or_error(element, "ce"),
        le=_height_or_error(element, "le"),
    )


def _height_or_error(element: ET.Element, name: str) -> float:
    # Senders write hae="NaN" for "no height" (node-CoT); CoT's word for it is 9999999.0.
    value = read_number(element, name, UNKNOWN)
    return value if math.isfinite(value) else UNKNOWN


def _times(
    root: ET.Element, received: datetime | None
) -> tuple[dict[str, datetime], tuple[str, ...]]:
    """Return the event's time, start and stale, and the names of those filled on receipt.

    As FreeTAKServer does for senders that omit them: time is when it was received, start is
    time, stale is start + 60 s.
    """
    given = {name: _time(root, name) for name in _TIMES if root.get(name)}
    filled = tuple(name for name in _TIMES if name not in given)
    moment = (received or datetime.now(UTC)).astimezone(UTC)
    time = given.get("time", moment)
    start = given.get("start", time)
    stale = given.get("stale", max(start, time) + RECEIVED_STALE)
    return {"time": time, "start": start, "stale": stale}, filled


def _dated_on_receipt(filled: tuple[str, ...]) -> str:
    names = ", ".join(f"event@{name}" for name in filled)
    return f"{names} missing: dated when received"


def _time(element: ET.Element, name: str) -> datetime:
    value = _required(element, name)
    try:
        moment = datetime.fromisoformat(value.strip())
        # CoT times are UTC (CoT 2.0 schema); a time written without a zone is read as UTC.
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise CotError("event", f"{value!r} is not an ISO 8601 time", attribute=name) from None


def _newlines(text: str) -> str:
    # An XML parser turns CR LF into LF in text; doing it here too keeps round trips exact.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text_of(element: ET.Element) -> str:
    # Attribute order carries no meaning in XML; sorting makes the kept text canonical, so the
    # same element read from XML or from TAK protobuf compares equal.
    element.tail = None
    for item in element.iter():
        attributes = sorted(item.attrib.items())
        item.attrib.clear()
        item.attrib.update(attributes)
    return ET.tostring(element, encoding="unicode")


def encode_cot(event: CotEvent) -> bytes:
    """Encode an event as CoT XML (UTF-8, with prolog) that ATAK reads the way we did.

    Characters XML cannot carry are written as visible escapes (``\\x1b``); raises ``CotError``
    for an event larger than ``MAX_EVENT_BYTES``.
    """
    data = _PROLOG + ET.tostring(event_element(event), encoding="unicode").encode("utf-8")
    if len(data) > MAX_EVENT_BYTES:
        raise CotError("event", f"would be {len(data)} bytes; at most {MAX_EVENT_BYTES}")
    return data


def event_element(event: CotEvent) -> ET.Element:
    """Build the ``<event>`` element tree of an event."""
    root = ET.Element(
        "event",
        {
            "version": "2.0",
            "uid": event.uid,
            "type": event.type,
            "time": format_cot_time(event.time, "time"),
            "start": format_cot_time(event.start, "start"),
            "stale": format_cot_time(event.stale, "stale"),
        },
    )
    if event.how is not None:
        root.set("how", event.how)
    point = event.point
    ET.SubElement(
        root,
        "point",
        {name: repr(float(getattr(point, name))) for name in ("lat", "lon", "hae", "ce", "le")},
    )
    detail = ET.SubElement(root, "detail")
    contact = {"callsign": event.callsign}
    if isinstance(event.meaning, PositionReport):
        contact["endpoint"] = event.meaning.endpoint
    if any(value is not None for value in contact.values()):
        ET.SubElement(detail, "contact", {k: v for k, v in contact.items() if v is not None})
    detail.extend(_meaning_elements(event))
    for link in event.links:
        attributes = {name: getattr(link, name) for name in _LINK_ATTRIBUTES}
        ET.SubElement(detail, "link", {k: v for k, v in attributes.items() if v is not None})
    if event.remarks is not None or event.remarks_attributes:
        remarks = ET.SubElement(detail, "remarks", dict(event.remarks_attributes))
        remarks.text = None if event.remarks is None else _newlines(event.remarks)
    detail.extend(parse_xml(text, what="other_detail") for text in event.other_detail)
    _escape_characters(root)
    return root


def _meaning_elements(event: CotEvent) -> list[ET.Element]:
    meaning = event.meaning
    if isinstance(meaning, MedevacMarker):
        return [write_medevac(meaning)]
    if isinstance(meaning, ThreatShape):
        envelope = {"uid": event.uid}
        envelope |= {name: format_cot_time(getattr(event, name), name) for name in _TIMES}
        return write_threat(meaning, cot_type=event.type, envelope=envelope)
    if isinstance(meaning, PositionReport):
        return markers.write_position(meaning)
    return []


def format_cot_time(moment: datetime, name: str) -> str:
    # ATAK writes milliseconds and Z; strftime's %Y does not pad years before 1000.
    try:
        utc = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise CotError("event", f"{moment!r} cannot be written in UTC", attribute=name) from None
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
        f"{utc.second:02d}.{utc.microsecond // 1000:03d}Z"
    )


def _escape_characters(root: ET.Element) -> None:
    """Write each character XML 1.0 cannot carry as a visible escape (``\\x1b``, ``\\ud800``).

    A record stored before control characters were refused (docs/tak.md) must still be drawn
    on TAK: the escape shows where the character was instead of refusing the whole marker.
    """
    for element in root.iter():
        for name, value in element.attrib.items():
            if not isinstance(value, str):
                raise CotError(element.tag, "is not text", attribute=name)
            if _NOT_XML.search(value):
                element.set(name, _NOT_XML.sub(_escape, value))
        if element.text is not None and _NOT_XML.search(element.text):
            element.text = _NOT_XML.sub(_escape, element.text)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
