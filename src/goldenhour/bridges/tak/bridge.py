"""The bridge itself: ATAK MEDEVAC markers into Golden Hour, Golden Hour's picture onto TAK.

Two tasks share one state. The TAK link (``link.TakLink``) reads events from the TAK server and
sends the picture. The follower pages through Golden Hour's log after the saved cursor, keeps
the mirror and the picture up to date, and files the MEDEVAC markers that arrived: for each it
first reads the log up to now, then sends only what Golden Hour does not hold yet. Each task
waits and tries again when its side is down; the state file is saved after every change, so a
restarted bridge resumes where it stopped and a marker that arrived is filed even if the bridge
or Golden Hour went down meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import UUID

from goldenhour.adapters.cot import CotError, CotEvent, MedevacMarker, decode_cot
from goldenhour.bridges.tak.errors import GoldenHourUnavailable
from goldenhour.bridges.tak.inbound import Envelope, marker_events, request_id_for
from goldenhour.bridges.tak.link import Backoff, TakLink, bridge_sa
from goldenhour.bridges.tak.outbound import UID_PREFIX
from goldenhour.bridges.tak.picture import Origin, Picture
from goldenhour.bridges.tak.server import GoldenHourServer
from goldenhour.bridges.tak.state import BridgeState, load_state, save_state
from goldenhour.domain.geo.position import Position

__all__ = ["Bridge", "BridgeConfig"]

_log = logging.getLogger("goldenhour.tak")


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeConfig:
    """Where the TAK server is, where the state lives, and how the bridge names itself."""

    tak_host: str
    tak_port: int
    state_file: Path
    device: str = "tak-bridge"
    callsign: str = "GOLDEN HOUR"
    poll_seconds: float = 1.0
    max_backoff_seconds: float = 10.0


class Bridge:
    """A running bridge between one TAK server and one Golden Hour server."""

    def __init__(
        self,
        config: BridgeConfig,
        *,
        server: GoldenHourServer,
        server_url: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.config = config
        self.server = server
        self.clock = clock
        self.state: BridgeState = load_state(config.state_file, server=server_url)
        self.picture = Picture(self.state.mirror, device=server.device, origins=self.state.origins)
        self.picture.rebuild()
        self._pending: dict[str, CotEvent] = {}
        for uid, xml in self.state.pending.items():
            with contextlib.suppress(CotError):
                self._pending[uid] = decode_cot(xml)
        self._wake = asyncio.Event()
        self.link = TakLink(
            host=config.tak_host,
            port=config.tak_port,
            picture=self.picture,
            identity=lambda now: bridge_sa(
                uid=f"{UID_PREFIX}bridge.{server.device}", callsign=config.callsign, now=now
            ),
            received=self.received,
            clock=clock,
            backoff=Backoff(maximum=config.max_backoff_seconds),
        )

    async def run(self) -> None:
        """Run both sides until cancelled (or a fatal error: a refused login, a bad state file)."""
        tasks = [
            asyncio.create_task(self.link.run(), name="tak-link"),
            asyncio.create_task(self._follow(), name="goldenhour-follower"),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
            save_state(self.config.state_file, self.state)
            await self.server.aclose()

    def received(self, event: CotEvent, data: bytes) -> None:
        """Take an event from the TAK server: keep MEDEVAC markers (the latest per uid) to file."""
        if event.uid.startswith(UID_PREFIX) or not isinstance(event.meaning, MedevacMarker):
            return
        for warning in event.meaning.warnings:
            # What ATAK sent and the request could not use (a line left out, a missing time).
            _log.warning("MEDEVAC marker %s: %s", event.uid, warning)
        self._pending[event.uid] = event
        self.state.pending[event.uid] = data.decode("utf-8", "replace")
        save_state(self.config.state_file, self.state)
        self._wake.set()

    async def _follow(self) -> None:
        backoff = Backoff(maximum=self.config.max_backoff_seconds)
        while True:
            self._wake.clear()
            try:
                if self.server.unit_id is None:
                    await self.server.login()
                await self._catch_up()
                await self._file_markers()
            except GoldenHourUnavailable as error:
                wait = backoff.next()
                _log.warning("Golden Hour unavailable (%s); retry in %.1f s", error, wait)
                await asyncio.sleep(wait)
                continue
            backoff.reset()
            if not self._pending:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.config.poll_seconds)

    async def _catch_up(self) -> None:
        """Read the log after the cursor to its end, updating the mirror and the picture."""
        mirror = self.state.mirror
        while True:
            page = await self.server.events_after(mirror.cursor)
            before = mirror.cursor
            changes = mirror.apply(
                page.events, next_cursor=page.next_cursor, device=self.server.device
            )
            self.picture.update(changes)
            if changes:
                self.link.poke()
            if mirror.cursor != before:
                save_state(self.config.state_file, self.state)
            if not page.has_more or mirror.cursor == before:
                return

    async def _file_markers(self) -> None:
        """Send Golden Hour what it does not hold yet of each marker that arrived."""
        for uid, event in list(self._pending.items()):
            xml = self.state.pending[uid]  # this version's: a newer one may come while we wait
            request_id = request_id_for(uid)
            events = marker_events(
                event,
                envelope=self._envelope(event),
                request=self.state.mirror.request_known(request_id),
                casualties=lambda casualty_id: self.state.mirror.casualty_known(
                    casualty_id, device=self.server.device
                ),
                previous_point=self._previous_point(request_id),
            )
            if events:
                results = await self.server.submit(events)
                for sent, result in zip(events, results, strict=True):
                    if not result.stored:
                        self._refused(uid, sent.kind, result.outcome, result.field, result.reason)
                _log.info("MEDEVAC marker %s: %d events sent", uid, len(events))
                await self._catch_up()
            self.state.origins[request_id] = Origin(uid=uid, xml=xml)
            if self._pending.get(uid) is event:  # a newer version may have come meanwhile
                del self._pending[uid]
                del self.state.pending[uid]
            save_state(self.config.state_file, self.state)

    def _envelope(self, event: CotEvent) -> Envelope:
        creator = next(
            (link.parent_callsign for link in event.links if link.relation == "p-p"), None
        )
        assert self.server.unit_id is not None  # logged in before filing
        return Envelope(
            author=(creator or event.callsign or "ATAK")[:200],
            device=self.server.device,
            unit_id=self.server.unit_id,
            now=self.clock(),
        )

    def _previous_point(self, request_id: UUID) -> Position | None:
        origin = self.state.origins.get(request_id)
        if origin is None:
            return None
        try:
            point = decode_cot(origin.xml).point
        except CotError:
            return None
        return Position(lat=point.lat, lon=point.lon)

    def _refused(
        self, uid: str, kind: str, outcome: str, field: str | None, reason: str | None
    ) -> None:
        # The server keeps every refused event for review; the operator sees it here and in
        # the state file. Resending it would be refused again, so the marker moves on.
        _log.error("MEDEVAC marker %s: %s %s (%s: %s)", uid, kind, outcome, field, reason)
        self.state.refusals.append(
            {"uid": uid, "kind": kind, "outcome": outcome, "field": field, "reason": reason,
             "at": self.clock().isoformat()}
        )  # fmt: skip
