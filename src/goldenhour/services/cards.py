"""A casualty card with what is derived from it: tourniquet clocks and triage decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from goldenhour.domain.casualty.card import Card
from goldenhour.domain.codec import encode_card
from goldenhour.domain.tourniquet.clock import tourniquet_clocks
from goldenhour.domain.triage.categories import TriageSystem
from goldenhour.domain.triage.suggest import TriageDecision, current_triage

__all__ = ["TRIAGE_SYSTEMS", "card_report", "suggested_category"]

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
