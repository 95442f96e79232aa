"""Builders for casualty events with sensible defaults, so tests state only what matters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from goldenhour.domain.casualty.events import CasualtyEvent

CASUALTY = UUID("00000000-0000-4000-8000-000000000001")
INJURED_AT = datetime(2022, 6, 14, 12, 30, tzinfo=UTC)


def at(minutes: float) -> datetime:
    """Return the time ``minutes`` after the standard moment of injury."""
    return INJURED_AT + timedelta(minutes=minutes)


def make(cls: type[CasualtyEvent], *, minute: float = 0, **fields: Any) -> Any:
    """Build an event of ``cls`` at ``minute`` after injury, with default envelope fields."""
    envelope: dict[str, Any] = {
        "event_id": uuid4(),
        "casualty_id": CASUALTY,
        "occurred_at": at(minute),
        "recorded_at": at(minute),
        "author": "medic",
        "device": "phone-1",
    }
    envelope.update(fields)
    return cls(**envelope)
