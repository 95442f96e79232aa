"""The current plan for a live situation, each suggestion with its gain and its reason.

``live_observation`` turns a scenario-format file describing the situation now (minute 0:
casualties waiting have ``at_min: 0``, vehicles where they are) into what a coordinator knows;
``current_plan`` runs the optimiser once and explains each trip to dispatch now: the expected
survivors it gains, and why this order ("amb-2 to c-7 first: tourniquet on for 1 h 40 min,
p falls from 0.62 to 0.41 if served after c-9"), both as that English sentence and as an
``Explanation`` holding its facts, for interfaces that word it in their own language.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Literal

from goldenhour.planning.optimiser import (
    DeadlinePassed,
    OptimiserSettings,
    Plan,
    PlannedTrip,
    PlanRequest,
    build_request,
    retime,
)
from goldenhour.planning.optimiser import solve as solve_request
from goldenhour.planning.optimiser.timing import survival_at
from goldenhour.planning.policies.optimiser import deadline_at, fallback_plan, first_trips_at
from goldenhour.planning.policy import (
    CasualtyView,
    EpochReason,
    FacilityView,
    Observation,
    SiteView,
    VehicleStatus,
    VehicleView,
)
from goldenhour.planning.scenario import Scenario
from goldenhour.planning.travel import TravelModel


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """Why a trip goes now: the casualty aboard who loses most by waiting, and how much.

    The facts of ``Suggestion.reason``, unworded: "V2 to c-7 first: tourniquet on for
    1 h 40 min, p falls from 0.62 to 0.41 if served after c-9" is ``casualty_id="c-7"``,
    ``tourniquet_min=100``, ``p_now=0.62``, ``p_later=0.41``, ``after=("c-9",)``.
    """

    casualty_id: str
    tourniquet_min: float | None  # how long their tourniquet has been on; None without one
    p_now: float  # their chance of survival if this trip delivers them, its risk areas counted
    p_later: float  # ... if they wait for the vehicle's next trip, or beyond the plan
    after: tuple[str, ...]  # the pickups of the vehicle's next trip; () for "a later trip"


@dataclass(frozen=True, slots=True, kw_only=True)
class Suggestion:
    """Send this vehicle for these casualties to this destination, now."""

    vehicle_id: str
    pickups: tuple[str, ...]
    destination: str
    depart_min: float
    pickup_min: float  # the planned arrival at the last pickup
    delivery_min: float
    expected_gain: float  # expected survivors gained against the alternative in ``reason``
    reason: str
    explanation: Explanation  # the facts of ``reason``, for wording in another language


#: Why a waiting casualty is not collected now (``Deferral``).
DeferralReason = Literal["later_trip", "low_chance", "others_first", "unreachable"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Deferral:
    """A waiting casualty no trip dispatched now collects, and why (issue 18): ``reason`` is
    ``later_trip`` (planned for ``vehicle_id``'s later trip, at care at ``delivery_min``),
    ``low_chance`` (survival would rise from ``p_later`` only to ``p_now`` by a trip now: the
    plan gives them up for others, unless a floor on immediates says otherwise,
    ``OptimiserSettings.immediate_floor``), ``others_first`` (the vehicles go to casualties
    who gain more) or ``unreachable`` (no vehicle can bring them to care within the horizon)."""

    casualty_id: str
    category: str  # START class: immediate, delayed, minor
    reason: DeferralReason
    vehicle_id: str | None
    delivery_min: float | None
    p_now: float | None  # their chance if the earliest trip able to collect them went now
    p_later: float | None  # ... as planned (a later trip, or beyond the plan)


@dataclass(frozen=True, slots=True, kw_only=True)
class LivePlan:
    """Suggestions for the idle vehicles, whom they leave waiting and why, and how the plan
    was found."""

    now_min: float
    suggestions: tuple[Suggestion, ...]
    method: str
    solve_ms: float
    waiting: int
    idle_vehicles: int
    deferred: tuple[Deferral, ...] = ()


def live_observation(scenario: Scenario, *, now_min: float = 0.0) -> Observation:
    """Return what a coordinator knows at ``now_min`` of a live-situation file."""
    waiting = tuple(
        CasualtyView(
            id=c.id, category=c.category, precedence=c.precedence, position=c.position,
            site_id=None, injured_at_min=c.injured_at_min, reported_at_min=c.at_min,
            litter=c.litter, needs=c.needs, survival=c.survival,
            tourniquet_at_min=c.tourniquet_at_min,
        )
        for c in scenario.casualties if c.at_min <= now_min
    )  # fmt: skip
    sites = {f.id for f in scenario.facilities}
    sites |= {s.id for s in (*scenario.exchange_points, *scenario.bases)}
    vehicles = tuple(
        VehicleView(
            id=v.id, kind=v.kind,
            status=VehicleStatus.IDLE if v.available_from_min <= now_min
            else VehicleStatus.UNAVAILABLE,
            position=v.position,
            site_id=v.base if scenario.site_position(v.base) == v.position and v.base in sites
            else None,
            base=v.base, speed_kmh=v.speed_kmh, litter=v.litter, seated=v.seated,
            load_min=v.load_min, unload_min=v.unload_min,
            available_from_min=v.available_from_min, grounded=v.grounded,
            hands_over_at=v.hands_over_at, exchange_pickups_only=v.exchange_pickups_only,
            handover_points=v.handover_points,
            idle_since_min=now_min if v.available_from_min <= now_min else None,
        )
        for v in scenario.vehicles
    )  # fmt: skip
    return Observation(
        now_min=now_min, horizon_min=scenario.horizon_min, reason=EpochReason.START,
        waiting=waiting, vehicles=vehicles,
        facilities=tuple(
            FacilityView(id=f.id, position=f.position, capabilities=f.capabilities,
                         teams=f.teams, queue=0, in_treatment=0)
            for f in scenario.facilities
        ),
        exchange_points=tuple(SiteView(id=s.id, position=s.position)
                              for s in scenario.exchange_points),
        bases=tuple(SiteView(id=s.id, position=s.position) for s in scenario.bases),
        threats=tuple(t for t in scenario.threats if t.announced_at_min <= now_min),
        travel=TravelModel(travel=scenario.travel),
    )  # fmt: skip


def current_plan(
    observation: Observation,
    settings: OptimiserSettings | None = None,
    *,
    immediate_floor: float | None = None,
    started: float | None = None,
) -> LivePlan:
    """Return the optimiser's suggestions for the idle vehicles, each explained, and whom
    they leave waiting; ``immediate_floor`` overrides the settings' floor on immediate
    casualties' priority (the server's setting). The deadline counts from ``started`` (a
    ``time.perf_counter()`` reading: when the caller began reading the situation), else
    from now."""
    if started is None:
        started = time.perf_counter()  # the deadline counts the request's building too
    settings = settings or OptimiserSettings()
    if immediate_floor is not None:
        settings = dataclasses.replace(settings, immediate_floor=immediate_floor)
    try:
        request = build_request(
            observation,
            settings=settings,
            deadline_at=deadline_at(settings, started),
            first_trips_at=first_trips_at(settings, started),
        )
    except DeadlinePassed:
        request = None
    if request is None:  # the deadline passed while building the model: START's dispatch
        plan = fallback_plan(observation, started)
        casualties = {c.id: c for c in observation.waiting}
        late = {c.id: observation.horizon_min for c in observation.waiting}
    else:
        plan = retime(solve_request(request, started=started), request, observation)
        casualties = {c.id: c for c in request.casualties}
        late = {c.id: min(request.late_min[i], request.horizon_min)
                for i, c in enumerate(request.casualties)}  # fmt: skip
    suggestions = []
    for trip in plan.trips:
        if trip.dispatch_now and trip.pickups:
            after = _next_trip(plan, trip)
            suggestions.append(_explain(trip, after, casualties, late, observation.now_min))
    return LivePlan(
        now_min=observation.now_min, suggestions=tuple(suggestions), method=plan.method,
        solve_ms=plan.solve_ms, waiting=len(observation.waiting),
        idle_vehicles=len(observation.idle_vehicles()),
        deferred=_deferrals(observation, request, plan, late),
    )  # fmt: skip


#: Below this chance of survival gained by a trip now, a casualty the plan does not collect
#: is deferred for "little to gain" rather than for others who gain more (ours).
LOW_GAIN = 0.01


def _deferrals(
    observation: Observation,
    request: PlanRequest | None,
    plan: Plan,
    late: dict[str, float],
) -> tuple[Deferral, ...]:
    """Return every waiting casualty no trip dispatched now collects, with why (issue 18):
    a later trip of the plan, little to gain, others first, or no vehicle able to reach them
    before the horizon."""
    now_aboard = {cid for t in plan.trips if t.dispatch_now for cid in t.pickups}
    later = {cid: t for t in plan.trips if not t.dispatch_now for cid in t.pickups}
    best: dict[str, float] = {}  # the earliest delivery any option offers
    if request is not None:
        for o in request.options:
            for c in o.candidates:
                cid = request.casualties[c].id
                best[cid] = min(best.get(cid, o.delivery_min), o.delivery_min)
    found = []
    for casualty in sorted(observation.waiting, key=lambda c: (c.reported_at_min, c.id)):
        cid = casualty.id
        if cid in now_aboard:
            continue
        trip = later.get(cid)
        p_later = survival_at(casualty, late[cid])
        if trip is not None:
            found.append(Deferral(
                casualty_id=cid, category=casualty.category.value, reason="later_trip",
                vehicle_id=trip.vehicle_id, delivery_min=trip.delivery_min,
                p_now=None, p_later=survival_at(casualty, trip.delivery_min),
            ))  # fmt: skip
            continue
        if request is not None and cid not in best:
            found.append(Deferral(
                casualty_id=cid, category=casualty.category.value, reason="unreachable",
                vehicle_id=None, delivery_min=None, p_now=None, p_later=p_later,
            ))  # fmt: skip
            continue
        p_now = survival_at(casualty, best[cid]) if cid in best else None
        low = p_now is not None and p_now - p_later < LOW_GAIN and p_now < 1.0
        found.append(Deferral(
            casualty_id=cid, category=casualty.category.value,
            reason="low_chance" if low else "others_first", vehicle_id=None,
            delivery_min=None, p_now=p_now, p_later=p_later,
        ))  # fmt: skip
    return tuple(found)


def deferral_reason(deferral: Deferral, now_min: float) -> str:
    """Word a deferral in English (the CLI prints it, the server relays it)."""
    who = f"{deferral.casualty_id} ({deferral.category}) waits"
    if deferral.reason == "later_trip" and deferral.delivery_min is not None:
        return (f"{who}: planned for {deferral.vehicle_id}'s next trip, at care in "
                f"{_duration(deferral.delivery_min - now_min)}")  # fmt: skip
    if deferral.reason == "unreachable":
        return f"{who}: no vehicle can bring them to care within the plan's horizon"
    if (
        deferral.reason == "low_chance"
        and deferral.p_now is not None
        and (deferral.p_later is not None)
    ):
        return (f"{who}: little to gain, p {_probability(deferral.p_now)} if collected now, "
                f"{_probability(deferral.p_later)} later")  # fmt: skip
    return f"{who}: the vehicles go first to casualties who gain more"


def _next_trip(plan: Plan, trip: PlannedTrip) -> PlannedTrip | None:
    for other in plan.trips:
        if other.vehicle_id == trip.vehicle_id and other.slot == trip.slot + 1:
            return other
    return None


def _explain(
    trip: PlannedTrip,
    after: PlannedTrip | None,
    casualties: dict[str, CasualtyView],
    late: dict[str, float],
    now: float,
) -> Suggestion:
    """Compare each casualty aboard with being served after the vehicle's next trip (or
    beyond the plan) and give the reason of the one who loses most by waiting."""
    gain, worst, worst_loss, worst_alt = 0.0, trip.pickups[0], -1.0, trip.delivery_min
    # The chance of coming through the trip's risk areas, as the optimiser weighed it.
    through = dict(zip(trip.pickups, trip.through, strict=True)) if trip.through else {}
    for cid in trip.pickups:
        casualty = casualties[cid]
        alternative = after.delivery_min + (trip.delivery_min - trip.depart_min) if after else (
            late[cid]
        )  # fmt: skip
        alternative = max(alternative, trip.delivery_min)
        reached = through.get(cid, 1.0) * survival_at(casualty, trip.delivery_min)
        loss = reached - survival_at(casualty, alternative)
        gain += loss
        if loss > worst_loss:
            worst, worst_loss, worst_alt = cid, loss, alternative
    casualty = casualties[worst]
    explanation = Explanation(
        casualty_id=worst,
        tourniquet_min=None if casualty.tourniquet_at_min is None
        else now - casualty.tourniquet_at_min,
        p_now=through.get(worst, 1.0) * survival_at(casualty, trip.delivery_min),
        p_later=survival_at(casualty, worst_alt),
        after=after.pickups if after else (),
    )  # fmt: skip
    return Suggestion(
        vehicle_id=trip.vehicle_id, pickups=trip.pickups, destination=trip.destination,
        depart_min=trip.depart_min, pickup_min=trip.pickup_min, delivery_min=trip.delivery_min,
        expected_gain=gain, reason=_reason(trip.vehicle_id, explanation, later_trip=after is None),
        explanation=explanation,
    )  # fmt: skip


def gains_nothing(explanation: Explanation) -> bool:
    """Tell whether going now gains nothing that shows: the chances of survival now and later
    print alike (issue 17 item 3: never "p falls from 1.00 to 1.00"); such a trip is worded as
    gaining nothing and listed after those that gain something."""
    return _probability(explanation.p_now) == _probability(explanation.p_later)


def _reason(vehicle_id: str, explanation: Explanation, *, later_trip: bool) -> str:
    """Word an explanation in English: the reason the CLI prints and the server relays."""
    if gains_nothing(explanation):
        return (f"{vehicle_id} to {explanation.casualty_id}: nothing to gain by going now, "
                f"p {_probability(explanation.p_now)} either way")  # fmt: skip
    parts = []
    if explanation.tourniquet_min is not None:
        parts.append(f"tourniquet on for {_duration(explanation.tourniquet_min)}")
    p_now, p_later = _probability(explanation.p_now), _probability(explanation.p_later)
    later = "if left to a later trip" if later_trip else (
        f"if served after {', '.join(explanation.after)}"
    )  # fmt: skip
    parts.append(f"p falls from {p_now} to {p_later} {later}")
    return f"{vehicle_id} to {explanation.casualty_id} first: {', '.join(parts)}"


def _probability(p: float) -> str:
    # Two decimals hide the difference between small chances ("0.00 to 0.00"): below 0.1,
    # give two significant digits instead.
    if p >= 0.095:
        return f"{p:.2f}"
    return f"{p:.2g}" if p >= 0.001 or p <= 0.0 else "< 0.001"


def _duration(minutes: float) -> str:
    whole = max(0, round(minutes))
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"
