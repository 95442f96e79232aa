"""A casualty card as text for a terminal."""

from __future__ import annotations

from datetime import UTC, datetime

from goldenhour.domain.casualty.card import Card
from goldenhour.domain.geo.mgrs import MgrsPrecision, format_mgrs, to_mgrs
from goldenhour.domain.medevac.from_card import (
    injury_items,
    label,
    treatment_items,
    vitals_text,
    zulu,
)
from goldenhour.domain.tourniquet.clock import format_elapsed, tourniquet_clocks
from goldenhour.domain.triage.suggest import TriageDecision, current_triage
from goldenhour.services.cards import TRIAGE_SYSTEMS, suggested_category


def _decision_text(decision: TriageDecision) -> str:
    category = decision.category.value if decision.category is not None else "none"
    if decision.assessed is not None:
        text = f"{category} assessed by {decision.assessed.author}"
        if decision.overridden:
            text += (
                f", overriding suggested {suggested_category(decision)}: {decision.assessed.reason}"
            )
        return text
    return f"{category} suggested ({decision.suggestion.rule})"


def card_text(card: Card, *, now: datetime) -> str:
    """Render the card for a terminal: identity, injuries, tourniquets, vitals, care, triage."""
    who = card.identity
    lines = [
        f"CASUALTY CARD  {who.battle_roster or '-'}  {who.display_name()}"
        + (f' "{who.callsign}"' if who.callsign else ""),
        f"Status: {label(card.status.value)}",
    ]
    details = [
        who.rank, who.service, who.unit and f"unit {who.unit}",
        who.gender and who.gender.value, who.age_years is not None and f"{who.age_years} y",
        who.blood_group and f"blood {who.blood_group}",
        who.allergies and f"allergies {who.allergies}",
    ]  # fmt: skip
    lines.append("Identity: " + ", ".join(str(d) for d in details if d))
    if card.injured_at is not None:
        where = ""
        if card.position is not None:
            grid = to_mgrs(card.position.lat, card.position.lon, MgrsPrecision.M10)
            where = f" at {format_mgrs(grid)}"
        lines.append(f"Injured: {card.injured_at.astimezone(UTC):%Y-%m-%d %H:%M}Z{where}")
    mechanisms = ", ".join(label(m.value) for m in sorted(card.mechanisms, key=lambda m: m.value))
    lines.append(f"Mechanism: {mechanisms or '-'}")
    lines.append("Injuries:")
    lines.extend(f"  - {item}" for item in injury_items(card))
    lines.append("Tourniquets:")
    for clock in tourniquet_clocks(card, now=now):
        where = label(clock.limb.value) if clock.limb else label(clock.category.value)
        state = (
            f"on since {zulu(clock.applied_at)}, {format_elapsed(clock.elapsed)}"
            if clock.running
            else f"{zulu(clock.applied_at)} to {zulu(clock.ended_at)}, "  # type: ignore[arg-type]
            f"{format_elapsed(clock.elapsed)}"
        )
        lines.append(
            f"  - {where} {clock.location or ''} ({clock.tourniquet_type or 'type ?'}): {state} "
            f"[{clock.alert.value.upper()}]"
        )
    lines.append("Vitals:")
    lines.extend(f"  {vitals_text(vitals)}" for vitals in card.vitals)
    lines.append("Treatments:")
    lines.extend(f"  - {item}" for item in treatment_items(card, now))
    lines.append("Triage:")
    for system in TRIAGE_SYSTEMS:
        lines.append(f"  {system.value}: {_decision_text(current_triage(card, system))}")
    if card.notes:
        lines.append("Notes:")
        lines.extend(f"  - {note.text}" for note in card.notes)
    if card.first_responder_name:
        lines.append(
            f"First responder: {card.first_responder_name} {card.first_responder_last4 or ''}"
        )
    return "\n".join(" ".join(line.split()) if not line.startswith("  ") else line.rstrip()
                     for line in lines)  # fmt: skip
