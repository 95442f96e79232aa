"""Compare policies on one scenario over seeded replications (``goldenhour bench run``).

Every policy plays the same replications: replication ``r`` of seed ``s`` realises the same
casualties for each policy (common random numbers), so differences come from the policies.
Metrics (docs/simulation.md, "Bench metrics") are pooled or averaged over replications.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.survival.models import DELAYED, IMMEDIATE, MINOR, SurvivalModel
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.optimiser import OptimiserSettings, build_request, survival_bound
from goldenhour.planning.optimiser.problem import Plan, PlanRequest
from goldenhour.planning.optimiser.timing import care_gain
from goldenhour.planning.plan import live_observation
from goldenhour.planning.policies import OFFLINE_POLICIES, check_policy_names, create_policy
from goldenhour.planning.policies.clairvoyant import (
    ClairvoyantSettings,
    HindsightSetup,
    RecordedRun,
)
from goldenhour.planning.policies.optimiser import Optimiser
from goldenhour.planning.policies.schedule import Recorder
from goldenhour.planning.policy import Observation, Policy, PolicySetup
from goldenhour.planning.scenario import (
    Casualty,
    Facility,
    Scenario,
    Travel,
    Vehicle,
    VehicleKind,
    default_precedence,
    realise_for_seed,
)
from goldenhour.simulation.engine import simulate
from goldenhour.simulation.records import CasualtyRecord, Outcome, SimulationResult

#: Two-sided 95% Student t critical values for 1..30 degrees of freedom (standard tables).
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
# Beyond 30: the value at the tabulated df at or below, which errs on the wide side.
_T95_LARGE = ((120, 1.980), (60, 2.000), (40, 2.021), (30, 2.042))

_CRITICAL = (StartCategory.IMMEDIATE, StartCategory.DELAYED)
#: The classes the bench reports one by one (expectant casualties are counted in the totals).
CLASSES = (StartCategory.IMMEDIATE, StartCategory.DELAYED, StartCategory.MINOR)
_TOURNIQUET_LIMIT_MIN = 120.0  # 2 hours (CoTCCC; domain/tourniquet/clock.py)
_URGENT_STANDARD_MIN = 60.0  # 9-line precedence A/B: within 1 hour (ATP 4-02.2)


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicySummary:
    """One policy's metrics over the replications; ``None`` where there was nothing to
    measure (no urgent casualty, a single replication for the interval, or the bound, which
    schedules nobody)."""

    policy: str
    replications: int
    expected_survivors: float
    ci95: tuple[float, float] | None
    critical_mortality: float | None
    urgent_t_mean_min: float | None
    urgent_t_p95_min: float | None
    urgent_within_60_share: float | None
    tourniquet_over_2h: float | None
    decision_ms_p50: float | None
    decision_ms_p95: float | None
    # Per replication, casualties never collected by the horizon (outcome "waiting"); None
    # for the bound, which schedules nobody.
    left_at_scene: float | None = None
    # Per START class ("immediate", "delayed", "minor"): p95 of injury to a capable facility
    # over those who reached one (None: nobody did), and the mean expected survivors.
    time_to_care_p95_min: dict[str, float | None] | None = None
    survivors_by_class: dict[str, float] | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the summary with the field names of the bench's JSON output."""
        return {
            "policy": self.policy,
            "expected_survivors": self.expected_survivors,
            "ci95": None if self.ci95 is None else list(self.ci95),
            "critical_mortality": self.critical_mortality,
            "urgent_t_mean_min": self.urgent_t_mean_min,
            "urgent_t_p95_min": self.urgent_t_p95_min,
            "urgent_within_60_share": self.urgent_within_60_share,
            "tourniquet_over_2h": self.tourniquet_over_2h,
            "decision_ms_p50": self.decision_ms_p50,
            "decision_ms_p95": self.decision_ms_p95,
            "left_at_scene": self.left_at_scene,
            "time_to_care_p95_min": self.time_to_care_p95_min,
            "expected_survivors_by_class": self.survivors_by_class,
        }


def replication_seed(seed: int, replication: int) -> int:
    """Return the seed of one replication, derived from the bench seed."""
    return random.Random(f"goldenhour/bench/{seed}/{replication}").getrandbits(48)


def run_bench(
    scenario: Scenario, policies: Sequence[str], *, replications: int, seed: int
) -> tuple[PolicySummary, ...]:
    """Play every policy on the same replications; raise ``UnknownPolicyError`` first."""
    results = play(scenario, policies, replications=replications, seed=seed)
    return tuple(summarise(name, runs) for name, runs in results.items())


def play(
    scenario: Scenario,
    policies: Sequence[str],
    *,
    replications: int,
    seed: int,
    clairvoyant: ClairvoyantSettings | None = None,
) -> dict[str, list[SimulationResult]]:
    """Return every policy's results on the same replications, in replication order.

    On each replication the online policies are played first, their decisions recorded, and
    the offline references (the clairvoyant) reuse those runs as candidates.
    """
    check_policy_names(policies)
    seeds = [replication_seed(seed, r) for r in range(replications)]
    played: dict[str, list[SimulationResult]] = {name: [] for name in policies}
    for rep_seed in seeds:
        realised = realise_for_seed(scenario, rep_seed)
        recorded: dict[str, RecordedRun] = {}
        for name in (n for n in played if n not in OFFLINE_POLICIES):
            setup = PolicySetup(scenario=scenario, realised=realised, seed=rep_seed)
            recorder = Recorder(create_policy(name, setup))
            result = simulate(scenario, recorder, seed=rep_seed, casualties=realised)
            recorded[name] = RecordedRun(schedule=recorder.schedule(), played=result)
            played[name].append(result)
        for name in (n for n in played if n in OFFLINE_POLICIES):
            policy = build_policy(
                name, scenario, realised, seed=rep_seed, played=recorded, settings=clairvoyant
            )
            played[name].append(simulate(scenario, policy, seed=rep_seed, casualties=realised))
    return played


def build_policy(
    name: str,
    scenario: Scenario,
    realised: Sequence[Casualty],
    *,
    seed: int,
    played: dict[str, RecordedRun] | None = None,
    settings: ClairvoyantSettings | None = None,
) -> Policy:
    """Build the named policy for one replication; the clairvoyant gets a ``HindsightSetup``
    that plays candidate plans on this replication (and reuses the runs in ``played``)."""
    cases = tuple(realised)
    if name not in OFFLINE_POLICIES:
        return create_policy(name, PolicySetup(scenario=scenario, realised=cases, seed=seed))

    def play_here(policy: Policy) -> SimulationResult:
        return simulate(scenario, policy, seed=seed, casualties=cases)

    setup = HindsightSetup(
        scenario=scenario, realised=cases, seed=seed, play=play_here, played=played or {},
        settings=settings or ClairvoyantSettings(),
    )  # fmt: skip
    return create_policy(name, setup)


def paired_difference(
    runs: Sequence[SimulationResult], reference: Sequence[SimulationResult]
) -> tuple[float, tuple[float, float] | None]:
    """Return the mean and 95% interval of ``reference - runs`` in expected survivors, paired
    by replication (common random numbers make the pairing tight)."""
    differences = [
        b.expected_survivors - a.expected_survivors for a, b in zip(runs, reference, strict=True)
    ]
    return statistics.fmean(differences), confidence_interval(differences)


def summarise(policy: str, results: Sequence[SimulationResult]) -> PolicySummary:
    """Return the bench metrics of one policy's replications."""
    survivors = [r.expected_survivors for r in results]
    records = [c for r in results for c in r.casualties]
    critical = [c for c in records if c.category in _CRITICAL]
    urgent = [c for c in records if c.urgent]
    times = sorted(c.minutes_to_care for c in urgent if c.minutes_to_care is not None)
    decisions = sorted(ms for r in results for ms in r.decision_ms)
    within = [c.minutes_to_care is not None and c.minutes_to_care <= _URGENT_STANDARD_MIN
              for c in urgent]  # fmt: skip
    over = [
        sum(1 for c in r.casualties if (c.tourniquet_min or 0.0) > _TOURNIQUET_LIMIT_MIN)
        for r in results
    ]
    return PolicySummary(
        policy=policy,
        replications=len(results),
        expected_survivors=statistics.fmean(survivors),
        ci95=confidence_interval(survivors),
        critical_mortality=(
            sum(1.0 - c.survival for c in critical) / len(critical) if critical else None
        ),
        urgent_t_mean_min=statistics.fmean(times) if times else None,
        urgent_t_p95_min=percentile(times, 0.95) if times else None,
        urgent_within_60_share=sum(within) / len(within) if within else None,
        tourniquet_over_2h=statistics.fmean(over) if over else 0.0,
        decision_ms_p50=percentile(decisions, 0.50) if decisions else None,
        decision_ms_p95=percentile(decisions, 0.95) if decisions else None,
        left_at_scene=statistics.fmean(
            sum(1 for c in r.casualties if c.outcome is Outcome.WAITING) for r in results
        ) if results else None,
        time_to_care_p95_min={k.value: _p95(records, k) for k in CLASSES},
        survivors_by_class={
            k.value: sum(c.survival for c in records if c.category is k) / max(1, len(results))
            for k in CLASSES
        },
    )  # fmt: skip


def _p95(records: Sequence[CasualtyRecord], category: StartCategory) -> float | None:
    """Return the p95 of injury to care of the class's casualties who reached care."""
    times = sorted(
        c.minutes_to_care for c in records
        if c.category is category and c.minutes_to_care is not None
    )  # fmt: skip
    return percentile(times, 0.95) if times else None


def confidence_interval(values: Sequence[float]) -> tuple[float, float] | None:
    """Return the 95% Student t interval of the mean, or ``None`` for fewer than 2 values."""
    if len(values) < 2:
        return None
    mean = statistics.fmean(values)
    half = _t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return (mean - half, mean + half)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Return the ``q`` quantile of sorted values by linear interpolation between ranks."""
    if not sorted_values:
        raise ValueError("no values")
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


def _t95(df: int) -> float:
    if df <= len(_T95):
        return _T95[df - 1]
    return next(value for limit, value in _T95_LARGE if df >= limit)


def bound_summary(scenario: Scenario, *, replications: int, seed: int) -> PolicySummary:
    """Return the survival bound (docs/planning.md) over the bench's replications, as a row.

    Only ``expected_survivors`` and ``ci95`` are meaningful; the bound schedules nobody.
    """
    values = [
        survival_bound(scenario, realise_for_seed(scenario, replication_seed(seed, r)))
        for r in range(replications)
    ]
    return PolicySummary(
        policy="bound",
        replications=replications,
        expected_survivors=statistics.fmean(values),
        ci95=confidence_interval(values),
        critical_mortality=None,
        urgent_t_mean_min=None,
        urgent_t_p95_min=None,
        urgent_within_60_share=None,
        tourniquet_over_2h=None,
        decision_ms_p50=None,
        decision_ms_p95=None,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeedSummary:
    """Re-planning time of the optimiser on generated live situations."""

    casualties: int
    vehicles: int
    repeats: int
    ms_p50: float
    ms_p95: float
    ms_max: float
    methods: dict[str, int]
    #: With ``--unlimited``: the same situations solved without a deadline or CP-SAT's
    #: deterministic limit, and what the deadline costs (``DeadlineCost``).
    unlimited: DeadlineCost | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the summary with the field names of ``bench speed --json``."""
        found: dict[str, Any] = {
            "casualties": self.casualties, "vehicles": self.vehicles, "repeats": self.repeats,
            "ms_p50": self.ms_p50, "ms_p95": self.ms_p95, "ms_max": self.ms_max,
            "methods": self.methods,
        }  # fmt: skip
        if self.unlimited is not None:
            found["unlimited"] = self.unlimited.as_json()
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineCost:
    """The re-plans of ``bench speed`` solved to the end, against those under the deadline.

    ``value`` and ``unlimited_value`` are the summed worth of the trips each dispatches now,
    both valued against the unhurried request (``dispatched_value``, expected survivors and
    wait as the model counts them); ``share`` is the former over the latter.
    """

    ms_p50: float
    ms_p95: float
    ms_max: float
    methods: dict[str, int]
    value: float
    unlimited_value: float

    @property
    def share(self) -> float | None:
        """Return the deadline's plans' worth as a share of the unlimited plans' worth."""
        return None if self.unlimited_value <= 0 else self.value / self.unlimited_value

    def as_json(self) -> dict[str, Any]:
        """Return the figures with the field names of ``bench speed --unlimited --json``."""
        return {
            "ms_p50": self.ms_p50, "ms_p95": self.ms_p95, "ms_max": self.ms_max,
            "methods": self.methods, "dispatched_value": self.value,
            "unlimited_dispatched_value": self.unlimited_value, "share": self.share,
        }  # fmt: skip


def measure_replanning(
    *, casualties: int, vehicles: int, repeats: int, seed: int, unlimited: bool = False
) -> SpeedSummary:
    """Time one full re-plan (``Optimiser.decide``) on ``repeats`` generated situations; with
    ``unlimited``, also solve each to the end and value both plans' dispatched trips in the
    unhurried request (``DeadlineCost``)."""
    times: list[float] = []
    methods: dict[str, int] = {}
    free_times: list[float] = []
    free_methods: dict[str, int] = {}
    value = free_value = 0.0
    free_settings = OptimiserSettings(deadline_ms=None, deterministic_time=None)
    for r in range(repeats):
        observation = live_observation(
            speed_situation(casualties=casualties, vehicles=vehicles, seed=seed + r)
        )
        optimiser = Optimiser()
        started = time.perf_counter()
        optimiser.decide(observation)
        times.append((time.perf_counter() - started) * 1000.0)
        if optimiser.last_plan is not None:
            method = optimiser.last_plan.method
            methods[method] = methods.get(method, 0) + 1
        if not unlimited:
            continue
        free = Optimiser(free_settings)
        started = time.perf_counter()
        free.decide(observation)
        free_times.append((time.perf_counter() - started) * 1000.0)
        if free.last_plan is not None and optimiser.last_plan is not None:
            free_methods[free.last_plan.method] = free_methods.get(free.last_plan.method, 0) + 1
            request = build_request(observation, settings=free_settings)
            value += dispatched_value(request, optimiser.last_plan, observation)
            free_value += dispatched_value(request, free.last_plan, observation)
    ordered = sorted(times)
    cost = None
    if unlimited:
        free_ordered = sorted(free_times)
        cost = DeadlineCost(
            ms_p50=percentile(free_ordered, 0.5), ms_p95=percentile(free_ordered, 0.95),
            ms_max=free_ordered[-1], methods=free_methods, value=value, unlimited_value=free_value,
        )  # fmt: skip
    return SpeedSummary(
        casualties=casualties, vehicles=vehicles, repeats=repeats,
        ms_p50=percentile(ordered, 0.5), ms_p95=percentile(ordered, 0.95), ms_max=ordered[-1],
        methods=methods, unlimited=cost,
    )  # fmt: skip


def dispatched_value(request: PlanRequest, plan: Plan, observation: Observation) -> float:
    """Return what the plan's trips dispatched now are worth as the optimiser values care
    (``care_gain``: survival and wait gained by each casualty aboard reaching care at the
    trip's delivery rather than beyond the unhurried ``request``'s plan; at a facility that
    cannot treat them, survival counts at the horizon, as the simulator counts it). Any plan
    can be valued, START's dispatch too: ``bench speed --unlimited`` values the deadline's
    plans and the unhurried ones alike with it."""
    index = {c.id: i for i, c in enumerate(request.casualties)}
    facilities = {f.id: f for f in observation.facilities}
    total = 0.0
    for trip in plan.trips:
        if not trip.dispatch_now:
            continue
        facility = facilities.get(trip.destination)
        for cid in trip.pickups:
            c = index[cid]
            casualty = request.casualties[c]
            delivery = trip.delivery_min
            if facility is not None and not facility.can_treat(casualty.needs):
                delivery = request.horizon_min
            total += care_gain(casualty, delivery, request.late_min[c], request.settings,
                               horizon=request.horizon_min)  # fmt: skip
    return total


def speed_situation(*, casualties: int, vehicles: int, seed: int) -> Scenario:
    """Return a live situation (ours, generated): casualties waiting in five sectors along a
    100 km front, injured up to an hour ago; a third of the vehicles idle at their bases, the
    rest coming free over the next hour; six facilities behind the front."""
    rng = random.Random(f"goldenhour/speed/{seed}")
    sectors = [Position(lat=48.55 + 0.1 * i, lon=37.6 + 0.2 * i) for i in range(5)]
    facilities = tuple(
        Facility(
            id=f"f{i}", position=Position(lat=48.5 + 0.1 * i, lon=37.2 + 0.15 * i),
            capabilities=frozenset({Capability.SURGERY, Capability.BLOOD}) if i % 2 == 0
            else frozenset({Capability.BLOOD}),
            teams=2, service_min={},
        )
        for i in range(6)
    )  # fmt: skip
    mix = ((StartCategory.IMMEDIATE, 0.3), (StartCategory.DELAYED, 0.4), (StartCategory.MINOR, 0.3))
    models: dict[StartCategory, SurvivalModel] = {
        StartCategory.IMMEDIATE: IMMEDIATE, StartCategory.DELAYED: DELAYED,
        StartCategory.MINOR: MINOR,
    }  # fmt: skip
    listed = []
    for i in range(casualties):
        category = rng.choices([c for c, _ in mix], weights=[w for _, w in mix])[0]
        needs = frozenset({Capability.SURGERY}) if rng.random() < 0.5 and category is not (
            StartCategory.MINOR) else frozenset()  # fmt: skip
        injured = -rng.uniform(0.0, 60.0)
        listed.append(Casualty(
            id=f"c{i:04d}", at_min=0.0, injured_at_min=injured,
            position=_near(rng.choice(sectors), rng, 6.0), category=category,
            litter=category is not StartCategory.MINOR, needs=needs,
            precedence=default_precedence(category, needs), survival=models[category],
            tourniquet_at_min=injured if rng.random() < 0.1 else None,
        ))  # fmt: skip
    fleet = tuple(
        Vehicle(
            id=f"v{i:03d}", kind=VehicleKind.AMBULANCE, base=f"f{i % 6}",
            position=facilities[i % 6].position, speed_kmh=50.0, litter=2, seated=2,
            load_min=2.0, unload_min=2.0,
            available_from_min=0.0 if i % 3 == 0 else rng.uniform(5.0, 60.0),
        )
        for i in range(vehicles)
    )  # fmt: skip
    return Scenario(
        name="speed", horizon_min=720.0, travel=Travel(), survival=models,
        casualties=tuple(listed), generators=(), vehicles=fleet, facilities=facilities,
    )  # fmt: skip


def _near(centre: Position, rng: random.Random, radius_km: float) -> Position:
    north, east = rng.uniform(-radius_km, radius_km), rng.uniform(-radius_km, radius_km)
    return Position(
        lat=centre.lat + north / 111.2,
        lon=centre.lon + east / (111.2 * math.cos(math.radians(centre.lat))),
    )
