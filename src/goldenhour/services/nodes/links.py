"""The link to each other node and the age of its data, for the coordinator's and facility's views.

A server running as a node watches its own nats-server every few seconds (``run_link_watch``):
which leaf links are up, and how many of its events each other node has not taken yet. While
a link is down, what this server shows from that node is as old as the last contact: the
moment the link was last seen up, or the last event received from that node, whichever is later.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from goldenhour.domain.access import Principal
from goldenhour.domain.errors import GoldenHourError
from goldenhour.domain.nodes import NodeLinkError, NodeRole
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import AuditRecorder
from goldenhour.services.audit import read_entry
from goldenhour.services.nodes.ports import NodeStore
from goldenhour.services.nodes.status import LinkProbe

__all__ = [
    "LINK_READERS", "LinkWatch", "NodeLinks", "NotALinkReader", "PeerLink", "read_links",
    "run_link_watch",
]  # fmt: skip

#: Who sees the links: those whose views show data from other nodes.
LINK_READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FACILITY})


class NotALinkReader(GoldenHourError, PermissionError):
    """The caller's role has no view that shows the links to other nodes."""

    def __init__(self) -> None:
        self.field = "role"
        self.reason = "the node links are for coordinators, facilities and administrators"
        super().__init__(f"{self.field}: {self.reason}")


@dataclass(frozen=True, slots=True, kw_only=True)
class PeerLink:
    """The link to one other node, as last seen."""

    node: str
    link_up: bool
    #: When this node last heard from the other (``None``: never since it started).
    last_contact: datetime | None
    #: How old the data from that node is: 0 while linked, else the time since last contact.
    data_age_seconds: float | None
    #: This node's events the other has not taken yet (``None`` while unknown).
    events_waiting: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeLinks:
    """This server's node and its links; ``node`` is ``None`` on a server that is no node."""

    node: str | None
    role: NodeRole | None
    nats_up: bool
    checked_at: datetime | None
    peers: list[PeerLink]


class LinkWatch:
    """What the node's nats-server last said of each link, refreshed by ``refresh``.

    ``peers`` are the other nodes: a forward node's rear, or a rear's forward nodes. A node's
    leaf link carries the other side's server name, which is the node's name.
    """

    def __init__(
        self, *, node: str, role: NodeRole, peers: Sequence[str], stream: str, probe: LinkProbe,
        store: NodeStore,
    ) -> None:  # fmt: skip
        self.node = node
        self.role = role
        self.peers = tuple(peers)
        self.stream = stream
        self.probe = probe
        self.store = store
        self._lock = threading.Lock()
        self._nats_up = False
        self._checked_at: datetime | None = None
        self._up: frozenset[str] = frozenset()
        self._seen_up: dict[str, datetime] = {}
        self._waiting: dict[str, int] = {}

    def refresh(self, now: datetime) -> None:
        """Ask the nats-server which links are up and how far behind each other node is."""
        try:
            links = self.probe.leaf_links()
            consumers = self.probe.consumers(self.stream)
        except NodeLinkError:
            with self._lock:
                self._nats_up, self._up, self._checked_at = False, frozenset(), now
            return
        up = frozenset(link.peer for link in links if link.up) & set(self.peers)
        waiting = {c.consumer: c.pending + c.unacknowledged for c in consumers}
        with self._lock:
            self._nats_up, self._up, self._checked_at = True, up, now
            self._waiting = {peer: waiting[peer] for peer in self.peers if peer in waiting}
            for peer in up:
                self._seen_up[peer] = now

    def links(self, now: datetime) -> NodeLinks:
        """Return each link as last seen, with the age of the data from each other node."""
        received = self.store.received_from()
        with self._lock:
            peers = []
            for peer in self.peers:
                heard = [
                    moment
                    for moment in (
                        self._seen_up.get(peer),
                        received[peer].last_received_at if peer in received else None,
                    )
                    if moment is not None
                ]
                last = max(heard) if heard else None
                linked = peer in self._up
                peers.append(
                    PeerLink(
                        node=peer,
                        link_up=linked,
                        last_contact=last,
                        data_age_seconds=(
                            0.0
                            if linked
                            else max(0.0, (now - last).total_seconds())
                            if last
                            else None
                        ),
                        events_waiting=self._waiting.get(peer),
                    )  # fmt: skip
                )
            return NodeLinks(
                node=self.node, role=self.role, nats_up=self._nats_up,
                checked_at=self._checked_at, peers=peers,
            )  # fmt: skip


def read_links(
    watch: LinkWatch | None, audits: AuditRecorder, principal: Principal, *, now: datetime
) -> NodeLinks:
    """Return the node's links to ``principal``, the read (or its refusal) audited.

    A server that is no node answers with no node and no links.
    """
    allowed = principal.role in LINK_READERS
    audits.record(
        read_entry(
            principal,
            target_kind="node_links",
            target_id=watch.node if watch else "-",
            action="read" if allowed else "denied_read",
            at=now,
        )  # fmt: skip
    )
    if not allowed:
        raise NotALinkReader
    if watch is None:
        return NodeLinks(node=None, role=None, nats_up=False, checked_at=None, peers=[])
    return watch.links(now)


async def run_link_watch(watch: LinkWatch, *, stop: asyncio.Event, every: float = 2.0) -> None:
    """Refresh ``watch`` every ``every`` seconds until ``stop`` is set."""
    while not stop.is_set():
        await asyncio.to_thread(watch.refresh, datetime.now(UTC))
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass
