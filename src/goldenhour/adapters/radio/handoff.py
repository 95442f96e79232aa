"""A casualty with its history, for handing over from phone to phone by QR code (version 2).

The printed card's QR code (``goldenhour.adapters.printing.card_code``) carries the compact
message of version 1: a 9-line and a MIST summary. A summary is not a record: the phone that
receives a casualty must get the entries themselves, with their ids and times, so that the
record syncs without doubles when either phone reaches the server. This form carries them.

The message is the casualty's events in their wire form (``goldenhour.domain.codec``), as a
JSON array in UTF-8, compressed with raw deflate (RFC 1951). It is cut into parts of at most
``PART_BYTES`` bytes, one QR code each, and each part is::

    byte 0        format version (2; the printed card's compact message is 1, MIST text "M")
    byte 1        this part's number, 1..count
    byte 2        the number of parts, 1..MAX_PARTS
    bytes 3..6    CRC-32 (zlib.crc32, big-endian) of the whole deflated message
    bytes 7..     this part's piece of the deflated message

The CRC-32 ties the parts of one message together (a part of another casualty's codes is
refused) and checks the joined message: QR codes correct what they can, and a message whose
CRC differs is refused whole, so nothing from a damaged code is imported.

web/src/handoff/codec.ts is the same codec in the browser; tests/goldens/handoff holds the
vectors both decode.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from goldenhour.adapters.radio.errors import CompactError
from goldenhour.domain.casualty.events import EVENT_TYPES as CASUALTY_KINDS
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import decode_event
from goldenhour.domain.errors import ValidationError

__all__ = [
    "HANDOFF_VERSION",
    "MAX_PARTS",
    "PART_BYTES",
    "HandoffPart",
    "decode_handoff",
    "encode_handoff",
    "read_part",
]

HANDOFF_VERSION = 2
#: Bytes of message per QR code: a version 15 code at error correction M (412 bytes) holds it
#: with its header, dense enough for one screen and sparse enough for a phone's camera.
PART_BYTES = 360
MAX_PARTS = 64
_HEADER = 7
#: Largest history read: far above any card's, small enough to refuse a deflate bomb.
MAX_HISTORY_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class HandoffPart:
    """One QR code's part of a handoff message."""

    index: int  # 1..count
    count: int
    message_id: int  # CRC-32 of the whole deflated message
    chunk: bytes


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY)
    return packer.compress(data) + packer.flush()


def encode_handoff(
    events: Sequence[dict[str, Any]], *, part_bytes: int = PART_BYTES
) -> list[bytes]:
    """Return the QR payloads (one per code, in order) carrying one casualty's ``events``.

    ``events`` are wire dicts (``encode_event``), written as given so the receiving phone sends
    the very entries the first phone made. Raises ``CompactError`` for events of more than one
    casualty, none, or a history that needs more than ``MAX_PARTS`` codes.
    """
    _check_history(list(events))
    body = json.dumps(list(events), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    deflated = _deflate(body)
    count = max(1, -(-len(deflated) // part_bytes))
    if count > MAX_PARTS:
        raise CompactError("length", f"{count} QR codes needed; at most {MAX_PARTS}")
    message_id = zlib.crc32(deflated)
    header = message_id.to_bytes(4, "big")
    return [
        bytes([HANDOFF_VERSION, index + 1, count])
        + header
        + deflated[index * part_bytes : (index + 1) * part_bytes]
        for index in range(count)
    ]


def read_part(data: bytes) -> HandoffPart:
    """Read one QR code's payload; ``CompactError`` if it is not a part of a handoff."""
    if len(data) < _HEADER or data[0] != HANDOFF_VERSION:
        raise CompactError("version", "not a Golden Hour handoff code (version 2)")
    index, count = data[1], data[2]
    if not 1 <= count <= MAX_PARTS or not 1 <= index <= count:
        raise CompactError("part", f"part {index} of {count} is not a part of a handoff")
    return HandoffPart(
        index=index, count=count, message_id=int.from_bytes(data[3:7], "big"), chunk=data[7:]
    )


def decode_handoff(payloads: Iterable[bytes]) -> list[dict[str, Any]]:
    """Join the parts (any order, repeats allowed) and return the casualty's events as sent.

    Raises ``CompactError``: a payload that is not ours (``version``), parts of two messages
    (``part``), a part missing (``parts``), a damaged message (``checksum``), or content that is
    not one casualty's valid events (``events[i].field``). Nothing is returned from a message
    that raises: a handoff is imported whole or not at all.
    """
    parts: dict[int, HandoffPart] = {}
    for payload in payloads:
        part = read_part(payload)
        first = next(iter(parts.values()), None)
        if first is not None and (first.message_id, first.count) != (part.message_id, part.count):
            raise CompactError("part", "codes of two different handoffs")
        parts[part.index] = part
    if not parts:
        raise CompactError("parts", "no code read")
    count = next(iter(parts.values())).count
    missing = [index for index in range(1, count + 1) if index not in parts]
    if missing:
        raise CompactError("parts", f"missing part(s) {', '.join(map(str, missing))} of {count}")
    deflated = b"".join(parts[index].chunk for index in range(1, count + 1))
    if zlib.crc32(deflated) != parts[1].message_id:
        raise CompactError("checksum", "the codes are damaged (CRC-32 differs)")
    unpacker = zlib.decompressobj(-15)
    try:
        body = unpacker.decompress(deflated, MAX_HISTORY_BYTES)
    except zlib.error as error:
        raise CompactError("checksum", f"not a deflated history ({error})") from None
    if unpacker.unconsumed_tail or not unpacker.eof:
        raise CompactError("length", f"more than {MAX_HISTORY_BYTES} bytes, or cut short")
    try:
        events = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise CompactError("events", "not a JSON list of events") from None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise CompactError("events", "not a JSON list of events")
    _check_history(events)
    return events


def _check_history(events: list[Any]) -> None:
    """Refuse anything but valid casualty events, all of one casualty."""
    if not events:
        raise CompactError("events", "no events")
    casualties: set[UUID] = set()
    for index, raw in enumerate(events):
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if kind not in CASUALTY_KINDS:
            raise CompactError(f"events[{index}].kind", f"{kind!r} is not a casualty's entry")
        try:
            event = decode_event(raw)
        except ValidationError as error:
            raise CompactError(f"events[{index}].{error.field}", error.reason) from None
        assert isinstance(event, CasualtyEvent)  # its kind is one of CASUALTY_KINDS
        casualties.add(event.casualty_id)
    if len(casualties) > 1:
        raise CompactError("events", "entries of more than one casualty")
