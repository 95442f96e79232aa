"""The ports the node use cases are written against: the outbox, the stream, the link."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from goldenhour.domain.access import Principal
from goldenhour.domain.nodes import (
    AreaBatch,
    AreaItem,
    Backlog,
    NodeIdentity,
    NodeRole,
    OutboxItem,
    Receipts,
)

__all__ = ["AreaPublisher", "NodeStore", "StreamPublisher"]


class NodeStore(Protocol):
    """The node's own records: its identity, its outbox, the nodes it ingested from."""

    def identity(self) -> NodeIdentity | None:
        """Return this database's node, or ``None`` before it was made one."""

    def make_node(self, *, name: str, role: NodeRole, now: datetime) -> int:
        """Record this database as a node; queue the events it holds; return how many."""

    def pending(self, limit: int) -> list[OutboxItem]:
        """Return the oldest events waiting in the outbox, in log order."""

    def clear(self, seqs: Sequence[int]) -> None:
        """Remove the outbox rows of events the stream acknowledged."""

    def backlog(self) -> Backlog:
        """Return how many events wait in the outbox and when the oldest was queued."""

    def received_from(self) -> dict[str, Receipts]:
        """Return how many events were ingested from each other node, and the last one's time."""

    def node_principal(self, username: str, *, device: str) -> Principal | None:
        """Return the principal a node's events are ingested as, if its account is enabled."""

    def area_path(self, node: str) -> str | None:
        """Return the unit path of a forward node's area, or ``None`` while it has no account."""

    def area_batch(self, node: str, area_path: str, *, limit: int = 500) -> AreaBatch:
        """Return the next events of the log that go down to ``node`` (its area's records)."""

    def area_sent(self, node: str, batch: AreaBatch) -> None:
        """Record that ``batch`` reached the stream for ``node``."""


class StreamPublisher(Protocol):
    """The node's own JetStream stream."""

    async def publish(self, item: OutboxItem) -> None:
        """Publish one event, its id as the message id; return once the stream stored it.

        Raises an error of the adapter's when the stream did not acknowledge it.
        """


class AreaPublisher(Protocol):
    """The rear's stream, as the carrier of each forward node's area."""

    async def publish_area(self, node: str, item: AreaItem) -> None:
        """Publish one event for ``node``; return once the stream stored it.

        Raises an error of the adapter's when the stream did not acknowledge it.
        """
