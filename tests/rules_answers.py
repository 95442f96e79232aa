"""The Python domain's answers to a rule case, and the recorder that writes its histories.

See tests/rules_cases.py: the golden cases the web's port is held to are made from these.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch
from uuid import UUID

from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EntryRetracted,
)
from goldenhour.domain.casualty.history import CasualtyHistory
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.codec import encode_card, encode_event, encode_value
from goldenhour.domain.errors import InvalidEventError, NineLineError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac import from_card
from goldenhour.domain.medevac import nine_line as nine_line_model
from goldenhour.domain.medevac.from_card import mist_from_card, nine_line_from_cards
from goldenhour.domain.medevac.mist import encode_mist
from goldenhour.domain.medevac.nine_line import Marking, Security
from goldenhour.domain.medevac.nine_line_text import encode_nine_line
from goldenhour.domain.tourniquet.clock import tourniquet_clocks
from goldenhour.domain.triage import suggest as triage_rules
from goldenhour.domain.triage.categories import TriageSystem

GOLDEN_DIR = Path(__file__).resolve().parent / "goldens" / "rules"
START = datetime(2022, 6, 14, 12, 30, tzinfo=UTC)
FREQUENCY = "38.900 MHZ"
CALL_SIGN = "KALYNA 21"
PICKUP = {"lat": 48.5671234, "lon": 37.9912345}

Json = dict[str, Any]


def at(minutes: float) -> datetime:
    """Return the moment ``minutes`` after the standard start."""
    return START + timedelta(minutes=minutes)


def millis(moment: datetime | None) -> int | None:
    """Return a moment as milliseconds since the epoch, the form both languages compare."""
    return None if moment is None else round(moment.timestamp() * 1000)


@contextmanager
def memoised_mgrs() -> Iterator[None]:
    """Reuse MGRS conversions while many cases share a pickup point (pure, and slow to redo)."""
    with (
        patch.object(from_card, "to_mgrs", functools.cache(from_card.to_mgrs)),
        patch.object(nine_line_model, "parse_mgrs", functools.cache(nine_line_model.parse_mgrs)),
    ):
        yield


# --- the answers, as the Python domain gives them ------------------------------------------


def card_answer(card: Card) -> Json:
    """Project a card onto what the web's card holds, ids standing for entries."""

    def ids(entries: Sequence[CasualtyEvent]) -> list[str]:
        return [str(e.event_id) for e in entries]

    identity = {k: v for k, v in encode_value(card.identity).items() if v is not None}
    return {
        "registered": card.registered,
        "identity": identity,
        "injured_at": millis(card.injured_at),
        "burn_tbsa_total": card.burn_tbsa_total,
        "gcs": next((v.gcs_total for v in reversed(card.vitals) if v.gcs_total is not None), None),
        "position": encode_value(card.position),
        "tourniquets": [
            {
                "application_id": str(t.application_id),
                "limb": t.limb.value if t.limb else None,
                "category": t.category.value,
                "location": t.location,
                "type": t.tourniquet_type,
                "applied_at": millis(t.applied_at),
                "converted_at": millis(t.converted_at),
                "removed_at": millis(t.removed_at),
                "ended_at": millis(t.ended_at),
            }
            for t in card.tourniquets
        ],
        "injuries": ids(card.injuries),
        "treatments": ids(card.treatments),
        "medications": ids(card.medications),
        "fluids": ids(card.fluids),
        "vitals": ids(card.vitals),
        "evacuations": ids(card.evacuation_requests),
        "handovers": ids(card.handovers),
        "notes": ids(card.notes),
        "triage": {system.value: str(e.event_id) for system, e in card.triage.items()},
        "outcome": str(card.outcome.event_id) if card.outcome else None,
        "last_at": millis(card.last_event_at),
    }


def triage_answer(card: Card) -> Json:
    """Return START, NATO and precedence suggestions with the id of the rule that fired."""
    start = triage_rules.suggest(card, TriageSystem.START)
    # Whether surgery is needed is part of the NATO rule's answer (it decides B over A).
    nato, surgical = triage_rules._suggest_nato(card)
    precedence = triage_rules.suggest(card, TriageSystem.PRECEDENCE)

    def value(category: Any) -> str | None:
        return None if category is None else str(category.value)

    return {
        "start": {"category": value(start.category), "rule": start.rule_id},
        "nato": {"category": value(nato.category), "rule": nato.rule_id, "surgical": surgical},
        "precedence": {"category": value(precedence.category), "rule": precedence.rule_id},
    }


def clocks_answer(card: Card, now: datetime) -> list[Json]:
    """Return every tourniquet's time on (ms) and alert at ``now``, in the order they went on."""
    return [
        {
            "application_id": str(c.application_id),
            "elapsed": round(c.elapsed.total_seconds() * 1000),
            "alert": c.alert.value,
        }
        for c in tourniquet_clocks(card, now=now)
    ]


def nine_line_answer(cards: Sequence[Card], case: Json) -> str | None:
    """Return the 9-line text for the cards at the case's pickup, or None when none is due."""
    try:
        request = nine_line_from_cards(
            cards,
            pickup=Position(lat=case["pickup"]["lat"], lon=case["pickup"]["lon"]),
            frequency=case.get("frequency", FREQUENCY),
            call_sign=case.get("call_sign", CALL_SIGN),
            security=Security(case["security"]),
            marking=Marking(case["marking"]),
        )
    except NineLineError:
        return None
    return encode_nine_line(request)


def answer(case: Json, cards: Sequence[Card]) -> Json:
    """Return the Python domain's answer for a case."""
    now = datetime.fromisoformat(case["now"])
    return {
        "casualties": [
            {
                "card": card_answer(card),
                "triage": triage_answer(card),
                "clocks": clocks_answer(card, now),
                "mist": encode_mist(mist_from_card(card, now=now)),
            }
            for card in cards
        ],
        "nine_line": nine_line_answer(cards, case),
    }


def make_case(
    name: str,
    recorders: Sequence[Recorder],
    *,
    now: datetime,
    security: str = "E",
    marking: str = "D",
    pickup: dict[str, float] | None = None,
    server_cards: bool = True,
    radio: dict[str, str] | None = None,
) -> Json:
    """Return a case with its events (as stored, in the order written) and Python's answer.

    ``radio`` may give line 2 as typed (``frequency``, ``call_sign``); else the usual ones.
    """
    case: Json = {
        "name": name,
        "now": now.isoformat(),
        "pickup": pickup or PICKUP,
        "security": security,
        "marking": marking,
        **(radio or {}),
        "casualties": [
            {
                "casualty_id": str(recorder.casualty_id),
                "events": [encode_event(e) for e in recorder.events],
                # The card as the server serves it, for the coordinator's views (fromServer).
                **({"server_card": encode_card(recorder.history.card())} if server_cards else {}),
            }
            for recorder in recorders
        ],
    }
    case["expected"] = answer(case, [recorder.history.card() for recorder in recorders])
    return case


# --- histories ----------------------------------------------------------------------------


class Recorder:
    """Builds one casualty's accepted history, keeping the events in the order written."""

    def __init__(self, rng: random.Random, casualty_id: UUID | None = None) -> None:
        self.rng = rng
        self.casualty_id = casualty_id or self.uuid()
        self.history = CasualtyHistory(self.casualty_id)
        self.events: list[CasualtyEvent] = []

    def uuid(self) -> UUID:
        """Return a random version-4 UUID drawn from the case's generator."""
        return UUID(int=self.rng.getrandbits(128), version=4)

    def add(
        self,
        cls: type[CasualtyEvent],
        minute: float,
        *,
        recorded: float | None = None,
        **fields: Any,
    ) -> Any:
        """Append an event; return it, or None when it is invalid or the history refuses it."""
        try:
            event = cls(
                event_id=self.uuid(),
                casualty_id=self.casualty_id,
                occurred_at=at(minute),
                recorded_at=at(minute if recorded is None else recorded),
                author="medic",
                device="phone-1",
                **fields,
            )
        except InvalidEventError:
            return None
        return self.append(event)

    def append(self, event: CasualtyEvent) -> Any:
        """Append a ready event; return it, or None when the history refuses it."""
        try:
            self.history.append(event)
        except InvalidEventError:
            return None
        self.events.append(event)
        return event

    def correct(self, original: CasualtyEvent, minute: float, **changes: Any) -> Any:
        """Append a correction of ``original`` with ``changes``; None when it is refused."""
        try:
            fresh = replace(
                original,
                event_id=self.uuid(),
                occurred_at=changes.pop("occurred_at", original.occurred_at),
                recorded_at=at(minute),
                supersedes=original.event_id,
                **changes,
            )
        except InvalidEventError:
            return None
        return self.append(fresh)

    def retract(self, target: CasualtyEvent, minute: float) -> Any:
        """Append a retraction of ``target``."""
        return self.add(EntryRetracted, minute, target=target.event_id, reason="entered in error")


def registered(rng: random.Random, **identity: Any) -> Recorder:
    """Return a recorder whose casualty is registered at minute 0."""
    recorder = Recorder(rng)
    recorder.add(CasualtyRegistered, 0, identity=Identity(**identity))
    return recorder
