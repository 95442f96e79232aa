"""The demo's past weeks: a front played day by day in the simulator, written as card events.

Each day the simulator (``simulate``, the ``precedence`` policy) plays the wounded of one day at
Bilohorivka through the demo's fleet and hospitals; each casualty it plays becomes a card: its
registration, injury, NATO triage, tourniquet, evacuation request, handover at the facility it
reached, and its outcome. Who dies, and when, is drawn from the planner's survival model of
the casualty's class (the same story ``planning.survival_fit`` reads back: a share ``1 - b0``
lost at injury, the rest at a log-logistic time, saved if they reach care first), so the demo's
registry holds killed in action, died in transit, died of wounds and returns to duty in the
proportions the planner assumes. Outcomes later than ``now`` are not written: those casualties
are still in care. Only ``seed`` and ``anchor`` decide the events, and every id is a UUID 5 of
its name, so seeding twice stores everything once. Invented exercise data, not a real front.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from goldenhour.demo.bilohorivka import demo_id
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EvacuationRequested,
    HandedOver,
    InjuryRecorded,
    OutcomeRecorded,
    TourniquetApplied,
    TourniquetRemoved,
    TriageAssessed,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    BodyRegion,
    EvacuationPosition,
    FacilityLevel,
    InjuryKind,
    Limb,
    Mechanism,
    Outcome,
    PersonStatus,
)
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import EvacuationRequestFiled, RequestCancelled
from goldenhour.domain.survival.models import LogLogistic, SurvivalModel
from goldenhour.domain.triage.categories import NatoCategory, StartCategory, TriageSystem
from goldenhour.planning.policies import create_policy
from goldenhour.planning.policy import PolicySetup
from goldenhour.planning.scenario import Scenario
from goldenhour.planning.scenario_file import parse_scenario
from goldenhour.simulation.engine import simulate
from goldenhour.simulation.records import CasualtyRecord

_E = TypeVar("_E", bound=DomainEvent)

#: The unit the past weeks' casualties and requests belong to: a sector of their own.
HISTORY_SECTOR = demo_id("unit/history-battalion")

#: Wounded per day on the demo's stretch of front (invented; about 15 a day).
WOUNDED_PER_HOUR = 0.625
_DAY_MIN = 1440.0

# The facilities of the demo picture (goldenhour.demo.scenario), by the demo's keys.
_FACILITIES: dict[str, tuple[str, FacilityLevel]] = {
    "siversk-stabilisation": ("Stabilisation point, Siversk", FacilityLevel.STABILISATION_POINT),
    "sloviansk": ("Sloviansk hospital", FacilityLevel.HOSPITAL),
    "kramatorsk": ("Kramatorsk city hospital", FacilityLevel.HOSPITAL),
    "dnipro": ("Mechnikov hospital, Dnipro", FacilityLevel.CLINICAL_CENTRE),
}
_NATO = {
    StartCategory.IMMEDIATE: NatoCategory.T1,
    StartCategory.DELAYED: NatoCategory.T2,
    StartCategory.MINOR: NatoCategory.T3,
}
# Mechanisms on this front, by share (invented, drones and artillery first as reported in 2024).
_MECHANISMS = ((Mechanism.DRONE, 0.40), (Mechanism.ARTILLERY, 0.35), (Mechanism.GUNSHOT, 0.10),
               (Mechanism.LANDMINE, 0.08), (Mechanism.CLUSTER_MUNITION, 0.07))  # fmt: skip
_REGIONS = (BodyRegion.THIGH, BodyRegion.LOWER_LEG, BodyRegion.FOREARM, BodyRegion.UPPER_ARM,
            BodyRegion.CHEST, BodyRegion.ABDOMEN, BodyRegion.HEAD, BodyRegion.BACK)  # fmt: skip
_LIMB_REGIONS = {BodyRegion.THIGH: "leg", BodyRegion.LOWER_LEG: "leg",
                 BodyRegion.FOREARM: "arm", BodyRegion.UPPER_ARM: "arm"}  # fmt: skip


def front_scenario(*, day: int) -> Scenario:
    """Return one day of the front: wounded around Bilohorivka, the demo's fleet and hospitals."""
    return parse_scenario({
        "name": f"demo-front-day-{day}", "horizon_min": 2 * _DAY_MIN,
        "travel": {"model": "straight_line", "detour_factor": 1.4},
        "generate": [{
            "id_prefix": f"d{day:03d}-", "rate_per_hour": WOUNDED_PER_HOUR,
            "area": {"circle": {"lat": 48.9258, "lon": 38.2464, "radius_km": 3.0}},
            "from_min": 0, "to_min": _DAY_MIN,
            "class_mix": {"immediate": 0.15, "delayed": 0.35, "minor": 0.50},
            "litter_share": {"immediate": 1.0, "delayed": 0.7, "minor": 0.0},
            "needs": {"immediate": {"surgery": 0.8, "blood": 0.6},
                      "delayed": {"surgery": 0.4, "blood": 0.2}},
            "tourniquet_share": {"immediate": 0.35, "delayed": 0.15},
        }],
        "exchange_points": [{"id": "axp-siversk", "lat": 48.8706, "lon": 38.1268}],
        "facilities": [
            {"id": "siversk-stabilisation", "lat": 48.8650, "lon": 38.0950,
             "capabilities": ["blood"], "teams": 1},
            {"id": "sloviansk", "lat": 48.853, "lon": 37.605,
             "capabilities": ["surgery", "blood"], "teams": 2},
            {"id": "kramatorsk", "lat": 48.7389, "lon": 37.5848,
             "capabilities": ["surgery", "blood", "burns"], "teams": 3},
            {"id": "dnipro", "lat": 48.4647, "lon": 35.0462,
             "capabilities": ["surgery", "blood", "burns", "neurosurgery"], "teams": 6},
        ],
        "vehicles": [
            {"id": "buhai", "kind": "armoured", "base": "axp-siversk", "speed_kmh": 25,
             "litter": 2, "seated": 4, "hands_over_at": "axp-siversk"},
            {"id": "kalyna-21", "kind": "ambulance", "base": "axp-siversk", "speed_kmh": 50,
             "litter": 2, "seated": 2, "exchange_pickups_only": True},
            {"id": "kalyna-22", "kind": "ambulance", "base": "siversk-stabilisation",
             "speed_kmh": 50, "litter": 2, "seated": 2, "exchange_pickups_only": True},
        ],
    })  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class _Course:
    """What happened to one simulated casualty, in minutes from their injury."""

    death_min: float | None
    outcome: Outcome | None
    outcome_min: float | None


def history_events(
    *, anchor: datetime, now: datetime, weeks: int, seed: int = 1
) -> list[DomainEvent]:
    """Return ``weeks`` of the front before ``anchor`` as events, none after ``now``.

    Each casualty's card events come with the 9-line request filed for them
    (``EvacuationRequestFiled``, in ``HISTORY_SECTOR``), right after the card's own request.
    """
    events: list[DomainEvent] = []
    days = 7 * weeks
    start = anchor - timedelta(days=days + 1)
    for day in range(days):
        scenario = front_scenario(day=day)
        day_seed = seed * 100_000 + day
        setup = PolicySetup(scenario=scenario, realised=(), seed=day_seed)
        result = simulate(scenario, create_policy("precedence", setup), seed=day_seed)
        rng = random.Random(f"goldenhour/demo-history/{seed}/{day}")
        day_start = start + timedelta(days=day)
        for record in result.casualties:
            model = scenario.survival[record.category]
            course = _course(record, model, rng)
            events += _card(record, course, rng, day_start=day_start, now=now, seed=seed)
    return events


def _course(record: CasualtyRecord, model: SurvivalModel, rng: random.Random) -> _Course:
    """Draw when the casualty dies without care, and what became of them."""
    death = _death_time(model, rng)
    pickup = _since_injury(record, record.picked_up_at_min)
    arrival = _since_injury(record, record.arrived_at_min)
    if death is not None and (pickup is None or death < pickup):
        return _Course(death_min=death, outcome=Outcome.KILLED_IN_ACTION, outcome_min=death)
    if death is not None and (arrival is None or death < arrival):
        return _Course(death_min=death, outcome=Outcome.DIED_IN_TRANSIT, outcome_min=death)
    if arrival is None:  # still waiting at the end of the play: no outcome yet
        return _Course(death_min=None, outcome=None, outcome_min=None)
    # Reached care alive. A few of the gravest die of wounds in hospital hours later (invented
    # share); minor and some delayed casualties return to duty within 72 h; the rest move on.
    draw = rng.random()
    dying = {StartCategory.IMMEDIATE: 0.15, StartCategory.DELAYED: 0.03}.get(record.category, 0.0)
    if draw < dying:
        later = arrival + rng.uniform(60.0, 48 * 60.0)
        return _Course(death_min=later, outcome=Outcome.DIED_OF_WOUNDS, outcome_min=later)
    back = {StartCategory.MINOR: 0.75, StartCategory.DELAYED: 0.2}.get(record.category, 0.0)
    if draw < dying + back:
        return _Course(death_min=None, outcome=Outcome.RETURNED_TO_DUTY,
                       outcome_min=arrival + rng.uniform(6 * 60.0, 70 * 60.0))  # fmt: skip
    return _Course(death_min=None, outcome=Outcome.EVACUATED_FURTHER,
                   outcome_min=arrival + rng.uniform(2 * 60.0, 24 * 60.0))  # fmt: skip


def _death_time(model: SurvivalModel, rng: random.Random) -> float | None:
    """Return minutes from injury to death without care, or ``None`` for one who never dies."""
    if not isinstance(model, LogLogistic):
        return None  # the constant model of minor casualties: they survive
    if rng.random() >= model.b0:
        return rng.uniform(0.0, 1.0)  # lost at injury
    remaining = 1.0 - rng.random()
    return float(model.b1 * ((1.0 / remaining) - 1.0) ** (1.0 / model.b2))


def _since_injury(record: CasualtyRecord, moment: float | None) -> float | None:
    return None if moment is None else moment - record.injured_at_min


def _card(
    record: CasualtyRecord,
    course: _Course,
    rng: random.Random,
    *,
    day_start: datetime,
    now: datetime,
    seed: int,
) -> list[DomainEvent]:
    """Return the card events of one casualty and its request, each at its time."""
    key = f"history/{seed}/{record.casualty_id}"
    casualty = demo_id(f"casualty/{key}")
    injured = day_start + timedelta(minutes=record.injured_at_min)
    end = course.death_min

    def make(cls: type[_E], name: str, minutes: float, /, **fields: Any) -> _E | None:
        if end is not None and minutes > end + 0.01 and cls is not OutcomeRecorded:
            return None  # nothing happens to the dead but their outcome
        moment = injured + timedelta(minutes=minutes)
        if moment > now:
            return None  # not yet: still in care
        recorded = min(now, moment + timedelta(minutes=rng.uniform(0.5, 20.0)))
        envelope: dict[str, Any] = {
            "event_id": demo_id(f"event/{key}/{name}"), "occurred_at": moment,
            "recorded_at": recorded, "author": "medic", "device": "demo-phone-01",
        }  # fmt: skip
        if issubclass(cls, CasualtyEvent):
            envelope["casualty_id"] = casualty
        return cls(**envelope, **fields)

    first = min(0.5, end if end is not None else 0.5)
    region = rng.choice(_REGIONS)
    mechanism = _mechanism(rng)
    made: list[DomainEvent | None] = [
        make(CasualtyRegistered, "registered", first, injured_at=injured,
             identity=Identity(callsign=f"D-{record.casualty_id}",
                               status=PersonStatus.OWN_MILITARY),
             position=_position(rng), battle_loss=True),
        make(InjuryRecorded, "injury", first, region=region,
             kinds=frozenset({InjuryKind.FRAGMENT if mechanism is not Mechanism.GUNSHOT
                              else InjuryKind.GUNSHOT_WOUND}),
             mechanisms=frozenset({mechanism})),
        make(TriageAssessed, "triage", first, system=TriageSystem.NATO,
             category=_NATO[record.category]),
    ]  # fmt: skip
    limb = _limb(region, rng)
    if record.tourniquet_min is not None and limb is not None:
        made.append(make(TourniquetApplied, "tourniquet", first, limb=limb))
    reported = max(first, record.reported_at_min - record.injured_at_min) + 1.0
    pickup = _position(rng)
    made.append(make(EvacuationRequested, "request", reported,
                     request_id=demo_id(f"request/{key}"), precedence=record.precedence,
                     position=EvacuationPosition.LITTER if record.litter
                     else EvacuationPosition.SEATED, pickup=pickup))  # fmt: skip
    made.append(filed := make(EvacuationRequestFiled, "request-filed", reported + 1.0,
                     request_id=demo_id(f"request/{key}"), unit_id=HISTORY_SECTOR,
                     casualty_ids=(casualty,), pickup=pickup,
                     precedence=record.precedence))  # fmt: skip
    arrival = _since_injury(record, record.arrived_at_min)
    if arrival is not None and record.facility_id in _FACILITIES:
        name, level = _FACILITIES[record.facility_id]
        made.append(make(HandedOver, "handover", arrival, to_stage=name, facility_level=level))
        if record.tourniquet_min is not None and limb is not None:
            made.append(make(TourniquetRemoved, "tourniquet-off", arrival + 20.0,
                             application_id=demo_id(f"event/{key}/tourniquet")))  # fmt: skip
    if course.outcome is not None and course.outcome_min is not None:
        made.append(make(OutcomeRecorded, "outcome", course.outcome_min, outcome=course.outcome))
    # The history records no missions (their vehicles and facilities would enter the live
    # coordinator's picture), so a request whose casualty reached care or died is closed here;
    # left open, weeks of them would wait in an administrator's queue, hundreds of hours overdue.
    # Made without ``make``: drawing its record time would shift every later draw of the seed.
    closed = arrival if arrival is not None else end
    if closed is not None and filed is not None:
        at = max(closed, reported + 1.5)
        at = max(min(at, end), reported + 1.0) if end is not None else at  # never before filing
        moment = injured + timedelta(minutes=at)
        if moment <= now:
            made.append(RequestCancelled(
                event_id=demo_id(f"event/{key}/request-closed"), occurred_at=moment,
                recorded_at=moment, author="coordinator", device="demo-laptop",
                request_id=demo_id(f"request/{key}"),
                reason="Closed with the demo's past weeks: the casualty reached care or died "
                "(no missions are recorded in this history)",
            ))  # fmt: skip
    return [event for event in made if event is not None]


def _mechanism(rng: random.Random) -> Mechanism:
    draw, total = rng.random(), 0.0
    for mechanism, share in _MECHANISMS:
        total += share
        if draw < total:
            return mechanism
    return _MECHANISMS[-1][0]


def _limb(region: BodyRegion, rng: random.Random) -> Limb | None:
    kind = _LIMB_REGIONS.get(region)
    if kind is None:
        return None
    left = rng.random() < 0.5
    if kind == "leg":
        return Limb.LEFT_LEG if left else Limb.RIGHT_LEG
    return Limb.LEFT_ARM if left else Limb.RIGHT_ARM


def _position(rng: random.Random) -> Position:
    return Position(lat=48.9258 + rng.uniform(-0.02, 0.02), lon=38.2464 + rng.uniform(-0.03, 0.03))
