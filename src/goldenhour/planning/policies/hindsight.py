"""Improve a whole-run schedule with hindsight: edit it, play it on the replication, keep it
if it saves at least as many.

The clairvoyant reference (``clairvoyant.py``) knows the realised replication, so it can play
any schedule on it and read the exact outcome (the simulator is deterministic). This module is
that search: a hill climb over schedules (``schedule.Schedule``) whose neighbours are small
edits. Every candidate is played in full; an edit is kept when the replication's expected
survivors do not fall, so the result is never worse than the schedule the search started from.

Edits (each keeps a casualty in at most one trip per place they wait at):

- *move a casualty*, chosen in proportion to what they lost (survival had they reached care at
  their report, less what they got): out of their trip at one place, into another vehicle's
  trip there or onto a new trip of any vehicle able to make it, placed in that vehicle's
  sequence at a moment between their report and when they were collected. A new trip placed
  before the report holds the vehicle for them: this is where foresight is used;
- *collect someone left behind*: a new trip for a casualty no trip collects (with the onward
  leg from the hand-over point when the vehicle hands over);
- *hand a trip to another vehicle*, *swap two trips of a vehicle*, *send a trip to another
  facility that accepts everyone aboard*, *leave a casualty out* (expected survivors is the
  objective: someone whose survival does not depend on time only delays the others);
- *start a trip, or all trips, as soon as possible* instead of when the recorded policy
  started it.

The edits are drawn from a generator seeded by the replication seed, and the budget is a count
of plays, not a time, so the search is reproducible.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.domain.triage.categories import StartCategory
from goldenhour.planning.policies.schedule import (
    Pickup,
    Schedule,
    ScheduledTrip,
    ScheduleFollower,
)
from goldenhour.planning.policy import Policy
from goldenhour.planning.scenario import (
    Casualty,
    Facility,
    Scenario,
    Vehicle,
)
from goldenhour.planning.travel import Place, TravelModel

_CRITICAL = (StartCategory.IMMEDIATE, StartCategory.DELAYED)
#: Minutes added to a vehicle's distance when drawing one by nearness (ours: a vehicle 15 min
#: away is drawn half as often as one on the spot).
_NEAR_MIN = 15.0


class PlayedCasualty(Protocol):
    """What the search reads of one casualty's outcome (``simulation.CasualtyRecord``)."""

    @property
    def casualty_id(self) -> str:
        """Return the casualty's id."""
        ...

    @property
    def survival(self) -> float:
        """Return the casualty's survival probability in the run."""
        ...


class Played(Protocol):
    """What the search reads of a run (``simulation.SimulationResult``)."""

    @property
    def expected_survivors(self) -> float:
        """Return the run's expected survivors."""
        ...

    @property
    def casualties(self) -> Sequence[PlayedCasualty]:
        """Return every casualty's outcome."""
        ...


#: Play a policy on the replication being planned (the same seed, the same casualties).
Play = Callable[[Policy], Played]


@dataclass(slots=True)
class Incumbent:
    """The best schedule so far, with what it gave on the replication."""

    schedule: dict[str, tuple[ScheduledTrip, ...]]
    played: Played
    started: Mapping[tuple[str, int], float]
    plays: int = 0
    kept: int = 0

    @property
    def value(self) -> float:
        """Return the schedule's expected survivors on the replication."""
        return self.played.expected_survivors


def follow(schedule: Schedule, play: Play) -> tuple[Played, dict[tuple[str, int], float]]:
    """Play a schedule; return the run and when each trip started."""
    follower = ScheduleFollower(schedule)
    played = play(follower)
    return played, follower.started


def improve(
    scenario: Scenario,
    realised: Sequence[Casualty],
    start: Incumbent,
    *,
    play: Play,
    plays: int,
    seed: int,
) -> Incumbent:
    """Return the best schedule found in ``plays`` plays, starting from ``start``."""
    rng = random.Random(f"goldenhour/clairvoyant/{seed}")
    editor = _Editor(scenario, realised)
    best = start
    tried = kept = attempts = 0
    while tried < plays and attempts < 20 * plays:
        attempts += 1
        edited = editor.edit(best, rng, first=tried == 0)
        if edited is None or edited == best.schedule:
            continue
        tried += 1
        played, started = follow(edited, play)
        if played.expected_survivors >= best.value:
            best = Incumbent(schedule=edited, played=played, started=started)
            kept += 1
    best.plays, best.kept = start.plays + tried, start.kept + kept
    return best


@dataclass(slots=True)
class _Draft:
    """A schedule being edited: trips per vehicle, and the incumbent's start times."""

    trips: dict[str, list[ScheduledTrip]]
    started: Mapping[tuple[str, int], float]
    starts: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for vid, trips in self.trips.items():
            self.starts[vid] = [self.started.get((vid, i), math.inf) for i in range(len(trips))]

    def frozen(self) -> dict[str, tuple[ScheduledTrip, ...]]:
        return {vid: tuple(trips) for vid, trips in self.trips.items() if trips}

    def stages(self, cid: str) -> list[tuple[str, int, int]]:
        """Return (vehicle, trip index, pickup index) of every trip collecting ``cid``."""
        found = []
        for vid, trips in self.trips.items():
            for i, trip in enumerate(trips):
                for j, p in enumerate(trip.pickups):
                    if p.casualty_id == cid:
                        found.append((vid, i, j))
        return found

    def remove_pickup(self, vid: str, i: int, j: int) -> None:
        trip = self.trips[vid][i]
        pickups = trip.pickups[:j] + trip.pickups[j + 1 :]
        if pickups:
            self.trips[vid][i] = _with(trip, pickups=pickups)
        else:
            del self.trips[vid][i]
            del self.starts[vid][i]

    def insert(self, vid: str, trip: ScheduledTrip, at_min: float) -> None:
        """Insert the trip before the vehicle's first trip that started after ``at_min``."""
        trips = self.trips.setdefault(vid, [])
        starts = self.starts.setdefault(vid, [])
        index = next((i for i, s in enumerate(starts) if s > at_min), len(starts))
        trips.insert(index, trip)
        starts.insert(index, at_min)


class _Editor:
    """Draw one random edit of a schedule."""

    def __init__(self, scenario: Scenario, realised: Sequence[Casualty]) -> None:
        self.scenario = scenario
        self.casualties = {c.id: c for c in realised}
        self.vehicles = {v.id: v for v in scenario.vehicles}
        self.facilities = {f.id: f for f in scenario.facilities}
        self.sites = {s.id: s.position for s in scenario.exchange_points}
        self.travel = TravelModel(travel=scenario.travel)
        self.ideal = {c.id: c.survival.probability(c.at_min - c.injured_at_min) for c in realised}

    def edit(
        self, incumbent: Incumbent, rng: random.Random, *, first: bool
    ) -> dict[str, tuple[ScheduledTrip, ...]] | None:
        draft = _Draft(
            trips={vid: list(trips) for vid, trips in incumbent.schedule.items()},
            started=incumbent.started,
        )
        if first:
            return self._all_as_soon_as_possible(draft)
        moves: list[tuple[float, Callable[[_Draft, Incumbent, random.Random], bool]]] = [
            (5.0, self._move_casualty),
            (1.0, self._swap_casualties),
            (1.0, self._hand_over_trip),
            (1.0, self._swap_trips),
            (0.3, self._as_soon_as_possible),
            (0.3, self._other_facility),
            (0.3, self._leave_out),
        ]
        move = rng.choices([m for _, m in moves], weights=[w for w, _ in moves])[0]
        if not move(draft, incumbent, rng):
            return None
        return draft.frozen()

    # -- edits ------------------------------------------------------------------------------

    def _all_as_soon_as_possible(self, draft: _Draft) -> dict[str, tuple[ScheduledTrip, ...]]:
        return {vid: tuple(t.as_soon_as_possible() for t in trips)
                for vid, trips in draft.trips.items() if trips}  # fmt: skip

    def _as_soon_as_possible(self, draft: _Draft, _: Incumbent, rng: random.Random) -> bool:
        held = [(vid, i) for vid, trips in draft.trips.items() for i, t in enumerate(trips)
                if math.isfinite(t.not_before_min)]  # fmt: skip
        if not held:
            return False
        vid, i = rng.choice(held)
        draft.trips[vid][i] = draft.trips[vid][i].as_soon_as_possible()
        return True

    def _move_casualty(self, draft: _Draft, incumbent: Incumbent, rng: random.Random) -> bool:
        cid = self._regretted(incumbent, rng)
        if cid is None:
            return False
        casualty = self.casualties[cid]
        stages = draft.stages(cid)
        if not stages:
            return self._collect(draft, casualty, rng)
        vid, i, j = rng.choice(stages)
        trip = draft.trips[vid][i]
        pickup = trip.pickups[j]
        latest = draft.starts[vid][i]
        draft.remove_pickup(vid, i, j)
        at = _between(rng, casualty.at_min, latest)
        to_exchange = trip.destination in self.sites
        if rng.random() < 0.4 and self._join(draft, pickup, trip.destination, to_exchange, at):
            return True
        kept_at = trip.destination if to_exchange else None
        able = [v for v in self.vehicles.values() if self._may_carry(v, (pickup,), kept_at)]
        if not able:
            return False
        vehicle = self._nearby(draft, able, self._place(pickup), at, rng)
        destination = trip.destination if to_exchange else self._facility_for(vehicle, (pickup,))
        if destination is None:
            return False
        draft.insert(vehicle.id, ScheduledTrip(pickups=(pickup,), destination=destination), at)
        return True

    def _swap_casualties(self, draft: _Draft, incumbent: Incumbent, rng: random.Random) -> bool:
        """Swap a casualty who lost much with one collected earlier at the same kind of place
        (both trips keep their vehicles and times: a change of order, not of routes)."""
        cid = self._regretted(incumbent, rng)
        stages = draft.stages(cid) if cid is not None else []
        if not stages:
            return False
        vid, i, j = rng.choice(stages)
        mine = draft.trips[vid][i]
        pickup = mine.pickups[j]
        latest = draft.starts[vid][i]
        options = [
            (v2, i2, j2)
            for v2, trips in draft.trips.items()
            for i2, trip in enumerate(trips)
            if draft.starts[v2][i2] < latest and (v2, i2) != (vid, i)
            and (trip.destination in self.sites) == (mine.destination in self.sites)
            for j2, other in enumerate(trip.pickups)
            if other.site_id == pickup.site_id and other.casualty_id != cid
        ]  # fmt: skip
        if not options:
            return False
        v2, i2, j2 = rng.choice(options)
        theirs = draft.trips[v2][i2]
        other = theirs.pickups[j2]
        mine_after = self._refit(vid, mine, j, other)
        theirs_after = self._refit(v2, theirs, j2, pickup)
        if mine_after is None or theirs_after is None:
            return False
        draft.trips[vid][i], draft.trips[v2][i2] = mine_after, theirs_after
        return True

    def _refit(self, vid: str, trip: ScheduledTrip, j: int, pickup: Pickup) -> ScheduledTrip | None:
        """Return the trip with its ``j``-th pickup replaced, to a facility that accepts
        everyone aboard (the nearest, for a trip of one), or None if the vehicle may not."""
        pickups = (*trip.pickups[:j], pickup, *trip.pickups[j + 1 :])
        vehicle = self.vehicles[vid]
        destination: str | None = trip.destination
        if trip.destination in self.facilities and len(pickups) == 1:
            destination = self._facility_for(vehicle, pickups)
        if destination is None or not self._may_carry(vehicle, pickups, destination):
            return None
        return _with(trip, pickups=pickups, destination=destination)

    def _join(
        self, draft: _Draft, pickup: Pickup, destination: str, to_exchange: bool, at: float
    ) -> bool:
        """Add the casualty to the first trip at their place starting after ``at``."""
        best: tuple[float, str, int] | None = None
        for vid, trips in draft.trips.items():
            vehicle = self.vehicles[vid]
            for i, trip in enumerate(trips):
                start = draft.starts[vid][i]
                if start < at or (best is not None and start >= best[0]):
                    continue
                if not trip.pickups or trip.pickups[0].site_id != pickup.site_id:
                    continue
                if (trip.destination in self.sites) != to_exchange:
                    continue
                if to_exchange and trip.destination != destination:
                    continue
                if not self._near(trip.pickups[0], pickup):
                    continue
                pickups = (*trip.pickups, pickup)
                if self._may_carry(vehicle, pickups, trip.destination):
                    best = (start, vid, i)
        if best is None:
            return False
        _, vid, i = best
        trip = draft.trips[vid][i]
        draft.trips[vid][i] = _with(trip, pickups=(*trip.pickups, pickup))
        return True

    def _collect(self, draft: _Draft, casualty: Casualty, rng: random.Random) -> bool:
        """Put a casualty no trip collects on a new trip (and the onward one if handed over)."""
        pickup = Pickup(casualty_id=casualty.id, site_id=None)
        able = [v for v in self.vehicles.values() if self._may_carry(v, (pickup,), None)]
        if not able:
            return False
        at = _between(rng, casualty.at_min, self.scenario.horizon_min)
        vehicle = self._nearby(draft, able, self._place(pickup), at, rng)
        if vehicle.hands_over_at is None:
            destination = self._facility_for(vehicle, (pickup,))
            if destination is None:
                return False
            draft.insert(vehicle.id, ScheduledTrip(pickups=(pickup,), destination=destination), at)
            return True
        exchange = vehicle.hands_over_at
        onward = Pickup(casualty_id=casualty.id, site_id=exchange)
        rear = [v for v in self.vehicles.values() if self._may_carry(v, (onward,), None)]
        if not rear:
            return False
        carrier = rng.choice(rear)
        destination = self._facility_for(carrier, (onward,))
        if destination is None:
            return False
        draft.insert(vehicle.id, ScheduledTrip(pickups=(pickup,), destination=exchange), at)
        draft.insert(carrier.id, ScheduledTrip(pickups=(onward,), destination=destination), at)
        return True

    def _hand_over_trip(self, draft: _Draft, _: Incumbent, rng: random.Random) -> bool:
        trips = [(vid, i) for vid, ts in draft.trips.items() for i, t in enumerate(ts)
                 if t.pickups]  # fmt: skip
        if not trips:
            return False
        vid, i = rng.choice(trips)
        trip = draft.trips[vid][i]
        others = [
            v
            for v in self.vehicles.values()
            if v.id != vid and self._may_carry(v, trip.pickups, trip.destination)
        ]
        if not others:
            return False
        at = draft.starts[vid][i]
        if not math.isfinite(at):
            at = max(self.casualties[p.casualty_id].at_min for p in trip.pickups)
        del draft.trips[vid][i]
        del draft.starts[vid][i]
        draft.insert(rng.choice(others).id, trip.as_soon_as_possible(), at)
        return True

    def _swap_trips(self, draft: _Draft, _: Incumbent, rng: random.Random) -> bool:
        pairs = [(vid, i) for vid, ts in draft.trips.items() for i in range(len(ts) - 1)]
        if not pairs:
            return False
        vid, i = rng.choice(pairs)
        trips = draft.trips[vid]
        trips[i], trips[i + 1] = trips[i + 1].as_soon_as_possible(), trips[i]
        return True

    def _other_facility(self, draft: _Draft, _: Incumbent, rng: random.Random) -> bool:
        trips = [(vid, i) for vid, ts in draft.trips.items() for i, t in enumerate(ts)
                 if t.pickups and t.destination in self.facilities]  # fmt: skip
        if not trips:
            return False
        vid, i = rng.choice(trips)
        trip = draft.trips[vid][i]
        needs = [self.casualties[p.casualty_id].needs for p in trip.pickups]
        others = [f.id for f in self.facilities.values()
                  if f.id != trip.destination and _accepts(f, needs)]  # fmt: skip
        if not others:
            return False
        draft.trips[vid][i] = _with(trip, destination=rng.choice(others))
        return True

    def _leave_out(self, draft: _Draft, _: Incumbent, rng: random.Random) -> bool:
        collected = sorted({p.casualty_id for ts in draft.trips.values() for t in ts
                            for p in t.pickups})  # fmt: skip
        if not collected:
            return False
        cid = rng.choice(collected)
        for vid, i, j in sorted(draft.stages(cid), reverse=True):
            draft.remove_pickup(vid, i, j)
        return True

    # -- helpers ----------------------------------------------------------------------------

    def _regretted(self, incumbent: Incumbent, rng: random.Random) -> str | None:
        """Draw a critical casualty in proportion to the survival they lost."""
        ids, weights = [], []
        for record in incumbent.played.casualties:
            casualty = self.casualties.get(record.casualty_id)
            if casualty is None or casualty.category not in _CRITICAL:
                continue
            lost = self.ideal[casualty.id] - record.survival
            if lost > 1e-6:
                ids.append(casualty.id)
                weights.append(lost)
        if not ids:
            return None
        return rng.choices(ids, weights=weights)[0]

    def _nearby(
        self,
        draft: _Draft,
        able: Sequence[Vehicle],
        place: Place,
        at: float,
        rng: random.Random,
    ) -> Vehicle:
        """Draw a vehicle, the likelier the nearer it will be to ``place`` at ``at`` (where its
        trip before that moment ends, or where it starts)."""
        weights = []
        for v in able:
            starts = draft.starts.get(v.id, [])
            index = next((i for i, s in enumerate(starts) if s > at), len(starts))
            if index == 0:
                there = Place(position=v.position)
            else:
                before = draft.trips[v.id][index - 1].destination
                there = Place(position=self._site_position(before), site_id=before)
            minutes = self.travel.minutes(kind=v.kind, speed_kmh=v.speed_kmh, origin=there,
                                          destination=place)  # fmt: skip
            weights.append(1.0 / (_NEAR_MIN + minutes))
        return rng.choices(list(able), weights=weights)[0]

    def _site_position(self, site_id: str) -> Position:
        facility = self.facilities.get(site_id)
        if facility is not None:
            return facility.position
        return self.sites.get(site_id) or self.scenario.site_position(site_id)

    def _may_carry(
        self, vehicle: Vehicle, pickups: Sequence[Pickup], destination: str | None
    ) -> bool:
        """Tell whether the rules let the vehicle make the trip (``policy.check_decision``)."""
        cases = [self.casualties[p.casualty_id] for p in pickups]
        if sum(1 for c in cases if c.litter) > vehicle.litter:
            return False
        if len(cases) > vehicle.litter + vehicle.seated:
            return False
        for p in pickups:
            if vehicle.exchange_pickups_only and p.site_id is None:
                return False
            if vehicle.hands_over_at is not None and p.site_id == vehicle.hands_over_at:
                return False
        facility = self.facilities.get(destination or "")
        return facility is None or _accepts(facility, [c.needs for c in cases])

    def _facility_for(self, vehicle: Vehicle, pickups: Sequence[Pickup]) -> str | None:
        """Return the facility nearest the last pickup that meets every need (else one with
        surgery for a surgical case, as the rules allow)."""
        needs = [self.casualties[p.casualty_id].needs for p in pickups]
        full = [f for f in self.facilities.values() if all(n <= f.capabilities for n in needs)]
        able = full or [f for f in self.facilities.values() if _accepts(f, needs)]
        if not able:
            return None
        origin = self._place(pickups[-1])

        def minutes(f: Facility) -> tuple[float, str]:
            there = Place(position=f.position, site_id=f.id)
            return self.travel.minutes(kind=vehicle.kind, speed_kmh=vehicle.speed_kmh,
                                       origin=origin, destination=there), f.id  # fmt: skip

        return min(able, key=minutes).id

    def _place(self, pickup: Pickup) -> Place:
        if pickup.site_id is not None and pickup.site_id in self.sites:
            return Place(position=self.sites[pickup.site_id], site_id=pickup.site_id)
        return Place(position=self.casualties[pickup.casualty_id].position)

    def _near(self, a: Pickup, b: Pickup) -> bool:
        """Tell whether two pickups are one crew's run (the same site, or within ~1 km)."""
        if a.site_id is not None or b.site_id is not None:
            return a.site_id == b.site_id
        here, there = (
            self.casualties[a.casualty_id].position,
            self.casualties[b.casualty_id].position,
        )
        north = (here.lat - there.lat) * 111.2
        east = (here.lon - there.lon) * 111.2 * math.cos(math.radians(here.lat))
        return math.hypot(north, east) <= 1.0


def _accepts(facility: Facility, needs: Sequence[frozenset[Capability]]) -> bool:
    """The rule of ``check_decision``: a surgical case goes where there is surgery."""
    surgical = any(Capability.SURGERY in n for n in needs)
    return not surgical or Capability.SURGERY in facility.capabilities


def _with(
    trip: ScheduledTrip,
    *,
    pickups: tuple[Pickup, ...] | None = None,
    destination: str | None = None,
) -> ScheduledTrip:
    return ScheduledTrip(
        pickups=trip.pickups if pickups is None else pickups,
        destination=trip.destination if destination is None else destination,
        not_before_min=trip.not_before_min,
        not_before_epoch=trip.not_before_epoch,
        rank=trip.rank,
    )


def _between(rng: random.Random, low: float, high: float) -> float:
    if not math.isfinite(high) or high <= low:
        return low
    return rng.uniform(low, high)
