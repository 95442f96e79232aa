"""``goldenhour compact``: a 9-line with MIST as a compact radio message or SMS text, and back."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from goldenhour.adapters.cot import MAX_EVENT_BYTES, CotError, MedevacMarker, encode_cot
from goldenhour.adapters.cot.proto_codec import TakFraming, encode_tak_proto
from goldenhour.adapters.radio import (
    DESIGN_BUDGET,
    MESHTASTIC_MAX_PAYLOAD,
    CasualtyHandover,
    CompactMessage,
    decode_compact,
    decode_sms,
    encode_compact,
    encode_sms,
    sms_parts,
    voice_readback,
)
from goldenhour.adapters.radio.sms import MAX_SMS_CHARACTERS, essentials_text
from goldenhour.cli.cot import (
    decode_event,
    medevac_event,
    print_warning,
    read_input,
    split_nine_line_and_mists,
    utf8,
)
from goldenhour.cli.output import print_json, print_text
from goldenhour.domain.medevac.mist import encode_mist
from goldenhour.domain.medevac.nine_line_json import nine_line_to_json
from goldenhour.domain.medevac.nine_line_text import encode_nine_line

compact_app = typer.Typer(
    help="Compact 9-line + MIST messages for mesh radio (binary) and SMS (text).",
    no_args_is_help=True,
)

_INPUT_HELP = "A CoT MEDEVAC event (XML or TAK protobuf) or a 9-line text with MISTs; - for stdin."
# ATAK fields a compact message has no room for, by the marker attribute that holds them.
_NOT_CARRIED = {
    "title": "title",
    "medline_remarks": "MEDLINE remarks",
    "equipment_detail": "line 4 other equipment",
    "children": "line 8 child count",
    "extras": "attributes kept as sent",
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
    request, mists = split_nine_line_and_mists(utf8(data, "input"))
    return CompactMessage(
        request=request, casualties=tuple(CasualtyHandover(mist=mist) for mist in mists)
    ), []


def _hlz(marker: MedevacMarker) -> bool:
    hlz = marker.hlz
    return any(getattr(hlz, name) is not None for name in hlz.__dataclass_fields__)


@compact_app.command("encode")
def encode_command(
    file: Annotated[str, typer.Argument(help=_INPUT_HELP)],
    text: Annotated[bool, typer.Option("--text", help="Write the SMS text form.")] = False,
    voice: Annotated[bool, typer.Option("--voice", help="Write the voice read-back.")] = False,
) -> None:
    """Write the compact binary message to standard output (or its SMS or voice text)."""
    message, notes = read_message_source(read_input(file, limit=MAX_EVENT_BYTES))
    for note in notes:
        print_warning(note)
    if voice:
        print_text(voice_readback(message))
    elif text:
        sms = encode_sms(message)
        parts = sms_parts(sms)
        print_text(sms)
        notice = f"{len(sms)} characters, {parts.encoding}, {parts.parts} SMS part(s)"
        print_warning(notice, label="note")
    else:
        data = encode_compact(message)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        if len(data) > DESIGN_BUDGET:
            print_warning(
                f"{len(data)} bytes: over the {DESIGN_BUDGET}-byte design budget"
                f" (one Meshtastic packet holds {MESHTASTIC_MAX_PAYLOAD})"
            )


@compact_app.command("decode")
def decode_command(
    file: Annotated[str, typer.Argument(help="A compact binary message or SMS text; - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check a compact message (binary or SMS text) and print its 9-line and MISTs."""
    data = read_input(file, limit=MAX_SMS_CHARACTERS * 4)
    if data.lstrip()[:3] == b"GH1":
        message = decode_sms(utf8(data, "sms"))
    else:
        message = decode_compact(data)
    warnings = [str(problem) for problem in message.request.total_problems()]
    if as_json:
        print_json(message_json(message, warnings))
        return
    print_text(message_text(message))
    for warning in warnings:
        print_warning(warning)


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


@compact_app.command("sizes")
def sizes_command(
    file: Annotated[str, typer.Argument(help=_INPUT_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compare the sizes of one 9-line as CoT XML, TAK protobuf, compact binary and SMS."""
    data = read_input(file, limit=MAX_EVENT_BYTES)
    message, _ = read_message_source(data)
    if data[:1] == b"\xbf" or data.lstrip()[:1] == b"<":
        event = decode_event(data)
        original = len(data)
    else:
        moment = datetime(2000, 1, 1, tzinfo=UTC)
        mists = tuple(handover.mist for handover in message.casualties)
        event = medevac_event(
            message.request, mists, uid=f"{0:032x}", now=moment, stale=timedelta(hours=24)
        )
        original = None
    sms = encode_sms(message)
    parts = sms_parts(sms)
    rows = {
        "cot_xml_given": original,
        "cot_xml": len(encode_cot(event)),
        "tak_protobuf_mesh": len(encode_tak_proto(event, framing=TakFraming.MESH)),
        "tak_protobuf_stream": len(encode_tak_proto(event, framing=TakFraming.STREAM)),
        "compact_binary": len(encode_compact(message)),
        "sms_characters": len(sms),
        "sms_parts": parts.parts,
        "sms_encoding": parts.encoding,
    }
    if as_json:
        print_json(rows)
        return
    print_text(
        "\n".join(f"{name:<20} {value}" for name, value in rows.items() if value is not None)
    )
