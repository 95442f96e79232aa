"""The compact forms of a 9-line with MIST as ``services.formats.RadioFormat``.

``goldenhour compact`` (and ``card scan``) write a CoT MEDEVAC event or a 9-line text as the
compact binary message, its SMS text or its voice read-back, read one back for people, and
compare the sizes of the forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from goldenhour.adapters.cot import CotError, MedevacMarker, encode_cot
from goldenhour.adapters.cot.proto_codec import TakFraming, encode_tak_proto
from goldenhour.adapters.cot.tool import decode_event, medevac_event, utf8
from goldenhour.adapters.radio.compact import (
    DESIGN_BUDGET,
    MESHTASTIC_MAX_PAYLOAD,
    decode_compact,
    encode_compact,
)
from goldenhour.adapters.radio.model import CasualtyHandover, CompactMessage
from goldenhour.adapters.radio.sms import (
    MAX_SMS_CHARACTERS,
    decode_sms,
    encode_sms,
    essentials_text,
    sms_parts,
)
from goldenhour.adapters.radio.voice import voice_readback
from goldenhour.domain.medevac.mist import encode_mist
from goldenhour.domain.medevac.nine_line_json import nine_line_to_json
from goldenhour.domain.medevac.nine_line_text import encode_nine_line, parse_nine_line_and_mists

__all__ = [
    "RadioEncoding", "RadioFormats", "RadioReading", "message_json", "message_text",
    "read_message_source",
]  # fmt: skip

# ATAK fields a compact message has no room for, by the marker attribute that holds them.
_NOT_CARRIED = {
    "title": "title",
    "medline_remarks": "MEDLINE remarks",
    "equipment_detail": "line 4 other equipment",
    "children": "line 8 child count",
    "extras": "attributes kept as sent",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class RadioReading:
    """A compact message as people read it (``services.formats.MessageReading``)."""

    text: str
    data: dict[str, Any]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RadioEncoding:
    """A compact message written (``services.formats.EncodedMessage``)."""

    notes: tuple[str, ...]
    payload: bytes | str
    size_note: str | None
    size_warning: str | None


class RadioFormats:
    """The compact binary message, its SMS text and voice read-back."""

    @property
    def max_message_bytes(self) -> int:
        """Return the size of the largest compact message or SMS read."""
        return MAX_SMS_CHARACTERS * 4

    def encode(self, data: bytes, *, form: str) -> RadioEncoding:
        """Return the message of a CoT MEDEVAC event or a 9-line text, in ``form``: ``binary``,
        ``sms`` or ``voice``."""
        message, notes = read_message_source(data)
        if form == "voice":
            return RadioEncoding(
                notes=tuple(notes), payload=voice_readback(message), size_note=None,
                size_warning=None,
            )  # fmt: skip
        if form == "sms":
            sms = encode_sms(message)
            parts = sms_parts(sms)
            return RadioEncoding(
                notes=tuple(notes), payload=sms, size_warning=None,
                size_note=f"{len(sms)} characters, {parts.encoding}, {parts.parts} SMS part(s)",
            )  # fmt: skip
        binary = encode_compact(message)
        over = (
            f"{len(binary)} bytes: over the {DESIGN_BUDGET}-byte design budget"
            f" (one Meshtastic packet holds {MESHTASTIC_MAX_PAYLOAD})"
        )
        return RadioEncoding(
            notes=tuple(notes), payload=binary, size_note=None,
            size_warning=over if len(binary) > DESIGN_BUDGET else None,
        )  # fmt: skip

    def decode(self, data: bytes) -> RadioReading:
        """Check a compact message (binary, or SMS text starting ``GH1``) and read it."""
        if data.lstrip()[:3] == b"GH1":
            message = decode_sms(utf8(data, "sms"))
        else:
            message = decode_compact(data)
        return self.reading(message)

    def reading(self, message: Any) -> RadioReading:
        """Return a decoded message as people read it, with the problems of its totals."""
        warnings = [str(problem) for problem in message.request.total_problems()]
        return RadioReading(
            text=message_text(message), data=message_json(message, warnings),
            warnings=tuple(warnings),
        )  # fmt: skip

    def sizes(self, data: bytes) -> dict[str, int | str | None]:
        """Return the sizes of one 9-line as CoT XML, TAK protobuf, compact binary and SMS."""
        message, _ = read_message_source(data)
        if data[:1] == b"\xbf" or data.lstrip()[:1] == b"<":
            event = decode_event(data)
            original: int | None = len(data)
        else:
            moment = datetime(2000, 1, 1, tzinfo=UTC)
            mists = tuple(handover.mist for handover in message.casualties)
            event = medevac_event(
                message.request, mists, uid=f"{0:032x}", now=moment, stale=timedelta(hours=24)
            )
            original = None
        sms = encode_sms(message)
        parts = sms_parts(sms)
        return {
            "cot_xml_given": original,
            "cot_xml": len(encode_cot(event)),
            "tak_protobuf_mesh": len(encode_tak_proto(event, framing=TakFraming.MESH)),
            "tak_protobuf_stream": len(encode_tak_proto(event, framing=TakFraming.STREAM)),
            "compact_binary": len(encode_compact(message)),
            "sms_characters": len(sms),
            "sms_parts": parts.parts,
            "sms_encoding": parts.encoding,
        }


def read_message_source(data: bytes) -> tuple[CompactMessage, list[str]]:
    """Return the message a CoT event or 9-line text holds, and notes on what was left out."""
    if data[:1] == b"\xbf" or data.lstrip()[:1] == b"<":
        event = decode_event(data)
        marker = event.meaning
        if not isinstance(marker, MedevacMarker):
            raise CotError("event", f"type {event.type!r} is not a MEDEVAC marker (b-r-f-h-c)")
        if marker.nine_line is None:
            raise CotError("_medevac_", "; ".join(marker.warnings))
        left_out = [words for name, words in _NOT_CARRIED.items() if getattr(marker, name)]
        if _hlz(marker):
            left_out.append("HLZ brief")
        notes = list(marker.warnings)
        if left_out:
            notes.append(f"not carried by the compact form: {', '.join(left_out)}")
        message = CompactMessage(
            request=marker.nine_line,
            casualties=tuple(CasualtyHandover(mist=entry.mist) for entry in marker.mists),
            casevac=marker.casevac,
        )
        return message, notes
    request, mists = parse_nine_line_and_mists(utf8(data, "input"))
    return CompactMessage(
        request=request, casualties=tuple(CasualtyHandover(mist=mist) for mist in mists)
    ), []


def _hlz(marker: MedevacMarker) -> bool:
    hlz = marker.hlz
    return any(getattr(hlz, name) is not None for name in hlz.__dataclass_fields__)


def message_text(message: CompactMessage) -> str:
    """Return a compact message as people read it: the 9-line, each MIST, the card essentials."""
    blocks = [encode_nine_line(message.request)]
    blocks += [encode_mist(handover.mist) + "\n" for handover in message.casualties]
    cards = [
        f"CARD {handover.mist.zap}: {essentials_text(handover)}"
        for handover in message.casualties
        if essentials_text(handover)
    ]
    if cards:
        blocks.append("\n".join(cards) + "\n")
    return ("CASEVAC\n" if message.casevac else "") + "\n".join(blocks)


def message_json(message: CompactMessage, warnings: list[str]) -> dict[str, Any]:
    """Return a decoded message as JSON-ready data."""
    return {
        "casevac": message.casevac,
        "nine_line": nine_line_to_json(message.request),
        "casualties": [
            {"mist": encode_mist(handover.mist), "card": essentials_text(handover) or None}
            for handover in message.casualties
        ],
        "warnings": warnings,
    }
