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
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import EventLog
from goldenhour.services.nodes.ports import AreaPublisher, NodeStore, StreamPublisher
from goldenhour.services.sync import Outcome, SubmissionResult, submit_events

__all__ = [
    "IngestReport", "ingest_from_node", "ingest_from_rear", "node_account", "publish_area",
    "publish_outbox",
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


async def publish_area(store: NodeStore, publisher: AreaPublisher, node: str) -> bool:
    """Send ``node`` the next events of its area; return whether the rear's log was read on.

    While the node has no enabled account at the rear nothing goes down (its area is its
    account's unit). The batch is recorded as sent only once the stream stored all of it: a
    crash in between sends it again, and the forward node answers the repeats ``duplicate``.
    """
    area = await asyncio.to_thread(store.area_path, node)
    if area is None:
        return False
    batch = await asyncio.to_thread(store.area_batch, node, area)
    for item in batch.items:
        await publisher.publish_area(node, item)
    await asyncio.to_thread(store.area_sent, node, batch)
    return bool(batch.items or batch.records)


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

    A record of the node's area (a casualty, request or mission) comes with the unit it
    belongs to at the rear, and is filed under that unit here; runs of consecutive events of
    one unit go through the ingest together, in the order they came.
    """
    rear_unit = uuid5(NAMESPACE_URL, f"goldenhour:node:{rear}:unit")
    decoded = [_down(message) for message in messages]
    results: list[SubmissionResult] = []
    start = 0
    while start < len(decoded):
        scope = decoded[start][0]
        end = start
        while end < len(decoded) and decoded[end][0] == scope:
            end += 1
        principal = Principal(
            user_id=uuid5(NAMESPACE_URL, f"goldenhour:node:{rear}"),
            username=node_account(rear), role=Role.ADMIN, unit_id=scope or rear_unit,
            unit_path="/", device=f"node:{rear}", attribution=Attribution.AS_GIVEN,
        )  # fmt: skip
        run = [event for _, event in decoded[start:end]]
        results += [
            replace(result, index=result.index + start)
            for result in submit_events(log, principal, run, now=now, max_skew=max_skew)
        ]
        start = end
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


def _down(message: bytes) -> tuple[UUID | None, Any]:
    # A record of the node's area comes as {"scope_unit": ..., "event": ...} (area_message).
    decoded = _decoded(message)
    if isinstance(decoded, dict) and set(decoded) == {"scope_unit", "event"}:
        try:
            scope = UUID(decoded["scope_unit"]) if decoded["scope_unit"] else None
        except (TypeError, ValueError, AttributeError):
            return None, decoded  # answered invalid by the ingest, kept for review
        return scope, decoded["event"]
    return None, decoded
