"""Forward and rear nodes (issue 15): what a node is, and what waits to leave it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from goldenhour.domain.access import unit_in_subtree
from goldenhour.domain.errors import GoldenHourError, ValidationError

__all__ = [
    "AREA_STREAMS", "DOWN_STREAMS", "AreaBatch", "AreaItem", "Backlog", "ConsumerLag",
    "LeafAccount", "LeafLink", "NodeIdentity",
    "NodeLinkError", "NodeRole", "NodeSettings", "OutboxItem", "Receipts", "area_message",
    "area_subject",
    "check_node_name", "events_subject", "in_node_area", "stream_name",
]  # fmt: skip

_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")


class NodeRole(Enum):
    """A forward node runs near the front on SQLite; the rear gathers every forward node."""

    FORWARD = "forward"
    REAR = "rear"


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeIdentity:
    """This database's node: its name (also its JetStream domain) and role."""

    name: str
    role: NodeRole
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxItem:
    """An accepted event waiting for the node's stream to acknowledge it."""

    seq: int
    event_id: str
    stream: str
    payload: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class Backlog:
    """How much waits in the outbox, and since when."""

    events: int
    oldest_queued_at: datetime | None


def check_node_name(name: str) -> str:
    """Return ``name`` if it can name a node, its stream and its JetStream domain.

    Lower-case letters, digits and hyphens, starting with a letter, at most 32 characters:
    the name goes into NATS subjects, a stream name and a domain, which refuse dots, spaces
    and wildcards.
    """
    if not _NAME.fullmatch(name):
        raise ValidationError(
            "name", "a node name is 1-32 lower-case letters, digits or hyphens, first a letter"
        )
    return name


def stream_name(node: str) -> str:
    """Return the JetStream stream that carries ``node``'s events."""
    return "GH_" + node.upper().replace("-", "_")


def events_subject(node: str, stream: str = ">") -> str:
    """Return the subject ``node`` publishes events of ``stream`` on (all of them: ``>``)."""
    return f"gh.{node}.events.{stream}"


#: What the rear sends down to every forward node: the units and users (so that a forward node
#: logs its people in and cuts off a disabled one without the rear), facilities, vehicles,
#: points and threat areas. Casualties, requests and missions go down only to the forward
#: nodes whose area they concern (``AREA_STREAMS``, ``in_node_area``).
DOWN_STREAMS = ("unit", "user", "facility", "vehicle", "point", "threat")

#: What the rear sends down to a forward node only when it concerns the node's area.
AREA_STREAMS = ("casualty", "request", "mission")


def area_subject(rear: str, node: str) -> str:
    """Return the subject on which ``rear`` sends ``node`` the records of its area."""
    return f"gh.{rear}.area.{node}"


def in_node_area(area_path: str, paths: Iterable[str | None]) -> bool:
    """Tell whether a record concerns the forward node whose area is the unit at ``area_path``.

    A forward node's area is the subtree of the unit of its account at the rear
    (``node-<name>``). ``paths`` are the units a record touches: its own unit, the units of
    the facilities it was sent or handed to, and for a mission the units of its requests. A
    record touching any unit of the subtree concerns the node: a request filed there, a
    casualty evacuated towards a facility the node serves, a mission for its requests.
    """
    return any(unit_in_subtree(path, area_path) for path in paths)


@dataclass(frozen=True, slots=True, kw_only=True)
class AreaItem:
    """An event the rear sends a forward node because its record concerns the node's area.

    ``scope_unit`` is the unit the record belongs to at the rear: a casualty event names no
    unit, so the forward node files the record under this one.
    """

    seq: int
    event_id: str
    scope_unit: str | None
    payload: bytes


def area_message(item: AreaItem) -> bytes:
    """Return the message carrying ``item`` down: the event and the unit of its record.

    ``{"scope_unit": ..., "event": {...}}``, the event as the rear stored it (JSON).
    """
    scope = b"null" if item.scope_unit is None else b'"' + item.scope_unit.encode() + b'"'
    return b'{"scope_unit": ' + scope + b', "event": ' + item.payload + b"}"


@dataclass(frozen=True, slots=True, kw_only=True)
class AreaBatch:
    """The next events the rear sends one forward node, and what it records once they are sent.

    ``cursor`` is the rear's log position the batch covers; ``records`` the casualties,
    requests and missions (stream, id) the node now holds in full, whose later events follow.
    """

    items: list[AreaItem]
    cursor: int
    records: frozenset[tuple[str, str]]


class NodeLinkError(GoldenHourError, ConnectionError):
    """The node's NATS server, or the stream behind it, did not answer (the link is down)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LeafLink:
    """One leaf link of the node's NATS server as its monitor reports it."""

    peer: str
    up: bool
    rtt: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsumerLag:
    """A consumer of the node's stream (another node pulling it): how far behind it is."""

    consumer: str
    pending: int
    unacknowledged: int
    last_active: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Receipts:
    """Events a node ingested from another: how many, and when the last one arrived."""

    events: int
    last_received_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class LeafAccount:
    """A forward node's user and password on the rear's leaf listener."""

    node: str
    password: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeSettings:
    """How a node runs its ``nats-server``, as ``goldenhour node init`` wrote it.

    A rear node listens for leaf links on ``leaf_port`` and knows each forward node's account;
    a forward node links to ``hub`` (``host:port`` of the rear's leaf listener) with its own.
    TLS on the leaf link is on when the three files are given (each side's certificate and key,
    and the CA that signed the other side's).
    """

    name: str
    role: NodeRole
    #: A forward node's rear: its name, which is its JetStream domain.
    rear: str = "rear"
    host: str = "127.0.0.1"
    client_port: int = 4222
    monitor_port: int = 8222
    leaf_host: str = "0.0.0.0"
    leaf_port: int = 7422
    hub: str | None = None
    account: LeafAccount | None = None
    forwards: tuple[LeafAccount, ...] = ()
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_ca: str | None = None
