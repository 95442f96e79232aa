"""Crash test: the server is killed with SIGKILL while a phone syncs, restarted, and loses nothing.

The real ``goldenhour serve`` runs in a subprocess on SQLite (WAL, ``synchronous=FULL``) and on
PostgreSQL (a throw-away cluster with ``fsync`` on). A phone logs in as the demo medic and sends
batches of 20 events (four casualties: registered, injured, a tourniquet on, vitals, the
tourniquet off), each with its own UUID. Meanwhile the server is killed with SIGKILL
``KILLS`` times, each at a random moment 0.05 to 0.6 s after it came up, and started again (its
tokens are in the database, so the phone stays logged in). When a request fails on the way, the
phone sends the same batch again until it is answered, as a real device does; an event is
acknowledged when the answer says ``accepted`` or ``duplicate``.

Afterwards the database is read directly: every acknowledged event is in the log exactly once,
nothing else the phone made is, the audit chain is whole, and the projections equal those that
``goldenhour db rebuild`` makes from the log.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from uuid import UUID, uuid4

import httpx
import pytest
from projection_snapshot import Snapshot, projection_snapshot
from sqlalchemy import Engine, select

from goldenhour.adapters.storage.audit import ChainReport, verify_chain
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.tables import events
from goldenhour.demo.bilohorivka import PICKUP_SITE
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    InjuryRecorded,
    TourniquetApplied,
    TourniquetRemoved,
    VitalsRecorded,
)
from goldenhour.domain.casualty.vocabulary import BodyRegion, Limb
from goldenhour.domain.codec import encode_event

from cli_runner import goldenhour_process as goldenhour
from postgres import create_database, free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(420)]

GOLDENHOUR = Path(sys.executable).parent / "goldenhour"
PASSWORD = "crash-test-password"
DEVICE = "crash-phone"
KILLS = 5
#: Batches the phone must get answered after the last restart: the server still works.
BATCHES_AFTER_LAST_RESTART = 3
#: No single wait (a start, a batch answered through restarts) may take longer than this.
PATIENCE_SECONDS = 90.0
SEED = 20261129


class Server:
    """``goldenhour serve`` in a subprocess on a fixed port, to be killed and started again."""

    def __init__(self, *, database_url: str, data_dir: Path) -> None:
        self.database_url, self.data_dir = database_url, data_dir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] = (data_dir / "server.log").open("ab")
        self.starts = 0

    def start(self, *, demo: bool = False) -> None:
        """Start the server (with ``--demo`` the first time) and wait until it answers."""
        command = [str(GOLDENHOUR), "serve", "--data-dir", str(self.data_dir),
                   "--database-url", self.database_url, "--port", str(self.port)]  # fmt: skip
        self.process = subprocess.Popen(
            [*command, "--demo"] if demo else command,
            stdout=self.log, stderr=subprocess.STDOUT,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "GOLDENHOUR_DEMO_PASSWORD": PASSWORD,
                 "GOLDENHOUR_DEMO_DRIVER": "0"},
        )  # fmt: skip
        self.starts += 1
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + PATIENCE_SECONDS
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"the server exited on start:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/api/v1/health", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"the server did not come up:\n{self.log_tail()}")

    def kill(self) -> None:
        """Kill the server with SIGKILL, as a power cut or the OOM killer would."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None

    def close(self) -> None:
        """Kill the server if it runs and close its log."""
        self.kill()
        self.log.close()

    def log_tail(self) -> str:
        """Return the end of the server's output."""
        self.log.flush()
        return (self.data_dir / "server.log").read_text(errors="replace")[-3000:]


def _event(
    cls: type[CasualtyEvent], casualty: UUID, event_id: UUID, minutes_ago: float, **fields: Any
) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return encode_event(
        cls(
            event_id=event_id,
            casualty_id=casualty,
            occurred_at=moment,
            recorded_at=moment,
            author="medic",
            device=DEVICE,
            **fields,
        )
    )


@dataclass
class Phone:
    """A phone that sends batches and sends a batch again until it is answered."""

    client: httpx.Client
    rng: random.Random
    sent: set[str] = field(default_factory=set)
    acknowledged: set[str] = field(default_factory=set)
    batches: int = 0
    retries: int = 0
    #: Answers to events of batches that had to be sent again (accepted or duplicate).
    retried_outcomes: Counter[str] = field(default_factory=Counter)
    #: Anything but a 200 answer, or an event neither accepted nor a duplicate.
    refusals: list[str] = field(default_factory=list)
    #: The first batch, to send once more at the end.
    first: list[dict[str, Any]] = field(default_factory=list)

    def _uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def new_batch(self) -> list[dict[str, Any]]:
        """Return 20 new events: four casualties, each registered, injured and treated."""
        batch = []
        for _ in range(4):
            casualty, applied = self._uuid(), self._uuid()
            batch += [
                _event(CasualtyRegistered, casualty, self._uuid(), 12, position=PICKUP_SITE),
                _event(InjuryRecorded, casualty, self._uuid(), 12, region=BodyRegion.THIGH),
                _event(TourniquetApplied, casualty, applied, 10, limb=Limb.LEFT_LEG),
                _event(VitalsRecorded, casualty, self._uuid(), 8, pulse=120, respiratory_rate=24),
                _event(TourniquetRemoved, casualty, self._uuid(), 1, application_id=applied),
            ]  # fmt: skip
        return batch

    def sync(self, batch: list[dict[str, Any]]) -> None:
        """Send ``batch`` until it is answered; record what was acknowledged."""
        self.sent |= {event["event_id"] for event in batch}
        self.batches += 1
        self.first = self.first or batch
        deadline, attempt = time.monotonic() + PATIENCE_SECONDS, 0
        while True:
            attempt += 1
            try:
                response = self.client.post("/api/v1/events", json={"events": batch})
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                self.retries += 1
                time.sleep(0.05)
        if response.status_code != 200:
            self.refusals.append(f"HTTP {response.status_code}: {response.text[:300]}")
            return
        for result in response.json()["results"]:
            if result["outcome"] in ("accepted", "duplicate"):
                self.acknowledged.add(result["event_id"])
            else:
                self.refusals.append(f"{result['event_id']}: {result}")
            if attempt > 1:
                self.retried_outcomes[result["outcome"]] += 1

    def send_first_again(self) -> list[str]:
        """Send the first batch once more and return the answer for each event."""
        response = self.client.post("/api/v1/events", json={"events": self.first})
        response.raise_for_status()
        return [result["outcome"] for result in response.json()["results"]]


def _kill_and_restart(server: Server, rng: random.Random) -> float:
    """Kill the server ``KILLS`` times at random moments, starting it again each time."""
    downtime = 0.0
    for _ in range(KILLS):
        time.sleep(rng.uniform(0.05, 0.6))
        server.kill()
        stopped = time.monotonic()
        server.start()
        downtime += time.monotonic() - stopped
    return downtime


def _log_in(base_url: str) -> str:
    response = httpx.post(
        f"{base_url}/api/v1/auth/token",
        data={"username": "medic", "password": PASSWORD, "client_id": DEVICE},
        timeout=10.0,
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


@dataclass(frozen=True)
class CrashReport:
    """What happened during the run, and the database read afterwards."""

    kills: int
    phone: Phone
    seconds: float
    downtime: float
    stored_ids: list[str]
    chain: ChainReport
    projections: Snapshot
    rebuilt: Snapshot
    first_batch_again: list[str]


def _stored_ids(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(select(events.c.event_id).where(events.c.device == DEVICE))
        return sorted(rows.scalars())


def _chain(engine: Engine) -> ChainReport:
    with engine.connect() as connection:
        return verify_chain(connection)


def _read_back(database_url: str) -> tuple[list[str], ChainReport, Snapshot, Snapshot]:
    """Return the phone's events in the log, the audit chain, and the projections before and
    after ``goldenhour db rebuild``.
    """
    engine = make_engine(database_url)
    try:
        stored, chain, projections = (
            _stored_ids(engine), _chain(engine), projection_snapshot(engine)
        )  # fmt: skip
        done = goldenhour("db", "rebuild", "--database-url", database_url)
        assert done.returncode == 0, done.stderr
        return stored, chain, projections, projection_snapshot(engine)
    finally:
        engine.dispose()


def crash_run(database_url: str, folder: Path) -> CrashReport:
    """Sync batches while the server is killed and restarted; then read the database back."""
    started = time.monotonic()
    server = Server(database_url=database_url, data_dir=folder)
    try:
        server.start(demo=True)
        headers = {"Authorization": f"Bearer {_log_in(server.base_url)}"}
        with (
            httpx.Client(base_url=server.base_url, headers=headers, timeout=5.0) as client,
            ThreadPoolExecutor(max_workers=1) as pool,
        ):
            phone = Phone(client=client, rng=random.Random(SEED))
            killing = pool.submit(_kill_and_restart, server, random.Random(SEED + 1))
            while not killing.done():
                phone.sync(phone.new_batch())
            downtime = killing.result()
            for _ in range(BATCHES_AFTER_LAST_RESTART):
                phone.sync(phone.new_batch())
            first_batch_again = phone.send_first_again()
    finally:
        server.close()
    seconds = time.monotonic() - started
    stored, chain, projections, rebuilt = _read_back(database_url)
    print(
        f"\n{database_url.split(':')[0]}: {phone.batches} batches, {len(phone.sent)} events "
        f"sent, {len(phone.acknowledged)} acknowledged, {server.starts - 1} kills, "
        f"{phone.retries} retries, answers to batches sent again {dict(phone.retried_outcomes)}, "
        f"{seconds:.1f} s ({downtime:.1f} s down)"
    )
    return CrashReport(
        kills=server.starts - 1, phone=phone, seconds=seconds, downtime=downtime,
        stored_ids=stored, chain=chain, projections=projections, rebuilt=rebuilt,
        first_batch_again=first_batch_again,
    )  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def crashed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> CrashReport:
    """Run the crash test once per engine and return what it found."""
    folder = tmp_path_factory.mktemp(f"crash-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'goldenhour.sqlite3'}"
    else:
        base: str = request.getfixturevalue("postgres_base_url")
        url = create_database(base, f"crash_{uuid4().hex[:12]}")
    return crash_run(url, folder)


def test_the_server_was_killed_and_restarted_while_the_phone_synced(crashed: CrashReport) -> None:
    assert crashed.kills == KILLS
    assert crashed.phone.retries > 0
    assert crashed.phone.batches > KILLS


def test_every_event_sent_was_acknowledged_in_the_end(crashed: CrashReport) -> None:
    assert crashed.phone.refusals == []
    assert crashed.phone.acknowledged == crashed.phone.sent


def test_a_batch_sent_again_is_answered_accepted_or_duplicate(crashed: CrashReport) -> None:
    assert set(crashed.phone.retried_outcomes) <= {"accepted", "duplicate"}


def test_the_first_batch_sent_again_after_every_restart_is_all_duplicates(
    crashed: CrashReport,
) -> None:
    assert crashed.first_batch_again == ["duplicate"] * 20


def test_every_acknowledged_event_is_stored_exactly_once(crashed: CrashReport) -> None:
    assert crashed.stored_ids == sorted(crashed.phone.acknowledged)


def test_the_audit_chain_is_whole_after_the_crashes(crashed: CrashReport) -> None:
    assert crashed.chain.intact, crashed.chain.problem
    assert crashed.chain.entries >= len(crashed.phone.acknowledged)


def test_the_projections_equal_a_rebuild_from_the_log(crashed: CrashReport) -> None:
    assert crashed.projections == crashed.rebuilt
    assert len(crashed.projections["casualty_cards"]) >= len(crashed.phone.acknowledged) // 5
