"""``node_status``: the link, the outbox, and each puller's lag, from the node's ports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from goldenhour.domain.access import Principal
from goldenhour.domain.nodes import (
    Backlog,
    ConsumerLag,
    LeafLink,
    NodeIdentity,
    NodeLinkError,
    NodeRole,
    OutboxItem,
    Receipts,
)
from goldenhour.services.nodes import init_node, node_status
from goldenhour.services.nodes.setup import NodeAlreadySet

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


@dataclass
class FakeStore:
    """The node's records in memory."""

    node: NodeIdentity | None = None
    waiting: Backlog = field(default_factory=lambda: Backlog(events=0, oldest_queued_at=None))
    queued_on_init: int = 0

    def identity(self) -> NodeIdentity | None:
        return self.node

    def make_node(self, *, name: str, role: NodeRole, now: datetime) -> int:
        self.node = NodeIdentity(name=name, role=role, created_at=now)
        return self.queued_on_init

    def pending(self, limit: int) -> list[OutboxItem]:
        return []

    def clear(self, seqs: Sequence[int]) -> None:
        return None

    def backlog(self) -> Backlog:
        return self.waiting

    def received_from(self) -> dict[str, Receipts]:
        return {"fwd1": Receipts(events=3, last_received_at=NOW - timedelta(seconds=5))}

    def node_principal(self, username: str, *, device: str) -> Principal | None:
        return None


@dataclass
class FakeProbe:
    """A nats-server monitor that answers as told, or not at all."""

    links: list[LeafLink] | None
    lags: list[ConsumerLag] = field(default_factory=list)

    def leaf_links(self) -> list[LeafLink]:
        if self.links is None:
            raise NodeLinkError("no answer")
        return self.links

    def consumers(self, stream: str) -> list[ConsumerLag]:
        return self.lags


def test_a_puller_behind_is_late_by_the_time_since_its_last_pull() -> None:
    """Lag in events counts pending and unacknowledged; in seconds, since its last contact."""
    store = FakeStore(waiting=Backlog(events=4, oldest_queued_at=NOW - timedelta(seconds=90)))
    probe = FakeProbe(
        links=[LeafLink(peer="rear", up=True)],
        lags=[
            ConsumerLag(consumer="rear", pending=10, unacknowledged=2,
                        last_active=NOW - timedelta(seconds=42)),
            ConsumerLag(consumer="other", pending=0, unacknowledged=0, last_active=None),
        ],
    )  # fmt: skip
    found = node_status(store, probe, stream="GH_FWD1", now=NOW)
    assert (found.nats_up, found.link_up) == (True, True)
    assert (found.outbox_events, found.outbox_lag_seconds) == (4, 90.0)
    behind, caught_up = found.peers
    assert (behind.lag_events, behind.lag_seconds) == (12, 42.0)
    assert (caught_up.lag_events, caught_up.lag_seconds) == (0, 0.0)
    assert found.received_from["fwd1"].events == 3


def test_a_node_whose_nats_server_does_not_answer_is_down_with_its_outbox_still_counted() -> None:
    """No monitor answer: nats-server and link down; what waits in the outbox is still shown."""
    store = FakeStore(waiting=Backlog(events=7, oldest_queued_at=NOW - timedelta(minutes=3)))
    found = node_status(store, FakeProbe(links=None), stream="GH_FWD1", now=NOW)
    assert (found.nats_up, found.link_up, found.outbox_events) == (False, False, 7)
    assert found.outbox_lag_seconds == 180.0


def test_a_link_with_no_leaf_connection_is_down() -> None:
    """The server answers but has no leaf link: link down."""
    found = node_status(FakeStore(), FakeProbe(links=[]), stream="GH_FWD1", now=NOW)
    assert (found.nats_up, found.link_up) == (True, False)


def test_init_is_idempotent_for_the_same_node_and_refuses_another() -> None:
    """Running node init again changes nothing; another name or role is refused."""
    store = FakeStore(queued_on_init=12)
    assert init_node(store, name="fwd1", role=NodeRole.FORWARD, now=NOW) == 12
    assert init_node(store, name="fwd1", role=NodeRole.FORWARD, now=NOW) == 0
    with pytest.raises(NodeAlreadySet):
        init_node(store, name="fwd2", role=NodeRole.FORWARD, now=NOW)
