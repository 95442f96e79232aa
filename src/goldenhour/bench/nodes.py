"""``goldenhour bench nodes``: forward and rear nodes on this machine, measured (issue 15).

Every node is a real ``goldenhour serve`` process running its own nats-server as a child, as in
a deployment: a rear node (SQLite, or the database given) and forward nodes on SQLite, each
forward's leaf link running through a TCP relay this process cuts and restores. The load is the
medic's phone sending casualties (ten events each: a registration, a tourniquet, vitals, notes)
to a forward node over HTTP, as a phone syncs.

Three scenarios (the targets of issue 15):

* ``steady``: each forward node takes ``--rate`` events a second for ``--seconds``; the figure
  is the latency from forward to rear, p50/p95/p99/max.
* ``fleet``: ``--forwards`` forward nodes (20) to one rear: each node's memory (its server and
  its nats-server), then every link cut while each node takes ``--events``, then every link
  restored at once: the catch-up time and the rear's ingest rate.
* ``cut``: one forward node cut off for ``--cut-seconds`` while it takes ``--events``; the figure
  is the time from relink to the rear holding every one of them.

The latency of an event runs from the moment this process sends its batch to the forward node
(so it includes the forward's own acceptance) to the moment this process sees the event in the
rear's log, which it reads every 50 ms. The rear writes its projections in the transaction that
appends the event to its log, so from then on the projections hold the event too; the bench
also checks at the end that the rear holds a casualty card for every casualty sent.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy import Engine, func, select

from goldenhour.adapters.nats.node_file import NodeFiles
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.nodes import SqlNodeStore
from goldenhour.adapters.storage.tables import casualty_cards, events
from goldenhour.bench.relay import Relay
from goldenhour.bench.server import BenchFailedError, casualty_events, machine
from goldenhour.bench.throwaway_postgres import free_port
from goldenhour.cli.output import print_error, print_json, print_text
from goldenhour.demo.scenario import BRIGADE
from goldenhour.domain.nodes import LeafAccount, NodeRole, NodeSettings
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.services.admin import add_user
from goldenhour.services.nodes.setup import configure_node

if TYPE_CHECKING:
    import httpx

_PASSWORD = "bench-password-not-secret"
#: How often the rear's log is read for new events (the latency's resolution).
_POLL_SECONDS = 0.05
#: Events in one phone batch: one casualty's (``bench.server.casualty_events``).
_BATCH = 10
#: A server's start, and the first login on a forward node (its users come down from the rear).
_START_SECONDS = 600.0
_ARRIVAL_SECONDS = 600.0
#: Phones sending to each forward node at once in the steady scenario.
PHONES = 4
#: The issue's target: forward -> rear p95 at 200 events/s per forward node.
TARGET_P95_MS = 1000.0


class NodeScenario(StrEnum):
    """What to measure."""

    STEADY = "steady"
    FLEET = "fleet"
    CUT = "cut"


@dataclass(slots=True)
class NodeProcess:
    """One node's ``goldenhour serve`` process (its nats-server is its child)."""

    name: str
    url: str
    data_dir: Path
    database_url: str
    process: subprocess.Popen[bytes]

    def memory(self) -> dict[str, int]:
        """Return the RSS and PSS in bytes of the server and of its nats-server (Linux)."""
        server = _memory_of(self.process.pid)
        children = [_memory_of(pid) for pid in _children(self.process.pid)]
        return {
            "server_rss": server[0], "server_pss": server[1],
            "nats_rss": sum(c[0] for c in children), "nats_pss": sum(c[1] for c in children),
        }  # fmt: skip


def _memory_of(pid: int) -> tuple[int, int]:
    """Return (RSS, PSS) of a process in bytes; PSS shares the pages it shares with others."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            label, _, value = line.partition(":")
            if label in ("Rss", "Pss"):
                amount = int(value.split()[0]) * 1024
                rss, pss = (amount, pss) if label == "Rss" else (rss, amount)
    except (OSError, ValueError):
        pass
    return rss, pss


def _children(pid: int) -> list[int]:
    """Return the child processes of ``pid`` (any of its threads may have started them)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


@dataclass(slots=True)
class NodeFleet:
    """A rear node and forward nodes, running; each forward's leaf link through a relay."""

    rear: NodeProcess
    forwards: dict[str, NodeProcess]
    relays: dict[str, Relay]
    rear_engine: Engine
    started_seconds: float

    def cut(self, names: list[str] | None = None) -> None:
        """Cut the leaf links of ``names`` (all when ``None``)."""
        for name in names or list(self.relays):
            self.relays[name].cut()

    def restore(self, names: list[str] | None = None) -> None:
        """Restore the leaf links of ``names`` (all when ``None``)."""
        for name in names or list(self.relays):
            self.relays[name].restore()

    def outbox_events(self, name: str) -> int:
        """Return how many events wait in a forward node's outbox (not yet in its stream)."""
        engine = make_engine(self.forwards[name].database_url)
        try:
            return SqlNodeStore(engine).backlog().events
        finally:
            engine.dispose()


@contextmanager
def node_fleet(workdir: Path, *, forwards: int, rear_url: str | None = None) -> Iterator[NodeFleet]:
    """Set up and start a rear node and ``forwards`` forward nodes; stop them all after.

    The rear holds the demo's units and users (the medic, with the bench's password) and an
    account ``node-fwdN`` for each forward node; the forward nodes start empty and receive the
    users by down replication, so the medic logs in on each once the link carried them.
    """
    started = time.monotonic()
    names = [f"fwd{n}" for n in range(1, forwards + 1)]
    rear_dir = workdir / "rear"
    rear_url = rear_url or f"sqlite:///{workdir / 'rear.sqlite3'}"
    leaf_port = free_port()
    accounts = tuple(LeafAccount(node=name, password=secrets.token_urlsafe(24)) for name in names)
    _set_up_rear(rear_dir, rear_url, leaf_port=leaf_port, accounts=accounts)
    relays: dict[str, Relay] = {}
    databases: dict[str, str] = {}
    for account in accounts:
        relays[account.node] = relay = Relay(free_port(), leaf_port)
        databases[account.node] = f"sqlite:///{workdir / f'{account.node}.sqlite3'}"
        _set_up_forward(
            workdir / account.node, databases[account.node], account=account,
            hub=f"127.0.0.1:{relay.listen_port}",
        )  # fmt: skip
    rear_engine = make_engine(rear_url)
    with ExitStack() as stack:
        stack.callback(rear_engine.dispose)
        for relay in relays.values():
            stack.callback(relay.cut)
        # The rear first: on a loaded machine twenty servers starting at once would starve it.
        rear = stack.enter_context(_serving("rear", rear_dir, rear_url))
        _wait_healthy(rear)
        forward_nodes = {
            name: stack.enter_context(_serving(name, workdir / name, databases[name]))
            for name in names
        }
        for node in forward_nodes.values():
            _wait_healthy(node)
        fleet = NodeFleet(
            rear=rear, forwards=forward_nodes, relays=relays, rear_engine=rear_engine,
            started_seconds=0.0,
        )  # fmt: skip
        _run_async(_until_users_came_down(fleet))
        fleet.started_seconds = time.monotonic() - started
        yield fleet


def _set_up_rear(
    data_dir: Path, database_url: str, *, leaf_port: int, accounts: tuple[LeafAccount, ...]
) -> None:
    from goldenhour.cli.wiring import seed_demo

    engine = make_engine(database_url)
    try:
        schema.upgrade(engine)
        log = SqlEventLog(engine)
        seed_demo(log, _PASSWORD)
        for account in accounts:
            add_user(
                log, username=f"node-{account.node}", password_hash="unused", role=Role.ADMIN,
                unit_id=BRIGADE, now=datetime.now(UTC),
            )  # fmt: skip
        settings = NodeSettings(
            name="rear", role=NodeRole.REAR, client_port=free_port(), monitor_port=free_port(),
            leaf_host="127.0.0.1", leaf_port=leaf_port, forwards=accounts,
        )  # fmt: skip
        configure_node(SqlNodeStore(engine), NodeFiles(data_dir), settings, now=datetime.now(UTC))
    finally:
        engine.dispose()


def _set_up_forward(data_dir: Path, database_url: str, *, account: LeafAccount, hub: str) -> None:
    engine = make_engine(database_url)
    try:
        schema.upgrade(engine)
        settings = NodeSettings(
            name=account.node, role=NodeRole.FORWARD, rear="rear", client_port=free_port(),
            monitor_port=free_port(), hub=hub, account=account,
        )  # fmt: skip
        configure_node(SqlNodeStore(engine), NodeFiles(data_dir), settings, now=datetime.now(UTC))
    finally:
        engine.dispose()


@contextmanager
def _serving(name: str, data_dir: Path, database_url: str) -> Iterator[NodeProcess]:
    """Start ``goldenhour serve`` for one node (not waiting for it); stop it after."""
    port = free_port()
    command = [sys.executable, "-c", "from goldenhour.cli.main import run; run()", "serve",
               "--data-dir", str(data_dir), "--database-url", database_url,
               "--port", str(port)]  # fmt: skip
    with (data_dir / "server.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    node = NodeProcess(
        name=name, url=f"http://127.0.0.1:{port}", data_dir=data_dir, database_url=database_url,
        process=process,
    )  # fmt: skip
    try:
        yield node
    finally:
        process.terminate()  # the server stops its own nats-server as it stops
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_healthy(node: NodeProcess) -> None:
    import httpx

    deadline = time.monotonic() + _START_SECONDS
    while True:
        if node.process.poll() is not None or time.monotonic() > deadline:
            log = (node.data_dir / "server.log").read_text(errors="replace")
            raise BenchFailedError(f"node {node.name}'s server did not start:\n{log[-3000:]}")
        try:
            if httpx.get(f"{node.url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)


def _run_async(coroutine: Any) -> Any:
    """Run a coroutine in a thread of its own, so the bench runs where a loop is running too."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _login(client: httpx.AsyncClient, node: NodeProcess) -> dict[str, str]:
    """Log the medic in on a node, waiting until the medic's account reached it."""
    deadline = time.monotonic() + _START_SECONDS
    body = {"username": "medic", "password": _PASSWORD, "client_id": "bench-client"}
    while True:
        response = await client.post(f"{node.url}/api/v1/auth/token", data=body)
        if response.status_code == 200:
            return {"Authorization": f"Bearer {response.json()['access_token']}"}
        if time.monotonic() > deadline:
            raise BenchFailedError(f"the medic cannot log in on {node.name}: {response.text}")
        await asyncio.sleep(0.5)


async def _until_users_came_down(fleet: NodeFleet) -> None:
    import httpx

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(_login(client, node) for node in fleet.forwards.values()))


@dataclass(slots=True)
class RearWatch:
    """The rear's log read every 50 ms: when each event was first seen there."""

    engine: Engine
    seen: dict[str, float] = field(default_factory=dict)
    last_seq: int = 0

    def __post_init__(self) -> None:
        with self.engine.connect() as connection:
            self.last_seq = int(
                connection.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one()
            )

    def poll(self) -> None:
        """Read the events stored since the last poll."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(events.c.seq, events.c.event_id).where(events.c.seq > self.last_seq)
            ).all()
        now = time.monotonic()  # after the read: a latency is never under-stated
        for seq, event_id in rows:
            self.seen.setdefault(str(event_id), now)
            self.last_seq = max(self.last_seq, int(seq))

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set."""
        while not stop.is_set():
            await asyncio.to_thread(self.poll)
            await asyncio.sleep(_POLL_SECONDS)

    async def wait_for(self, ids: set[str], *, timeout: float) -> None:
        """Return once every id in ``ids`` was seen; fail naming how many never came."""
        deadline = time.monotonic() + timeout
        while not ids <= self.seen.keys():
            if time.monotonic() > deadline:
                missing = len(ids - self.seen.keys())
                raise BenchFailedError(f"{missing} events never reached the rear in {timeout} s")
            await asyncio.sleep(_POLL_SECONDS)


async def _send(
    client: httpx.AsyncClient, node: NodeProcess, headers: dict[str, str],
    batches: list[list[dict[str, Any]]], *, rate: float | None, sent: dict[str, float],
) -> float:  # fmt: skip
    """Send the batches to a node, at ``rate`` events/s or as fast as it takes them.

    Records when each event's batch was sent; returns the seconds the whole load took.
    """
    started = time.monotonic()
    count = 0
    for batch in batches:
        if rate is not None:
            await asyncio.sleep(max(0.0, started + count / rate - time.monotonic()))
        moment = time.monotonic()
        response = await client.post(
            f"{node.url}/api/v1/events", json={"events": batch}, headers=headers
        )
        response.raise_for_status()
        refused = [r for r in response.json()["results"] if r["outcome"] != "accepted"]
        if refused:
            raise BenchFailedError(f"{node.name} refused an event: {refused[0]}")
        for event in batch:
            sent[event["event_id"]] = moment
        count += len(batch)
    return time.monotonic() - started


def _batches(count: int) -> list[list[dict[str, Any]]]:
    load = casualty_events(count, now=datetime.now(UTC))
    return [load[start : start + _BATCH] for start in range(0, len(load), _BATCH)]


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _check_rear(fleet: NodeFleet, sent: dict[str, float], seen: dict[str, float]) -> dict[str, int]:
    """Count the events sent that never reached the rear, and the events it stored twice."""
    with fleet.rear_engine.connect() as connection:
        doubled = int(
            connection.execute(
                select(func.count() - func.count(events.c.event_id.distinct()))
            ).scalar_one()
        )
    return {"lost": len(sent.keys() - seen.keys()), "duplicated": doubled}


def _casualties_sent(batches: list[list[dict[str, Any]]]) -> set[str]:
    return {event["casualty_id"] for batch in batches for event in batch}


def _cards_missing(fleet: NodeFleet, casualties: set[str]) -> int:
    with fleet.rear_engine.connect() as connection:
        stored = {
            str(c) for c in connection.execute(select(casualty_cards.c.casualty_id)).scalars()
        }
    return len(casualties - stored)


def _memory_figures(fleet: NodeFleet) -> dict[str, Any]:
    per_forward = [node.memory() for node in fleet.forwards.values()]
    mib = 1024 * 1024

    def mean(key: str) -> float:
        return round(statistics.mean(m[key] for m in per_forward) / mib, 1)

    def top(key: str) -> float:
        return round(max(m[key] for m in per_forward) / mib, 1)

    rear = fleet.rear.memory()
    return {
        "forward_server_rss_mib_mean": mean("server_rss"), "forward_nats_rss_mib_mean":
        mean("nats_rss"), "forward_rss_mib_mean": round(mean("server_rss") + mean("nats_rss"), 1),
        "forward_rss_mib_max": round(
            max((m["server_rss"] + m["nats_rss"]) for m in per_forward) / mib, 1
        ),
        "forward_pss_mib_mean": round(mean("server_pss") + mean("nats_pss"), 1),
        "forward_nats_rss_mib_max": top("nats_rss"),
        "rear_rss_mib": round((rear["server_rss"] + rear["nats_rss"]) / mib, 1),
    }  # fmt: skip


async def _steady(fleet: NodeFleet, *, rate: float, seconds: float) -> dict[str, Any]:
    import httpx

    watch = RearWatch(fleet.rear_engine)
    stop = asyncio.Event()
    watching = asyncio.create_task(watch.run(stop))
    sent: dict[str, float] = {}
    loads = {name: _batches(round(rate * seconds)) for name in fleet.forwards}
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=64)) as client:
        logins = {name: await _login(client, node) for name, node in fleet.forwards.items()}
        # Several phones per node, each sending its share: one alone waits for each answer
        # and falls behind the rate on a loaded machine.
        took = await asyncio.gather(*(
            _send(client, node, logins[name], loads[name][phone::PHONES], rate=rate / PHONES,
                  sent=sent)
            for name, node in fleet.forwards.items() for phone in range(PHONES)
        ))  # fmt: skip
    await watch.wait_for(set(sent), timeout=_ARRIVAL_SECONDS)
    stop.set()
    await watching
    latencies = [(watch.seen[event] - moment) * 1000 for event, moment in sent.items()]
    casualties = set().union(*(_casualties_sent(batches) for batches in loads.values()))
    return {
        "forwards": len(fleet.forwards), "rate_asked": rate, "seconds": seconds,
        "events": len(sent),
        "phones_per_forward": PHONES,
        "rate_achieved_per_forward": round(len(sent) / len(fleet.forwards) / max(took), 1),
        "latency_p50_ms": round(statistics.median(latencies), 1),
        "latency_p95_ms": round(_percentile(latencies, 0.95), 1),
        "latency_p99_ms": round(_percentile(latencies, 0.99), 1),
        "latency_max_ms": round(max(latencies), 1),
        "target_p95_ms": TARGET_P95_MS, "cards_missing": _cards_missing(fleet, casualties),
        **_check_rear(fleet, sent, watch.seen), **_memory_figures(fleet),
    }  # fmt: skip


async def _cut_and_relink(
    fleet: NodeFleet, *, events_each: int, cut_seconds: float | None
) -> dict[str, Any]:
    """Cut every link, write on every forward node, restore every link at once; time the rest.

    With ``cut_seconds`` the writes are spread over the cut and the link comes back when it
    ends; without, the load goes in as fast as the nodes take it and the links come back once
    every forward node has it in its own stream.
    """
    import httpx

    memory_before = _memory_figures(fleet)
    watch = RearWatch(fleet.rear_engine)
    stop = asyncio.Event()
    watching = asyncio.create_task(watch.run(stop))
    sent: dict[str, float] = {}
    loads = {name: _batches(events_each) for name in fleet.forwards}
    rate = None if cut_seconds is None else events_each / max(cut_seconds * 0.95, 0.1)
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=64)) as client:
        logins = {name: await _login(client, node) for name, node in fleet.forwards.items()}
        fleet.cut()
        cut_at = time.monotonic()
        await asyncio.gather(*(
            _send(client, node, logins[name], loads[name], rate=rate, sent=sent)
            for name, node in fleet.forwards.items()
        ))  # fmt: skip
    write_seconds = time.monotonic() - cut_at
    while any(fleet.outbox_events(name) for name in fleet.forwards):
        await asyncio.sleep(0.2)
    if cut_seconds is not None:
        await asyncio.sleep(max(0.0, cut_at + cut_seconds - time.monotonic()))
    arrived_during_cut = len(sent.keys() & watch.seen.keys())
    fleet.restore()
    relinked = time.monotonic()
    await watch.wait_for(set(sent), timeout=_ARRIVAL_SECONDS)
    stop.set()
    await watching
    times = [watch.seen[event] for event in sent]
    first, last = min(times), max(times)
    casualties = set().union(*(_casualties_sent(batches) for batches in loads.values()))
    memory_after = _memory_figures(fleet)
    return {
        "forwards": len(fleet.forwards), "events_per_forward": events_each,
        "events": len(sent), "cut_seconds": round(relinked - cut_at, 1),
        "write_seconds": round(write_seconds, 1),
        "arrived_during_cut": arrived_during_cut,
        "relink_to_first_s": round(first - relinked, 2),
        "relink_to_all_s": round(last - relinked, 2),
        "rear_ingest_events_per_s": round(len(sent) / max(last - first, 1e-3), 1),
        "cards_missing": _cards_missing(fleet, casualties),
        **_check_rear(fleet, sent, watch.seen),
        "memory_before": memory_before, "memory_after": memory_after,
    }  # fmt: skip


def run_nodes_bench(
    scenario: NodeScenario, *, forwards: int, rate: float, seconds: float, events: int,
    cut_seconds: float, rear_url: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Run one scenario on fresh nodes in a temporary directory; return its figures."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="goldenhour-bench-nodes-") as tmp:
        with node_fleet(Path(tmp), forwards=forwards, rear_url=rear_url) as fleet:
            if scenario is NodeScenario.STEADY:
                figures = _run_async(_steady(fleet, rate=rate, seconds=seconds))
            else:
                figures = _run_async(
                    _cut_and_relink(
                        fleet, events_each=events,
                        cut_seconds=cut_seconds if scenario is NodeScenario.CUT else None,
                    )
                )  # fmt: skip
            started = fleet.started_seconds
    return {
        "scenario": scenario.value, "machine": machine(),
        "rear_database": "sqlite" if rear_url is None else rear_url.partition(":")[0],
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "nodes_up_seconds": round(started, 1), **figures,
    }  # fmt: skip


def nodes_command(
    scenario: Annotated[
        NodeScenario,
        typer.Argument(help="steady (latency), fleet (many nodes: memory, catch-up) or cut."),
    ],
    forwards: Annotated[
        int | None, typer.Option("--forwards", min=1, help="Forward nodes [steady 1, fleet 20].")
    ] = None,
    rate: Annotated[
        float, typer.Option("--rate", min=1, help="steady: events/s sent to each forward node.")
    ] = 200.0,
    seconds: Annotated[
        float, typer.Option("--seconds", min=1, help="steady: seconds of load.")
    ] = 60.0,
    events: Annotated[
        int | None,
        typer.Option(
            "--events",
            min=1,
            help="Events written on each forward node during the cut [fleet 500, cut 10000].",
        ),
    ] = None,  # fmt: skip
    cut_seconds: Annotated[
        float, typer.Option("--cut-seconds", min=0, help="cut: how long the link is cut.")
    ] = 300.0,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="The rear's database [a SQLite file].")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Run real forward and rear nodes here and measure latency, memory and catch-up."""
    if forwards is None:
        forwards = 20 if scenario is NodeScenario.FLEET else 1
    if events is None:
        events = 500 if scenario is NodeScenario.FLEET else 10_000
    try:
        figures = run_nodes_bench(
            scenario, forwards=forwards, rate=rate, seconds=seconds, events=events,
            cut_seconds=cut_seconds, rear_url=database_url,
        )  # fmt: skip
    except BenchFailedError as error:
        print_error(str(error))
        raise typer.Exit(1) from None
    if as_json:
        print_json(figures)
        return
    for key, value in figures.items():
        print_text(f"{key}: {value}")
