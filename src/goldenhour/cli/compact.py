"""``goldenhour compact``: a 9-line with MIST as a compact radio message or SMS text, and back."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from goldenhour.cli import wiring
from goldenhour.cli.cot import print_warning, read_input
from goldenhour.cli.output import print_json, print_text
from goldenhour.services.formats import (
    MessageForm,
    decode_message,
    encode_message,
    message_sizes,
)

compact_app = typer.Typer(
    help="Compact 9-line + MIST messages for mesh radio (binary) and SMS (text).",
    no_args_is_help=True,
)

_INPUT_HELP = "A CoT MEDEVAC event (XML or TAK protobuf) or a 9-line text with MISTs; - for stdin."


@compact_app.command("encode")
def encode_command(
    file: Annotated[str, typer.Argument(help=_INPUT_HELP)],
    text: Annotated[bool, typer.Option("--text", help="Write the SMS text form.")] = False,
    voice: Annotated[bool, typer.Option("--voice", help="Write the voice read-back.")] = False,
) -> None:
    """Write the compact binary message to standard output (or its SMS or voice text)."""
    form = MessageForm.VOICE if voice else MessageForm.SMS if text else MessageForm.BINARY
    data = read_input(file, limit=wiring.cot_format().max_event_bytes)
    encoded = encode_message(wiring.radio_format(), data, form=form)
    for note in encoded.notes:
        print_warning(note)
    if isinstance(encoded.payload, str):
        print_text(encoded.payload)
    else:
        sys.stdout.buffer.write(encoded.payload)
        sys.stdout.buffer.flush()
    if encoded.size_note:
        print_warning(encoded.size_note, label="note")
    if encoded.size_warning:
        print_warning(encoded.size_warning)


@compact_app.command("decode")
def decode_command(
    file: Annotated[str, typer.Argument(help="A compact binary message or SMS text; - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check a compact message (binary or SMS text) and print its 9-line and MISTs."""
    radio = wiring.radio_format()
    reading = decode_message(radio, read_input(file, limit=radio.max_message_bytes))
    if as_json:
        print_json(reading.data)
        return
    print_text(reading.text)
    for warning in reading.warnings:
        print_warning(warning)


@compact_app.command("sizes")
def sizes_command(
    file: Annotated[str, typer.Argument(help=_INPUT_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compare the sizes of one 9-line as CoT XML, TAK protobuf, compact binary and SMS."""
    data = read_input(file, limit=wiring.cot_format().max_event_bytes)
    rows = message_sizes(wiring.radio_format(), data)
    if as_json:
        print_json(rows)
        return
    print_text(
        "\n".join(f"{name:<20} {value}" for name, value in rows.items() if value is not None)
    )
