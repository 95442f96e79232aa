"""``goldenhour cot``: read a TAK Cursor-on-Target event and say what it means, or write one."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from goldenhour.cli import wiring
from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.times import resolve_now
from goldenhour.domain.errors import ValidationError
from goldenhour.services.formats import Framing, read_event, require_meaning, write_event

cot_app = typer.Typer(
    help="Read and write TAK Cursor-on-Target events (CoT XML and TAK Protocol v1).",
    no_args_is_help=True,
)

#: How ``cot encode`` writes the event.
OutputFormat = Framing


def print_warning(message: str, *, label: str = "warning") -> None:
    """Print a warning (data kept, but worth a look) or a note on standard error."""
    Console(stderr=True, soft_wrap=True, highlight=False).print(
        f"[bold yellow]{label}:[/] {escape(message)}", markup=True
    )


def read_input(file: str, *, limit: int) -> bytes:
    """Return the bytes of ``file`` (``-`` for standard input), refusing more than ``limit``.

    The size is checked before reading a file, and standard input is read only to ``limit``,
    so a 100 MB body is refused at once. Raises ``ValidationError`` (field ``input``) for an
    unreadable or large input.
    """
    try:
        if file == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            path = Path(file)
            if path.stat().st_size > limit:
                raise ValidationError(
                    "input", f"{file} is {path.stat().st_size} bytes; at most {limit}"
                )
            data = path.read_bytes()
    except OSError as error:
        raise ValidationError("input", f"cannot read {file}: {error.strerror or error}") from None
    if len(data) > limit:
        raise ValidationError("input", f"more than {limit} bytes on standard input")
    return data


def utf8(data: bytes, what: str) -> str:
    """Return ``data`` as UTF-8 text (a byte-order mark dropped) or raise ``ValidationError``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            what, f"is not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None


@cot_app.command("decode")
def decode_command(
    file: Annotated[str, typer.Argument(help="CoT XML or TAK protobuf file, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print everything as JSON.")] = False,
) -> None:
    """Say what a CoT event means: a MEDEVAC 9-line with MISTs, a position, a point, a threat
    area (GeoJSON) or a chat message. Events of other types exit 2."""
    cot = wiring.cot_format()
    reading = read_event(cot, read_input(file, limit=cot.max_event_bytes), source=file)
    if reading.received_note:
        print_warning(reading.received_note)
    require_meaning(reading)
    if as_json:
        print_json(reading.data)
        return
    if reading.geojson is not None:
        print_json(reading.geojson)
        return
    print_text(reading.text or "")
    for warning in reading.warnings:
        print_warning(warning)


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
    cot = wiring.cot_format()
    text = utf8(read_input(file, limit=cot.max_event_bytes), "input")
    moment = resolve_now(now)
    data = write_event(
        cot, text, uid=uid or str(uuid.uuid4()), now=moment, stale_hours=stale_hours,
        framing=output_format,
    )  # fmt: skip
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
