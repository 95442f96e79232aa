"""The optimiser's problem and answer as typed values: ``PlanRequest`` in, ``Plan`` out.

A request holds, for one decision epoch, the vehicles that can be planned (idle now, or free
soon), the casualties (waiting now, or, for the clairvoyant only, reported later) and the trip
options the candidate builder kept: vehicle ``v`` in slot ``k`` of its sequence drives to one
group of casualties, loads some of them, and takes them to one destination. Every number the
solver needs (times, survival gains as integers) is computed before the solver runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from goldenhour.planning.policy import CasualtyView, VehicleView
from goldenhour.planning.travel import Place

#: Survival probabilities are scaled to integers for CP-SAT: 1 unit = 1e-5 expected survivors.
SCALE = 100_000


@dataclass(frozen=True, slots=True, kw_only=True)
class OptimiserSettings:
    """Tuning of the rolling-horizon model; the defaults are the ones benchmarked."""

    slots: int = 2  # trips planned per vehicle (only the first is dispatched)
    nearest_groups: int = 6  # groups kept per vehicle by travel time
    urgent_groups: int = 4  # groups kept for every vehicle by urgency
    nearest_vehicles: int = 2  # each group is also kept by the vehicles first able to reach it
    # CP-SAT deterministic time limit (reproducible); None with ``deadline_ms`` None: the
    # unlimited solve the bench compares the deadline with (``bench run --unlimited``).
    deterministic_time: float | None = 0.03
    time_limit_s: float = 2.0  # wall-clock safety cap (never reached in the benchmarks)
    workers: int = 1  # 1 keeps runs reproducible
    serve_bonus: float = 0.0  # credited per casualty moved (ours; 0: see docs/planning.md)
    tourniquet_bonus: float = 0.0  # credited when a tourniquet is off within 2 h (ours)
    # The worth of a vehicle's time (docs/planning.md): each expected arrival whose survival
    # falls is worth ``arrival_value`` survivors, shared by the fleet; ``minute_cost`` is the
    # resulting charge per vehicle-minute, set at each epoch from the expected arrival rate.
    arrival_value: float = 0.2
    minute_cost: float = 0.0
    # Time to care, valued after survival (issue 18): every casualty waiting costs
    # ``wait_value`` expected survivors per hour from injury to care, so a casualty whose
    # survival no longer depends on time (minor) is still collected when a vehicle is free.
    # Deadlines per START class (minutes from injury, a medical director's setting), each
    # hour past one costing ``overdue_value`` more: small by default (0.0075), so that those
    # past it ride along on trips to their area rather than wait all day (bilohorivka: 6.4
    # casualties a replication never collected, 2.6 with it, expected survivors -0.4%); at
    # 0.1-0.2 vehicles went out for them alone and cost 1-4% (docs/planning.md).
    wait_value: float = 0.001
    overdue_value: float = 0.0075
    care_deadline_min: tuple[tuple[str, float], ...] = (
        ("immediate", 240.0), ("delayed", 240.0), ("minor", 240.0),
    )  # fmt: skip
    # The floor on the priority of immediate casualties (a medical director's setting): an
    # hour sooner to care is worth at least this many expected survivors for an immediate
    # casualty, whatever their survival curve says. 0 (the default) leaves the optimiser free
    # to defer those with little chance, as ReSTART does; the plan marks whom it defers.
    immediate_floor: float = 0.0
    # Wall-clock budget of one re-plan from the observation to the plan (ms); the best plan
    # found by then is returned. ``None``: no deadline (the deterministic limit still applies
    # unless it is None too).
    deadline_ms: float | None = 200.0
    # Foresight (issue 18): move an idle vehicle the plan leaves where it is to the site
    # nearest where casualties are expected (the scenario's generators in the bench; nothing
    # in a live situation, where none is known). ``bench run --policies
    # optimiser-preposition`` plays it beside the optimiser (docs/planning.md).
    preposition: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanningVehicle:
    """A vehicle the plan may use, from when and where it will be free."""

    view: VehicleView
    ready_min: float
    place: Place
    dispatchable: bool  # idle now: its first trip is dispatched at this epoch
    cycle_min: float  # estimated duration of one trip, for the later slots


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """Casualties one crew collects in one run: at one exchange point, or within ~1 km."""

    place: Place
    members: tuple[int, ...]  # casualty indices, most urgent first
    seed: int | None = None  # a neighbourhood: the index of the cell group it grew from


@dataclass(frozen=True, slots=True, kw_only=True)
class TripOption:
    """Vehicle ``vehicle`` in slot ``slot`` collects from ``group`` and goes to
    ``destination``; ``gains`` are the scaled survival gains of each candidate aboard."""

    vehicle: int
    slot: int
    group: int
    destination: str
    to_facility: bool
    depart_min: float
    pickup_min: float
    arrive_min: float  # at the destination
    delivery_min: float  # estimated arrival at a capable facility (through an exchange point)
    candidates: tuple[int, ...]
    gains: tuple[int, ...]
    extra_cost: int  # scaled loss to the others aboard for each casualty after the first
    trip_cost: int = 0  # scaled value of the vehicle's time the trip takes (``minute_cost``)
    # Per candidate: the chance of surviving the risk areas driven through aboard (empty: 1).
    through: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanRequest:
    """Everything the solver needs for one epoch; built by ``candidates.build_request``."""

    now_min: float
    horizon_min: float
    vehicles: tuple[PlanningVehicle, ...]
    casualties: tuple[CasualtyView, ...]
    future: frozenset[int]  # indices of casualties not yet reported (clairvoyant only)
    groups: tuple[Group, ...]
    options: tuple[TripOption, ...]
    late_min: tuple[float, ...]  # per casualty: when they would be served beyond the plan
    settings: OptimiserSettings = field(default_factory=OptimiserSettings)
    # The deadline cut the build short: only the idle vehicles' first trips were built.
    first_trips_only: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedTrip:
    """One trip of the plan: a vehicle, its slot, who it loads and where it takes them."""

    vehicle_id: str
    slot: int
    pickups: tuple[str, ...]
    destination: str
    dispatch_now: bool
    depart_min: float
    pickup_min: float
    arrive_min: float
    delivery_min: float
    gain: float  # expected survivors gained against serving them beyond the plan
    # Per pickup: the chance of surviving the risk areas driven through aboard (empty: 1).
    through: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """The solver's answer: trips by vehicle and slot, and how it was found."""

    trips: tuple[PlannedTrip, ...]
    objective: float  # expected survivors gained by the plan (scaled back)
    method: str  # "cp-sat optimal", "cp-sat feasible", "greedy"
    solve_ms: float
    variables: int
