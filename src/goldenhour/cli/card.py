"""``goldenhour card``: derive a casualty's card from its events, print it, and scan it back."""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import typer

from goldenhour.cli.card_view import card_text
from goldenhour.cli.output import print_error, print_json, print_text
from goldenhour.cli.times import resolve_now
from goldenhour.domain.casualty.card import Card
from goldenhour.domain.errors import CasualtyNotFoundError, EventCodecError, ValidationError
from goldenhour.domain.medevac.nine_line import Marking, Security
from goldenhour.services.cards import (
    card_from_events,
    card_report,
    casualty_history,
    events_from_text,
)

card_app = typer.Typer(
    help="Casualty cards derived from their event history.", no_args_is_help=True
)

#: Largest server answer read: a long history is far smaller.
MAX_SERVER_BYTES = 20_000_000
_EVENTS_HELP = "JSON list of events (as 'goldenhour demo --json' shows them), or - for stdin."


def read_source(path: str) -> str:
    """Return the text of ``path``, or standard input for ``-``."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EventCodecError("file", f"cannot read {path}: {error}") from error


def _card_from_file(events_file: str, *, now: datetime) -> Card:
    events = events_from_text(read_source(events_file))
    return casualty_history(events, events[0].casualty_id, now=now).card()


def _card_from_server(server: str, casualty: str, *, token_env: str, now: datetime) -> Card:
    try:
        casualty_id = UUID(casualty)
    except ValueError:
        raise ValidationError("ID", f"{casualty!r} is not a casualty id (a UUID)") from None
    token = os.environ.get(token_env)
    if not token:
        raise ValidationError("--token-env", f"the environment variable {token_env} is not set")
    url = f"{server.rstrip('/')}/api/v1/casualties/{casualty_id}"
    if not url.startswith(("http://", "https://")):
        raise ValidationError("--server", f"{server!r} is not an http(s) URL")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = answer.read(MAX_SERVER_BYTES + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise CasualtyNotFoundError(f"casualty {casualty_id} not found on {server}") from None
        print_error(f"{url}: the server answered {error.code} {error.reason}")
        raise typer.Exit(1) from None
    except (urllib.error.URLError, OSError) as error:
        print_error(f"{url}: {error}")
        raise typer.Exit(1) from None
    if len(body) > MAX_SERVER_BYTES:
        raise EventCodecError("server", f"answer over {MAX_SERVER_BYTES} bytes")
    try:
        history = json.loads(body)["history"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise EventCodecError("server", f"not a casualty's history: {error}") from None
    return card_from_events(history, now=now)


@card_app.command("show")
def show(
    events_file: Annotated[str, typer.Argument(help=_EVENTS_HELP)],
    now: Annotated[str | None, typer.Option(help="Reckon clocks at this ISO 8601 time.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Fold a file of casualty events into the current card; every event is validated."""
    moment = resolve_now(now)
    card = _card_from_file(events_file, now=moment)
    if as_json:
        print_json(card_report(card, now=moment))
    else:
        print_text(card_text(card, now=moment))


def _code(enum: type[Security] | type[Marking], value: str | None, option: str) -> Any:
    if value is None:
        return None
    try:
        return enum(value.strip().upper())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValidationError(option, f"{value!r}; allowed: {allowed}") from None


@card_app.command("pdf")
def pdf(
    source: Annotated[
        str, typer.Argument(help=f"{_EVENTS_HELP} With --server: the casualty's id.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF.")],
    now: Annotated[
        str | None, typer.Option(help="Print as of this ISO 8601 time (default: now).")
    ] = None,
    frequency: Annotated[
        str | None, typer.Option(help="9-line line 2 frequency [default: the server setting].")
    ] = None,
    call_sign: Annotated[
        str | None, typer.Option(help="9-line line 2 call sign [default: the server setting].")
    ] = None,
    security: Annotated[str | None, typer.Option(help="9-line line 6: N, P, E or X.")] = None,
    marking: Annotated[str | None, typer.Option(help="9-line line 7: A, B, C, D or E.")] = None,
    server: Annotated[
        str | None, typer.Option(help="Fetch the casualty's history from this Golden Hour URL.")
    ] = None,
    token_env: Annotated[
        str, typer.Option(help="Environment variable holding the bearer token for --server.")
    ] = "GOLDENHOUR_TOKEN",
) -> None:
    """Print the card as a PDF (DD 1380 + Form 100) with a QR code of its 9-line and MIST."""
    from goldenhour.cli.wiring import card_printer
    from goldenhour.config import Settings
    from goldenhour.services.printing import print_card

    moment = resolve_now(now)
    if server is not None:
        card = _card_from_server(server, source, token_env=token_env, now=moment)
    else:
        card = _card_from_file(source, now=moment)
    settings = Settings() if frequency is None or call_sign is None else None
    printed = print_card(
        card_printer(), card, now=moment,
        frequency=frequency or (settings.radio_frequency if settings else ""),
        call_sign=call_sign or (settings.radio_call_sign if settings else ""),
        security=_code(Security, security, "--security"),
        marking=_code(Marking, marking, "--marking"),
    )  # fmt: skip
    try:
        output.write_bytes(printed.document)
    except OSError as error:
        print_error(f"cannot write {output}: {error}")
        raise typer.Exit(1) from None
    carried = "9-line + MIST (compact v1)" if printed.carries_nine_line else "MIST text (no 9-line)"
    print_text(
        f"{output}: {len(printed.document)} bytes; QR code: {carried}, {len(printed.payload)} bytes"
    )


def _scan_text(code: Any) -> str:
    from goldenhour.cli.wiring import radio_format
    from goldenhour.domain.medevac.mist import encode_mist

    if code.message is None:
        blocks = ["NO 9-LINE: the card had no pickup point\n"]
        blocks += [encode_mist(mist) + "\n" for mist in code.mists]
        return "\n".join(blocks)
    return radio_format().reading(code.message).text


@card_app.command("scan")
def scan(
    image: Annotated[Path, typer.Argument(help="A picture (PNG, JPEG...) of a printed card.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Read a printed card's QR code from a picture and print its 9-line and MIST."""
    from goldenhour.cli.wiring import card_printer, radio_format
    from goldenhour.domain.medevac.mist import encode_mist
    from goldenhour.services.printing import scan_card

    codes = scan_card(card_printer(), image)
    if as_json:
        print_json([
            radio_format().reading(code.message).data
            if code.message is not None
            else {"nine_line": None, "casualties": [{"mist": encode_mist(m)} for m in code.mists]}
            for code in codes
        ])  # fmt: skip
        return
    print_text("\n".join(_scan_text(code) for code in codes))
