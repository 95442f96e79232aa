"""``goldenhour bench server``: ingest rate, card reads and live delivery of a real server.

For each database it starts ``goldenhour serve --demo`` in its own process on a free port (on a
fresh SQLite file, or on a throw-away PostgreSQL cluster), then measures from this process with
httpx: events stored per second when devices send batches, the latency of reading one card, and
the time from sending an event to its arrival at every one of many live-update subscribers.

Beside the server's ingest rate it measures the raw limit of the same database: the SQL a batch
costs (the look-ups a batch makes once, then its events, cards and audit entries written in one
transaction each), run directly with rows made beforehand, with no HTTP and no domain work. The
server's rate as a share of that limit says how much of the time goes to Python, not to SQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Annotated, Any
from uuid import uuid4

import typer
from rich.table import Table
from sqlalchemy import Connection, Engine, bindparam, func, insert, select, text

from goldenhour.adapters.storage import audit, schema
from goldenhour.adapters.storage.engine import is_sqlite, make_engine
from goldenhour.adapters.storage.projector import card_row
from goldenhour.adapters.storage.tables import casualty_cards, events, units
from goldenhour.bench.throwaway_postgres import (
    create_database,
    free_port,
    postgres_cluster,
)
from goldenhour.cli.output import print_error, print_json, stdout_console
from goldenhour.demo.bilohorivka import demo_id
from goldenhour.demo.scenario import COMPANY
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import decode_event, encode_event
from goldenhour.domain.errors import GoldenHourError
from goldenhour.domain.ports import AuditEntry
from goldenhour.services.sync.ingest import content_hash

if TYPE_CHECKING:
    import httpx

#: The bench's targets (issue 3), for a 2-core machine.
TARGET_EVENTS_PER_SECOND = 2000.0
TARGET_DELIVERY_P99_MS = 1000.0
#: The server's ingest rate as a share of the same SQL run with no Python work (issue 14).
TARGET_SHARE_OF_RAW = 0.25
#: Devices sending batches at once while ingest is measured.
POSTERS = 4
#: One casualty's events in the generated load: a registration, a tourniquet, vitals and notes.
_KINDS = ("casualty_registered", "tourniquet_applied", "vitals_recorded", "vitals_recorded",
          "note_added", "vitals_recorded", "vitals_recorded", "note_added", "vitals_recorded",
          "vitals_recorded")  # fmt: skip
_PASSWORD = "bench-password-not-secret"
_TIMEOUT_SECONDS = 60.0


class BenchDatabase(StrEnum):
    """Which databases to measure."""

    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"
    BOTH = "both"


class BenchFailedError(GoldenHourError, RuntimeError):
    """The server under test did not start, refused the load, or lost an event."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerFigures:
    """What one database gave: ingest rate, card read latency and live delivery latency."""

    database: str
    events: int
    batch: int
    ingest_seconds: float
    events_per_second: float
    #: CPU time of the server process per event ingested (the database's own not counted).
    server_cpu_ms_per_event: float | None
    #: The same batches' SQL run directly, rows made beforehand: the database's own limit.
    raw_events_per_second: float
    #: ``events_per_second`` as a share of ``raw_events_per_second``.
    share_of_raw: float
    card_reads: int
    card_p50_ms: float
    card_p95_ms: float
    subscribers: int
    rounds: int
    delivery_p50_ms: float
    delivery_p95_ms: float
    delivery_p99_ms: float
    delivery_max_ms: float


def machine() -> dict[str, Any]:
    """Describe the machine the figures come from."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    return {
        "machine": platform.machine(), "cpus": os.cpu_count(), "cpu_model": model,
        "python": platform.python_version(), "date": datetime.now(UTC).date().isoformat(),
    }  # fmt: skip


def casualty_events(size: int, *, now: datetime) -> list[dict[str, Any]]:
    """Return ``size`` events of new casualties, ten per casualty, registration first."""
    found: list[dict[str, Any]] = []
    base = now - timedelta(hours=1)
    for index in range(size):
        step = index % len(_KINDS)
        if step == 0:
            casualty = str(uuid4())
        moment = (base + timedelta(minutes=step)).isoformat()
        event: dict[str, Any] = {
            "kind": _KINDS[step], "event_id": str(uuid4()), "casualty_id": casualty,
            "occurred_at": moment, "recorded_at": moment, "author": "bench-medic",
            "device": "bench-phone",
        }  # fmt: skip
        if _KINDS[step] == "tourniquet_applied":
            event.update(limb="left_leg", category="extremity", location="above the knee",
                         tourniquet_type="CAT")  # fmt: skip
        elif _KINDS[step] == "vitals_recorded":
            event.update(pulse=100 + step, respiratory_rate=22, spo2=95, systolic=110)
        elif _KINDS[step] == "note_added":
            event["text"] = f"reassessed ({step})"
        found.append(event)
    return found


@dataclass(frozen=True, slots=True)
class RunningServer:
    """A server process under test: its base URL and process id."""

    url: str
    pid: int

    def cpu_seconds(self) -> float | None:
        """Return the CPU time the server process has used so far (Linux only, else None)."""
        stat = Path(f"/proc/{self.pid}/stat")
        if not stat.exists():
            return None
        # Fields 14 and 15 (utime, stime) in clock ticks; the name in field 2 may hold spaces.
        fields = stat.read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def running_server(database_url: str, workdir: Path) -> Iterator[RunningServer]:
    """Run ``goldenhour serve --demo`` on a free port; yield it, and stop it after."""
    import httpx

    port = free_port()
    log_path = workdir / "server.log"
    command = [sys.executable, "-c", "from goldenhour.cli.main import run; run()", "serve",
               "--demo", "--data-dir", str(workdir / "data"), "--database-url", database_url,
               "--port", str(port)]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "GOLDENHOUR_DEMO_PASSWORD": _PASSWORD},
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + _TIMEOUT_SECONDS
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise BenchFailedError(f"the server did not start:\n{log_path.read_text()}")
                try:
                    if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield RunningServer(url=url, pid=process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def _login(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": _PASSWORD, "client_id": "bench-client"},
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _post(client: httpx.AsyncClient, headers: dict[str, str], batch: list[Any]) -> int:
    """Send one batch; return the highest seq given, or fail unless every event was accepted."""
    response = await client.post("/api/v1/events", json={"events": batch}, headers=headers)
    response.raise_for_status()
    results = response.json()["results"]
    refused = [r for r in results if r["outcome"] != "accepted"]
    if refused:
        raise BenchFailedError(f"the server refused an event: {refused[0]}")
    return max(int(r["seq"]) for r in results)


async def _ingest(
    client: httpx.AsyncClient, headers: dict[str, str], batches: list[list[dict[str, Any]]]
) -> tuple[float, int]:
    """Send every batch from ``POSTERS`` devices at once; return the seconds taken and last seq."""
    pending = iter(batches)
    last = 0

    async def device() -> None:
        nonlocal last
        for batch in pending:
            last = max(last, await _post(client, headers, batch))

    started = time.perf_counter()
    await asyncio.gather(*(device() for _ in range(POSTERS)))
    return time.perf_counter() - started, last


async def _card_reads(
    client: httpx.AsyncClient, headers: dict[str, str], casualties: list[str], reads: int
) -> list[float]:
    """Read random cards one after another; return each read's latency in milliseconds."""
    chosen, latencies = Random(1), []
    for _ in range(reads):
        started = time.perf_counter()
        response = await client.get(
            f"/api/v1/casualties/{chosen.choice(casualties)}", headers=headers
        )
        response.raise_for_status()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def _deliveries(
    client: httpx.AsyncClient, headers: dict[str, str], *, after: int, subscribers: int,
    rounds: int, casualties: list[str],
) -> list[float]:  # fmt: skip
    """Hold ``subscribers`` streams open, send one event per round; return each arrival's delay."""
    sent: dict[str, float] = {}
    arrived: dict[str, list[float]] = {}
    everyone: dict[str, asyncio.Event] = {}
    ready: list[None] = []

    async def subscriber(token: dict[str, str]) -> None:
        stream_headers = {**token, "Last-Event-ID": str(after)}
        async with client.stream("GET", "/api/v1/stream", headers=stream_headers) as response:
            response.raise_for_status()
            data: str | None = None
            async for line in response.aiter_lines():
                if line.startswith("retry:"):
                    ready.append(None)
                elif line.startswith("data:"):
                    data = line.removeprefix("data:").strip()
                elif not line and data is not None:
                    event_id = json.loads(data)["event"]["event_id"]
                    data = None
                    if event_id in sent:
                        arrived[event_id].append(time.perf_counter() - sent[event_id])
                        if len(arrived[event_id]) == subscribers:
                            everyone[event_id].set()

    tokens = [await _device_token(client, headers, n) for n in range(subscribers)]
    tasks = [asyncio.create_task(subscriber(token)) for token in tokens]
    try:
        while len(ready) < subscribers:
            await _alive(tasks, asyncio.sleep(0.05))
        await asyncio.sleep(1.0)  # every stream has read the log once and is waiting
        moment = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
        for round_ in range(rounds):
            note = {
                "kind": "note_added", "event_id": str(uuid4()),
                "casualty_id": casualties[round_ % len(casualties)], "occurred_at": moment,
                "recorded_at": moment, "author": "bench-medic", "device": "bench-phone",
                "text": f"round {round_}",
            }  # fmt: skip
            arrived[note["event_id"]], everyone[note["event_id"]] = [], asyncio.Event()
            sent[note["event_id"]] = time.perf_counter()
            await _post(client, headers, [note])
            await _alive(tasks, asyncio.wait_for(everyone[note["event_id"]].wait(), 30))
            await asyncio.sleep(0.2)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return [seconds * 1000 for delays in arrived.values() for seconds in delays]


async def _alive(tasks: list[asyncio.Task[None]], waiting: Any) -> None:
    """Await ``waiting``, failing at once if a subscriber's stream broke in the meantime."""
    try:
        await waiting
    except TimeoutError:
        raise BenchFailedError("an event did not reach every subscriber within 30 s") from None
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise BenchFailedError(f"a live-update stream failed: {task.exception()!r}")


async def _device_token(
    client: httpx.AsyncClient, headers: dict[str, str], n: int
) -> dict[str, str]:
    # A device token is issued only against the password given now.
    body = {"device": f"bench-phone-{n:03d}", "password": _PASSWORD}
    response = await client.post("/api/v1/auth/device-token", json=body, headers=headers)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _measure(
    server: RunningServer,
    database: str,
    *,
    database_url: str,
    events: int,
    batch: int,
    subscribers: int,
    reads: int,
    rounds: int,
) -> ServerFigures:
    import httpx

    generated = casualty_events(events, now=datetime.now(UTC))
    # Batches never split a casualty's events, so they may be stored in any order.
    size = max(len(_KINDS), batch - batch % len(_KINDS))
    batches = [generated[start : start + size] for start in range(0, len(generated), size)]
    casualties = sorted({e["casualty_id"] for e in generated})
    limits = httpx.Limits(max_connections=subscribers + POSTERS + 8)
    timeout = httpx.Timeout(_TIMEOUT_SECONDS)
    async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=timeout) as client:
        medic = await _login(client, "medic")
        cpu_before = server.cpu_seconds()
        seconds, last = await _ingest(client, medic, batches)
        cpu_after = server.cpu_seconds()
        cards = await _card_reads(client, medic, casualties, reads)
        delays = await _deliveries(
            client, medic, after=last, subscribers=subscribers, rounds=rounds,
            casualties=casualties,
        )  # fmt: skip
    raw = raw_ingest_rate(database_url, count=events, batch=size)
    return ServerFigures(
        database=database, events=events, batch=size, ingest_seconds=seconds,
        events_per_second=events / seconds, raw_events_per_second=raw,
        share_of_raw=events / seconds / raw,
        server_cpu_ms_per_event=(
            None if cpu_before is None or cpu_after is None
            else (cpu_after - cpu_before) * 1000 / events
        ),
        card_reads=reads,
        card_p50_ms=statistics.median(cards), card_p95_ms=_percentile(cards, 0.95),
        subscribers=subscribers, rounds=rounds, delivery_p50_ms=statistics.median(delays),
        delivery_p95_ms=_percentile(delays, 0.95), delivery_p99_ms=_percentile(delays, 0.99),
        delivery_max_ms=max(delays),
    )  # fmt: skip


def run_server_bench(
    databases: list[str], *, events: int, batch: int, subscribers: int, reads: int, rounds: int
) -> list[ServerFigures]:
    """Start a server on each database in turn and measure it; return the figures."""
    figures: list[ServerFigures] = []
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="goldenhour-bench-") as tmp:
            workdir = Path(tmp)
            with _database(database, workdir) as url, running_server(url, workdir) as server:
                measuring = _measure(
                    server, database, database_url=url, events=events, batch=batch,
                    subscribers=subscribers, reads=reads, rounds=rounds,
                )  # fmt: skip
                # A thread of its own, so the bench runs even where an event loop is running.
                with ThreadPoolExecutor(max_workers=1) as pool:
                    figures.append(pool.submit(asyncio.run, measuring).result())
    return figures


#: Who the raw baseline's rows say stored them: the demo medic, in the demo company.
_RAW_USER = demo_id("user/medic")
_RAW_FIND = select(events.c.event_id).where(events.c.event_id.in_(bindparam("ids", expanding=True)))
_RAW_SCOPES = (
    select(casualty_cards.c.casualty_id, casualty_cards.c.scope_unit, units.c.path)
    .select_from(casualty_cards.outerjoin(units, units.c.unit_id == casualty_cards.c.scope_unit))
    .where(casualty_cards.c.casualty_id.in_(bindparam("ids", expanding=True)))
)
_RAW_LAST_SEQ = select(func.coalesce(func.max(events.c.seq), 0))
_RAW_UNIT_PATH = select(units.c.path).where(units.c.unit_id == bindparam("unit_id"))
#: The log's write lock on PostgreSQL (``adapters.storage.event_log``): taken here too.
_RAW_LOCK = text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=0x474F4C44484F5552)


@dataclass(frozen=True, slots=True)
class _RawBatch:
    """One batch's statements' parameters, made before the clock starts."""

    event_ids: list[str]
    casualty_ids: list[str]
    events: list[dict[str, Any]]
    cards: list[dict[str, Any]]
    audit: list[dict[str, Any]]


def raw_ingest_rate(database_url: str, *, count: int, batch: int) -> float:
    """Return the events per second the database takes with no Python work but the driver's.

    ``count`` events of fresh casualties, in batches of ``batch``, go in as the server writes
    them, one transaction per batch: the log's write lock (PostgreSQL), the look-ups a batch
    makes once (its ids, its casualties' cards and scopes, the last seq, the audit head, the
    unit's path), then its events, new cards and audit entries, each in one statement. The rows,
    hashes and cards are made before the clock starts, from the log's state at that time.
    """
    engine = make_engine(database_url)
    try:
        schema.upgrade(engine)
        with engine.connect() as connection:
            last_seq = int(connection.execute(_RAW_LAST_SEQ).scalar_one())
            head = audit.chain_head(connection)
        prepared = _raw_batches(count, batch, last_seq=last_seq, audit_head=head)
        started = time.perf_counter()
        for raw in prepared:
            _raw_write(engine, raw)
        return count / (time.perf_counter() - started)
    finally:
        engine.dispose()


def _raw_batches(
    count: int, batch: int, *, last_seq: int, audit_head: tuple[int, str]
) -> list[_RawBatch]:
    received = datetime.now(UTC)
    stamp = received.isoformat()
    generated = casualty_events(count, now=received)
    prepared: list[_RawBatch] = []
    seq = last_seq
    for start in range(0, len(generated), batch):
        rows: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        histories: dict[str, list[CasualtyEvent]] = {}
        last_of: dict[str, int] = {}
        for raw in generated[start : start + batch]:
            seq += 1
            event = decode_event(raw)
            if not isinstance(event, CasualtyEvent):
                raise BenchFailedError(f"the load holds a {event.kind} event, not a casualty's")
            payload = encode_event(event)
            payload["received_at"] = stamp
            rows.append({
                "seq": seq, "event_id": raw["event_id"], "stream": event.stream,
                "stream_id": raw["casualty_id"], "kind": event.kind, "scope_unit": str(COMPANY),
                "content_hash": content_hash(event),
                "payload": json.dumps(payload, ensure_ascii=False),
                "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
                "received_at": stamp, "submitted_by": str(_RAW_USER), "device": event.device,
            })  # fmt: skip
            histories.setdefault(raw["casualty_id"], []).append(event)
            last_of[raw["casualty_id"]] = seq
            entry = AuditEntry(
                at=received, user_id=_RAW_USER, username="medic", role="medic",
                unit_id=COMPANY, device=event.device, action="write", target_kind="casualty",
                target_id=raw["casualty_id"], detail=f"{event.kind} {event.event_id}",
            )  # fmt: skip
            row = audit.chained_row(entry, head=audit_head)
            audit_head = (row["seq"], row["hash"])
            entries.append(row)
        cards = [
            card_row(
                history[0].casualty_id,
                history,
                seq=last_of[casualty],
                scope_unit=COMPANY,
                received_at=stamp,
            )
            for casualty, history in histories.items()
        ]
        prepared.append(
            _RawBatch(
                event_ids=[row["event_id"] for row in rows],
                casualty_ids=list(histories),
                events=rows,
                cards=cards,
                audit=entries,
            )
        )
    return prepared


def _raw_write(engine: Engine, raw: _RawBatch) -> None:
    with engine.connect() as connection, connection.begin():
        if not is_sqlite(engine):
            connection.execute(_RAW_LOCK)
        _raw_statements(connection, raw)


def _raw_statements(connection: Connection, raw: _RawBatch) -> None:
    connection.execute(_RAW_FIND, {"ids": raw.event_ids}).all()
    connection.execute(_RAW_SCOPES, {"ids": raw.casualty_ids}).all()
    connection.execute(_RAW_LAST_SEQ).scalar_one()
    audit.chain_head(connection)
    connection.execute(_RAW_UNIT_PATH, {"unit_id": str(COMPANY)}).scalar()
    connection.execute(insert(events), raw.events)
    connection.execute(insert(casualty_cards), raw.cards)
    audit.insert_rows(connection, raw.audit)


@contextmanager
def _database(database: str, workdir: Path) -> Iterator[str]:
    if database == BenchDatabase.SQLITE:
        yield f"sqlite:///{workdir / 'goldenhour.sqlite3'}"
        return
    with postgres_cluster() as base:
        yield create_database(base, "goldenhour_bench")


def server_command(
    database: Annotated[
        BenchDatabase, typer.Option("--database", help="Database(s) to measure, one after another.")
    ] = BenchDatabase.BOTH,
    events: Annotated[int, typer.Option("--events", min=1, help="Events to ingest.")] = 20_000,
    batch: Annotated[
        int,
        typer.Option("--batch", min=10, max=1000, help="Events per request (whole casualties)."),
    ] = 100,
    subscribers: Annotated[
        int, typer.Option("--subscribers", min=1, help="Live-update streams held open.")
    ] = 100,
    reads: Annotated[int, typer.Option("--reads", min=1, help="Card reads to time.")] = 1000,
    rounds: Annotated[
        int, typer.Option("--rounds", min=1, help="Events sent one by one to the subscribers.")
    ] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Start real servers and measure ingest rate, card reads and live delivery."""
    try:
        import httpx
    except ImportError:
        print_error("the server bench needs httpx: uv sync (it is a development dependency)")
        raise typer.Exit(1) from None
    databases = (
        [BenchDatabase.SQLITE.value, BenchDatabase.POSTGRESQL.value]
        if database is BenchDatabase.BOTH
        else [database.value]
    )
    try:
        figures = run_server_bench(
            databases, events=events, batch=batch, subscribers=subscribers, reads=reads,
            rounds=rounds,
        )  # fmt: skip
    except (BenchFailedError, httpx.HTTPError) as error:
        print_error(str(error))
        raise typer.Exit(1) from None
    if as_json:
        print_json({"machine": machine(), "results": [asdict(f) for f in figures]})
    else:
        _print_table(figures)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _print_table(figures: list[ServerFigures]) -> None:
    info = machine()
    table = Table(
        title=f"Server bench on {info['cpus']} × {info['cpu_model']} ({info['machine']}), "
        f"Python {info['python']}"
    )
    table.add_column("measure")
    for f in figures:
        table.add_column(f.database, justify="right")
    table.add_column("target", justify="right")
    rows: list[tuple[str, list[str], str]] = [
        (f"events ingested / s (batches of {figures[0].batch}, {POSTERS} devices)",
         [f"{f.events_per_second:,.0f}" for f in figures], f"≥ {TARGET_EVENTS_PER_SECOND:,.0f}"),
        ("events ingested", [f"{f.events:,} in {f.ingest_seconds:.1f} s" for f in figures], ""),
        ("raw limit: the same SQL, rows made beforehand (events / s)",
         [f"{f.raw_events_per_second:,.0f}" for f in figures], ""),
        ("server as a share of the raw limit", [f"{f.share_of_raw:.0%}" for f in figures],
         f"≥ {TARGET_SHARE_OF_RAW:.0%}"),
        ("server CPU per event ingested (ms)", [_ms(f.server_cpu_ms_per_event) for f in figures],
         ""),
        ("card read p50 / p95 (ms)",
         [f"{f.card_p50_ms:.1f} / {f.card_p95_ms:.1f}" for f in figures], ""),
        (f"delivery to {figures[0].subscribers} subscribers p50 / p95 (ms)",
         [f"{f.delivery_p50_ms:.0f} / {f.delivery_p95_ms:.0f}" for f in figures], ""),
        ("delivery p99 / max (ms)",
         [f"{f.delivery_p99_ms:.0f} / {f.delivery_max_ms:.0f}" for f in figures],
         f"p99 ≤ {TARGET_DELIVERY_P99_MS:,.0f}"),
    ]  # fmt: skip
    for measure, values, target in rows:
        table.add_row(measure, *values, target)
    stdout_console().print(table)
