"""The node's stream on JetStream: publishing the outbox, and a rear pulling a forward's stream.

The rear pulls each forward node's stream directly from that node's JetStream domain, with a
durable pull consumer, instead of sourcing it into a stream of its own: measured on a cut
leaf link, sourcing resumed 39-47 s after relink once a cut had lasted more than about 10 s,
while a direct pull resumed in about a second (issue 15; docs/deployment.md has the figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext, api
from nats.js.errors import Error as JetStreamError

from goldenhour.domain.nodes import (
    AreaItem,
    NodeLinkError,
    OutboxItem,
    area_message,
    area_subject,
    events_subject,
    stream_name,
)

__all__ = ["FeedMessage", "NodeFeed", "StreamPublisher", "connect", "ensure_stream"]

#: Sized for a week cut off at a busy stabilisation point (docs/deployment.md): 200 events/s
#: for hours is far more than a forward node writes; when full, new events are refused and stay
#: in the outbox, never old ones dropped.
STREAM_MAX_BYTES = 2 * 1024**3
STREAM_MAX_AGE = timedelta(days=30)
#: JetStream drops a repeated ``Nats-Msg-Id`` inside this window (the ingest drops any later).
DUPLICATE_WINDOW = timedelta(minutes=2)


async def connect(url: str, *, name: str) -> Client:
    """Connect to the node's own NATS server, reconnecting for ever when it goes away."""
    try:
        return await nats.connect(
            servers=[url], name=name, reconnect_time_wait=0.5, max_reconnect_attempts=-1,
            connect_timeout=2, allow_reconnect=True,
        )  # fmt: skip
    except (NatsError, OSError) as error:
        raise NodeLinkError(f"cannot reach the node's nats-server at {url}: {error}") from error


async def ensure_stream(client: Client, node: str) -> None:
    """Create (or update) the node's stream on its own JetStream."""
    config = api.StreamConfig(
        name=stream_name(node),
        # A rear also carries, for each forward node, the records of its area.
        subjects=[events_subject(node), area_subject(node, "*")],
        retention=api.RetentionPolicy.LIMITS,
        discard=api.DiscardPolicy.NEW,
        storage=api.StorageType.FILE,
        max_bytes=STREAM_MAX_BYTES,
        max_age=STREAM_MAX_AGE.total_seconds(),
        duplicate_window=DUPLICATE_WINDOW.total_seconds(),
    )
    js = client.jetstream()
    try:
        await js.add_stream(config)
    except JetStreamError:
        await js.update_stream(config)


class StreamPublisher:
    """Publishes outbox items to the node's stream (``services.nodes.ports.StreamPublisher``)."""

    def __init__(self, client: Client, node: str, *, timeout: float = 2.0) -> None:
        self.js: JetStreamContext = client.jetstream(timeout=timeout)
        self.node = node
        self.stream = stream_name(node)

    async def publish(self, item: OutboxItem) -> None:
        """Publish one event with its id as ``Nats-Msg-Id``; return once the stream stored it."""
        try:
            await self.js.publish(
                events_subject(self.node, item.stream), item.payload, stream=self.stream,
                headers={"Nats-Msg-Id": item.event_id},
            )  # fmt: skip
        except (TimeoutError, NatsError, JetStreamError, OSError) as error:
            raise NodeLinkError(
                f"the stream did not store event {item.event_id}: {error}"
            ) from error

    async def publish_area(self, node: str, item: AreaItem) -> None:
        """Publish one event of ``node``'s area (its message id names the node too)."""
        try:
            await self.js.publish(
                area_subject(self.node, node), area_message(item), stream=self.stream,
                headers={"Nats-Msg-Id": f"{item.event_id}:{node}"},
            )  # fmt: skip
        except (TimeoutError, NatsError, JetStreamError, OSError) as error:
            raise NodeLinkError(
                f"the stream did not store event {item.event_id} for {node}: {error}"
            ) from error


@dataclass(frozen=True, slots=True)
class FeedMessage:
    """One event from another node's stream, to acknowledge once stored or hand back."""

    message: Msg

    @property
    def data(self) -> bytes:
        """Return the event as the other node stored it (JSON)."""
        return self.message.data

    async def ack(self) -> None:
        """Tell the other node's stream the event is stored here."""
        try:
            await self.message.ack()
        except (NatsError, OSError) as error:
            raise NodeLinkError(f"acknowledgement not sent: {error}") from error

    async def retry_later(self, delay: float) -> None:
        """Hand the event back, to be delivered again after ``delay`` seconds."""
        try:
            await self.message.nak(delay=delay)
        except (NatsError, OSError) as error:
            raise NodeLinkError(f"hand-back not sent: {error}") from error


class NodeFeed:
    """A durable pull consumer on another node's stream, in that node's JetStream domain.

    The rear pulls each forward node's whole stream; a forward node pulls from the rear's only
    the records the rear sends down (``streams``).
    """

    def __init__(
        self, client: Client, *, source: str, consumer: str, streams: tuple[str, ...] = (),
        area: str | None = None,
    ) -> None:  # fmt: skip
        self.source = source
        self.consumer = consumer
        self.streams = streams
        #: A forward node pulls the records of its own area too (``area_subject``).
        self.subjects = [events_subject(source, s) for s in streams] + (
            [area_subject(source, area)] if area is not None else []
        )
        self.js = client.jetstream(domain=source, timeout=2.0)
        self._subscription: JetStreamContext.PullSubscription | None = None

    async def _subscribe(self) -> JetStreamContext.PullSubscription:
        if self._subscription is None:
            config = api.ConsumerConfig(
                ack_policy=api.AckPolicy.EXPLICIT, ack_wait=30.0, max_ack_pending=20_000,
                filter_subjects=self.subjects or None,
            )  # fmt: skip
            try:
                self._subscription = await self.js.pull_subscribe(
                    events_subject(self.source), durable=self.consumer,
                    stream=stream_name(self.source), config=config,
                )  # fmt: skip
            except (TimeoutError, NatsError, JetStreamError, OSError) as error:
                raise NodeLinkError(f"node {self.source} unreachable: {error}") from error
        return self._subscription

    async def fetch(self, batch: int, *, timeout: float) -> list[FeedMessage]:
        """Return up to ``batch`` events, or none when none came within ``timeout`` seconds."""
        subscription = await self._subscribe()
        try:
            messages = await subscription.fetch(batch, timeout=timeout)
        except NatsTimeout:
            return []
        except (NatsError, JetStreamError, OSError) as error:
            raise NodeLinkError(f"node {self.source} unreachable: {error}") from error
        return [FeedMessage(message) for message in messages]
