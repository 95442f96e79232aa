"""What an evacuation plan needs to know of a casualty, folded once with their card.

The live plan (docs/planning.md, "From the server") reads every casualty still waiting for a
vehicle. Folding each one's history again for every plan would cost more than the plan itself at
a few thousand waiting (issue 19), so the facts it needs are taken from the card when the card is
folded, stored beside it, and read back as they are: ``waiting_casualty`` makes them,
``encode_waiting`` and ``decode_waiting`` carry them through storage.

The rules of ours that are medical rather than about vehicles live here too: a casualty's class
for evacuation is the most urgent of their NATO category, START (or JumpSTART) category and
precedence; the dead and the expectant (T4) are not evacuated by the plan; they need surgery
when their precedence is B (urgent-surgical) and a burns unit when an injury is a burn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from goldenhour.domain.casualty.card import Card, CardStatus
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.casualty.vocabulary import EvacuationPosition, InjuryKind
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.from_card import casualty_precedence
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.triage.categories import (
    NatoCategory,
    Precedence,
    StartCategory,
    TriageSystem,
)
from goldenhour.domain.triage.suggest import current_triage

__all__ = [
    "WAITING_STATUSES", "NotEvacuated", "WaitingCasualty", "WaitingFactsError",
    "decode_waiting", "encode_waiting", "evacuation_class", "waiting_casualty",
]  # fmt: skip

#: Card statuses of casualties still waiting for a vehicle.
WAITING_STATUSES = (CardStatus.AT_POINT_OF_INJURY, CardStatus.AWAITING_EVACUATION)

_URGENCY = (StartCategory.IMMEDIATE, StartCategory.DELAYED, StartCategory.MINOR)
_FROM_NATO = {
    NatoCategory.T1: StartCategory.IMMEDIATE,
    NatoCategory.T2: StartCategory.DELAYED,
    NatoCategory.T3: StartCategory.MINOR,
}
_FROM_PRECEDENCE = {
    Precedence.URGENT: StartCategory.IMMEDIATE,
    Precedence.URGENT_SURGICAL: StartCategory.IMMEDIATE,
    Precedence.PRIORITY: StartCategory.DELAYED,
    Precedence.ROUTINE: StartCategory.MINOR,
    Precedence.CONVENIENCE: StartCategory.MINOR,
}


class NotEvacuated(Enum):
    """Why a waiting casualty is not someone a vehicle is planned for."""

    DEAD = "dead"
    EXPECTANT = "expectant"


class WaitingFactsError(ValidationError):
    """Stored waiting-casualty facts that cannot be read back (a field missing or malformed)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WaitingCasualty:
    """A casualty's facts for an evacuation plan, as of their card's last change.

    Exactly one of ``category`` (their class for evacuation) and ``not_evacuated`` is set.
    ``requested_pickup`` is the pickup of the card's last evacuation request that named one;
    ``first_occurred_at`` and ``first_recorded_at`` are the earliest of their events' times,
    voided events included (the plan's fallback injury and report times).
    """

    casualty_id: UUID
    status: CardStatus
    callsign: str | None
    category: StartCategory | None
    not_evacuated: NotEvacuated | None
    precedence: Precedence | None
    needs: frozenset[Capability]
    requested_pickup: Position | None
    position: Position | None
    litter: bool
    injured_at: datetime | None
    first_occurred_at: datetime
    first_recorded_at: datetime
    tourniquet_since: datetime | None  # the earliest tourniquet still on; None: none on

    @property
    def waiting(self) -> bool:
        """Tell whether the casualty is still waiting for a vehicle."""
        return self.status in WAITING_STATUSES


def evacuation_class(card: Card, precedence: Precedence | None) -> StartCategory | NotEvacuated:
    """Return the casualty's class for evacuation: the most urgent their card says, DELAYED when
    it says nothing to triage by (ours), or why they are not evacuated (dead, expectant)."""
    nato = current_triage(card, TriageSystem.NATO).category
    start = current_triage(card).category  # START, or JumpSTART for a child
    if nato is NatoCategory.DEAD or start is StartCategory.DEAD:
        return NotEvacuated.DEAD
    if nato is NatoCategory.T4:
        return NotEvacuated.EXPECTANT
    said = [
        _FROM_NATO.get(nato) if isinstance(nato, NatoCategory) else None,
        start if isinstance(start, StartCategory) else None,
        _FROM_PRECEDENCE.get(precedence) if precedence is not None else None,
    ]
    known = [c for c in said if c is not None]
    if not known:
        return StartCategory.DELAYED
    return min(known, key=_URGENCY.index)


def _needs_litter(card: Card) -> bool:
    """Tell whether the casualty needs a litter: as the 9-line's line 5 reads the card."""
    if card.evacuation_requests:
        return card.evacuation_requests[-1].position is EvacuationPosition.LITTER
    walking = [v.walking for v in card.vitals if v.walking is not None]
    return not (walking and walking[-1])


def waiting_casualty(card: Card, history: Iterable[CasualtyEvent]) -> WaitingCasualty:
    """Return the plan's facts of a casualty from their folded ``card`` and their ``history``
    (the events the card was folded from); the history must not be empty."""
    events = [e for e in history if e.casualty_id == card.casualty_id]
    if not events:
        raise ValueError("a casualty's facts need at least one of their events")
    precedence = casualty_precedence(card)
    evacuation = evacuation_class(card, precedence)
    needs: set[Capability] = set()
    if precedence is Precedence.URGENT_SURGICAL:
        needs.add(Capability.SURGERY)
    if any(InjuryKind.BURN in injury.kinds for injury in card.injuries):
        needs.add(Capability.BURNS)
    requested = next(
        (asked.pickup for asked in reversed(card.evacuation_requests) if asked.pickup is not None),
        None,
    )
    on = [t.applied_at for t in card.tourniquets if t.ended_at is None]
    return WaitingCasualty(
        casualty_id=card.casualty_id, status=card.status, callsign=card.identity.callsign,
        category=evacuation if isinstance(evacuation, StartCategory) else None,
        not_evacuated=evacuation if isinstance(evacuation, NotEvacuated) else None,
        precedence=precedence, needs=frozenset(needs), requested_pickup=requested,
        position=card.position, litter=_needs_litter(card), injured_at=card.injured_at,
        first_occurred_at=min(e.occurred_at for e in events),
        first_recorded_at=min(e.recorded_at for e in events),
        tourniquet_since=min(on) if on else None,
    )  # fmt: skip


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _place(position: Position | None) -> dict[str, float] | None:
    return {"lat": position.lat, "lon": position.lon} if position is not None else None


def encode_waiting(facts: WaitingCasualty) -> dict[str, Any]:
    """Encode the facts as a JSON-ready dict (times in ISO 8601 with their offset)."""
    return {
        "casualty_id": str(facts.casualty_id),
        "status": facts.status.value,
        "callsign": facts.callsign,
        "category": facts.category.value if facts.category is not None else None,
        "not_evacuated": facts.not_evacuated.value if facts.not_evacuated is not None else None,
        "precedence": facts.precedence.value if facts.precedence is not None else None,
        "needs": sorted(c.value for c in facts.needs),
        "requested_pickup": _place(facts.requested_pickup),
        "position": _place(facts.position),
        "litter": facts.litter,
        "injured_at": _time(facts.injured_at),
        "first_occurred_at": _time(facts.first_occurred_at),
        "first_recorded_at": _time(facts.first_recorded_at),
        "tourniquet_since": _time(facts.tourniquet_since),
    }


def _read_time(data: Mapping[str, Any], name: str) -> datetime | None:
    text = data.get(name)
    return datetime.fromisoformat(text) if text is not None else None


def _read_place(data: Mapping[str, Any], name: str) -> Position | None:
    place = data.get(name)
    return Position(lat=place["lat"], lon=place["lon"]) if place is not None else None


def decode_waiting(data: Mapping[str, Any]) -> WaitingCasualty:
    """Return the facts ``encode_waiting`` encoded; ``WaitingFactsError`` names a bad field."""
    name = "casualty_id"
    try:
        casualty_id = UUID(data[name])
        name = "status"
        status = CardStatus(data[name])
        name = "category"
        category = StartCategory(data[name]) if data.get(name) is not None else None
        name = "not_evacuated"
        not_evacuated = NotEvacuated(data[name]) if data.get(name) is not None else None
        name = "precedence"
        precedence = Precedence(data[name]) if data.get(name) is not None else None
        name = "needs"
        needs = frozenset(Capability(c) for c in data[name])
        name = "requested_pickup"
        requested = _read_place(data, name)
        name = "position"
        position = _read_place(data, name)
        name = "injured_at"
        injured_at = _read_time(data, name)
        name = "first_occurred_at"
        first_occurred = _read_time(data, name)
        name = "first_recorded_at"
        first_recorded = _read_time(data, name)
        name = "tourniquet_since"
        tourniquet_since = _read_time(data, name)
        name = "litter"
        litter = bool(data[name])
        name = "callsign"
        callsign = data.get(name)
    except (KeyError, TypeError, ValueError) as error:
        raise WaitingFactsError(name, f"cannot be read: {error}") from None
    if first_occurred is None or first_recorded is None:
        raise WaitingFactsError("first_occurred_at", "missing")
    if (category is None) == (not_evacuated is None):
        raise WaitingFactsError("category", "exactly one of category and not_evacuated is set")
    return WaitingCasualty(
        casualty_id=casualty_id, status=status,
        callsign=str(callsign) if callsign is not None else None, category=category,
        not_evacuated=not_evacuated, precedence=precedence, needs=needs,
        requested_pickup=requested, position=position, litter=litter, injured_at=injured_at,
        first_occurred_at=first_occurred, first_recorded_at=first_recorded,
        tourniquet_since=tourniquet_since,
    )  # fmt: skip
