"""Sessions against a real server process: the live stream's end, tickets, logs, proxy headers.

Each test starts ``goldenhour serve --demo`` on a free port and talks to it with httpx as the
web app or a phone would. Where the test reads or writes tokens, it runs on SQLite and on
PostgreSQL; the proxy-header tests touch no storage and run on SQLite.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from goldenhour.adapters.passwords import hash_password
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.tokens import issue_token
from goldenhour.config import Settings
from goldenhour.demo.scenario import DEMO_USERS
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.services import admin

from cli_runner import goldenhour_process as goldenhour
from live_server import Live, live_server

MEDIC = next(user for user in DEMO_USERS if user.username == "medic")
#: Long enough for a server on a busy CI machine; a stream that never ends fails by this.
READ_TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class Message:
    """One Server-Sent Event: its name and its data, read as JSON."""

    event: str
    data: dict[str, Any]


@pytest.fixture
def live(settings: Settings, tmp_path: Path) -> Iterator[Live]:
    """Run the demo server on the test's database (SQLite or PostgreSQL)."""
    with live_server(
        database_url=settings.resolved_database_url(), password=str(settings.demo_password),
        directory=tmp_path, env={"GOLDENHOUR_STREAM_RECHECK_SECONDS": "0.5"},
    ) as running:  # fmt: skip
        yield running


def messages(response: httpx.Response) -> Iterator[Message]:
    """Read the events of a Server-Sent Events response as they come, for ``READ_TIMEOUT`` s.

    A stream that never ends is cut there (its keep-alive comments keep each read short).
    """
    deadline = time.monotonic() + READ_TIMEOUT
    fields: dict[str, str] = {}
    for line in response.iter_lines():
        if time.monotonic() > deadline:
            return
        if line:
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
            continue
        if "data" in fields:
            yield Message(event=fields.get("event", "message"), data=json.loads(fields["data"]))
        fields = {}


def login(live: Live, username: str) -> str:
    """Log in with the password and return the bearer token."""
    response = httpx.post(
        f"{live.url}/api/v1/auth/token",
        data={"username": username, "password": live.password, "client_id": f"{username}-web"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def newcomer(live: Live) -> str:
    """Add a medic of the demo medic's company, for this test alone, and return their name."""
    username = f"medic-{uuid4().hex[:8]}"
    engine = make_engine(live.database_url)
    try:
        admin.add_user(
            SqlEventLog(engine), username=username, password_hash=hash_password(live.password),
            role=Role.MEDIC, unit_id=MEDIC.unit_id, now=datetime.now(UTC),
        )  # fmt: skip
    finally:
        engine.dispose()
    return username


def note_batch(casualty: str) -> list[dict[str, Any]]:
    """Return a new casualty with one note, as a medic's phone sends them."""
    moment = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    envelope = {"casualty_id": casualty, "occurred_at": moment, "recorded_at": moment,
                "author": "medic", "device": "phone-7"}  # fmt: skip
    return [
        {"kind": "casualty_registered", "event_id": str(uuid4()), **envelope},
        {"kind": "note_added", "event_id": str(uuid4()), "text": "bleeding", **envelope},
    ]


def post(live: Live, token: str, batch: list[dict[str, Any]]) -> None:
    response = httpx.post(
        f"{live.url}/api/v1/events", json={"events": batch},
        headers={"Authorization": f"Bearer {token}"}, timeout=60,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert {r["outcome"] for r in response.json()["results"]} == {"accepted"}


def read_until(stream: Iterator[Message], event_id: str) -> list[Message]:
    """Read messages until the event with ``event_id`` arrives (or the stream ends)."""
    seen: list[Message] = []
    for message in stream:
        seen.append(message)
        if message.data.get("event", {}).get("event_id") == event_id:
            break
    return seen


# --- A stream outlives no revocation ----------------------------------------------------------


def test_an_open_stream_ends_with_session_ended_when_its_user_is_disabled(live: Live) -> None:
    username = newcomer(live)
    token, colleague = login(live, username), login(live, "medic")
    first, second = note_batch(str(uuid4())), note_batch(str(uuid4()))
    timeout = httpx.Timeout(10.0, read=READ_TIMEOUT)
    with httpx.Client(timeout=timeout) as client, client.stream(
        "GET", f"{live.url}/api/v1/stream", headers={"Authorization": f"Bearer {token}"}
    ) as response:  # fmt: skip
        stream = messages(response)
        post(live, colleague, first)
        caught_up = read_until(stream, first[-1]["event_id"])
        disabled = goldenhour("users", "disable", username, "--database-url", live.database_url)
        post(live, colleague, second)
        after = list(stream)
    assert caught_up[-1].data["event"]["event_id"] == first[-1]["event_id"]
    assert disabled.returncode == 0, disabled.stderr
    assert after == [
        Message(event="session_ended", data={"reason": "user disabled", "action": "log in again"})
    ]


def test_an_open_stream_ends_with_session_ended_when_its_token_expires(live: Live) -> None:
    engine = make_engine(live.database_url)
    try:
        token, expires = issue_token(
            engine, user_id=MEDIC.user_id, kind="bearer", device="phone",
            ttl=timedelta(seconds=6), now=datetime.now(UTC),
        )  # fmt: skip
    finally:
        engine.dispose()
    timeout = httpx.Timeout(10.0, read=READ_TIMEOUT)
    with httpx.Client(timeout=timeout) as client, client.stream(
        "GET", f"{live.url}/api/v1/stream", headers={"Authorization": f"Bearer {token}"}
    ) as response:  # fmt: skip
        received = list(messages(response))
        ended_at = datetime.now(UTC)
    assert response.status_code == 200
    assert received[-1] == Message(
        event="session_ended", data={"reason": "token expired", "action": "log in again"}
    )
    # Re-checked every 0.5 s here: ended soon after the expiry, not at the next delivery.
    assert expires <= ended_at < expires + timedelta(seconds=5)


# --- No secret in the server's log ------------------------------------------------------------


def test_a_web_session_leaves_no_password_token_or_ticket_in_the_servers_log(live: Live) -> None:
    shift = login(live, "medic")
    device = httpx.post(
        f"{live.url}/api/v1/auth/device-token",
        json={"device": "web-medic-1", "password": live.password},
        headers={"Authorization": f"Bearer {shift}"},
        timeout=60,
    )
    token = device.json()["access_token"]
    issued = httpx.post(
        f"{live.url}/api/v1/stream/ticket", headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    assert issued.status_code == 200, issued.text
    ticket = issued.json()["ticket"]
    batch = note_batch(str(uuid4()))
    timeout = httpx.Timeout(10.0, read=READ_TIMEOUT)
    with httpx.Client(timeout=timeout) as client, client.stream(
        "GET", f"{live.url}/api/v1/stream", params={"ticket": ticket}
    ) as response:  # fmt: skip
        stream = messages(response)
        post(live, token, batch)
        seen = read_until(stream, batch[-1]["event_id"])
    spent = httpx.get(f"{live.url}/api/v1/stream", params={"ticket": ticket}, timeout=60)
    in_url = httpx.get(f"{live.url}/api/v1/stream", params={"access_token": token}, timeout=60)
    as_bearer = httpx.get(
        f"{live.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {ticket}"}, timeout=60
    )
    log = live.log.read_text(encoding="utf-8")

    assert seen[-1].data["event"]["event_id"] == batch[-1]["event_id"]
    assert (spent.status_code, spent.json()["detail"][0]["field"]) == (401, "ticket")
    assert (in_url.status_code, in_url.json()["detail"][0]["field"]) == (401, "access_token")
    assert as_bearer.status_code == 401
    assert "GET /api/v1/stream?ticket=[redacted]" in log
    assert "GET /api/v1/stream?access_token=[redacted]" in log
    for secret in (live.password, shift, token, ticket):
        assert secret not in log


# --- Proxy headers ----------------------------------------------------------------------------


def wrong_logins(live: Live, count: int) -> list[int]:
    """Try the demo medic with a wrong password, each time from a new forwarded address."""
    return [
        httpx.post(
            f"{live.url}/api/v1/auth/token",
            data={"username": "medic", "password": "not the password"},
            headers={"X-Forwarded-For": f"198.51.100.{n + 1}"},
            timeout=60,
        ).status_code
        for n in range(count)
    ]


def test_a_new_x_forwarded_for_per_attempt_is_still_limited(tmp_path: Path) -> None:
    with live_server(
        database_url=f"sqlite:///{tmp_path / 'goldenhour.sqlite3'}", password="proxy-password-1",
        directory=tmp_path,
    ) as live:  # fmt: skip
        statuses = wrong_logins(live, 7)
    assert statuses == [401] * 5 + [429] * 2


def test_behind_a_trusted_proxy_the_limit_per_account_stops_a_guesser_changing_address(
    tmp_path: Path,
) -> None:
    with live_server(
        database_url=f"sqlite:///{tmp_path / 'goldenhour.sqlite3'}", password="proxy-password-2",
        directory=tmp_path,
        env={"GOLDENHOUR_TRUSTED_PROXIES": "127.0.0.1", "GOLDENHOUR_LOGIN_ACCOUNT_ATTEMPTS": "8"},
    ) as live:  # fmt: skip
        statuses = wrong_logins(live, 10)
    # The proxy's word is taken (no limit per address after 5), the account's limit holds.
    assert statuses == [401] * 8 + [429] * 2
