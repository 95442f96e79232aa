"""``goldenhour nineline``: read a hand-typed 9-line MEDEVAC request and print it normalised."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from goldenhour.cli.output import print_error, print_json, print_text
from goldenhour.domain.medevac.nine_line import (
    Equipment,
    Marking,
    Nationality,
    NineLineRequest,
    Security,
)
from goldenhour.domain.medevac.nine_line_json import nine_line_to_json
from goldenhour.domain.medevac.nine_line_text import encode_nine_line, parse_nine_line
from goldenhour.domain.triage.categories import Precedence

# The exit code click gives an unreadable file argument; bad 9-line content also exits 2 (main.py).
_EXIT_UNREADABLE = 2

nineline_app = typer.Typer(
    help="Read, check and normalise 9-line MEDEVAC requests.",
    no_args_is_help=True,
)


@nineline_app.command("parse")
def parse_command(
    file: Annotated[
        str,
        typer.Argument(help="Text file holding the 9-line request, or - for standard input."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Check a 9-line request and print it in the standard form (or as JSON)."""
    request = parse_nine_line(_read_text(file))
    if as_json:
        print_json(nine_line_to_json(request))
    else:
        print_text(encode_nine_line(request))


@nineline_app.command("example")
def example_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Print a valid example 9-line request to start from."""
    request = _example_request()
    if as_json:
        print_json(nine_line_to_json(request))
    else:
        print_text(encode_nine_line(request))


def _read_text(file: str) -> str:
    # utf-8-sig drops the byte-order mark Windows editors write; anything not UTF-8 is refused
    # rather than guessed, since a garbled call sign or grid is worse than no request.
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        return data.decode("utf-8-sig")
    except OSError as error:
        print_error(f"cannot read {file}: {error.strerror or error}")
    except UnicodeDecodeError as error:
        print_error(f"cannot read {file}: not UTF-8 text ({error.reason} at byte {error.start})")
    # sys.exit, not typer.Exit: run() calls the app with standalone_mode=False, where click
    # turns typer.Exit into a return value that run() does not pass on.
    sys.exit(_EXIT_UNREADABLE)


def _example_request() -> NineLineRequest:
    return NineLineRequest(
        location="37U DQ 45019 90123",
        frequency="38.900 MHZ",
        call_sign="KALYNA 21",
        patients_by_precedence={
            Precedence.URGENT: 1,
            Precedence.URGENT_SURGICAL: 1,
            Precedence.PRIORITY: 0,
            Precedence.ROUTINE: 1,
            Precedence.CONVENIENCE: 0,
        },
        equipment=frozenset({Equipment.NONE}),
        litter=2,
        ambulatory=1,
        security=Security.POSSIBLE_ENEMY,
        marking=Marking.OTHER,
        marking_detail="ORANGE CLOTH",
        patients_by_nationality={
            Nationality.OWN_MILITARY: 2,
            Nationality.OWN_CIVILIAN: 1,
            Nationality.OTHER_MILITARY: 0,
            Nationality.OTHER_CIVILIAN: 0,
            Nationality.EPW: 0,
        },
        nbc=frozenset(),
    )
