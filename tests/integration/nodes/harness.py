"""Real nodes for the partition tests: databases, nats-servers, a relay, and the two loops."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from projection_snapshot import projection_snapshot
from relay import Relay
from sqlalchemy import Engine, func, select

from goldenhour.adapters.nats.config import LeafCredentials, NatsConfig, TlsFiles
from goldenhour.adapters.nats.process import NatsServer
from goldenhour.adapters.nats.streams import NodeFeed, StreamPublisher, connect, ensure_stream
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.audit import SqlAuditChain
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.maintenance import SqlMaintenance
from goldenhour.adapters.storage.nodes import SqlNodeStore
from goldenhour.adapters.storage.tables import (
    events,
    node_area_cursor,
    node_area_records,
    node_receipts,
    outbox,
)
from goldenhour.bench.throwaway_postgres import free_port
from goldenhour.domain.nodes import DOWN_STREAMS, NodeLinkError, NodeRole
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.services.admin import add_user
from goldenhour.services.nodes import ingest_from_node, ingest_from_rear, init_node
from goldenhour.services.nodes.runtime import run_area_router, run_ingest, run_publisher
from goldenhour.services.sync import submit_events
from world import SET_UP_AT, seed

SKEW = timedelta(minutes=5)
LEAF_PASSWORD = "leaf-secret-for-tests"


@dataclass
class Node:
    """One node: its database, its nats-server, and its name."""

    name: str
    engine: Engine
    nats: NatsServer
    store: SqlNodeStore = field(init=False)

    def __post_init__(self) -> None:
        self.store = SqlNodeStore(self.engine)

    def event_ids(self) -> list[str]:
        """Return every event id in the node's log (with repeats, if any were stored twice)."""
        with self.engine.connect() as connection:
            return list(connection.execute(select(events.c.event_id)).scalars())

    def own_event_ids(self) -> set[str]:
        """Return the ids of the events accepted here (not ingested from another node)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(events.c.event_id).where(
                    events.c.event_id.not_in(select(node_receipts.c.event_id))
                )
            ).scalars()
            return set(rows)

    def outbox_size(self) -> int:
        """Return how many events wait in the outbox."""
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(outbox)).scalar_one())

    def check_consistent(self) -> None:
        """Assert the projections equal a rebuild from the log and the audit chain verifies."""
        live = projection_snapshot(self.engine)
        SqlMaintenance(self.engine).rebuild_projections()
        assert projection_snapshot(self.engine) == live
        assert SqlAuditChain(self.engine).verify().intact


class Pair:
    """A rear node and forward nodes, each joined by a leaf link through a relay the test controls.

    The rear's units and users reach each forward node by down replication (it pulls them from
    the rear's stream) before the test writes; the medic writes casualties on forward nodes,
    the rear's coordinator at the rear; each forward node's events flow up through its outbox,
    its stream, and the rear's durable pull from the forward's domain. ``forward`` and
    ``relay`` are the first forward node's.
    """

    def __init__(
        self, tmp: Path, *, rear_url: str, forwards: tuple[str, ...] = ("fwd1",),
        forward_password: str = LEAF_PASSWORD, tls: tuple[TlsFiles, TlsFiles] | None = None,
        areas: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        """Set up the nodes; ``tls`` is the rear's and the forward nodes' certificate files.

        ``areas`` names the unit of each forward node's account at the rear (its area): a
        World attribute, ``brigade`` (the default), ``company`` or ``other_company``.
        """
        self.tmp = tmp
        self.forward_name = forwards[0]
        hub_leaf = free_port()
        self.rear = self._node(
            "rear", rear_url, NatsConfig(
                name="rear", store_dir=tmp / "rear-js", client_port=free_port(),
                monitor_port=free_port(), leaf_listen=("127.0.0.1", hub_leaf),
                forward_nodes=tuple(
                    LeafCredentials(user=name, password=LEAF_PASSWORD) for name in forwards
                ),
                tls=tls[0] if tls else None,
            ),
        )  # fmt: skip
        self.relays: dict[str, Relay] = {}
        self.forwards: dict[str, Node] = {}
        for name in forwards:
            relay_port = free_port()
            self.relays[name] = Relay(relay_port, hub_leaf)
            self.forwards[name] = self._node(
                name, f"sqlite:///{tmp / f'{name}.sqlite3'}", NatsConfig(
                    name=name, store_dir=tmp / f"{name}-js", client_port=free_port(),
                    monitor_port=free_port(), hub_url=f"127.0.0.1:{relay_port}",
                    credentials=LeafCredentials(user=name, password=forward_password),
                    tls=tls[1] if tls else None,
                ),
            )  # fmt: skip
        self.forward = self.forwards[self.forward_name]
        self.relay = self.relays[self.forward_name]
        rear_log = SqlEventLog(self.rear.engine)
        self.world = seed(rear_log)
        self.node_accounts = {
            name: add_user(
                rear_log,
                username=f"node-{name}",
                password_hash="unused",
                role=Role.ADMIN,
                unit_id=getattr(self.world, (areas or {}).get(name, "brigade")),
                now=SET_UP_AT,
            )  # fmt: skip
            for name in forwards
        }
        self.node_account = self.node_accounts[self.forward_name]
        init_node(self.rear.store, name="rear", role=NodeRole.REAR, now=datetime.now(UTC))
        self._start_nats(self.rear)
        for name, node in self.forwards.items():
            init_node(node.store, name=name, role=NodeRole.FORWARD, now=datetime.now(UTC))
            self._start_nats(node)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    def _start_nats(self, node: Node) -> None:
        # The ports were free when drawn, seconds before (the rear's schema was written since):
        # another test process may have taken one meanwhile. Draw again for that node only.
        for attempt in range(5):
            try:
                node.nats.start()
                return
            except NodeLinkError as refused:
                if attempt == 4 or "address already in use" not in str(refused).lower():
                    raise
            config = node.nats.config
            leaf = config.leaf_listen and (config.leaf_listen[0], free_port())
            node.nats.config = replace(
                config, client_port=free_port(), monitor_port=free_port(), leaf_listen=leaf
            )
            if leaf:
                for relay in self.relays.values():
                    relay.target_port = leaf[1]

    def _node(self, name: str, url: str, config: NatsConfig) -> Node:
        engine = make_engine(url)
        schema.upgrade(engine)
        nats = NatsServer(
            config, config_path=self.tmp / f"{name}.conf", log_path=self.tmp / f"{name}.log"
        )
        return Node(name=name, engine=engine, nats=nats)

    # The loops, in a thread of their own (the test's thread drives writes and cuts).

    def start_loops(self, *, wait_for_down: bool = True) -> None:
        """Start every node's publisher and ingests; wait until the rear's users came down."""
        ready = threading.Event()

        def main() -> None:
            asyncio.run(self._run(ready))

        self._thread = threading.Thread(target=main, daemon=True)
        self._thread.start()
        assert ready.wait(15), "the node loops did not start"
        # Down replication first: the forward nodes' medic and units come from the rear.
        if wait_for_down:
            wait_for(self._all_down, timeout=30)

    def _all_down(self) -> bool:
        wanted = self._rear_ids_down()
        return all(wanted <= set(node.event_ids()) for node in self.forwards.values())

    def _areas_down(self) -> bool:
        """Tell whether the area router went through the rear's whole log for every forward
        node and each holds every event of the records sent to it (but its own)."""
        with self.rear.engine.connect() as connection:
            top = connection.execute(select(func.max(events.c.seq))).scalar() or 0
            cursors = {
                row.node: row.after_seq
                for row in connection.execute(
                    select(node_area_cursor.c.node, node_area_cursor.c.after_seq)
                )
            }
            if any(cursors.get(name, 0) < top for name in self.forwards):
                return False
            for name, node in self.forwards.items():
                wanted = set(
                    connection.execute(
                        select(events.c.event_id)
                        .select_from(
                            events.join(
                                node_area_records,
                                (node_area_records.c.stream == events.c.stream)
                                & (node_area_records.c.stream_id == events.c.stream_id),
                            ).outerjoin(
                                node_receipts, node_receipts.c.event_id == events.c.event_id
                            )
                        )
                        .where(node_area_records.c.node == name)
                        .where(node_receipts.c.node.is_(None) | (node_receipts.c.node != name))
                    ).scalars()
                )
                if not wanted <= set(node.event_ids()):
                    return False
        return True

    def _rear_ids_down(self) -> set[str]:
        with self.rear.engine.connect() as connection:
            return set(
                connection.execute(
                    select(events.c.event_id).where(events.c.stream.in_(DOWN_STREAMS))
                ).scalars()
            )

    async def _run(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        stop = self._stop
        rear_client = await connect(self.rear.nats.url, name="rear-server")
        await ensure_stream(rear_client, "rear")
        clients = [rear_client]
        rear_publisher = StreamPublisher(rear_client, "rear")
        loops = [
            run_publisher(self.rear.store, rear_publisher, stop=stop),
            run_area_router(self.rear.store, rear_publisher, list(self.forwards), stop=stop),
        ]
        for name, node in self.forwards.items():
            client = await connect(node.nats.url, name=f"{name}-server")
            clients.append(client)
            await ensure_stream(client, name)
            up_log = SqlEventLog(self.rear.engine, origin=name)
            down_log = SqlEventLog(node.engine, origin="rear")

            def ingest_up(messages: list[bytes], *, log: SqlEventLog = up_log,
                          name: str = name) -> Any:  # fmt: skip
                return ingest_from_node(
                    log, self.rear.store, messages, node=name, now=datetime.now(UTC),
                    max_skew=SKEW,
                )  # fmt: skip

            def ingest_down(messages: list[bytes], *, log: SqlEventLog = down_log) -> Any:
                return ingest_from_rear(
                    log, messages, rear="rear", now=datetime.now(UTC), max_skew=SKEW
                )

            loops += [
                run_publisher(node.store, StreamPublisher(client, name), stop=stop),
                run_ingest(NodeFeed(rear_client, source=name, consumer="rear"), ingest_up,
                           stop=stop),
                run_ingest(NodeFeed(client, source="rear", consumer=name, streams=DOWN_STREAMS,
                                    area=name),
                           ingest_down, stop=stop),
            ]  # fmt: skip
        ready.set()
        try:
            await asyncio.gather(*loops)
        finally:
            for client in clients:
                await client.close()

    def stop_loops(self) -> None:
        """Stop the loops and wait for them."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(20)

    def close(self) -> None:
        """Stop everything the pair started."""
        self.stop_loops()
        for relay in self.relays.values():
            relay.cut()
        for node in self.forwards.values():
            node.nats.stop()
            node.engine.dispose()
        self.rear.nats.stop()
        self.rear.engine.dispose()

    # What the tests do on each side.

    def write_forward(self, count: int, *, node: str | None = None) -> list[str]:
        """Have the medic register ``count`` casualties on a forward node; return the ids."""
        from goldenhour.domain.casualty.events import CasualtyRegistered
        from goldenhour.domain.codec import encode_event

        from builders import make

        batch = [
            encode_event(make(CasualtyRegistered, casualty_id=uuid4(), device="medic-phone"))
            for _ in range(count)
        ]
        target = self.forwards[node or self.forward_name]
        results = submit_events(
            SqlEventLog(target.engine), self.world.medic, batch,
            now=datetime.now(UTC), max_skew=SKEW,
        )  # fmt: skip
        assert all(r.outcome.value == "accepted" for r in results), results
        return [str(r.event_id) for r in results]

    def write_rear(self, count: int) -> list[str]:
        """Have the rear's coordinator note ``count`` casualties at the rear; return the ids."""
        from goldenhour.domain.casualty.events import CasualtyRegistered
        from goldenhour.domain.codec import encode_event

        from builders import make

        batch = [
            encode_event(
                make(CasualtyRegistered, casualty_id=uuid4(), author="coordinator",
                     device="coordinator-laptop")
            )
            for _ in range(count)
        ]  # fmt: skip
        results = submit_events(
            SqlEventLog(self.rear.engine), self.world.coordinator, batch,
            now=datetime.now(UTC), max_skew=SKEW,
        )  # fmt: skip
        assert all(r.outcome.value == "accepted" for r in results), results
        return [str(r.event_id) for r in results]

    def wait_until_rear_holds(self, ids: set[str], *, timeout: float) -> float:
        """Wait until the rear holds every id in ``ids``; return the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if ids <= set(self.rear.event_ids()):
                return time.monotonic() - started
            time.sleep(0.05)
        missing = ids - set(self.rear.event_ids())
        raise AssertionError(f"{len(missing)} events never reached the rear in {timeout} s")

    def check_converged(self) -> None:
        """Assert every side holds the same record: each side's events on the other, once.

        The rear holds every event each forward node accepted; each forward node holds every
        unit, user, facility, vehicle, point and threat event of the rear (what goes down); all
        outboxes are empty; on each node the projections equal a rebuild and the audit chain
        verifies.
        """
        wait_for(
            lambda: self.rear.outbox_size() == 0 and self._all_down() and self._areas_down(),
            timeout=30,
        )
        rear_ids = self.rear.event_ids()
        assert len(rear_ids) == len(set(rear_ids)), "an event stored twice at the rear"
        for node in self.forwards.values():
            forward_ids = node.event_ids()
            assert len(forward_ids) == len(set(forward_ids)), f"an event twice on {node.name}"
            assert node.own_event_ids() <= set(rear_ids)
            assert node.outbox_size() == 0
            node.check_consistent()
        self.rear.check_consistent()


def wait_for(predicate: Callable[[], bool], *, timeout: float) -> None:
    """Wait until ``predicate`` holds, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
