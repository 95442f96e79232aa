"""Up the chain: a node's outbox published to its own stream, and another node's stream ingested.

The outbox row of an event is written in the transaction that accepts it and cleared only once
the node's JetStream stream acknowledged the event, so an event is never lost between the
database and the stream: after a crash the rows still there are published again, with the
event's id as ``Nats-Msg-Id``. JetStream drops a repeat inside its duplicate window, and the
ingest at the other end answers any later repeat ``duplicate`` by id, so nothing is doubled.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import EventLog
from goldenhour.services.nodes.ports import NodeStore, StreamPublisher
from goldenhour.services.sync import Outcome, SubmissionResult, submit_events

__all__ = [
    "IngestReport", "ingest_from_node", "ingest_from_rear", "node_account", "publish_outbox",
]  # fmt: skip

#: Outcomes after which a message from another node is done with: stored, already stored, or
#: kept for review in ``rejected_events`` (a conflict or an impossible event never improves).
_SETTLED = frozenset({Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.CONFLICT, Outcome.INVALID})


async def publish_outbox(store: NodeStore, publisher: StreamPublisher, *, batch: int = 256) -> int:
    """Publish the oldest waiting events to the node's stream, clear them, return how many.

    Stops at the first event the stream does not acknowledge (the error is raised after the
    ones before it were cleared): they are published again on the next call, in log order.
    """
    items = await asyncio.to_thread(store.pending, batch)
    acknowledged: list[int] = []
    try:
        for item in items:
            await publisher.publish(item)
            acknowledged.append(item.seq)
    finally:
        await asyncio.to_thread(store.clear, acknowledged)
    return len(acknowledged)


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestReport:
    """What became of a batch from another node: each message settled, or to try again."""

    results: list[SubmissionResult]
    #: Positions in the batch whose messages may be acknowledged to the other node's stream.
    settled: frozenset[int]


def ingest_from_node(
    log: EventLog,
    store: NodeStore,
    messages: Sequence[bytes],
    *,
    node: str,
    now: datetime,
    max_skew: timedelta,
) -> IngestReport:
    """Take a batch of another node's events through the one ingest, authorised as that node.

    ``log`` is the log as seen for that node (it records where each event came from). The node
    acts as its account here, ``node-<name>``, looked up for every batch: while the account is
    missing or disabled nothing is stored and every message is handed back. An event answered
    ``not_found`` or ``forbidden`` names a record that has not reached this node yet, or lies
    outside the node's account: it is delivered again later, not dropped.
    """
    principal = store.node_principal(node_account(node), device=f"node:{node}")
    if principal is None:
        return IngestReport(results=[], settled=frozenset())
    batch = [_decoded(message) for message in messages]
    results = submit_events(log, principal, batch, now=now, max_skew=max_skew)
    return IngestReport(
        results=results,
        settled=frozenset(r.index for r in results if r.outcome in _SETTLED),
    )


def ingest_from_rear(
    log: EventLog,
    messages: Sequence[bytes],
    *,
    rear: str,
    now: datetime,
    max_skew: timedelta,
) -> IngestReport:
    """Take what the rear sent down (units, users, facilities...) through the one ingest.

    The rear is the authority over what it sends down: its events are taken with their authors
    as written, as an administrator's; ``log`` records them as the rear's, so they are not sent
    back up. A user disabled at the rear is disabled here once this carries the event.
    """
    principal = Principal(
        user_id=uuid5(NAMESPACE_URL, f"goldenhour:node:{rear}"), username=node_account(rear),
        role=Role.ADMIN, unit_id=uuid5(NAMESPACE_URL, f"goldenhour:node:{rear}:unit"),
        unit_path="/", device=f"node:{rear}", attribution=Attribution.AS_GIVEN,
    )  # fmt: skip
    results = submit_events(
        log, principal, [_decoded(message) for message in messages], now=now, max_skew=max_skew
    )
    return IngestReport(
        results=results,
        settled=frozenset(r.index for r in results if r.outcome in _SETTLED),
    )


def node_account(node: str) -> str:
    """Return the name of the account a node's events are ingested as."""
    return f"node-{node}"


def _decoded(message: bytes) -> Any:
    try:
        return json.loads(message)
    except (UnicodeDecodeError, ValueError):
        # Handed on as it is: the ingest answers it ``invalid`` and keeps it for review.
        return message.decode("utf-8", "backslashreplace")
