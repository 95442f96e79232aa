"""TAK Protocol v1 (protobuf, via takproto's ``TakMessage``) to and from ``CotEvent``.

Framing is TAK Protocol v1's: mesh (UDP) messages start ``0xbf 0x01 0xbf`` and then the
protobuf; stream (TCP) messages start ``0xbf``, then the protobuf's length as a varint. The
typed detail fields (contact, __group, precisionlocation, status, takv, track) are used when they
hold an element exactly; every other detail element travels as XML in ``xmlDetail``, which is
parsed with the same safe parser as CoT XML. takproto's own XML helpers use the standard
library parser, so only its generated message class is used here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from goldenhour.adapters.cot.errors import CotError
from goldenhour.adapters.cot.model import CotEvent
from goldenhour.adapters.cot.xml_codec import (
    MAX_EVENT_BYTES,
    event_element,
    format_cot_time,
    parse_xml,
    read_event,
)

__all__ = ["TakFraming", "decode_tak_proto", "encode_tak_proto"]

_MAGIC = 0xBF
_MESH_HEADER = bytes((_MAGIC, 0x01, _MAGIC))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Detail elements with a typed protobuf field, and the attributes that field holds.
_TYPED = {
    "contact": ("contact", ("endpoint", "callsign")),
    "__group": ("group", ("name", "role")),
    "precisionlocation": ("precisionLocation", ("geopointsrc", "altsrc")),
    "takv": ("takv", ("device", "platform", "os", "version")),
}


class TakFraming(Enum):
    """How a TAK Protocol v1 message is framed: mesh (UDP multicast) or stream (TCP)."""

    MESH = "mesh"
    STREAM = "stream"


def decode_tak_proto(data: bytes) -> CotEvent:
    """Decode a TAK Protocol v1 message (mesh or stream framing) into an event.

    Raises ``CotError`` (element ``takproto`` or the CoT element at fault) for anything else.
    """
    # protobuf and takproto's generated classes are imported when a message is read or written,
    # not with the package: most users of ``goldenhour.adapters.cot`` handle only XML.
    from google.protobuf.message import DecodeError  # type: ignore[import-untyped]
    from takproto.proto import TakMessage  # type: ignore[import-untyped]

    message = TakMessage()
    try:
        message.ParseFromString(_unframe(data))
    except DecodeError as error:
        raise CotError("takproto", f"is not a TAK protobuf message ({error})") from None
    if not message.HasField("cotEvent"):
        raise CotError("takproto", "holds no cotEvent")
    return read_event(_event_element(message.cotEvent))


def _unframe(data: bytes) -> bytes:
    if not isinstance(data, bytes | bytearray):
        raise CotError("takproto", "is not bytes")
    if len(data) > MAX_EVENT_BYTES:
        raise CotError("takproto", f"is {len(data)} bytes; at most {MAX_EVENT_BYTES} are read")
    if data[:3] == _MESH_HEADER:
        return bytes(data[3:])
    if data[:1] != bytes((_MAGIC,)):
        raise CotError("takproto", "does not start with 0xbf: not TAK Protocol v1")
    length, position = 0, 1
    for shift in range(0, 64, 7):
        if position >= len(data):
            raise CotError("takproto", "ends inside its length prefix")
        byte = data[position]
        position += 1
        length |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
    if len(data) - position != length:
        found = len(data) - position
        raise CotError("takproto", f"says {length} bytes follow but {found} do")
    return bytes(data[position:])


def _time(milliseconds: int, name: str) -> str:
    try:
        return format_cot_time(_EPOCH + timedelta(milliseconds=milliseconds), name)
    except OverflowError:
        raise CotError("takproto", f"{milliseconds} ms is not a time", attribute=name) from None


def _event_element(cot: Any) -> ET.Element:
    root = ET.Element("event", {"version": "2.0", "uid": cot.uid, "type": cot.type})
    for attribute, field in (("time", "sendTime"), ("start", "startTime"), ("stale", "staleTime")):
        root.set(attribute, _time(getattr(cot, field), attribute))
    if cot.how:
        root.set("how", cot.how)
    ET.SubElement(
        root,
        "point",
        {name: repr(getattr(cot, name)) for name in ("lat", "lon", "hae", "ce", "le")},
    )
    if not cot.HasField("detail"):
        return root
    detail = cot.detail
    element = parse_xml(f"<detail>{detail.xmlDetail}</detail>", what="xmlDetail")
    for tag, (field, attributes) in _TYPED.items():
        if detail.HasField(field):
            typed = getattr(detail, field)
            values = {name: getattr(typed, name) for name in attributes}
            ET.SubElement(element, tag, {k: v for k, v in values.items() if v})
    if detail.HasField("status"):
        ET.SubElement(element, "status", {"battery": str(detail.status.battery)})
    if detail.HasField("track"):
        track = {"course": repr(detail.track.course), "speed": repr(detail.track.speed)}
        ET.SubElement(element, "track", track)
    root.append(element)
    return root


def encode_tak_proto(event: CotEvent, *, framing: TakFraming = TakFraming.MESH) -> bytes:
    """Encode an event as a TAK Protocol v1 message, mesh-framed unless told otherwise.

    Raises ``CotError`` for what the XML encoder refuses.
    """
    from takproto.proto import TakMessage

    root = event_element(event)
    message = TakMessage()
    cot = message.cotEvent
    cot.uid, cot.type = event.uid, event.type
    if event.how is not None:
        cot.how = event.how
    for attribute, field in (("time", "sendTime"), ("start", "startTime"), ("stale", "staleTime")):
        moment: datetime = getattr(event, attribute)
        milliseconds = (moment - _EPOCH) // timedelta(milliseconds=1)
        if not 0 <= milliseconds < 2**64:
            raise CotError("event", "is before 1970 or too far ahead", attribute=attribute)
        setattr(cot, field, milliseconds)
    for name in ("lat", "lon", "hae", "ce", "le"):
        setattr(cot, name, float(getattr(event.point, name)))
    detail = root.find("detail")
    xml_parts = [
        ET.tostring(child, encoding="unicode")
        for child in (detail if detail is not None else [])
        if not _set_typed(cot.detail, child)
    ]
    cot.detail.xmlDetail = "".join(xml_parts)
    payload: bytes = message.SerializeToString()
    if framing is TakFraming.MESH:
        return _MESH_HEADER + payload
    return bytes((_MAGIC,)) + _varint(len(payload)) + payload


def _set_typed(detail: Any, child: ET.Element) -> bool:
    """Put ``child`` in its typed field when that holds it exactly; say whether it did."""
    attributes = dict(child.attrib)
    if len(child) or (child.text or "").strip():
        return False
    if child.tag in _TYPED:
        field, names = _TYPED[child.tag]
        if detail.HasField(field) or not set(attributes) <= set(names):
            return False
        if not all(attributes.values()):
            return False
        typed = getattr(detail, field)
        typed.SetInParent()
        for name, value in attributes.items():
            setattr(typed, name, value)
        return True
    if child.tag == "status" and set(attributes) == {"battery"} and not detail.HasField("status"):
        battery = attributes["battery"]
        if battery.isascii() and battery.isdigit() and str(int(battery)) == battery:
            if int(battery) < 2**32:
                detail.status.battery = int(battery)
                return True
    if child.tag == "track" and set(attributes) == {"course", "speed"}:
        return _set_track(detail, attributes)
    return False


def _set_track(detail: Any, attributes: dict[str, str]) -> bool:
    try:
        values = {name: float(value) for name, value in attributes.items()}
    except ValueError:
        return False
    if detail.HasField("track") or any(repr(values[n]) != attributes[n] for n in values):
        return False
    detail.track.course, detail.track.speed = values["course"], values["speed"]
    return True


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)
