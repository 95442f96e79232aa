"""``goldenhour node status``: the link, what waits each way, and how far behind the others are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from goldenhour.domain.nodes import ConsumerLag, LeafLink, NodeIdentity, NodeLinkError, Receipts
from goldenhour.services.nodes.ports import NodeStore

__all__ = ["LinkProbe", "NodeStatus", "PeerStatus", "node_status"]


class LinkProbe(Protocol):
    """The node's NATS server as its monitor reports it."""

    def leaf_links(self) -> list[LeafLink]:
        """Return the server's leaf links (none when the link is down)."""

    def consumers(self, stream: str) -> list[ConsumerLag]:
        """Return the consumers of ``stream`` (the nodes pulling it) and their lag."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PeerStatus:
    """Another node pulling this node's stream: events it has not taken, and when it last did."""

    consumer: str
    lag_events: int
    last_contact: datetime | None
    lag_seconds: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeStatus:
    """A node's state, as ``goldenhour node status`` prints it."""

    identity: NodeIdentity | None
    nats_up: bool
    link_up: bool
    links: list[LeafLink] = field(default_factory=list)
    #: Events accepted here that the node's own stream has not yet acknowledged.
    outbox_events: int = 0
    outbox_lag_seconds: float | None = None
    peers: list[PeerStatus] = field(default_factory=list)
    received_from: dict[str, Receipts] = field(default_factory=dict)


def node_status(store: NodeStore, probe: LinkProbe, *, stream: str, now: datetime) -> NodeStatus:
    """Return the node's state: its link, its outbox, and the lag of each node pulling it.

    A peer's lag in seconds is the time since its last pull while it still has events to take.
    """
    identity = store.identity()
    backlog = store.backlog()
    outbox_lag = (
        (now - backlog.oldest_queued_at).total_seconds() if backlog.oldest_queued_at else None
    )
    try:
        links = probe.leaf_links()
        consumers = probe.consumers(stream)
    except NodeLinkError:
        return NodeStatus(
            identity=identity, nats_up=False, link_up=False, outbox_events=backlog.events,
            outbox_lag_seconds=outbox_lag, received_from=store.received_from(),
        )  # fmt: skip
    peers = [
        PeerStatus(
            consumer=c.consumer,
            lag_events=c.pending + c.unacknowledged,
            last_contact=c.last_active,
            lag_seconds=(
                (now - c.last_active).total_seconds()
                if c.last_active is not None and c.pending + c.unacknowledged > 0
                else (0.0 if c.pending + c.unacknowledged == 0 else None)
            ),
        )  # fmt: skip
        for c in consumers
    ]
    return NodeStatus(
        identity=identity, nats_up=True, link_up=any(link.up for link in links), links=links,
        outbox_events=backlog.events, outbox_lag_seconds=outbox_lag, peers=peers,
        received_from=store.received_from(),
    )  # fmt: skip
