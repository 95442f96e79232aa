"""Casualty cards: read one with its history (audited), fold one from an events file, report it.

A card read through the API is audited whether it is granted or refused: a refused look at a
record is worth as much to an investigator as an allowed one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from goldenhour.domain.access import Principal
from goldenhour.domain.casualty.card import Card, fold
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.casualty.history import CasualtyHistory
from goldenhour.domain.codec import decode_event, encode_card
from goldenhour.domain.errors import CasualtyNotFoundError, EventCodecError, ValidationError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.ports import AuditRecorder, CardFilter, RecordReader
from goldenhour.domain.tourniquet.clock import tourniquet_clocks
from goldenhour.domain.triage.categories import TriageSystem
from goldenhour.domain.triage.suggest import TriageDecision, current_triage
from goldenhour.services.audit import read_entry

__all__ = ["TRIAGE_SYSTEMS", "CardPage", "CardRead", "card_from_events", "card_report",
           "casualty_cells",
           "casualty_events", "casualty_history", "events_from_text", "list_card_page",
           "list_cards", "pickup_point", "read_card", "suggested_category"]  # fmt: skip

#: The triage systems a card shows.
TRIAGE_SYSTEMS = (TriageSystem.NATO, TriageSystem.START, TriageSystem.PRECEDENCE)


def suggested_category(decision: TriageDecision) -> str:
    """Return the suggested category's code, or "none"."""
    suggested = decision.suggestion.category
    return suggested.value if suggested is not None else "none"


def card_report(card: Card, *, now: datetime) -> dict[str, Any]:
    """Return the card with its derived tourniquet clocks and triage decisions, JSON-ready."""
    report = encode_card(card)
    report["tourniquet_clocks"] = [
        {
            "application_id": str(clock.application_id),
            "limb": clock.limb.value if clock.limb else None,
            "location": clock.location,
            "applied_at": clock.applied_at.isoformat(),
            "ended_at": clock.ended_at.isoformat() if clock.ended_at else None,
            "elapsed_minutes": clock.elapsed_minutes,
            "alert": clock.alert.value,
            "next_alert_at": clock.next_alert_at.isoformat() if clock.next_alert_at else None,
        }
        for clock in tourniquet_clocks(card, now=now)
    ]
    report["triage_decisions"] = {
        system.value: {
            "category": decision.category.value if decision.category is not None else None,
            "source": "assessed" if decision.assessed is not None else "suggested",
            "suggested": suggested_category(decision),
            "rule": decision.suggestion.rule,
            "reason": decision.assessed.reason if decision.assessed is not None else None,
        }
        for system in TRIAGE_SYSTEMS
        for decision in [current_triage(card, system)]
    }
    return report


@dataclass(frozen=True, slots=True, kw_only=True)
class CardRead:
    """A casualty's card as of now, and the casualty events it was folded from, in log order."""

    card: Card
    history: list[CasualtyEvent]


def read_card(
    records: RecordReader, audits: AuditRecorder, principal: Principal, casualty_id: UUID, *,
    action: str, now: datetime,
) -> CardRead:  # fmt: skip
    """Return a casualty's card and history if the principal may open it, auditing the read.

    ``action`` names the read in the audit chain (``read``, ``read_mist`` ...). A casualty that
    does not exist or is outside the principal's scope raises ``CasualtyNotFoundError`` (the two
    are not told apart) after ``denied_<action>`` is audited.
    """
    if records.find_card(principal, casualty_id) is None:
        audits.record(
            read_entry(
                principal,
                target_kind="casualty",
                target_id=str(casualty_id),
                action=f"denied_{action}",
                at=now,
            )  # fmt: skip
        )
        raise CasualtyNotFoundError(str(casualty_id))
    history = [
        event
        for event in records.stream_events("casualty", casualty_id)
        if isinstance(event, CasualtyEvent)
    ]
    audits.record(
        read_entry(
            principal, target_kind="casualty", target_id=str(casualty_id), action=action, at=now
        )
    )
    return CardRead(card=fold(casualty_id, history), history=history)


def list_cards(
    records: RecordReader, audits: AuditRecorder, principal: Principal, filters: CardFilter, *,
    action: str = "list", now: datetime,
) -> list[dict[str, Any]]:  # fmt: skip
    """Return the cards the principal may see that pass ``filters``, auditing them as one read.

    Nothing is audited when no card is returned; the entry names up to 4,000 characters of ids.
    """
    cards = records.list_cards(principal, filters)
    if cards:
        audit_many(audits, principal, [card["casualty_id"] for card in cards], action, now=now)
    return cards


@dataclass(frozen=True, slots=True)
class CardPage:
    """A page of cards, newest change first, and where the next page starts."""

    cards: list[dict[str, Any]]
    more: bool  # more cards pass the filters
    next_cursor: int | None  # the oldest change on this page: the next page's ``before_seq``


def list_card_page(
    records: RecordReader, audits: AuditRecorder, principal: Principal, filters: CardFilter, *,
    action: str = "list", now: datetime,
) -> CardPage:  # fmt: skip
    """Return a page of at most ``filters.limit`` cards (as ``list_cards``) and tell if more pass.

    One card more than the page is read to know; it is neither returned nor audited.
    """
    found = records.list_cards(principal, replace(filters, limit=filters.limit + 1))
    cards = found[: filters.limit]
    if cards:
        audit_many(audits, principal, [card["casualty_id"] for card in cards], action, now=now)
    more = len(found) > filters.limit
    return CardPage(cards=cards, more=more, next_cursor=cards[-1]["updated_seq"] if more else None)


#: Cells across one map tile: a cell is about 32 pixels of a 256-pixel tile.
_CELLS_PER_TILE = 8


def casualty_cells(
    records: RecordReader, audits: AuditRecorder, principal: Principal,
    bbox: tuple[float, float, float, float], zoom: int, *, now: datetime,
) -> list[dict[str, float]]:  # fmt: skip
    """Return how many casualties the principal may see are in each cell of ``bbox`` at ``zoom``.

    A cell is an eighth of a web map tile's width at that zoom (in degrees of longitude, and the
    same in latitude); each is given as its centre and count, no ids. The read is audited as one
    ``map_cells`` entry naming the count, the viewport and the zoom.
    """
    size = 360.0 / (2**zoom) / _CELLS_PER_TILE
    counts: dict[tuple[int, int], int] = {}
    positions = records.card_positions(principal, bbox)
    for lon, lat in positions:
        cell = (math.floor(lon / size), math.floor(lat / size))
        counts[cell] = counts.get(cell, 0) + 1
    audits.record(
        read_entry(
            principal, target_kind="casualty", target_id=f"{len(positions)} casualties",
            action="map_cells", detail=f"bbox {','.join(map(str, bbox))} zoom {zoom}", at=now,
        )
    )  # fmt: skip
    return [
        {"lon": (x + 0.5) * size, "lat": (y + 0.5) * size, "count": count}
        for (x, y), count in sorted(counts.items())
    ]


def audit_many(
    audits: AuditRecorder, principal: Principal, casualty_ids: list[str], action: str, *,
    now: datetime,
) -> None:  # fmt: skip
    """Record the read of many casualties at once (their ids in the detail, cut at 4,000)."""
    audits.record(
        read_entry(
            principal,
            target_kind="casualty",
            target_id=f"{len(casualty_ids)} casualties",
            action=action,
            detail=" ".join(casualty_ids)[:4000],
            at=now,
        )  # fmt: skip
    )


def pickup_point(card: Card) -> Position | None:
    """Return where to pick the casualty up: the latest request's pickup, else the card's place."""
    for request in reversed(card.evacuation_requests):
        if request.pickup is not None:
            return request.pickup
    return card.position


def events_from_text(text: str) -> list[CasualtyEvent]:
    """Read a JSON list of casualty events (as ``goldenhour demo --json`` shows them)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise EventCodecError("file", f"not JSON: {error}") from error
    return casualty_events(raw)


def casualty_events(raw: Any) -> list[CasualtyEvent]:
    """Validate a decoded JSON list of casualty events; an error names the item (``[3].kind``)."""
    if not isinstance(raw, list) or not raw:
        raise EventCodecError("file", "expected a non-empty JSON list of events")
    events: list[CasualtyEvent] = []
    for index, item in enumerate(raw):
        try:
            event = decode_event(item)
        except ValidationError as error:
            raise type(error)(f"[{index}].{error.field}", error.reason) from error
        if not isinstance(event, CasualtyEvent):
            raise EventCodecError(f"[{index}].kind", f"{event.kind} is not a casualty event")
        events.append(event)
    return events


def casualty_history(
    events: Sequence[CasualtyEvent], casualty_id: UUID, *, now: datetime | None = None,
    others: bool = False,
) -> CasualtyHistory:  # fmt: skip
    """Append the events to one casualty's history, checking each as the server would.

    With ``others``, events about other casualties are passed over; without, they are refused.
    With ``now``, events dated too far in the future are refused. An error names the item.
    """
    history = CasualtyHistory(casualty_id)
    for index, event in enumerate(events):
        if others and event.casualty_id != casualty_id:
            continue
        try:
            history.append(event, now=now)
        except ValidationError as error:
            raise type(error)(f"[{index}].{error.field}", error.reason) from error
    return history


def card_from_events(raw: Any, *, now: datetime) -> Card:
    """Validate a decoded JSON list of one casualty's events and fold them into the card."""
    events = casualty_events(raw)
    return casualty_history(events, events[0].casualty_id, now=now).card()
