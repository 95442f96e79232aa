"""The node's two loops: the outbox to the node's stream, and other nodes' streams ingested."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from goldenhour.domain.nodes import NodeLinkError
from goldenhour.services.nodes.ports import AreaPublisher, NodeStore, StreamPublisher
from goldenhour.services.nodes.replication import IngestReport, publish_area, publish_outbox

__all__ = ["Feed", "FeedMessage", "run_area_router", "run_ingest", "run_publisher"]

_log = logging.getLogger(__name__)


class FeedMessage(Protocol):
    """One event from another node's stream."""

    @property
    def data(self) -> bytes:
        """Return the event as the other node stored it."""

    async def ack(self) -> None:
        """Tell the other node's stream the event is stored here."""

    async def retry_later(self, delay: float) -> None:
        """Hand the event back, to be delivered again after ``delay`` seconds."""


class Feed(Protocol):
    """Another node's stream, pulled by this node."""

    async def fetch(self, batch: int, *, timeout: float) -> Sequence[FeedMessage]:
        """Return up to ``batch`` events, or none when none came within ``timeout`` seconds."""


#: The longest pause between tries after a failure the loop cannot name (a storage error).
MAX_BACKOFF = 30.0


async def _rest(stop: asyncio.Event, seconds: float) -> None:
    """Wait ``seconds``, or less if ``stop`` is set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass


def _longer(backoff: float, retry: float) -> float:
    """The next pause after another failure in a row: doubled, at most ``MAX_BACKOFF``."""
    return min(MAX_BACKOFF, max(retry, backoff * 2))


async def run_publisher(
    store: NodeStore, publisher: StreamPublisher, *, stop: asyncio.Event, idle: float = 0.1,
    retry: float = 0.5,
) -> None:  # fmt: skip
    """Publish the outbox until ``stop`` is set: at once while it is full, then every ``idle`` s.

    A lost link or a failing database (locked, restarting) pauses the loop, never ends it: a
    loop that died would leave the node's events unsent, with nothing to say so but a log line.
    """
    backoff = 0.0
    while not stop.is_set():
        try:
            published = await publish_outbox(store, publisher)
        except NodeLinkError as error:
            _log.warning("outbox: %s; retrying in %s s", error, retry)
            published, wait = 0, retry
        except Exception:
            backoff = _longer(backoff, retry)
            _log.exception("outbox: publishing failed; retrying in %s s", backoff)
            published, wait = 0, backoff
        else:
            backoff, wait = 0.0, idle
        if published == 0:
            await _rest(stop, wait)


async def run_area_router(
    store: NodeStore, publisher: AreaPublisher, nodes: Sequence[str], *, stop: asyncio.Event,
    idle: float = 0.2, retry: float = 0.5,
) -> None:  # fmt: skip
    """At the rear, send each forward node its area's records until ``stop`` is set.

    One node's failure (its link, or the database reading its area) does not hold up the
    others, and no failure ends the loop.
    """
    backoff = 0.0
    while not stop.is_set():
        moved = False
        wait = idle
        failed = False
        for node in nodes:
            try:
                moved = await publish_area(store, publisher, node) or moved
            except NodeLinkError as error:
                _log.warning("area of %s: %s; retrying in %s s", node, error, retry)
                wait = max(wait, retry)
            except Exception:
                failed = True
                _log.exception("area of %s: sending failed", node)
        if failed:
            backoff = _longer(backoff, retry)
            wait = max(wait, backoff)
            moved = False
        else:
            backoff = 0.0
        if not moved:
            await _rest(stop, wait)


async def run_ingest(
    feed: Feed, ingest: Callable[[list[bytes]], IngestReport], *, stop: asyncio.Event,
    batch: int = 256, retry: float = 0.5, redeliver_after: float = 5.0,
) -> None:  # fmt: skip
    """Pull another node's stream until ``stop`` is set, each batch through ``ingest``.

    A message is acknowledged once its event is stored (or kept for review); one naming a
    record that has not arrived yet is handed back and comes again after ``redeliver_after``.
    A batch whose storing fails (the database locked or restarting) is handed back whole and
    the loop pauses: nothing is acknowledged that was not stored, and the loop goes on.
    """
    backoff = 0.0
    while not stop.is_set():
        try:
            messages = list(await feed.fetch(batch, timeout=1.0))
        except NodeLinkError as error:
            _log.info("ingest: %s; retrying in %s s", error, retry)
            await _rest(stop, retry)
            continue
        if not messages:
            continue
        try:
            report = await asyncio.to_thread(ingest, [message.data for message in messages])
        except Exception:
            backoff = _longer(backoff, retry)
            _log.exception("ingest: storing a batch failed; it comes again in %s s", backoff)
            for message in messages:
                try:
                    await message.retry_later(backoff)
                except NodeLinkError:
                    pass  # unacknowledged, it is delivered again anyway
            await _rest(stop, backoff)
            continue
        backoff = 0.0
        for index, message in enumerate(messages):
            try:
                if index in report.settled:
                    await message.ack()
                else:
                    await message.retry_later(redeliver_after)
            except NodeLinkError as error:  # an unacknowledged message is delivered again
                _log.info("ingest: acknowledgement lost (%s); the event will come again", error)
