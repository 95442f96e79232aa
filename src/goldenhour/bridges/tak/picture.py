"""What the bridge draws on TAK: one entry per CoT uid, rendered from the mirror when it is sent.

The picture is the outbound queue. A stream that changed marks its uid *dirty*; the TAK link
sends dirty uids when it is up, and the whole picture every time it (re)connects, rendered at
that moment with fresh times. So nothing queued while the link is down can be lost or go
stale in a queue, and the queue is bounded by the number of things on the map. A thing that
leaves the map (a cancelled request, a withdrawn threat) is sent once more stale at once, then
as ATAK's delete message, on every reconnect within ``DELETE_KEEP``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from goldenhour.adapters.cot import CotEvent, CotPoint, ZMist, decode_cot
from goldenhour.bridges.tak import outbound
from goldenhour.bridges.tak.mirror import Mirror, StreamChange

__all__ = ["DELETE_KEEP", "Origin", "Picture"]

#: How long a removal is re-sent on reconnection, for clients that missed it.
DELETE_KEEP = timedelta(hours=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """An ATAK marker a request came from: its uid and the last version the bridge read."""

    uid: str
    xml: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _Removal:
    point: CotPoint
    last: CotEvent
    at: datetime


class Picture:
    """The CoT uids the bridge draws, the streams they show, and which ones await sending."""

    def __init__(self, mirror: Mirror, *, device: str, origins: dict[UUID, Origin]) -> None:
        self.mirror = mirror
        self.device = device
        self.origins = origins
        self._targets: dict[str, tuple[str, UUID]] = {}
        self._last: dict[str, CotEvent] = {}
        self._removals: dict[str, _Removal] = {}
        self._dirty: dict[str, None] = {}

    @property
    def dirty(self) -> bool:
        """Tell whether anything awaits sending."""
        return bool(self._dirty)

    def rebuild(self) -> None:
        """Draw every mapped stream the mirror holds (at start, from a saved mirror)."""
        for stream in ("request", "casualty", "threat", "vehicle"):
            for stream_id in self.mirror.keys(stream):
                by_others = any(
                    event.device != self.device for event in self.mirror.events(stream, stream_id)
                )
                self.update([StreamChange(stream=stream, stream_id=stream_id, by_others=by_others)])

    def update(self, changes: list[StreamChange]) -> None:
        """Mark what changed streams draw as dirty (requests holding a changed casualty too)."""
        for change in changes:
            if change.stream == "casualty":
                self._casualty_changed(change)
            elif change.stream == "request":
                self._request_changed(change.stream_id, by_others=change.by_others)
            else:
                self._mark(outbound.stream_uid(change.stream, change.stream_id), change)

    def _casualty_changed(self, change: StreamChange) -> None:
        # A casualty the bridge made from an ATAK marker is drawn on that marker already.
        if self.mirror.created_by("casualty", change.stream_id) != self.device:
            self._mark(outbound.stream_uid("casualty", change.stream_id), change)
        for request_id in self.mirror.keys("request"):
            held = self.mirror.state("request", request_id).get("casualty_ids", [])
            if str(change.stream_id) in held:
                self._request_changed(request_id, by_others=change.by_others)

    def _request_changed(self, request_id: UUID, *, by_others: bool) -> None:
        from_atak = self.mirror.created_by("request", request_id) == self.device
        uid = self._request_uid(request_id)
        # ATAK drew its own marker: draw it again only when Golden Hour changed something.
        if from_atak and not by_others and uid not in self._targets:
            return
        self._mark(uid, StreamChange(stream="request", stream_id=request_id, by_others=True))

    def _request_uid(self, request_id: UUID) -> str:
        origin = self.origins.get(request_id)
        if origin is not None and self.mirror.created_by("request", request_id) == self.device:
            return origin.uid
        return outbound.stream_uid("request", request_id)

    def _mark(self, uid: str, change: StreamChange) -> None:
        self._targets[uid] = (change.stream, change.stream_id)
        self._removals.pop(uid, None)
        self._dirty[uid] = None

    def take_dirty(self, *, now: datetime) -> list[CotEvent]:
        """Render and return what awaits sending, and mark it sent."""
        uids = list(self._dirty)
        self._dirty.clear()
        return [event for uid in uids for event in self._render(uid, now=now)]

    def everything(self, *, now: datetime) -> list[CotEvent]:
        """Render the whole picture and the recent removals (after a (re)connection)."""
        self._dirty.clear()
        for uid, removal in list(self._removals.items()):
            if now - removal.at > DELETE_KEEP:
                del self._removals[uid]
        uids = list(self._targets) + [uid for uid in self._removals if uid not in self._targets]
        return [event for uid in uids for event in self._render(uid, now=now)]

    def _render(self, uid: str, *, now: datetime) -> list[CotEvent]:
        if uid in self._removals:
            removal = self._removals[uid]
            return [
                outbound.retired(removal.last, now=now),
                outbound.delete_event(uid, point=removal.point, now=now),
            ]
        target = self._targets.get(uid)
        if target is None:
            return []
        event = self._draw(uid, *target, now=now)
        if event is not None:
            self._last[uid] = event
            return [event]
        del self._targets[uid]
        last = self._last.pop(uid, None)
        if last is None:
            return []  # never drawn: nothing to take off the map
        self._removals[uid] = _Removal(point=last.point, last=last, at=now)
        return self._render(uid, now=now)

    def _draw(self, uid: str, stream: str, stream_id: UUID, *, now: datetime) -> CotEvent | None:
        mirror = self.mirror
        if stream == "casualty":
            card = mirror.card(stream_id)
            return None if card is None else outbound.casualty_marker(card, uid=uid, now=now)
        state = mirror.state(stream, stream_id)
        if not state:
            return None
        if stream == "threat":
            return outbound.threat_shape(state, uid=uid, now=now)
        if stream == "vehicle":
            return outbound.vehicle_position(state, uid=uid, now=now)
        origin = self.origins.get(stream_id)
        if origin is not None and origin.uid == uid:
            return outbound.from_atak_marker(decode_cot(origin.xml), state, now=now)
        return outbound.request_marker(state, uid=uid, mists=self._mists(state, now), now=now)

    def _mists(self, state: dict[str, Any], now: datetime) -> tuple[ZMist, ...]:
        cards = [self.mirror.card(UUID(text)) for text in state.get("casualty_ids", [])]
        mists = (
            outbound.request_zmist(card, number=number, now=now)
            for number, card in enumerate((c for c in cards if c is not None), start=1)
        )
        return tuple(mist for mist in mists if mist is not None)
