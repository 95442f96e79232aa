"""The node's loops go on through a failing database: they pause, retry, and lose nothing.

A loop that ended on a storage error (SQLite locked under load, PostgreSQL restarting) used to
leave the node's replication stopped until the server restarted, with one log line to say so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from goldenhour.domain.nodes import AreaBatch, AreaItem, OutboxItem
from goldenhour.services.nodes.ports import AreaPublisher, NodeStore, StreamPublisher
from goldenhour.services.nodes.replication import IngestReport
from goldenhour.services.nodes.runtime import run_area_router, run_ingest, run_publisher

T = TypeVar("T")


class DatabaseLocked(Exception):
    """What a storage driver raises when the database is busy (not a link error)."""


def run(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``scenario`` in an event loop of its own thread and return what it returns.

    Its own thread: a worker that ran the browser tests has Playwright's loop running in the
    main thread, where ``asyncio.run`` refuses to start. A hang fails the test, not the suite.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(scenario(), timeout=60)).result()


@dataclass
class FlakyOutbox:
    """An outbox whose first reads fail as a locked database does."""

    failures: int
    items: list[OutboxItem]
    cleared: list[int] = field(default_factory=list)

    def pending(self, limit: int) -> list[OutboxItem]:
        if self.failures:
            self.failures -= 1
            raise DatabaseLocked("database is locked")
        return [i for i in self.items if i.seq not in self.cleared][:limit]

    def clear(self, seqs: Sequence[int]) -> None:
        self.cleared.extend(seqs)


@dataclass
class Stream:
    """The node's stream: remembers what it stored; stops the loop once it has ``want``."""

    stop: asyncio.Event
    want: int
    stored: list[str] = field(default_factory=list)

    async def publish(self, item: OutboxItem) -> None:
        self.stored.append(item.event_id)
        if len(self.stored) >= self.want:
            self.stop.set()

    async def publish_area(self, node: str, item: AreaItem) -> None:
        self.stored.append(f"{node}:{item.event_id}")
        if len(self.stored) >= self.want:
            self.stop.set()


def test_the_publisher_outlives_a_locked_database_and_publishes_everything() -> None:
    async def scenario() -> tuple[FlakyOutbox, Stream]:
        stop = asyncio.Event()
        items = [
            OutboxItem(seq=n, event_id=f"e{n}", stream="casualty", payload=b"{}") for n in (1, 2)
        ]
        outbox = FlakyOutbox(failures=3, items=items)
        stream = Stream(stop=stop, want=2)
        await run_publisher(
            cast(NodeStore, outbox), cast(StreamPublisher, stream), stop=stop, idle=0.01,
            retry=0.01,
        )  # fmt: skip
        return outbox, stream

    outbox, stream = run(scenario)
    assert outbox.failures == 0
    assert stream.stored == ["e1", "e2"] and outbox.cleared == [1, 2]


@dataclass
class Areas:
    """The rear's areas: ``broken`` fails its first reads; every node has one event to send."""

    broken: str
    failures: int
    sent: set[str] = field(default_factory=set)

    def area_path(self, node: str) -> str | None:
        return f"/brigade/{node}"

    def area_batch(self, node: str, area_path: str, *, limit: int = 500) -> AreaBatch:
        if node == self.broken and self.failures:
            self.failures -= 1
            raise DatabaseLocked("database is locked")
        items = (
            []
            if node in self.sent
            else [AreaItem(seq=1, event_id="a1", scope_unit=None, payload=b"{}")]
        )
        return AreaBatch(items=items, cursor=1, records=frozenset())

    def area_sent(self, node: str, batch: AreaBatch) -> None:
        if batch.items:
            self.sent.add(node)


def test_one_forward_nodes_failing_area_holds_up_neither_the_others_nor_itself_for_good() -> None:
    async def scenario() -> Stream:
        stop = asyncio.Event()
        areas = Areas(broken="north", failures=3)
        stream = Stream(stop=stop, want=2)
        await run_area_router(
            cast(NodeStore, areas), cast(AreaPublisher, stream), ["north", "south"], stop=stop,
            idle=0.01, retry=0.01,
        )  # fmt: skip
        return stream

    stream = run(scenario)
    # South went first, while north's area could not be read; north followed once it could.
    assert stream.stored == ["south:a1", "north:a1"]


@dataclass
class Message:
    data: bytes
    acked: int = 0
    handed_back: int = 0

    async def ack(self) -> None:
        self.acked += 1

    async def retry_later(self, delay: float) -> None:
        self.handed_back += 1


@dataclass
class Redelivering:
    """Another node's stream: a message handed back or never acknowledged comes again."""

    messages: list[Message]

    async def fetch(self, batch: int, *, timeout: float) -> Sequence[Message]:
        waiting = [m for m in self.messages if not m.acked][:batch]
        if not waiting:
            await asyncio.sleep(0.01)
        return waiting


def test_a_batch_the_database_refuses_is_handed_back_and_stored_later() -> None:
    messages = [Message(b"one"), Message(b"two")]
    stored: list[bytes] = []
    stop_box: list[asyncio.Event] = []

    def ingest(batch: list[bytes]) -> IngestReport:
        if len(stored) == 0 and sum(m.handed_back for m in messages) < 4:
            raise DatabaseLocked("database is locked")
        stored.extend(batch)
        stop_box[0].set()
        return IngestReport(results=[], settled=frozenset(range(len(batch))))

    async def scenario() -> None:
        stop = asyncio.Event()
        stop_box.append(stop)
        await run_ingest(Redelivering(messages), ingest, stop=stop, retry=0.01)

    run(scenario)
    assert stored == [b"one", b"two"]
    # Twice refused by the database: each message handed back twice, then acknowledged once.
    assert [(m.handed_back, m.acked) for m in messages] == [(2, 1), (2, 1)]
