"""The radio and TAK forms of a 9-line with MIST: read for people, written for the wire.

``goldenhour cot`` and ``goldenhour compact`` (and ``tak send``, ``card scan``) come through
here. The forms themselves are adapters' (``adapters.cot``, ``adapters.radio``), reached
through the ports below that the command line's wiring builds (``cli.wiring.cot_format``,
``cli.wiring.radio_format``); these use cases hold what is not a form's own: which input is a
threat area and which a 9-line, how long an event may stay current, and which events mean
something to Golden Hour.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Protocol

from goldenhour.domain.errors import ValidationError
from goldenhour.domain.medevac.mist import Mist
from goldenhour.domain.medevac.nine_line import NineLineRequest
from goldenhour.domain.medevac.nine_line_text import parse_nine_line_and_mists

__all__ = [
    "USES",
    "CotFormat",
    "EncodedMessage",
    "EventReading",
    "Framing",
    "MessageForm",
    "MessageReading",
    "RadioFormat",
    "check_events",
    "decode_message",
    "encode_message",
    "message_sizes",
    "read_event",
    "require_meaning",
    "write_event",
]

#: What ``cot decode`` reads, named in the refusal of any other event.
USES = (
    "MEDEVAC markers (b-r-f-h-c), positions (a-...), points (b-m-p-..., u-d-p), "
    "shapes (u-d-...) and chat (b-t-f)"
)


class Framing(Enum):
    """How an event is written: CoT XML, or TAK Protocol v1 for a mesh or a stream."""

    XML = "xml"
    MESH = "mesh"
    STREAM = "stream"


class MessageForm(Enum):
    """How a compact message is written: binary for mesh radio, SMS text, or voice read-back."""

    BINARY = "binary"
    SMS = "sms"
    VOICE = "voice"


class EventReading(Protocol):
    """What a CoT event means, ready to print."""

    @property
    def received_note(self) -> str | None:
        """Say which of the event's times were missing (dated when received), if any."""
        ...

    @property
    def meaningful(self) -> bool:
        """Say whether Golden Hour uses events of this type (``USES``)."""
        ...

    @property
    def unused_reason(self) -> str:
        """Say why the event means nothing to Golden Hour, when it does not."""
        ...

    @property
    def text(self) -> str | None:
        """Return the words for people (the 9-line and MISTs, or a summary); none for an area."""
        ...

    @property
    def geojson(self) -> dict[str, Any] | None:
        """Return a threat area as a GeoJSON Feature."""
        ...

    @property
    def data(self) -> dict[str, Any]:
        """Return everything the event holds, JSON-ready (``--json``)."""
        ...

    @property
    def warnings(self) -> tuple[str, ...]:
        """Return what was kept but is worth a look, said after the text."""
        ...


class MessageReading(Protocol):
    """A compact message as people read it (the 9-line, each MIST, the card essentials)."""

    @property
    def text(self) -> str:
        """Return the message for people."""
        ...

    @property
    def data(self) -> dict[str, Any]:
        """Return the message JSON-ready (``--json``)."""
        ...

    @property
    def warnings(self) -> tuple[str, ...]:
        """Return the problems of its totals."""
        ...


class EncodedMessage(Protocol):
    """A compact message written: what was left out, the payload, and a word on its size."""

    @property
    def notes(self) -> tuple[str, ...]:
        """Return what the source held that the message does not carry."""
        ...

    @property
    def payload(self) -> bytes | str:
        """Return the binary message, or the SMS or voice text."""
        ...

    @property
    def size_note(self) -> str | None:
        """Return the SMS's length and parts."""
        ...

    @property
    def size_warning(self) -> str | None:
        """Return a warning when a binary message is over the design budget."""
        ...


class CotFormat(Protocol):
    """Reads and writes Cursor-on-Target events (XML and TAK Protocol v1)."""

    @property
    def max_event_bytes(self) -> int:
        """Return the size of the largest event read."""
        ...

    def read(self, data: bytes, *, source: str, tak_proto: bool = True) -> EventReading:
        """Return what the event means; raise ``ValidationError`` naming ``source`` if unreadable.

        ``tak_proto``: TAK Protocol v1 is read too (by its magic byte), else only XML.
        """
        ...

    def write_medevac(
        self, request: NineLineRequest, mists: tuple[Mist, ...], *, uid: str, now: datetime,
        stale: timedelta, framing: str,
    ) -> bytes:  # fmt: skip
        """Return a MEDEVAC marker at the centre of line 1's grid square (``Framing`` value)."""
        ...

    def write_threat(
        self, feature: dict[str, Any], *, uid: str, now: datetime, stale: datetime,
        framing: str,
    ) -> bytes:  # fmt: skip
        """Return a drawn threat area from a GeoJSON Feature (``Framing`` value)."""
        ...


class RadioFormat(Protocol):
    """Writes and reads the compact forms of a 9-line with MIST (binary, SMS, voice)."""

    @property
    def max_message_bytes(self) -> int:
        """Return the size of the largest compact message or SMS read."""
        ...

    def encode(self, data: bytes, *, form: str) -> EncodedMessage:
        """Return the message of a CoT MEDEVAC event or a 9-line text (``MessageForm`` value)."""
        ...

    def decode(self, data: bytes) -> MessageReading:
        """Check a compact message (binary or SMS text) and return it as people read it."""
        ...

    def reading(self, message: Any) -> MessageReading:
        """Return a message already decoded (a printed card's QR code) as people read it."""
        ...

    def sizes(self, data: bytes) -> dict[str, int | str | None]:
        """Return the sizes of one 9-line as CoT XML, TAK protobuf, compact binary and SMS."""
        ...


def read_event(cot: CotFormat, data: bytes, *, source: str) -> EventReading:
    """Return what the CoT event (XML or TAK protobuf) read from ``source`` means."""
    return cot.read(data, source=source)


def require_meaning(reading: EventReading) -> None:
    """Raise ``ValidationError`` (field ``event``) unless Golden Hour uses such events."""
    if not reading.meaningful:
        raise ValidationError("event", f"{reading.unused_reason}; it reads {USES}")


def check_events(cot: CotFormat, events: Sequence[tuple[str, bytes]]) -> None:
    """Check that each (source, data) is a readable CoT XML event before any is sent."""
    for source, data in events:
        cot.read(data, source=source, tak_proto=False)


def write_event(
    cot: CotFormat, text: str, *, uid: str, now: datetime, stale_hours: float, framing: Framing
) -> bytes:
    """Write a threat area from a GeoJSON Feature, or a MEDEVAC marker from a 9-line with MISTs.

    The event is current for ``stale_hours`` (more than 0, at most a year).
    """
    if not 0 < stale_hours <= 24 * 365:
        raise ValidationError("--stale-hours", f"{stale_hours} is not between 0 and a year")
    if text.lstrip().startswith("{"):
        try:
            feature = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                "geojson", f"is not JSON ({error.msg} at line {error.lineno})"
            ) from None
        if not isinstance(feature, dict):
            raise ValidationError("geojson", "must be a JSON object")
        stale = now + timedelta(hours=stale_hours)
        return cot.write_threat(feature, uid=uid, now=now, stale=stale, framing=framing.value)
    request, mists = parse_nine_line_and_mists(text)
    return cot.write_medevac(
        request,
        mists,
        uid=uid,
        now=now,
        stale=timedelta(hours=stale_hours),
        framing=framing.value,
    )


def encode_message(radio: RadioFormat, data: bytes, *, form: MessageForm) -> EncodedMessage:
    """Return the compact message of a CoT MEDEVAC event or a 9-line text, in ``form``."""
    return radio.encode(data, form=form.value)


def decode_message(radio: RadioFormat, data: bytes) -> MessageReading:
    """Check a compact message (binary or SMS text) and return its 9-line and MISTs."""
    return radio.decode(data)


def message_sizes(radio: RadioFormat, data: bytes) -> dict[str, int | str | None]:
    """Compare the sizes of one 9-line as CoT XML, TAK protobuf, compact binary and SMS."""
    return radio.sizes(data)
