"""Live updates against a real server process: resume with ``Last-Event-ID``, see only one's own.

Each test starts ``goldenhour serve --demo`` on a free port, on SQLite and on PostgreSQL, and
reads ``GET /api/v1/stream`` with httpx as a browser or phone would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
from goldenhour.config import Settings
from goldenhour.demo.scenario import BATTALION
from goldenhour.domain.codec import encode_event
from goldenhour.domain.operations.events import UnitRegistered
from goldenhour.domain.operations.vocabulary import Role, UnitKind
from goldenhour.services import admin

from postgres import free_port

GOLDENHOUR = Path(sys.executable).parent / "goldenhour"
#: Long enough for a server on a busy CI machine, short enough that a lost event fails fast.
READ_TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class Live:
    """A running server: its base URL, its database and the demo users' password."""

    url: str
    database_url: str
    password: str


@dataclass(frozen=True, slots=True)
class Received:
    """One event as the stream delivered it."""

    id: int
    kind: str
    seq: int
    stream_id: str
    event_id: str


@pytest.fixture
def live(settings: Settings, tmp_path: Path) -> Iterator[Live]:
    """Run ``goldenhour serve --demo`` on a free port until the test ends."""
    database_url, password = settings.resolved_database_url(), str(settings.demo_password)
    port = free_port()
    output = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [str(GOLDENHOUR), "serve", "--demo", "--data-dir", str(tmp_path / "data"),
         "--database-url", database_url, "--port", str(port)],
        env={**os.environ, "GOLDENHOUR_DEMO_PASSWORD": password},
        stdout=output, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, tmp_path / "server.log")
        yield Live(url=url, database_url=database_url, password=password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer within 90 s:\n{log.read_text()}")


def login(live: Live, username: str) -> dict[str, str]:
    response = httpx.post(
        f"{live.url}/api/v1/auth/token",
        data={"username": username, "password": live.password, "client_id": f"{username}-phone"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def casualty_events(casualty: str, count: int) -> list[dict[str, Any]]:
    moment = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
    envelope = {"casualty_id": casualty, "occurred_at": moment, "recorded_at": moment,
                "author": "medic", "device": "phone-7"}  # fmt: skip
    first = {"kind": "casualty_registered", "event_id": str(uuid4()), **envelope}
    notes = [
        {"kind": "note_added", "event_id": str(uuid4()), "text": f"check {n}", **envelope}
        for n in range(count - 1)
    ]
    return [first, *notes]


def post(live: Live, headers: dict[str, str], batch: list[dict[str, Any]]) -> list[int]:
    response = httpx.post(
        f"{live.url}/api/v1/events", json={"events": batch}, headers=headers, timeout=60
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["accepted"] * len(batch), results
    return [int(r["seq"]) for r in results]


def read_until(
    live: Live, headers: dict[str, str], *, last_event_id: int, until_event: str
) -> list[Received]:
    """Subscribe from ``last_event_id``, read until ``until_event`` arrives, then hang up."""
    received: list[Received] = []
    timeout = httpx.Timeout(10.0, read=READ_TIMEOUT)
    with (
        httpx.Client(timeout=timeout) as client,
        client.stream(
            "GET", f"{live.url}/api/v1/stream",
            headers={**headers, "Last-Event-ID": str(last_event_id)},
        ) as response,
    ):  # fmt: skip
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for message in _messages(response.iter_lines()):
            received.append(message)
            if message.event_id == until_event:
                return received
    pytest.fail("the stream ended before the awaited event")


def _messages(lines: Iterator[str]) -> Iterator[Received]:
    fields: dict[str, str] = {}
    for line in lines:
        if line:
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
            continue
        if "data" in fields:
            data = json.loads(fields["data"])
            assert fields["event"] == data["kind"]
            yield Received(
                id=int(fields["id"]), kind=data["kind"], seq=data["seq"],
                stream_id=data["stream_id"], event_id=data["event"]["event_id"],
            )  # fmt: skip
        fields = {}


def other_company_medic(live: Live) -> dict[str, str]:
    """Create a medic of a sibling company (outside the demo medic's unit) and log them in."""
    engine = make_engine(live.database_url)
    try:
        log, now = SqlEventLog(engine), datetime.now(UTC)
        unit = admin.register_unit(
            log, name="3rd company", kind=UnitKind.COMPANY, parent_id=BATTALION, now=now
        )
        admin.add_user(
            log, username="medic3", password_hash=hash_password(live.password),
            role=Role.MEDIC, unit_id=unit, now=now,
        )  # fmt: skip
    finally:
        engine.dispose()
    return login(live, "medic3")


def test_a_subscriber_that_reconnects_with_last_event_id_gets_every_missed_event_once_in_order(
    live: Live,
) -> None:
    medic, stranger = login(live, "medic"), other_company_medic(live)
    casualty = str(uuid4())
    before = casualty_events(casualty, 3)
    start = post(live, medic, before)[-1]
    seen = casualty_events(str(uuid4()), 4)
    post(live, medic, seen)
    first = read_until(live, medic, last_event_id=start, until_event=seen[-1]["event_id"])
    assert [m.event_id for m in first] == [e["event_id"] for e in seen]
    last_id = first[-1].id

    # Disconnected: three batches of ours, one of another company's, interleaved.
    missed: list[dict[str, Any]] = []
    for size in (5, 100, 7):
        batch = casualty_events(str(uuid4()), size)
        post(live, medic, batch)
        missed.extend(batch)
        post(live, stranger, casualty_events(str(uuid4()), 2))
    sentinel = casualty_events(casualty, 2)[1:]  # a note on a casualty already known
    post(live, medic, sentinel)

    again = read_until(live, medic, last_event_id=last_id, until_event=sentinel[0]["event_id"])
    assert [m.event_id for m in again] == [e["event_id"] for e in [*missed, *sentinel]]
    assert all(m.id == m.seq > last_id for m in again)
    assert [m.seq for m in again] == sorted({m.seq for m in again})


def test_a_medics_stream_never_carries_a_casualty_outside_their_unit(live: Live) -> None:
    medic, stranger, facility = (
        login(live, "medic"), other_company_medic(live), login(live, "facility")
    )  # fmt: skip
    start = post(live, medic, casualty_events(str(uuid4()), 1))[-1]
    foreign = str(uuid4())
    foreign_seqs = post(live, stranger, casualty_events(foreign, 5))
    ours = casualty_events(str(uuid4()), 3)
    post(live, medic, ours)

    medic_sees = read_until(live, medic, last_event_id=start, until_event=ours[-1]["event_id"])
    assert [m.event_id for m in medic_sees] == [e["event_id"] for e in ours]
    assert foreign not in {m.stream_id for m in medic_sees}
    assert not set(foreign_seqs) & {m.seq for m in medic_sees}

    # The facility sees no company casualty at all; a new unit (every role sees those) marks
    # the end of what it was sent.
    now = datetime.now(UTC)
    unit = encode_event(
        UnitRegistered(
            event_id=uuid4(), occurred_at=now, recorded_at=now, author="admin", device="admin-pc",
            unit_id=uuid4(), name="4th company", unit_kind=UnitKind.COMPANY, parent_id=BATTALION,
        )
    )  # fmt: skip
    post(live, login(live, "admin"), [unit])
    facility_sees = read_until(live, facility, last_event_id=start, until_event=unit["event_id"])
    assert [m.kind for m in facility_sees] == ["unit_registered"]
