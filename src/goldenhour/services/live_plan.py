"""The evacuation plan for the live situation a server holds: its records in, suggestions out.

``planning.live_situation`` turns the server's picture into the planner's ``Observation``;
``live_plan`` runs ``goldenhour.planning.plan.current_plan`` on it (the optimiser once, as
``goldenhour plan STATE``) and names each suggestion's vehicle, casualties, requests, pickup
and destination, with the expected survival gain and the reason: in English, and as its facts
with call signs for ids (``ServerExplanation``) for interfaces that word it themselves.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from goldenhour.domain.geo.position import Position
from goldenhour.planning.live_situation import (
    LeftOut,
    LivePicture,
    PlannedCasualty,
    live_situation,
)
from goldenhour.planning.optimiser.problem import OptimiserSettings
from goldenhour.planning.plan import (
    DeferralReason,
    LivePlan,
    Suggestion,
    current_plan,
    deferral_reason,
    gains_nothing,
)
from goldenhour.planning.plan import Explanation as PlanExplanation

__all__ = [
    "ServerDeferral",
    "ServerExplanation",
    "ServerPlan",
    "ServerSuggestion",
    "live_plan",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerExplanation:
    """The facts of a suggestion's reason, named as the reason names them (call signs, labels).

    "KALYNA 21 to Lys first: tourniquet on for 42 min, p falls from 0.031 to 0.012 if left
    to a later trip; sets off in 1 h 5 min, when ..." is ``casualty_label="Lys"``,
    ``tourniquet_min=42``, ``p_now=0.031``, ``p_later=0.012``, ``after_labels=()``,
    ``sets_off_in_min=65``.
    """

    casualty_label: str  # who loses most by waiting
    tourniquet_min: float | None  # how long their tourniquet has been on; None without one
    p_now: float  # their chance of survival if this trip delivers them
    p_later: float  # ... if served after ``after_labels``, or on a later trip when empty
    after_labels: tuple[str, ...]  # who the vehicle's next trip picks up
    sets_off_in_min: float | None  # the wait for threat areas to close; None: sets off now


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerSuggestion:
    """Send this vehicle for these casualties to this destination, now: what it gains, why."""

    vehicle_id: str
    call_sign: str
    casualties: tuple[PlannedCasualty, ...]
    request_ids: tuple[str, ...]
    pickup: Position
    pickup_point_id: str | None
    destination_id: str
    destination_name: str
    destination_kind: Literal["facility", "exchange_point"]
    depart_at: datetime
    pickup_at: datetime  # the planned arrival at the last pickup
    delivery_at: datetime
    expected_gain: float
    reason: str
    explanation: ServerExplanation


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerPlan:
    """The suggestions for the idle vehicles, how they were found, and what was left out."""

    generated_at: datetime
    horizon_min: float
    method: str
    solve_ms: float
    waiting: int
    idle_vehicles: int
    suggestions: tuple[ServerSuggestion, ...]
    left_out: tuple[LeftOut, ...] = field(default=())
    deferred: tuple[ServerDeferral, ...] = field(default=())


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerDeferral:
    """A waiting casualty the plan does not collect now, and why (``planning.plan.Deferral``):
    ``reason`` is ``later_trip`` (``call_sign``'s later trip, at care at ``delivery_at``),
    ``low_chance`` (their chance rises only from ``p_later`` to ``p_now`` by a trip now),
    ``others_first`` or ``unreachable``; ``text`` words it in English."""

    casualty: PlannedCasualty
    reason: DeferralReason
    vehicle_id: str | None
    call_sign: str | None
    delivery_at: datetime | None
    p_now: float | None
    p_later: float | None
    text: str


def live_plan(
    picture: LivePicture, *, now: datetime, immediate_floor: float, deadline_ms: float | None
) -> ServerPlan:
    """Return the optimiser's current plan for the live situation, each suggestion explained
    and each casualty it defers named with why; ``immediate_floor`` is the medical director's
    floor on the priority of immediate casualties (the optimiser's ``immediate_floor``),
    ``deadline_ms`` the re-plan's wall-clock budget (``None``: none)."""
    started = time.perf_counter()  # the deadline covers reading the situation too
    situation = live_situation(picture, now=now)
    observation = situation.observation
    idle = len(observation.idle_vehicles())
    if observation.waiting and idle and observation.facilities:
        settings = OptimiserSettings(deadline_ms=deadline_ms, immediate_floor=immediate_floor)
        plan = current_plan(observation, settings, started=started)
    else:
        plan = LivePlan(now_min=0.0, suggestions=(), method="nothing to plan", solve_ms=0.0,
                        waiting=len(observation.waiting), idle_vehicles=idle)  # fmt: skip
    labels = {cid: c.label for cid, c in situation.casualties.items()}
    labels |= situation.call_signs
    suggestions = []
    for s in plan.suggestions:
        aboard = tuple(situation.casualties[cid] for cid in s.pickups)
        requests = tuple(dict.fromkeys(c.request_id for c in aboard if c.request_id is not None))
        first = next(c for c in observation.waiting if c.id == s.pickups[0])
        site = situation.sites[s.destination]
        suggestions.append(ServerSuggestion(
            vehicle_id=s.vehicle_id, call_sign=situation.call_signs[s.vehicle_id],
            casualties=aboard, request_ids=requests, pickup=first.position,
            pickup_point_id=situation.pickup_points.get(first.id),
            destination_id=site.id, destination_name=site.name, destination_kind=site.kind,
            depart_at=now + timedelta(minutes=s.depart_min),
            pickup_at=now + timedelta(minutes=s.pickup_min),
            delivery_at=now + timedelta(minutes=s.delivery_min),
            expected_gain=s.expected_gain, reason=_reason(s, labels),
            explanation=_explanation(s, labels),
        ))  # fmt: skip
    # A trip that gains nothing is never listed first (issue 17 item 3); the rest keep their order.
    suggestions.sort(key=lambda trip: gains_nothing(_facts(trip)))
    named = _namer(labels)
    deferred = tuple(
        ServerDeferral(
            casualty=situation.casualties[d.casualty_id], reason=d.reason,
            vehicle_id=d.vehicle_id,
            call_sign=None if d.vehicle_id is None else situation.call_signs[d.vehicle_id],
            delivery_at=None if d.delivery_min is None
            else now + timedelta(minutes=d.delivery_min),
            p_now=d.p_now, p_later=d.p_later,
            text=named(deferral_reason(d, plan.now_min)),
        )
        for d in plan.deferred
    )  # fmt: skip
    return ServerPlan(
        generated_at=now, horizon_min=observation.horizon_min, method=plan.method,
        solve_ms=plan.solve_ms, waiting=plan.waiting, idle_vehicles=plan.idle_vehicles,
        suggestions=tuple(suggestions), left_out=situation.left_out, deferred=deferred,
    )  # fmt: skip


def _facts(trip: ServerSuggestion) -> PlanExplanation:
    """Return the chances a server suggestion's reason compares, as the planner holds them."""
    e = trip.explanation
    return PlanExplanation(casualty_id=e.casualty_label, tourniquet_min=e.tourniquet_min,
                           p_now=e.p_now, p_later=e.p_later, after=e.after_labels)  # fmt: skip


def _named(text: str, labels: Mapping[str, str]) -> str:
    """Return the text with call signs and labels for ids."""
    for identifier, label in labels.items():
        text = text.replace(identifier, label)
    return text


#: A word of a planner's text: the ids it names are words (letters, digits, "_" and "-").
_WORD = re.compile(r"[\w-]+")


def _namer(labels: Mapping[str, str]) -> Callable[[str], str]:
    """Return ``_named`` over ``labels`` for many texts: when every id is a word, each word of
    a text is looked up once instead of every id searched for in every text (a plan of 1,000
    waiting words 1,000 deferrals: a million searches)."""
    if not all(_WORD.fullmatch(identifier) for identifier in labels):
        return lambda text: _named(text, labels)

    def by_word(text: str) -> str:
        return _WORD.sub(lambda word: labels.get(word.group(0), word.group(0)), text)

    return by_word


def _reason(suggestion: Suggestion, labels: Mapping[str, str]) -> str:
    """Return the planner's reason with call signs for ids, and the wait for threat areas."""
    reason = suggestion.reason
    for identifier, label in labels.items():
        reason = reason.replace(identifier, label)
    wait = _sets_off_in(suggestion)
    if wait is not None:
        reason += f"; sets off in {_duration(wait)}, when the threat areas "
        reason += "on its way and at the pickup are closed"
    return reason


def _explanation(suggestion: Suggestion, labels: Mapping[str, str]) -> ServerExplanation:
    """Return the facts of ``_reason``, with the same call signs and labels for ids."""
    facts = suggestion.explanation
    return ServerExplanation(
        casualty_label=labels.get(facts.casualty_id, facts.casualty_id),
        tourniquet_min=facts.tourniquet_min, p_now=facts.p_now, p_later=facts.p_later,
        after_labels=tuple(labels.get(cid, cid) for cid in facts.after),
        sets_off_in_min=_sets_off_in(suggestion),
    )  # fmt: skip


def _sets_off_in(suggestion: Suggestion) -> float | None:
    """Return how long the vehicle waits before it sets off, or None when it sets off now."""
    # An idle vehicle sets off later than now only to keep out of an open threat window.
    return suggestion.depart_min if suggestion.depart_min >= 1.0 else None


def _duration(minutes: float) -> str:
    hours, rest = divmod(max(0, round(minutes)), 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"
