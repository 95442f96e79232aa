"""What one casualty's card says about survival: class, minutes from injury, died or censored.

The planner's survival models are fitted from these (``goldenhour.planning.survival_fit``).
Rules (docs/survival-models.md, "Fitting from the record"):

* the class is the first planner class a medic assessed (NATO T1/T2/T3 or START immediate,
  delayed, minor, in the card's order): the survival clock starts at injury, and a casualty
  re-triaged *dead* at the end must still count in the class they were first given;
* time zero is the injury time on the card, else its earliest event;
* a death (killed in action, died in transit, died of wounds) is an event at its outcome's time;
* everyone else is right-censored at the last time they were known alive: the card's newest
  event (a return to duty, a handover, vitals...), or, for one recorded *missing*, the newest
  event before that record;
* or, with ``censor_at_care``, the clock stops when care begins: whoever reaches a facility
  alive is censored at that handover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from goldenhour.domain.casualty.card import Card
from goldenhour.domain.casualty.vocabulary import Outcome
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.triage.categories import NatoCategory, StartCategory

#: Outcomes that are a death, and so an observed event rather than a censoring.
DEATHS = frozenset({Outcome.KILLED_IN_ACTION, Outcome.DIED_IN_TRANSIT, Outcome.DIED_OF_WOUNDS})

_FROM_NATO = {
    NatoCategory.T1: StartCategory.IMMEDIATE,
    NatoCategory.T2: StartCategory.DELAYED,
    NatoCategory.T3: StartCategory.MINOR,
}
_CLASSES = (StartCategory.IMMEDIATE, StartCategory.DELAYED, StartCategory.MINOR)


@dataclass(frozen=True, slots=True, kw_only=True)
class SurvivalObservation:
    """One casualty for the fit: their class, minutes from injury, and whether they died then.

    ``died`` False means right-censored: known alive ``minutes`` after injury, nothing later.
    """

    category: StartCategory
    minutes: float
    died: bool

    def __post_init__(self) -> None:
        if self.category not in _CLASSES:
            raise ValidationError("category", f"{self.category!r} is not a planner class")
        if not isinstance(self.minutes, int | float) or not self.minutes >= 0.0:
            raise ValidationError("minutes", f"{self.minutes!r} is not minutes since injury")


def first_class(card: Card) -> StartCategory | None:
    """Return the first planner class assessed on the card (NATO or START), or ``None``."""
    for assessed in card.triage_history:
        category = assessed.category
        if isinstance(category, NatoCategory) and category in _FROM_NATO:
            return _FROM_NATO[category]
        if isinstance(category, StartCategory) and category in _CLASSES:
            return category
    return None


def observation_from_card(
    card: Card, *, censor_at_care: bool = False
) -> SurvivalObservation | None:
    """Return what the card says for the fit, or ``None`` when it has no class or no time.

    With ``censor_at_care`` the clock stops when care begins, as the planner reads its curves
    (the chance of surviving if care begins at ``t``): a casualty handed over to a facility
    (a handover naming a facility or its level) before any death is censored at that handover,
    whatever came after, a death of wounds included.
    """
    category = first_class(card)
    injured = _injured_at(card)
    if category is None or injured is None:
        return None
    outcome = card.outcome
    care = _care_began(card)
    died_at = outcome.occurred_at if outcome is not None and outcome.outcome in DEATHS else None
    if censor_at_care and care is not None and (died_at is None or care <= died_at):
        return SurvivalObservation(category=category, minutes=_minutes(injured, care), died=False)
    if outcome is not None and died_at is not None:
        return SurvivalObservation(category=category, minutes=_minutes(injured, died_at), died=True)
    alive = card.last_event_at
    if outcome is not None and outcome.outcome is Outcome.MISSING:
        alive = _last_before(card, outcome.occurred_at)
    if alive is None:
        return None
    return SurvivalObservation(category=category, minutes=_minutes(injured, alive), died=False)


def _care_began(card: Card) -> datetime | None:
    facility = [h.occurred_at for h in card.handovers
                if h.facility_id is not None or h.facility_level is not None]  # fmt: skip
    return min(facility, default=None)


def _injured_at(card: Card) -> datetime | None:
    if card.injured_at is not None:
        return card.injured_at
    moments = [e.occurred_at for e in (*card.injuries, *card.triage_history, *card.vitals)]
    return min(moments, default=None)


def _last_before(card: Card, moment: datetime) -> datetime | None:
    seen = [
        e.occurred_at
        for e in (*card.injuries, *card.triage_history, *card.vitals, *card.handovers,
                  *card.treatments, *card.evacuation_requests)
        if e.occurred_at < moment
    ]  # fmt: skip
    return max(seen, default=None)


def _minutes(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 60.0)
