"""Whole-run schedules: record what a policy dispatched, and follow a schedule trip by trip.

A ``Schedule`` lists, per vehicle, the trips it makes in order. ``Recorder`` wraps a policy and
writes down every assignment it makes as a trip that may not start before the epoch it was
made at; ``ScheduleFollower`` plays a schedule back: at each epoch, each idle vehicle takes its
next trip once the trip's casualties all wait where the trip expects them and its earliest
start has come. The simulator is deterministic (docs/simulation.md), so following a recorded
schedule gives back the recorded run exactly (the same assignments at the same epochs, in the
same order). The clairvoyant reference (``clairvoyant.py``) edits schedules offline.

A follower only ever dispatches casualties who are waiting: a trip for a casualty not reported
yet holds its vehicle until the report (that is how a schedule made with hindsight waits for
someone it knows will be hurt).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from goldenhour.planning.errors import DecisionRefusedError
from goldenhour.planning.policy import Assignment, Observation, Policy, check_decision

#: Rank of a trip no recorded decision made (sorted after the recorded ones in an epoch).
UNRANKED = 1 << 62


@dataclass(frozen=True, slots=True, kw_only=True)
class Pickup:
    """A casualty to collect, and where they wait: an exchange point, or None at the scene."""

    casualty_id: str
    site_id: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduledTrip:
    """One assignment of a schedule: collect ``pickups`` in order, then go to ``destination``.

    The trip starts at the first epoch at which its vehicle is idle, every pickup waits at its
    site, the clock has reached ``not_before_min`` and, at that very minute, at least
    ``not_before_epoch`` epochs have passed (so that a recorded trip starts at the epoch it was
    decided at, even when several epochs share a minute). ``rank`` orders the trips started at
    one epoch, as the recorded decision listed them.
    """

    pickups: tuple[Pickup, ...]
    destination: str
    not_before_min: float = -math.inf
    not_before_epoch: int = 0
    rank: int = UNRANKED

    @property
    def casualty_ids(self) -> tuple[str, ...]:
        """Return the ids of the casualties collected, in pickup order."""
        return tuple(p.casualty_id for p in self.pickups)

    def as_soon_as_possible(self) -> ScheduledTrip:
        """Return the trip without its earliest start (it goes once its casualties wait)."""
        return ScheduledTrip(pickups=self.pickups, destination=self.destination)


#: Trips per vehicle id, in the order the vehicle makes them.
Schedule = Mapping[str, tuple[ScheduledTrip, ...]]


class Recorder:
    """Wrap a policy and record its assignments as a schedule."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.trips: dict[str, list[ScheduledTrip]] = {}
        self.epochs = 0
        self.ranks = 0

    @property
    def name(self) -> str:
        """Return the wrapped policy's name."""
        return self.policy.name

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return the wrapped policy's decision, and write it down."""
        decision = tuple(self.policy.decide(observation))
        sites = {c.id: c.site_id for c in observation.waiting}
        for assignment in decision:
            pickups = tuple(Pickup(casualty_id=cid, site_id=sites.get(cid))
                            for cid in assignment.pickups)  # fmt: skip
            trip = ScheduledTrip(
                pickups=pickups,
                destination=assignment.destination,
                not_before_min=observation.now_min,
                not_before_epoch=self.epochs,
                rank=self.ranks,
            )
            self.trips.setdefault(assignment.vehicle_id, []).append(trip)
            self.ranks += 1
        self.epochs += 1
        return decision

    def schedule(self) -> dict[str, tuple[ScheduledTrip, ...]]:
        """Return what was dispatched so far, per vehicle."""
        return {vid: tuple(trips) for vid, trips in self.trips.items()}


class ScheduleFollower:
    """Dispatch each vehicle's trips of a schedule in order, each as soon as it may start.

    ``started`` maps (vehicle id, trip index) to the minute the trip started, for the
    clairvoyant's search. A trip the rules refuse on its own (``check_decision``: a casualty
    aboard a vehicle that cannot carry them, say) is skipped, so that an edited schedule cannot
    stall a vehicle for ever on a trip it may not make.
    """

    def __init__(self, schedule: Schedule, *, name: str = "clairvoyant") -> None:
        self.schedule = schedule
        self.name = name
        self.next = dict.fromkeys(schedule, 0)
        self.epochs = 0
        self.started: dict[tuple[str, int], float] = {}

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return the next trip of every idle vehicle whose trip may start now."""
        epoch = self.epochs
        self.epochs += 1
        now = observation.now_min
        waiting = {c.id: c.site_id for c in observation.waiting}
        chosen: list[tuple[int, str, Assignment]] = []
        taken: set[str] = set()
        for vehicle in observation.idle_vehicles():
            trips = self.schedule.get(vehicle.id, ())
            while (index := self.next.get(vehicle.id, 0)) < len(trips):
                trip = trips[index]
                if not _may_start(trip, now, epoch, waiting) or taken & set(trip.casualty_ids):
                    break
                assignment = Assignment(
                    vehicle_id=vehicle.id, pickups=trip.casualty_ids, destination=trip.destination
                )
                self.next[vehicle.id] = index + 1
                try:
                    check_decision(observation, (assignment,))
                except DecisionRefusedError:
                    continue  # a trip this vehicle may not make: the next one
                self.started[(vehicle.id, index)] = now
                taken.update(trip.casualty_ids)
                chosen.append((trip.rank, vehicle.id, assignment))
                break
        return [assignment for _, _, assignment in sorted(chosen, key=lambda t: (t[0], t[1]))]


def _may_start(
    trip: ScheduledTrip, now: float, epoch: int, waiting: Mapping[str, str | None]
) -> bool:
    if now < trip.not_before_min or (now == trip.not_before_min and epoch < trip.not_before_epoch):
        return False
    return all(
        p.casualty_id in waiting and waiting[p.casualty_id] == p.site_id for p in trip.pickups
    )
