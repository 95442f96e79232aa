"""``goldenhour tak``: bridge a TAK server and a Golden Hour server, or send CoT to a TAK server."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from goldenhour.bridges.tak import Bridge, BridgeConfig, GoldenHourServer
from goldenhour.cli import wiring
from goldenhour.cli.cot import read_input
from goldenhour.cli.output import print_text
from goldenhour.domain.errors import ValidationError
from goldenhour.services.formats import check_events

tak_app = typer.Typer(
    help="Bridge Golden Hour and a TAK server (ATAK, WinTAK, iTAK) over Cursor-on-Target XML.",
    no_args_is_help=True,
)

TakHost = Annotated[str, typer.Option(help="TAK server address (CoT over TCP, XML).")]
TakPort = Annotated[int, typer.Option(help="TAK server CoT TCP port.")]


def _now() -> datetime:
    return datetime.now(UTC)


@tak_app.command("bridge")
def bridge_command(
    username: Annotated[str, typer.Option(help="Golden Hour user the bridge logs in as.")],
    tak_host: TakHost = "127.0.0.1",
    tak_port: TakPort = 8087,
    server: Annotated[str, typer.Option(help="Golden Hour server URL.")] = "http://127.0.0.1:8000",
    password_env: Annotated[
        str, typer.Option(help="Environment variable holding the user's password.")
    ] = "GOLDENHOUR_TAK_PASSWORD",
    state_file: Annotated[
        Path, typer.Option(help="Where the bridge keeps its cursor and what it read (JSON).")
    ] = Path("goldenhour-tak-bridge.json"),
    device: Annotated[
        str, typer.Option(help="Device name the bridge writes events as.")
    ] = "tak-bridge",
    callsign: Annotated[str, typer.Option(help="Call sign the bridge shows on TAK.")] = (
        "GOLDEN HOUR"
    ),
    poll_seconds: Annotated[
        float, typer.Option(min=0.1, max=60.0, help="How often to read Golden Hour's log.")
    ] = 1.0,
    retry_max_seconds: Annotated[
        float, typer.Option(min=0.1, max=300.0, help="Longest wait between reconnections.")
    ] = 10.0,
) -> None:
    """Run the bridge until interrupted: ATAK MEDEVAC markers become Golden Hour requests with
    their casualties; Golden Hour's requests, casualties, threat areas and vehicles appear on
    TAK. Either side may restart: the bridge reconnects and loses nothing."""
    password = os.environ.get(password_env)
    if not password:
        raise ValidationError("--password-env", f"${password_env} holds no password")
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per poll is noise
    config = BridgeConfig(
        tak_host=tak_host, tak_port=tak_port, state_file=state_file, device=device,
        callsign=callsign, poll_seconds=poll_seconds, max_backoff_seconds=retry_max_seconds,
    )  # fmt: skip
    asyncio.run(_bridge(config, server_url=server, username=username, password=password))


async def _bridge(config: BridgeConfig, *, server_url: str, username: str, password: str) -> None:
    client = GoldenHourServer(
        base_url=server_url, username=username, password=password, device=config.device
    )
    bridge = Bridge(config, server=client, server_url=server_url, clock=_now)
    task = asyncio.create_task(bridge.run())
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        print_text("TAK bridge stopped; state saved in " + str(config.state_file))


@tak_app.command("send")
def send_command(
    files: Annotated[list[str], typer.Argument(help="CoT XML files to send, or - for stdin.")],
    tak_host: TakHost = "127.0.0.1",
    tak_port: TakPort = 8087,
) -> None:
    """Send CoT XML events to a TAK server (each file is checked first), then disconnect."""
    cot = wiring.cot_format()
    events = [read_input(file, limit=cot.max_event_bytes) for file in files]
    check_events(cot, list(zip(files, events, strict=True)))
    asyncio.run(_send(tak_host, tak_port, events))
    print_text(f"sent {len(events)} event(s) to {tak_host}:{tak_port}")


async def _send(host: str, port: int, events: list[bytes]) -> None:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=10.0)
    except (OSError, TimeoutError) as error:
        raise ValidationError("--tak-host", f"cannot reach {host}:{port} ({error})") from None
    try:
        for data in events:
            writer.write(data)
        await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()
