"""Position reports (SA / PLI), point markers and GeoChat messages read from a CoT event.

A PLI is an atom (``a-...``) that reports its own device: ATAK writes ``<takv>``, ``<track>``,
``<__group>`` and ``contact@endpoint`` beside it (reference atak-pli-sa.xml). An atom without
them is a marker someone dropped (reference atak-marker-usericon.xml), as are ``b-m-p-...``
map points. GeoChat (``b-t-f``) carries its text in ``<remarks>`` and the room in ``<__chat>``.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from goldenhour.adapters.cot.errors import CotError
from goldenhour.adapters.cot.model import ChatMessage, PointKind, PointMarker, PositionReport
from goldenhour.adapters.cot.values import read_number

__all__ = [
    "is_position_report",
    "point_kind",
    "read_chat",
    "read_point",
    "read_position",
    "write_position",
]

_PLI_TAGS = ("__group", "track", "takv")
_TAKV = ("device", "platform", "os", "version")

# Names medics and ATAK users give these points (ATP 4-02.2 abbreviations; our convention).
_POINT_WORDS: tuple[tuple[PointKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"\b(?:{words})\b", re.IGNORECASE))
    for kind, words in (
        (PointKind.EXCHANGE, r"AXP|exchange|обмін\w*"),
        (PointKind.CASUALTY_COLLECTION, r"CCP|casualty collection|collection point"),
        (PointKind.LANDING_ZONE, r"H?LZ|landing zone|майданчик\w*"),
        (PointKind.PICKUP, r"PZ|pick[- ]?up( point)?|евак\w*"),
    )
)


def is_position_report(detail: ET.Element | None, endpoint: str | None) -> bool:
    """Return whether an atom reports its own device's position rather than a marker's."""
    return endpoint is not None or (
        detail is not None and any(detail.find(tag) is not None for tag in _PLI_TAGS)
    )


def read_position(
    detail: ET.Element | None, *, endpoint: str | None
) -> tuple[PositionReport, list[ET.Element]]:
    """Read a position report; return it and the detail children it was read from."""
    if detail is None:
        return PositionReport(endpoint=endpoint), []
    group, track, takv = (detail.find(tag) for tag in _PLI_TAGS)
    report = PositionReport(
        endpoint=endpoint,
        team=None if group is None else group.get("name"),
        role=None if group is None else group.get("role"),
        course=None if track is None else _number(track, "course"),
        speed=None if track is None else _number(track, "speed"),
        **{name: None if takv is None else takv.get(name) for name in _TAKV},
    )
    return report, [element for element in (group, track, takv) if element is not None]


def _number(element: ET.Element, name: str) -> float | None:
    value = element.get(name)
    if value is None:
        return None
    number = read_number(element, name)
    if not math.isfinite(number):
        raise CotError(element.tag, f"{value!r} is not a finite number", attribute=name)
    return number


def write_position(report: PositionReport) -> list[ET.Element]:
    """Write the detail children of a position report (contact is the envelope's)."""
    elements = []
    group = {"name": report.team, "role": report.role}
    if any(value is not None for value in group.values()):
        elements.append(_element("__group", group))
    track = {
        "course": None if report.course is None else repr(report.course),
        "speed": None if report.speed is None else repr(report.speed),
    }
    if any(value is not None for value in track.values()):
        elements.append(_element("track", track))
    takv = {name: getattr(report, name) for name in _TAKV}
    if any(value is not None for value in takv.values()):
        elements.append(_element("takv", takv))
    return elements


def _element(tag: str, attributes: dict[str, str | None]) -> ET.Element:
    return ET.Element(tag, {k: v for k, v in attributes.items() if v is not None})


def point_kind(*texts: str | None) -> PointKind:
    """Return what a point marks, from the words of its name and remarks."""
    joined = " ".join(text for text in texts if text)
    for kind, pattern in _POINT_WORDS:
        if pattern.search(joined):
            return kind
    return PointKind.OTHER


def read_point(callsign: str | None, remarks: str | None) -> PointMarker:
    """Read a point marker from its name and remarks."""
    return PointMarker(kind=point_kind(callsign, remarks))


def read_chat(detail: ET.Element | None, *, remarks: str | None) -> ChatMessage:
    """Read a GeoChat message; ``<__chat>`` stays in the event's other detail as sent."""
    chat = None if detail is None else detail.find("__chat")
    return ChatMessage(
        chatroom=None if chat is None else chat.get("chatroom"),
        sender_callsign=None if chat is None else chat.get("senderCallsign"),
        text=remarks or "",
    )
