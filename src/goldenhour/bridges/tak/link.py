"""The bridge's TCP link to a TAK server: CoT XML both ways, re-made after every failure.

On each connection the bridge first says who it is (an SA event with ``<takv>``, ``<contact>``
and ``<__group>``: taky replays its stored markers only to clients that did, taky
``cot/client.py`` ``handle_atom``), then sends the whole picture, then whatever changes. Events
arrive framed by their ``</event>`` end tag, as pytak's ``RXWorker.readcot`` reads them (pytak
itself is not imported: importing it warns about aiohttp, and its workers do not reconnect).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from goldenhour import __version__
from goldenhour.adapters.cot import (
    MAX_EVENT_BYTES,
    CotError,
    CotEvent,
    CotPoint,
    PositionReport,
    decode_cot,
    encode_cot,
)
from goldenhour.bridges.tak.picture import Picture

__all__ = ["Backoff", "TakLink", "bridge_sa"]

_log = logging.getLogger("goldenhour.tak")

#: Everything is sent again this often, so markers never go stale on a quiet link.
REFRESH = timedelta(minutes=30)
_END = b"</event>"


class Backoff:
    """Waits that double from ``initial`` up to ``maximum`` seconds, until reset."""

    def __init__(self, *, initial: float = 0.25, maximum: float = 10.0) -> None:
        self.initial, self.maximum = initial, maximum
        self._next = initial

    def next(self) -> float:
        """Return how long to wait now, and double the next wait."""
        wait = self._next
        self._next = min(self._next * 2, self.maximum)
        return wait

    def reset(self) -> None:
        """Start again from the shortest wait."""
        self._next = self.initial


def bridge_sa(*, uid: str, callsign: str, now: datetime) -> CotEvent:
    """Return the bridge's own SA event, which identifies it to the TAK server."""
    return CotEvent(
        uid=uid,
        type="a-f-G-U-C",
        how="h-g-i-g-o",
        time=now,
        start=now,
        # Short: the bridge has no position of its own to show on ATAK's map for long.
        stale=now + timedelta(minutes=1),
        point=CotPoint(lat=0.0, lon=0.0),
        callsign=callsign,
        meaning=PositionReport(
            endpoint="*:-1:stcp",  # "no address to reach me at", as TAK server clients write
            team="Cyan",
            role="HQ",
            device="Golden Hour TAK bridge",
            platform="goldenhour",
            os="linux",
            version=__version__,
        ),
    )


class TakLink:
    """One TCP connection at a time to a TAK server, sending the picture and reading events."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        picture: Picture,
        identity: Callable[[datetime], CotEvent],
        received: Callable[[CotEvent, bytes], None],
        clock: Callable[[], datetime],
        backoff: Backoff | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.picture = picture
        self._identity = identity
        self._received = received
        self._clock = clock
        self._backoff = backoff or Backoff()
        self._wake = asyncio.Event()
        self.connected = asyncio.Event()
        self.connections = 0

    def poke(self) -> None:
        """Wake the sender: the picture has something new."""
        self._wake.set()

    async def run(self) -> None:
        """Connect, exchange events until the link fails, wait, and connect again; forever."""
        while True:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(self.host, self.port, limit=2 * MAX_EVENT_BYTES),
                    timeout=10.0,
                )
            except (OSError, TimeoutError) as error:
                wait = self._backoff.next()
                _log.warning("TAK server %s:%s unreachable (%s); retry in %.1f s",
                             self.host, self.port, error, wait)  # fmt: skip
                await asyncio.sleep(wait)
                continue
            self._backoff.reset()
            self.connections += 1
            _log.info("connected to TAK server %s:%s", self.host, self.port)
            try:
                await self._session(reader, writer)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
                _log.warning("TAK link lost: %s", error or type(error).__name__)
            finally:
                self.connected.clear()
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
            await asyncio.sleep(self._backoff.next())

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        reading = asyncio.create_task(self._read(reader))
        try:
            await self._send_everything(writer)
            self.connected.set()
            refreshed = asyncio.get_running_loop().time()
            while True:
                self._wake.clear()
                if self.picture.dirty:
                    await self._send(writer, self.picture.take_dirty(now=self._clock()))
                    continue
                left = refreshed + REFRESH.total_seconds() - asyncio.get_running_loop().time()
                if left <= 0:
                    await self._send_everything(writer)
                    refreshed = asyncio.get_running_loop().time()
                    continue
                waking = asyncio.create_task(self._wake.wait())
                done, _ = await asyncio.wait(
                    {reading, waking}, timeout=left, return_when=asyncio.FIRST_COMPLETED
                )
                waking.cancel()
                if reading in done:
                    reading.result()  # raises what ended the reading
                    _log.warning("TAK server closed the connection")
                    return
        finally:
            reading.cancel()
            await asyncio.wait({reading})  # never raises the reader's error or cancellation
            if not reading.cancelled() and reading.exception() is not None:
                _log.debug("TAK reader ended: %s", reading.exception())

    async def _send_everything(self, writer: asyncio.StreamWriter) -> None:
        now = self._clock()
        await self._send(writer, [self._identity(now), *self.picture.everything(now=now)])

    async def _send(self, writer: asyncio.StreamWriter, events: list[CotEvent]) -> None:
        for event in events:
            try:
                writer.write(encode_cot(event))
            except CotError as error:
                # Golden Hour still holds the record; only this drawing of it is refused.
                _log.error("cannot draw %s on TAK: %s", event.uid, error)
        await writer.drain()

    async def _read(self, reader: asyncio.StreamReader) -> None:
        while True:
            try:
                frame = await reader.readuntil(_END)
            except asyncio.IncompleteReadError:
                return  # the server closed the connection
            start = frame.find(b"<event")
            if start < 0:
                continue
            data = frame[start:]
            try:
                event = decode_cot(data)
            except CotError as error:
                _log.warning("unreadable CoT from the TAK server: %s", error)
                continue
            self._received(event, data)
