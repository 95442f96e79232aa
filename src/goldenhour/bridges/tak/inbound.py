"""An ATAK MEDEVAC marker as Golden Hour events: a request and its casualties, ids from the CoT uid.

Ids are ``uuid5`` over ``NAMESPACE`` and the marker's uid, so the same marker always names the
same request and casualties: a re-sent marker is answered ``duplicate`` or asks for nothing,
and an updated one becomes new events that supersede or add, never a conflict:

- one casualty per patient: each ZMIST card (keyed by its Z, zap number; in title order,
  ZMIST1 first), then stand-in casualties up to line 3's count (9-line patients without a card);
  the ZMIST text is kept as a note on the card;
- line 3 precedences and line 5 litter/ambulatory handed out in order (most urgent first: ATAK
  does not say which card is which patient), each as an ``EvacuationRequested``;
- an ``EvacuationRequestFiled`` with the most urgent precedence and the 9-line's text;
- a moved marker becomes a ``RequestRedirected``; a changed 9-line, patient list or precedence
  a new ``EvacuationRequestFiled`` superseding the previous one; a changed ZMIST a new note
  superseding the old one, new vital signs and newly named treatments.
"""

from __future__ import annotations

import hashlib
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from goldenhour.adapters.cot import CotEvent, MedevacMarker, ZMist
from goldenhour.bridges.tak.zmist import drop_refused, interventions, vitals_from_signs
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    EvacuationRequested,
    NoteAdded,
    TreatmentGiven,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import EvacuationPosition
from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.mist import encode_mist
from goldenhour.domain.medevac.nine_line import NineLineRequest
from goldenhour.domain.medevac.nine_line_text import encode_nine_line
from goldenhour.domain.operations.events import EvacuationRequestFiled, RequestRedirected
from goldenhour.domain.triage.categories import Precedence

__all__ = [
    "NAMESPACE",
    "NOTE_PREFIX",
    "UNDATED_NOTE",
    "CasualtyKnown",
    "Envelope",
    "RequestKnown",
    "casualty_id_for",
    "marker_events",
    "request_id_for",
]

#: Namespace of every id the bridge derives from a CoT uid (fixed: changing it forks the ids).
NAMESPACE = UUID("6f0d3c2e-5b8a-4c1e-9a37-2d4b1e8f7c60")
#: Notes the bridge writes from a marker start with this, so it finds its own note again.
NOTE_PREFIX = "ATAK "
#: Said on each casualty of a marker sent without a time (and so on its request), dated on receipt.
UNDATED_NOTE = "ATAK sent no time: dated when the bridge received it"
#: Most casualties one marker may create: a typo of 999 on line 3 must not open 999 cards.
MAX_PATIENTS_PER_MARKER = 60
#: A marker moved less than this is where it was (taky rounds points to about 0.1 m).
MOVE_THRESHOLD_M = 1.0

_PRECEDENCE_ORDER = (
    Precedence.URGENT,
    Precedence.URGENT_SURGICAL,
    Precedence.PRIORITY,
    Precedence.ROUTINE,
    Precedence.CONVENIENCE,
)


def request_id_for(uid: str) -> UUID:
    """Return the request id of the MEDEVAC marker with this CoT uid."""
    return uuid.uuid5(NAMESPACE, f"request/{uid}")


def casualty_id_for(uid: str, key: str) -> UUID:
    """Return the id of the casualty ``key`` (a ZMIST zap or a patient slot) of a marker."""
    return uuid.uuid5(NAMESPACE, f"casualty/{uid}/{key}")


def _event_id(uid: str, *parts: object) -> UUID:
    return uuid.uuid5(NAMESPACE, "/".join(["event", uid, *(str(part) for part in parts)]))


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyKnown:
    """What Golden Hour holds of one marker casualty, from the bridge's earlier writes."""

    registered: bool = False
    note: NoteAdded | None = None
    evacuation: EvacuationRequested | None = None
    vitals: VitalsRecorded | None = None
    treatments: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestKnown:
    """What Golden Hour holds of one marker's request: its live filing and its pickup."""

    filed: EvacuationRequestFiled
    pickup: Position
    last_event_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class Envelope:
    """Who writes the events and when: the bridge's device, its unit, the time now."""

    author: str
    device: str
    unit_id: UUID
    now: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class _Patient:
    key: str
    casualty_id: UUID
    card: ZMist | None
    precedence: Precedence | None
    position: EvacuationPosition
    note: str


@dataclass(slots=True, kw_only=True)
class _Writer:
    uid: str
    envelope: Envelope
    occurred_at: datetime
    events: list[DomainEvent] = field(default_factory=list)

    def add(self, cls: type[DomainEvent], *id_parts: object, **fields: Any) -> None:
        self.events.append(
            cls(
                event_id=_event_id(self.uid, *id_parts),
                occurred_at=self.occurred_at,
                recorded_at=self.envelope.now,
                author=self.envelope.author,
                device=self.envelope.device,
                **fields,
            )
        )


def marker_events(
    event: CotEvent,
    *,
    envelope: Envelope,
    request: RequestKnown | None,
    casualties: Callable[[UUID], CasualtyKnown],
    previous_point: Position | None,
) -> list[DomainEvent]:
    """Return the events that bring Golden Hour up to date with a MEDEVAC marker.

    ``request`` and ``casualties`` say what Golden Hour already holds for this marker (from the
    bridge's view of the log, by casualty id), ``previous_point`` where the marker was when
    last seen. Returns
    nothing when Golden Hour is up to date; casualty events come before the request.
    """
    marker = event.meaning
    if not isinstance(marker, MedevacMarker):
        return []
    # An event cannot be dated after it was written down (domain check_timing).
    writer = _Writer(uid=event.uid, envelope=envelope, occurred_at=min(event.time, envelope.now))
    point = Position(lat=event.point.lat, lon=event.point.lon)
    nine = marker.nine_line
    request_id = request_id_for(event.uid)
    patients = _patients(event.uid, marker, undated=bool(event.times_received))
    for patient in patients:
        known = casualties(patient.casualty_id)
        _casualty_events(writer, patient, known, point=point, request_id=request_id, nine=nine)
    if nine is not None:
        _request_events(
            writer,
            request,
            request_id=request_id,
            casualty_ids=tuple(p.casualty_id for p in patients),
            point=point,
            previous_point=previous_point,
            nine=nine,
            dated_on_receipt=bool(event.times_received),
        )
    return writer.events


def _patients(uid: str, marker: MedevacMarker, *, undated: bool) -> list[_Patient]:
    nine = marker.nine_line
    # ATAK keeps its cards in a map (zMistsMap: no order); its titles count ZMIST1, ZMIST2...
    cards = sorted(marker.mists, key=_card_order)[:MAX_PATIENTS_PER_MARKER]
    total = min(max(len(cards), nine.total_patients if nine else 0, 1), MAX_PATIENTS_PER_MARKER)
    precedences: list[Precedence] = []
    positions: list[EvacuationPosition] = []
    if nine is not None:
        for code in _PRECEDENCE_ORDER:
            precedences += [code] * nine.patients_by_precedence[code]
        positions = [EvacuationPosition.LITTER] * nine.litter
        positions += [EvacuationPosition.SEATED] * nine.ambulatory
    keys: list[str] = []
    for zmist in cards:
        key = "zmist/" + " ".join(zmist.mist.zap.split()).casefold()
        keys.append(key if key not in keys else f"{key}#{len(keys) + 1}")
    keys += [f"patient/{number}" for number in range(len(cards) + 1, total + 1)]
    name = marker.title or uid
    patients = []
    for index, key in enumerate(keys):
        card = cards[index] if index < len(cards) else None
        if card is not None:
            note = f"{NOTE_PREFIX}ZMIST {card.title or index + 1} on MEDEVAC {name}\n"
            note += encode_mist(card.mist)
        elif nine is not None:
            note = (
                f"{NOTE_PREFIX}MEDEVAC {name}: patient {index + 1} of {total}, "
                "counted on the 9-line; no ZMIST card for this patient yet"
            )
        else:
            note = f"{NOTE_PREFIX}casualty marker {name}: no 9-line and no ZMIST card yet"
        if undated:
            note += f"\n{UNDATED_NOTE}"
        patients.append(
            _Patient(
                key=key,
                casualty_id=casualty_id_for(uid, key),
                card=card,
                # More cards than line 3 counts: the rest go as the most urgent (over-triage).
                precedence=precedences[index] if index < len(precedences) else _most_urgent(nine),
                # A patient nobody said can sit goes on a litter (as from_card does).
                position=positions[index] if index < len(positions) else EvacuationPosition.LITTER,
                note=note,
            )
        )
    return patients


def _card_order(card: ZMist) -> list[tuple[int, str]]:
    parts = re.split(r"(\d+)", card.title or "")
    return [(int(part), "") if part.isdigit() else (0, part) for part in parts]


def _most_urgent(nine: NineLineRequest | None) -> Precedence | None:
    if nine is None:
        return None
    counts = nine.patients_by_precedence
    return next((code for code in _PRECEDENCE_ORDER if counts[code]), Precedence.URGENT)


def _casualty_events(
    writer: _Writer,
    patient: _Patient,
    known: CasualtyKnown,
    *,
    point: Position,
    request_id: UUID,
    nine: NineLineRequest | None,
) -> None:
    key, casualty = patient.key, patient.casualty_id
    if not known.registered:
        writer.add(
            CasualtyRegistered, key, "registered",
            casualty_id=casualty, identity=_identity(patient.card), position=point,
        )  # fmt: skip
    if known.note is None or known.note.text != patient.note[:4000]:
        base = known.note.event_id if known.note else None
        writer.add(
            NoteAdded, key, "note", base, _digest(patient.note),
            casualty_id=casualty, text=patient.note[:4000], supersedes=base,
        )  # fmt: skip
    if patient.card is not None:
        _vitals_event(writer, patient, known)
        for intervention, item in interventions(patient.card.mist.treatment):
            if item not in known.treatments:
                writer.add(
                    TreatmentGiven, key, "treatment", _digest(item),
                    casualty_id=casualty, intervention=intervention, detail=item[:4000],
                )  # fmt: skip
    if nine is not None and patient.precedence is not None:
        wanted = (patient.precedence, patient.position, request_id)
        evacuation = known.evacuation
        if evacuation is None or wanted != (
            evacuation.precedence, evacuation.position, evacuation.request_id
        ):  # fmt: skip
            base = evacuation.event_id if evacuation else None
            writer.add(
                EvacuationRequested, key, "evacuation", base, _digest(wanted),
                casualty_id=casualty, request_id=request_id, precedence=patient.precedence,
                position=patient.position, pickup=point, supersedes=base,
            )  # fmt: skip


def _identity(card: ZMist | None) -> Identity:
    # ATAK's Z is the zap (battle roster) number; without one the zap is the title or a count.
    if card is None or card.mist.zap == card.title or card.mist.zap.startswith("casualty "):
        return Identity()
    return Identity(battle_roster=card.mist.zap[:4000])


def _vitals_event(writer: _Writer, patient: _Patient, known: CasualtyKnown) -> None:
    assert patient.card is not None
    fields = vitals_from_signs(patient.card.mist.signs)
    previous = known.vitals
    while fields:
        if previous is not None and all(
            getattr(previous, name) == value for name, value in fields.items()
        ):
            return
        try:
            vitals = VitalsRecorded(
                event_id=_event_id(
                    writer.uid, patient.key, "vitals", previous and previous.event_id,
                    _digest(sorted(fields.items(), key=lambda item: item[0])),
                ),
                occurred_at=writer.occurred_at, recorded_at=writer.envelope.now,
                author=writer.envelope.author, device=writer.envelope.device,
                casualty_id=patient.casualty_id, **fields,
            )  # fmt: skip
        except InvalidEventError as error:
            fields = drop_refused(fields, error)
            continue
        writer.events.append(vitals)
        return


def _request_events(
    writer: _Writer,
    request: RequestKnown | None,
    *,
    request_id: UUID,
    casualty_ids: tuple[UUID, ...],
    point: Position,
    previous_point: Position | None,
    nine: NineLineRequest,
    dated_on_receipt: bool,
) -> None:
    text = encode_nine_line(nine)
    precedence = _most_urgent(nine) or Precedence.URGENT
    if request is None:
        writer.add(
            EvacuationRequestFiled, "filed",
            request_id=request_id, unit_id=writer.envelope.unit_id, casualty_ids=casualty_ids,
            pickup=point, precedence=precedence, nine_line=text,
            dated_on_receipt=dated_on_receipt,
        )  # fmt: skip
        return
    filed = request.filed
    # Line 1 is the marker's point: a move alone is a redirect, not a new request.
    if (filed.precedence, filed.casualty_ids, _after_line_1(filed.nine_line)) != (
        precedence, casualty_ids, _after_line_1(text)
    ):  # fmt: skip
        writer.add(
            EvacuationRequestFiled, "filed", filed.event_id,
            _digest((precedence, casualty_ids, text)),
            request_id=request_id, unit_id=filed.unit_id, casualty_ids=casualty_ids,
            pickup=point, precedence=precedence, nine_line=text, supersedes=filed.event_id,
            dated_on_receipt=dated_on_receipt,
        )  # fmt: skip
        return
    # Moved on ATAK since last read, and not to where Golden Hour already has the pickup (the
    # bridge's own redraw of a Golden Hour redirect comes back when taky replays it).
    if (
        min(
            _distance_m(previous_point or request.pickup, point), _distance_m(request.pickup, point)
        )
        > MOVE_THRESHOLD_M
    ):
        writer.add(
            RequestRedirected, "redirect", request.last_event_id, f"{point.lat},{point.lon}",
            request_id=request_id, pickup=point, reason="the MEDEVAC marker was moved on ATAK",
        )  # fmt: skip


def _after_line_1(text: str | None) -> str:
    return (text or "").partition("\n")[2]


def _distance_m(a: Position, b: Position) -> float:
    # Equirectangular: exact to millimetres over the metres that matter here.
    y = math.radians(b.lat - a.lat)
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6_371_000.0 * math.hypot(x, y)
