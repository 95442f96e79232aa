"""A 9-line with MIST received by SMS as Golden Hour events: its casualties, then its request.

The SMS is the medic's request sent when the phone has signal but no data (the ``GH1`` text
form of sms.py). Each casualty of the message becomes a casualty record (registered at the
pickup point, the MIST kept as a note, tourniquets, last vital signs and NATO triage from the
``K:`` line, and its share of the 9-line's precedence and litter/ambulatory counts), then one
``EvacuationRequestFiled`` carries the 9-line itself.

Ids are ``uuid5`` over ``NAMESPACE``, the sender and a hash of the text as decoded (its lines,
line endings and blank lines forgiven), so the same SMS received twice, or re-sent by the
gateway after a lost answer, names the same events and is stored once (answered ``duplicate``).
The gateway's own message id is not used: its documentation says it is derived from the
content and not unique.

These records are the server's copy of what the SMS said: the phone keeps its own card, which
arrives under its own ids when the phone next has data (docs/sms.md).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from goldenhour.adapters.radio.model import CasualtyHandover, CompactMessage
from goldenhour.adapters.radio.sms import decode_sms
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    EvacuationRequested,
    NoteAdded,
    TourniquetApplied,
    TriageAssessed,
    VitalsRecorded,
)
from goldenhour.domain.casualty.vocabulary import EvacuationPosition
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.mgrs import mgrs_to_latlon
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.mist import encode_mist
from goldenhour.domain.medevac.nine_line_text import encode_nine_line
from goldenhour.domain.operations.events import EvacuationRequestFiled
from goldenhour.domain.triage.categories import Precedence, TriageSystem

__all__ = [
    "NAMESPACE", "SmsEnvelope", "SmsRequests", "message_key", "request_id_for", "sms_events",
]  # fmt: skip

#: Namespace of every id derived from a received SMS (fixed: changing it forks the ids).
NAMESPACE = UUID("0b8f5d2a-6c1e-4f3b-9d47-8e2a1c5b7f90")

_LITTER = EvacuationPosition.LITTER
_PRECEDENCE_ORDER = (
    Precedence.URGENT,
    Precedence.URGENT_SURGICAL,
    Precedence.PRIORITY,
    Precedence.ROUTINE,
    Precedence.CONVENIENCE,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsEnvelope:
    """Who sent the SMS and who files it: the sender's number, the user it maps to, when."""

    sender: str
    author: str
    unit_id: UUID
    received_at: datetime


def message_key(sender: str, text: str) -> str:
    """Return the key of one SMS: the sender and a hash of its non-blank lines."""
    lines = "\n".join(line.rstrip() for line in text.splitlines() if line.strip())
    digest = hashlib.sha256(lines.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{sender}/{digest}"


def request_id_for(key: str) -> UUID:
    """Return the id of the request an SMS files, from its ``message_key``."""
    return uuid.uuid5(NAMESPACE, f"request/{key}")


def sms_events(message: CompactMessage, *, key: str, envelope: SmsEnvelope) -> list[DomainEvent]:
    """Return the casualty events, then the filed request, that an SMS's message stands for."""
    request = message.request
    lat, lon = mgrs_to_latlon(request.location)
    pickup = Position(lat=lat, lon=lon)
    request_id = request_id_for(key)
    precedences = [
        code for code in _PRECEDENCE_ORDER for _ in range(request.patients_by_precedence[code])
    ]
    positions = [EvacuationPosition.LITTER] * request.litter + [
        EvacuationPosition.SEATED
    ] * request.ambulatory
    most_urgent = precedences[0] if precedences else Precedence.URGENT
    device = f"sms:{envelope.sender}"
    events: list[DomainEvent] = []

    def make(cls: type[DomainEvent], name: str, occurred_at: datetime, **fields: Any) -> None:
        events.append(
            cls(
                event_id=uuid.uuid5(NAMESPACE, f"event/{key}/{name}"),
                # Never dated after the SMS arrived; the arrival is also the record time, so a
                # re-delivered SMS makes the very same events.
                occurred_at=min(occurred_at, envelope.received_at),
                recorded_at=envelope.received_at,
                author=envelope.author,
                device=device,
                **fields,
            )
        )

    casualty_ids = []
    for number, handover in enumerate(message.casualties, start=1):
        casualty_id = uuid.uuid5(NAMESPACE, f"casualty/{key}/{number}")
        casualty_ids.append(casualty_id)
        _casualty(make, handover, number, casualty_id, envelope=envelope, pickup=pickup)
        make(
            EvacuationRequested, f"{number}/evacuation", envelope.received_at,
            casualty_id=casualty_id, request_id=request_id,
            # More casualties than line 3 counts go as the most urgent; nobody said can sit
            # goes on a litter (as the TAK bridge and from_card do).
            precedence=precedences[number - 1] if number <= len(precedences) else most_urgent,
            position=positions[number - 1] if number <= len(positions) else _LITTER,
            pickup=pickup,
        )  # fmt: skip
    make(
        EvacuationRequestFiled, "filed", envelope.received_at,
        request_id=request_id, unit_id=envelope.unit_id, casualty_ids=tuple(casualty_ids),
        pickup=pickup, precedence=most_urgent, nine_line=encode_nine_line(request),
    )  # fmt: skip
    return events


def _casualty(
    make: Any, handover: CasualtyHandover, number: int, casualty_id: UUID, *,
    envelope: SmsEnvelope, pickup: Position,
) -> None:  # fmt: skip
    at = envelope.received_at
    make(
        CasualtyRegistered, f"{number}/registered", at,
        casualty_id=casualty_id, position=pickup, injured_at=handover.mist.time_of_injury,
    )  # fmt: skip
    note = f"SMS from {envelope.sender}, casualty {number}\n{encode_mist(handover.mist)}"
    make(NoteAdded, f"{number}/note", at, casualty_id=casualty_id, text=note[:4000])
    for index, tourniquet in enumerate(handover.tourniquets):
        make(
            TourniquetApplied, f"{number}/tourniquet/{index}", tourniquet.applied_at,
            casualty_id=casualty_id, limb=tourniquet.limb,
        )  # fmt: skip
    vitals = handover.vitals
    if vitals is not None:
        make(
            VitalsRecorded, f"{number}/vitals", vitals.taken_at,
            casualty_id=casualty_id, pulse=vitals.pulse, respiratory_rate=vitals.respiratory_rate,
            spo2=vitals.spo2, systolic=vitals.systolic, diastolic=vitals.diastolic,
            avpu=vitals.avpu,
        )  # fmt: skip
    if handover.triage is not None:
        make(
            TriageAssessed, f"{number}/triage", at,
            casualty_id=casualty_id, system=TriageSystem.NATO, category=handover.triage,
        )  # fmt: skip


class SmsRequests:
    """The SMS text form of a 9-line + MIST as ``services.sms.SmsCodec``."""

    def message_key(self, sender: str, text: str) -> str:
        """Return the key of one SMS; see ``message_key``."""
        return message_key(sender, text)

    def request_id(self, key: str) -> UUID:
        """Return the id of the request the SMS of ``key`` files; see ``request_id_for``."""
        return request_id_for(key)

    def events(
        self, text: str, *, key: str, sender: str, author: str, unit_id: UUID,
        received_at: datetime,
    ) -> list[DomainEvent]:  # fmt: skip
        """Decode the text (``decode_sms``, raising ``CompactError``) into its events."""
        envelope = SmsEnvelope(
            sender=sender, author=author, unit_id=unit_id, received_at=received_at
        )
        return sms_events(decode_sms(text), key=key, envelope=envelope)
