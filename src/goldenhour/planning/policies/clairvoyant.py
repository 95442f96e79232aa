"""The clairvoyant reference: an offline plan made with the whole realised replication known.

Not an online policy. It is built for one replication from ``HindsightSetup``: the realised
casualty list (who will be hurt, where, when) and ``play``, which plays any policy on that very
replication (the same seed, hence the same randomness; the simulator is deterministic, so the
outcome read is exact). It plans in two steps:

1. **Candidates**: each candidate policy is played on the replication and its decisions are
   recorded as a whole-run schedule (``schedule.Recorder``). The candidates are every online
   policy (``fcfs`` ... ``restart`` and ``optimiser``, i.e. the look-ahead planner at 0 minutes)
   and the optimiser's model told the casualties of the next ``lookahead_min`` minutes
   (``LookAhead``; not played when every casualty is reported before any vehicle is free:
   it would run exactly as the optimiser). Runs the bench already played are reused.
2. **Search**: from the best candidate's schedule, a hill climb over edited schedules, each
   played on the replication and kept if it saves at least as many (``hindsight.improve``).
   Edits use the foresight directly: a vehicle may be held for a casualty not reported yet.

Then it replays the best schedule (``schedule.ScheduleFollower``): at every epoch it dispatches
only casualties who are waiting (the simulator's rules hold, and are checked as for any policy).

**Never below an online candidate, by construction**: the reference's expected survivors on a
replication is the best of what its candidates saved on that replication, or more if the search
found better. Since the online optimiser and the baselines are among the candidates, the
reference is at least each of them on every replication; it is above them where foresight or
the search helps. It is NOT an upper bound for policies outside its candidates (a better online
policy could beat it); the upper bound is the relaxation ``planning.optimiser.survival_bound``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from goldenhour.planning.optimiser import OptimiserSettings, Plan, build_request, solve
from goldenhour.planning.optimiser.arrivals import ExpectedArrivals
from goldenhour.planning.policies.closest import ClosestAvailable
from goldenhour.planning.policies.fcfs import FirstComeFirstServed
from goldenhour.planning.policies.hindsight import (
    Incumbent,
    Play,
    Played,
    follow,
    improve,
)
from goldenhour.planning.policies.optimiser import Optimiser, dispatch_plan
from goldenhour.planning.policies.precedence import PrecedenceThenFcfs
from goldenhour.planning.policies.restart import ReStart
from goldenhour.planning.policies.schedule import Recorder, Schedule, ScheduleFollower
from goldenhour.planning.policies.start import StartPriority
from goldenhour.planning.policy import (
    Assignment,
    CasualtyView,
    Observation,
    Policy,
    PolicySetup,
)
from goldenhour.planning.scenario import Casualty

__all__ = [
    "CANDIDATES",
    "Clairvoyant",
    "ClairvoyantSettings",
    "HindsightSetup",
    "LookAhead",
    "Play",
    "Played",
    "RecordedRun",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedRun:
    """A policy's run on the replication, with its decisions as a schedule."""

    schedule: Schedule
    played: Played


@dataclass(frozen=True, slots=True, kw_only=True)
class ClairvoyantSettings:
    """How hard the clairvoyant looks (ours; docs/planning.md gives the cost)."""

    lookahead_min: tuple[float, ...] = (30.0, 90.0)  # look-ahead candidates
    plays: int = 300  # edited schedules played by the search, per replication


@dataclass(frozen=True, slots=True, kw_only=True)
class HindsightSetup(PolicySetup):
    """A replication as the clairvoyant knows it: ``play`` plays a policy on it and returns
    the run (``simulation.SimulationResult``); ``played`` holds runs already played on it, by
    policy name, so that they need not be played again; ``settings`` says how hard the
    clairvoyant looks."""

    play: Play
    played: Mapping[str, RecordedRun] = dataclasses.field(default_factory=dict)
    settings: ClairvoyantSettings = dataclasses.field(default_factory=ClairvoyantSettings)


class LookAhead:
    """The optimiser's model told the casualties reported in the next ``minutes``: they enter
    the model as if waiting, ready at their report time. A vehicle whose best next trip is for
    one of them is held until the report (only waiting casualties are dispatched). A
    candidate of the clairvoyant, not a policy of its own."""

    def __init__(
        self,
        realised: Sequence[Casualty],
        minutes: float,
        settings: OptimiserSettings | None = None,
    ) -> None:
        self.name = f"lookahead-{minutes:g}"
        self.minutes = minutes
        self.realised = tuple(sorted(realised, key=lambda c: (c.at_min, c.id)))
        self.settings = settings or OptimiserSettings()
        self.previous: Plan | None = None

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return the first trips of the plan that knows the next casualties in advance."""
        if not observation.idle_vehicles():
            return []
        now = observation.now_min
        future = [_view(c) for c in self.realised
                  if now < c.at_min <= now + self.minutes]  # fmt: skip
        if not observation.waiting and not future:
            return []
        request = build_request(observation, settings=self.settings, future=future)
        plan = solve(request, previous=self.previous)
        self.previous = plan
        return dispatch_plan(plan, observation)


#: The online candidates, by their bench names (``policies.ONLINE_POLICIES``).
#: The candidates' optimiser plans offline: without the live deadline's wall clock, on CP-SAT's
#: deterministic limit alone, so that the reference is the same on a loaded machine and a quiet
#: one (with the deadline, a loaded CI machine's candidate runs gave 7.90 where a quiet one gave
#: 8.00 on bilohorivka's first replication).
OFFLINE = OptimiserSettings(deadline_ms=None)

CANDIDATES: dict[str, Callable[[PolicySetup], Policy]] = {
    "fcfs": lambda setup: FirstComeFirstServed(),
    "closest": lambda setup: ClosestAvailable(),
    "precedence": lambda setup: PrecedenceThenFcfs(),
    "start": lambda setup: StartPriority(),
    "restart": lambda setup: ReStart(),
    "optimiser": lambda setup: Optimiser(OFFLINE, expected=ExpectedArrivals.of(setup.scenario)),
}


class Clairvoyant:
    """Plan the whole replication offline (candidates, then a search), then replay the plan.

    After construction: ``candidates`` maps each candidate to its expected survivors on the
    replication, ``chosen`` names the best, ``value`` is the final plan's expected survivors
    (what the replay gives), ``plays`` counts the edited schedules played and ``seconds`` the
    offline planning time.
    """

    name = "clairvoyant"

    def __init__(self, setup: HindsightSetup, settings: ClairvoyantSettings | None = None) -> None:
        started = time.perf_counter()
        self.settings = settings or setup.settings
        runs = dict(setup.played)
        builders = dict(CANDIDATES)
        if _foreseeable(setup):
            for minutes in self.settings.lookahead_min:
                builders[f"lookahead-{minutes:g}"] = _look_ahead(minutes)
        for name, build in builders.items():
            if name not in runs:
                recorder = Recorder(build(setup))
                played = setup.play(recorder)
                runs[name] = RecordedRun(schedule=recorder.schedule(), played=played)
        self.candidates = {name: run.played.expected_survivors for name, run in runs.items()}
        self.chosen = max(runs, key=lambda name: self.candidates[name])  # first of equals
        schedule = dict(runs[self.chosen].schedule)
        played, trips_started = follow(schedule, setup.play)
        if played.expected_survivors != self.candidates[self.chosen]:
            raise RuntimeError(  # the simulator is deterministic: this is a bug
                f"replaying {self.chosen} gave {played.expected_survivors}, "
                f"not {self.candidates[self.chosen]}"
            )
        best = improve(
            setup.scenario,
            setup.realised,
            Incumbent(schedule=schedule, played=played, started=trips_started),
            play=setup.play,
            plays=self.settings.plays,
            seed=setup.seed,
        )
        self.schedule = best.schedule
        self.value = best.value
        self.plays = best.plays
        self.kept = best.kept
        self.seconds = time.perf_counter() - started
        self._follower = ScheduleFollower(self.schedule)

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return the planned trips that start now (only casualties already waiting)."""
        return self._follower.decide(observation)


def clairvoyant(setup: PolicySetup) -> Clairvoyant:
    """Build the clairvoyant reference; it needs a ``HindsightSetup`` (the bench's)."""
    if not isinstance(setup, HindsightSetup):
        raise TypeError(
            "the clairvoyant plays candidate plans on the replication: build it from a "
            "HindsightSetup (goldenhour.simulation.bench.build_policy does)"
        )
    return Clairvoyant(setup)


def _foreseeable(setup: PolicySetup) -> bool:
    """Tell whether a look-ahead could see anyone the optimiser does not: not when every
    casualty is reported by the time the first vehicle is free (a look-ahead decides only with
    a vehicle idle, and would then run exactly as the optimiser)."""
    first_free = min((v.available_from_min for v in setup.scenario.vehicles), default=0.0)
    return any(c.at_min > first_free for c in setup.realised)


def _look_ahead(minutes: float) -> Callable[[PolicySetup], Policy]:
    return lambda setup: LookAhead(setup.realised, minutes, settings=OFFLINE)


def _view(casualty: Casualty) -> CasualtyView:
    return CasualtyView(
        id=casualty.id,
        category=casualty.category,
        precedence=casualty.precedence,
        position=casualty.position,
        site_id=None,
        injured_at_min=casualty.injured_at_min,
        reported_at_min=casualty.at_min,
        litter=casualty.litter,
        needs=casualty.needs,
        survival=casualty.survival,
        tourniquet_at_min=casualty.tourniquet_at_min,
    )
