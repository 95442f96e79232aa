"""The outbox: written with the event, published with its id, cleared on the stream's ack."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from harness import SKEW
from sqlalchemy import Engine

from goldenhour.adapters.nats.config import NatsConfig
from goldenhour.adapters.nats.process import NatsServer
from goldenhour.adapters.nats.streams import StreamPublisher, connect, ensure_stream
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.nodes import SqlNodeStore
from goldenhour.bench.throwaway_postgres import free_port
from goldenhour.domain.casualty.events import CasualtyRegistered
from goldenhour.domain.codec import encode_event
from goldenhour.domain.nodes import NodeLinkError, NodeRole, OutboxItem, stream_name
from goldenhour.services.nodes import init_node, publish_outbox
from goldenhour.services.sync import submit_events
from world import World, seed

from builders import make

NOW = datetime(2022, 6, 14, 13, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """Return a forward node's SQLite database, its units and users seeded."""
    created = make_engine(f"sqlite:///{tmp_path / 'forward.sqlite3'}")
    schema.upgrade(created)
    yield created
    created.dispose()


def _casualties(count: int) -> list[dict[str, object]]:
    return [
        encode_event(make(CasualtyRegistered, casualty_id=uuid4(), device="medic-phone"))
        for _ in range(count)
    ]


def test_events_accepted_before_node_init_get_no_outbox_row_until_init_queues_them(
    engine: Engine,
) -> None:
    """A plain server keeps no outbox; node init queues what it already holds, then each new one."""
    world = seed(SqlEventLog(engine))
    store = SqlNodeStore(engine)
    submit_events(SqlEventLog(engine), world.medic, _casualties(3), now=NOW, max_skew=SKEW)
    assert store.backlog().events == 0
    held = SqlEventLog(engine).last_seq()
    assert init_node(store, name="fwd1", role=NodeRole.FORWARD, now=NOW) == held
    submit_events(SqlEventLog(engine), world.medic, _casualties(2), now=NOW, max_skew=SKEW)
    assert store.backlog().events == held + 2
    assert [item.seq for item in store.pending(1000)] == list(range(1, held + 3))


def test_a_batch_that_fails_leaves_no_outbox_row(engine: Engine) -> None:
    """The outbox row is in the event's transaction: a batch rolled back leaves neither."""
    world = seed(SqlEventLog(engine))
    store = SqlNodeStore(engine)
    init_node(store, name="fwd1", role=NodeRole.FORWARD, now=NOW)
    store.clear([item.seq for item in store.pending(1000)])
    log = SqlEventLog(engine)
    with pytest.raises(RuntimeError), log.writer() as writer:
        event = make(CasualtyRegistered, casualty_id=uuid4())
        writer.append(
            event, scope_unit=world.company, content_hash="x", submitted_by=None,
            received_at=NOW,
        )  # fmt: skip
        writer.flush()
        raise RuntimeError("the batch fails after its event was appended")
    assert store.backlog().events == 0
    submit_events(log, world.medic, _casualties(1), now=NOW, max_skew=SKEW)
    assert store.backlog().events == 1


class _Stream:
    """A real nats-server with JetStream and the forward node's stream."""

    def __init__(self, tmp: Path) -> None:
        self.server = NatsServer(
            NatsConfig(
                name="fwd1", store_dir=tmp / "js", client_port=free_port(),
                monitor_port=free_port(),
            ),
            config_path=tmp / "nats.conf", log_path=tmp / "nats.log",
        )  # fmt: skip
        self.server.start()

    async def messages(self) -> int:
        client = await connect(self.server.url, name="test")
        try:
            info = await client.jetstream().stream_info(stream_name("fwd1"))
            return int(info.state.messages)
        finally:
            await client.close()


@pytest.fixture
def stream(tmp_path: Path) -> Iterator[_Stream]:
    """Return a running nats-server for the forward node."""
    created = _Stream(tmp_path)
    yield created
    created.server.stop()


def test_rows_left_after_a_crash_are_published_again_and_the_stream_keeps_one_copy(
    engine: Engine, stream: _Stream
) -> None:
    """Acked but not cleared (a crash between the two): published again, stored once."""
    world = seed(SqlEventLog(engine))
    store = SqlNodeStore(engine)
    init_node(store, name="fwd1", role=NodeRole.FORWARD, now=NOW)
    submit_events(SqlEventLog(engine), world.medic, _casualties(10), now=NOW, max_skew=SKEW)
    waiting = store.backlog().events

    async def scenario() -> tuple[int, int]:
        client = await connect(stream.server.url, name="forward")
        try:
            await ensure_stream(client, "fwd1")
            publisher = StreamPublisher(client, "fwd1")
            for item in store.pending(1000):  # published, then the process died: rows stay
                await publisher.publish(item)
            published = await publish_outbox(store, publisher, batch=1000)
            return published, store.backlog().events
        finally:
            await client.close()

    published, left = asyncio.run(scenario())
    assert (published, left) == (waiting, 0)
    assert asyncio.run(stream.messages()) == waiting


class _FailsAfter:
    def __init__(self, good: int) -> None:
        self.good = good
        self.seen: list[int] = []

    async def publish(self, item: OutboxItem) -> None:
        if len(self.seen) == self.good:
            raise NodeLinkError("the stream did not answer")
        self.seen.append(item.seq)


def test_publishing_stops_at_the_first_unacknowledged_event_and_clears_only_those_before(
    engine: Engine,
) -> None:
    """Events after a failed publish stay queued, in order, for the next attempt."""
    world: World = seed(SqlEventLog(engine))
    store = SqlNodeStore(engine)
    init_node(store, name="fwd1", role=NodeRole.FORWARD, now=NOW)
    submit_events(SqlEventLog(engine), world.medic, _casualties(5), now=NOW, max_skew=SKEW)
    before = [item.seq for item in store.pending(1000)]
    publisher = _FailsAfter(3)
    with pytest.raises(NodeLinkError):
        asyncio.run(publish_outbox(store, publisher))
    assert publisher.seen == before[:3]
    assert [item.seq for item in store.pending(1000)] == before[3:]
