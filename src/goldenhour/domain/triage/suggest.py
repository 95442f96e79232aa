"""Triage suggested from a casualty card, each with the rule that fired, and the medic's decision.

START and JumpSTART follow their published rules (start.py, jumpstart.py). NATO T-categories and
9-line precedence have no published algorithm: they are assigned by a medic's judgement
(shared/reference/cards/triage.md sections 4-5). The rules below are Golden Hour's own, written
to make the common cases fast and explainable, and always overridable with a reason:

NATO, first rule that fires:
  1. an outcome of death, or START's "not breathing after airway repositioning" -> dead;
  2. a life-saving intervention in place (tourniquet on, surgical or advanced airway, needle
     decompression, chest seal, pelvic binder) -> T1;
  3. a START immediate finding (RR > 30, no radial pulse or CRT > 2 s, not following commands)
     -> T1;
  4. an amputation, a cavity-penetrating or a vascular injury -> T1;
  5. walking -> T3;
  6. any injury recorded, or START delayed -> T2.
T4 (expectant) is never suggested: it is a senior clinician's call with the resources in view.

Precedence from the T-category (triage.md section 5, "commonly taught"): T1 needing surgery
(rules 2 and 4: tourniquet, amputation, cavity or vascular injury) -> B urgent-surgical; other
T1 -> A urgent; T2 -> C priority; T3 -> D routine; T4 and dead -> no MEDEVAC precedence.
A medic's assessed NATO category, when there is one, is what precedence is derived from.
"""

from __future__ import annotations

from dataclasses import dataclass

from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.events import TriageAssessed, VitalsRecorded
from goldenhour.domain.casualty.vocabulary import InjuryKind, Intervention, Limb, Outcome
from goldenhour.domain.triage.categories import (
    NatoCategory,
    Precedence,
    StartCategory,
    TriageCategory,
    TriageSuggestion,
    TriageSystem,
)
from goldenhour.domain.triage.jumpstart import triage_jumpstart
from goldenhour.domain.triage.observations import TriageObservations
from goldenhour.domain.triage.start import triage_start

__all__ = [
    "TriageDecision",
    "current_triage",
    "observations_from_card",
    "suggest",
]

_LIFE_SAVING = {
    Intervention.CRIC: "surgical airway (cric)",
    Intervention.ET_TUBE: "endotracheal tube",
    Intervention.SGA: "supraglottic airway",
    Intervention.NEEDLE_DECOMPRESSION: "needle decompression",
    Intervention.CHEST_SEAL: "chest seal",
    Intervention.PELVIC_BINDER: "pelvic binder",
}
_SURGICAL_INJURIES = {
    InjuryKind.AMPUTATION: "amputation",
    InjuryKind.CAVITY: "cavity-penetrating wound",
    InjuryKind.VASCULAR: "vascular injury",
}
_DEATH = frozenset({Outcome.DIED_OF_WOUNDS, Outcome.KILLED_IN_ACTION, Outcome.DIED_IN_TRANSIT})
_FINDINGS = (
    "walking", "breathing", "breathing_after_airway", "respiratory_rate", "capillary_refill_s",
    "follows_commands",
)  # fmt: skip


def _latest(vitals: tuple[VitalsRecorded, ...], name: str) -> object:
    for entry in reversed(vitals):
        value = getattr(entry, name)
        if value is not None:
            return value
    return None


def observations_from_card(card: Card) -> TriageObservations:
    """Gather the latest known value of each triage finding from the card's vitals."""
    values = {name: _latest(card.vitals, name) for name in _FINDINGS}
    avpu = _latest(card.vitals, "avpu")
    avpu_letter = avpu.value if avpu is not None else None  # type: ignore[attr-defined]
    radial = _latest(card.vitals, "radial_pulse")
    if values["follows_commands"] is None and avpu_letter in ("P", "U"):
        # A casualty who responds only to pain, or not at all, cannot follow a command.
        values["follows_commands"] = False
    return TriageObservations(
        peripheral_pulse=radial,  # type: ignore[arg-type]
        avpu=avpu_letter,
        **values,  # type: ignore[arg-type]
    )


def _is_child(card: Card) -> bool:
    # JumpSTART is meant for those who look like children, about 1 to 8 years (Romig).
    age = card.identity.age_years
    return age is not None and age <= 8


def _where(limb: Limb | None, category: str) -> str:
    return limb.value.replace("_", " ") if limb is not None else category


def _surgical_reasons(card: Card) -> list[str]:
    reasons = [
        f"tourniquet on {_where(record.limb, record.category.value)}"
        for record in card.tourniquets
        if record.ended_at is None
    ]
    for injury in card.injuries:
        reasons.extend(label for kind, label in _SURGICAL_INJURIES.items() if kind in injury.kinds)
    return reasons


def _suggest_nato(card: Card) -> tuple[TriageSuggestion, bool]:
    """Return the NATO suggestion and whether the casualty needs surgery."""

    def nato(category: NatoCategory | None, rule: str, rule_id: str | None) -> TriageSuggestion:
        return TriageSuggestion(
            system=TriageSystem.NATO, category=category, rule=rule, rule_id=rule_id
        )

    if card.outcome is not None and card.outcome.outcome in _DEATH:
        outcome = card.outcome.outcome.value
        return nato(NatoCategory.DEAD, f"outcome recorded: {outcome}", "nato.outcome_dead"), False
    start = triage_start(observations_from_card(card))
    if start.category is StartCategory.DEAD:
        return nato(NatoCategory.DEAD, start.rule, start.rule_id), False
    surgical = _surgical_reasons(card)
    interventions = [
        _LIFE_SAVING[t.intervention] for t in card.treatments if t.intervention in _LIFE_SAVING
    ]
    tourniquets_on = [reason for reason in surgical if reason.startswith("tourniquet")]
    if tourniquets_on or interventions:
        what = ", ".join(tourniquets_on + interventions)
        lsi = f"life-saving intervention in place: {what}"
        return nato(NatoCategory.T1, lsi, "nato.lsi"), bool(surgical)
    if start.category is StartCategory.IMMEDIATE:
        return nato(NatoCategory.T1, start.rule, start.rule_id), bool(surgical)
    if surgical:
        needing = f"injury needing surgery: {', '.join(surgical)}"
        return nato(NatoCategory.T1, needing, "nato.surgical"), True
    walking = _latest(card.vitals, "walking")
    if walking is True:
        return nato(NatoCategory.T3, "walks: minimal (walking wounded)", "nato.walks"), False
    if card.injuries or start.category is StartCategory.DELAYED:
        basis = start.rule if start.category is StartCategory.DELAYED else "injury recorded"
        return nato(NatoCategory.T2, f"{basis}; no immediate finding", "nato.delayed"), False
    return nato(None, "record injuries or vital signs to get a suggestion", "nato.need_more"), False


def _suggest_precedence(card: Card) -> TriageSuggestion:
    nato, surgical = _suggest_nato(card)
    assessed = card.triage.get(TriageSystem.NATO)
    category = assessed.category if assessed is not None else nato.category
    basis = (
        f"assessed {assessed.category.value}" if assessed is not None else f"suggested {nato.rule}"
    )

    def precedence(code: Precedence | None, why: str, rule_id: str | None) -> TriageSuggestion:
        return TriageSuggestion(
            system=TriageSystem.PRECEDENCE, category=code, rule=why, rule_id=rule_id
        )

    if category is NatoCategory.T1 and surgical:
        return precedence(
            Precedence.URGENT_SURGICAL, f"T1 needing surgery ({basis})", "prec.t1_surgical"
        )
    if category is NatoCategory.T1:
        return precedence(Precedence.URGENT, f"T1 ({basis})", "prec.t1")
    if category is NatoCategory.T2:
        return precedence(Precedence.PRIORITY, f"T2 ({basis})", "prec.t2")
    if category is NatoCategory.T3:
        return precedence(Precedence.ROUTINE, f"T3 ({basis})", "prec.t3")
    if category in (NatoCategory.T4, NatoCategory.DEAD):
        none = f"no MEDEVAC precedence for {category.value} ({basis})"
        return precedence(None, none, "prec.none")
    return precedence(None, nato.rule, nato.rule_id)


def suggest(card: Card, system: TriageSystem) -> TriageSuggestion:
    """Suggest a category in ``system`` from the card, naming the rule that fired."""
    if system is TriageSystem.NATO:
        return _suggest_nato(card)[0]
    if system is TriageSystem.PRECEDENCE:
        return _suggest_precedence(card)
    observations = observations_from_card(card)
    if system is TriageSystem.JUMPSTART:
        return triage_jumpstart(observations)
    return triage_start(observations)


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageDecision:
    """The category that stands for a system: the medic's if assessed, else the suggestion."""

    system: TriageSystem
    category: TriageCategory | None
    suggestion: TriageSuggestion
    assessed: TriageAssessed | None

    @property
    def overridden(self) -> bool:
        """Tell whether the medic chose other than what the card now suggests."""
        return self.assessed is not None and self.assessed.category != self.suggestion.category


def current_triage(card: Card, system: TriageSystem | None = None) -> TriageDecision:
    """Return the standing triage decision in ``system`` (JumpSTART for children by default)."""
    if system is None:
        system = TriageSystem.JUMPSTART if _is_child(card) else TriageSystem.START
    suggestion = suggest(card, system)
    assessed = card.triage.get(system)
    category = assessed.category if assessed is not None else suggestion.category
    return TriageDecision(
        system=system, category=category, suggestion=suggestion, assessed=assessed
    )
