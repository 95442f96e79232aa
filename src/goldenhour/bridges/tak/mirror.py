"""The bridge's copy of the Golden Hour log: the streams it maps to TAK, up to a cursor.

The bridge follows ``GET /api/v1/events?after=`` and keeps the events of the casualty, request,
threat and vehicle streams it may see (for a vehicle only its latest position). From them it
says what Golden Hour already holds of an ATAK marker (so a re-sent marker asks for nothing) and
what to draw on TAK. It is saved with the cursor in the state file, so both always describe the
same prefix of the log; a lost state file is rebuilt by reading the log from the start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from goldenhour.bridges.tak.inbound import NOTE_PREFIX, CasualtyKnown, RequestKnown
from goldenhour.domain.casualty.card import Card, fold
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EvacuationRequested,
    NoteAdded,
    TreatmentGiven,
    VitalsRecorded,
)
from goldenhour.domain.codec import decode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import EvacuationRequestFiled, VehiclePositionReported
from goldenhour.domain.operations.state import fold_stream

__all__ = ["MAPPED_STREAMS", "Mirror", "StreamChange"]

_E = TypeVar("_E", bound=DomainEvent)

#: Streams the bridge maps to TAK; the others (units, users, facilities...) it skips.
MAPPED_STREAMS = frozenset({"casualty", "request", "threat", "vehicle"})


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamChange:
    """A stream that new events touched, and whether anyone but the bridge wrote them."""

    stream: str
    stream_id: UUID
    by_others: bool


class Mirror:
    """The mapped streams of the log up to ``cursor``, as wire events, in log order."""

    def __init__(
        self, *, cursor: int = 0, streams: Mapping[str, list[dict[str, Any]]] | None = None
    ) -> None:
        self.cursor = cursor
        self._streams: dict[str, list[dict[str, Any]]] = {
            key: list(value) for key, value in (streams or {}).items()
        }
        self._decoded: dict[str, list[DomainEvent]] = {}

    def to_json(self) -> dict[str, Any]:
        """Return the mirror as JSON-ready data for the state file."""
        return {"cursor": self.cursor, "streams": self._streams}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Mirror:
        """Rebuild a mirror saved by ``to_json``."""
        return cls(cursor=int(data.get("cursor", 0)), streams=data.get("streams") or {})

    def apply(
        self, events: Iterable[Mapping[str, Any]], *, next_cursor: int, device: str
    ) -> list[StreamChange]:
        """Add a page of the log (``EventPublic`` dicts) and move the cursor past it.

        Returns the mapped streams it touched, in the order first touched.
        """
        changes: dict[tuple[str, UUID], bool] = {}
        for item in events:
            stream = str(item["stream"])
            if stream not in MAPPED_STREAMS:
                continue
            payload = dict(item["event"])
            if payload.get("kind") == EvacuationRequestFiled.kind and not payload.get(
                "casualty_ids"
            ):
                # The server leaves out the casualties the bridge's user may not open; a request
                # with none of them left has nothing the bridge may draw.
                continue
            stream_id = UUID(str(item["stream_id"]))
            key = f"{stream}/{stream_id}"
            self._append(key, payload)
            by_others = payload.get("device") != device
            changes[(stream, stream_id)] = changes.get((stream, stream_id), False) or by_others
        self.cursor = max(self.cursor, next_cursor)
        return [
            StreamChange(stream=stream, stream_id=stream_id, by_others=by_others)
            for (stream, stream_id), by_others in changes.items()
        ]

    def _append(self, key: str, payload: dict[str, Any]) -> None:
        held = self._streams.setdefault(key, [])
        if any(event.get("event_id") == payload.get("event_id") for event in held):
            return
        if payload.get("kind") == VehiclePositionReported.kind:
            # Only where a vehicle is now matters on the map; older fixes are dropped.
            held[:] = [event for event in held if event.get("kind") != payload["kind"]] + [payload]
        else:
            held.append(payload)
        self._decoded.pop(key, None)

    def keys(self, stream: str) -> list[UUID]:
        """Return the ids of every held stream of one kind."""
        prefix = f"{stream}/"
        return [UUID(key[len(prefix) :]) for key in self._streams if key.startswith(prefix)]

    def events(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        """Return a stream's events in log order (decoded once, then cached)."""
        key = f"{stream}/{stream_id}"
        if key not in self._decoded:
            self._decoded[key] = [decode_event(payload) for payload in self._streams.get(key, [])]
        return self._decoded[key]

    def state(self, stream: str, stream_id: UUID) -> dict[str, Any]:
        """Return an operational stream's current state (``fold_stream``), empty if unknown."""
        events = self.events(stream, stream_id)
        return dict(fold_stream(events)) if events else {}

    def card(self, casualty_id: UUID) -> Card | None:
        """Return a casualty's card, or ``None`` when the bridge holds none of its events."""
        events = [e for e in self.events("casualty", casualty_id) if isinstance(e, CasualtyEvent)]
        card = fold(casualty_id, events) if events else None
        return card if card is not None and card.registered else None

    def created_by(self, stream: str, stream_id: UUID) -> str | None:
        """Return the device that wrote a stream's first event."""
        events = self.events(stream, stream_id)
        return events[0].device if events else None

    def request_known(self, request_id: UUID) -> RequestKnown | None:
        """Return the live filing and pickup of a request, or ``None`` if it was never filed."""
        events = self.events("request", request_id)
        filed = _live([e for e in events if isinstance(e, EvacuationRequestFiled)])
        if filed is None:
            return None
        pickup = self.state("request", request_id).get("pickup") or {}
        return RequestKnown(
            filed=filed,
            pickup=Position(lat=float(pickup["lat"]), lon=float(pickup["lon"]))
            if pickup
            else filed.pickup,
            last_event_id=events[-1].event_id,
        )

    def casualty_known(self, casualty_id: UUID, *, device: str) -> CasualtyKnown:
        """Return what the bridge (writing as ``device``) already recorded for a casualty."""
        events = self.events("casualty", casualty_id)
        own = [e for e in events if e.device == device]
        notes = [e for e in own if isinstance(e, NoteAdded) and e.text.startswith(NOTE_PREFIX)]
        vitals = [e for e in own if isinstance(e, VitalsRecorded)]
        return CasualtyKnown(
            registered=any(isinstance(e, CasualtyRegistered) for e in events),
            note=_live(notes),
            evacuation=_live([e for e in events if isinstance(e, EvacuationRequested)]),
            vitals=vitals[-1] if vitals else None,
            treatments=frozenset(
                e.detail for e in own if isinstance(e, TreatmentGiven) and e.detail is not None
            ),
        )


def _live(events: list[_E]) -> _E | None:
    """Return the latest event not superseded by another of the list."""
    superseded = {e.supersedes for e in events if e.supersedes is not None}
    live = [e for e in events if e.event_id not in superseded]
    if not live:
        return None
    return max(live, key=lambda e: (e.occurred_at, e.recorded_at, str(e.event_id)))
