"""Tourniquet clocks, derived from the card and a given "now", never from mutable state.

Thresholds: TCCC guidance is to convert or reassess a tourniquet before 2 hours, since ischaemia
beyond 2 hours risks nerve and muscle damage and limb loss (CoTCCC guidelines; Kragh et al.,
J Trauma 2008/2011, found no limb lost to tourniquet use under 2 hours). Golden Hour warns at
1 hour, so there is time to evacuate or convert, and raises the alarm at 2 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from uuid import UUID

from goldenhour.domain.casualty.card import Card, TourniquetRecord
from goldenhour.domain.casualty.vocabulary import Limb, TourniquetCategory

WARNING_AFTER = timedelta(hours=1)
CRITICAL_AFTER = timedelta(hours=2)


class TourniquetAlert(Enum):
    """How worried to be about a tourniquet's time on."""

    OK = "ok"
    WARNING = "warning"  # on for 1 hour or more
    CRITICAL = "critical"  # on for 2 hours or more


@dataclass(frozen=True, slots=True, kw_only=True)
class TourniquetClock:
    """The state of one tourniquet at a given moment."""

    application_id: UUID
    limb: Limb | None
    category: TourniquetCategory
    location: str | None
    tourniquet_type: str | None
    applied_at: datetime
    ended_at: datetime | None
    elapsed: timedelta  # time on, up to now or to when it came off
    alert: TourniquetAlert
    next_alert_at: datetime | None  # when the next threshold is crossed, while it is on

    @property
    def running(self) -> bool:
        """Tell whether the tourniquet is still on."""
        return self.ended_at is None

    @property
    def elapsed_minutes(self) -> int:
        """Return whole minutes on (truncated, as a clock shows them)."""
        return int(self.elapsed.total_seconds() // 60)


def clock_for(
    record: TourniquetRecord,
    *,
    now: datetime,
    warning_after: timedelta = WARNING_AFTER,
    critical_after: timedelta = CRITICAL_AFTER,
) -> TourniquetClock:
    """Return the clock of one tourniquet application at ``now``."""
    ended = record.ended_at if record.ended_at is not None and record.ended_at <= now else None
    until = ended if ended is not None else now
    elapsed = max(until - record.applied_at, timedelta(0))
    if elapsed >= critical_after:
        alert = TourniquetAlert.CRITICAL
    elif elapsed >= warning_after:
        alert = TourniquetAlert.WARNING
    else:
        alert = TourniquetAlert.OK
    next_alert_at: datetime | None = None
    if ended is None and alert is not TourniquetAlert.CRITICAL:
        threshold = warning_after if alert is TourniquetAlert.OK else critical_after
        next_alert_at = record.applied_at + threshold
    return TourniquetClock(
        application_id=record.application_id,
        limb=record.limb,
        category=record.category,
        location=record.location,
        tourniquet_type=record.tourniquet_type,
        applied_at=record.applied_at,
        ended_at=ended,
        elapsed=elapsed,
        alert=alert,
        next_alert_at=next_alert_at,
    )


def tourniquet_clocks(
    card: Card,
    *,
    now: datetime,
    warning_after: timedelta = WARNING_AFTER,
    critical_after: timedelta = CRITICAL_AFTER,
) -> tuple[TourniquetClock, ...]:
    """Return a clock for every tourniquet on the card at ``now``, in the order they went on."""
    return tuple(
        clock_for(record, now=now, warning_after=warning_after, critical_after=critical_after)
        for record in sorted(card.tourniquets, key=lambda r: (r.applied_at, str(r.application_id)))
    )


def format_elapsed(elapsed: timedelta) -> str:
    """Return a duration as a medic reads it: ``1 h 07 min``."""
    minutes = int(elapsed.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
