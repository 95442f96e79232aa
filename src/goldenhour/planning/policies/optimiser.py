"""Golden Hour's optimiser as a policy: re-plan at every epoch, dispatch the first trips.

At each decision epoch with an idle vehicle and a waiting casualty, the optimiser builds the
rolling-horizon model over every vehicle free now or soon (``planning.optimiser``), solves it
with CP-SAT warm-started from the previous plan, and dispatches the first trip of each idle
vehicle; the later trips are only a look-ahead, re-planned at the next epoch.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

from goldenhour.domain.geo.position import Position
from goldenhour.planning.optimiser import (
    DeadlinePassed,
    OptimiserSettings,
    Plan,
    PlannedTrip,
    build_request,
    retime,
    solve,
)
from goldenhour.planning.optimiser.arrivals import RATE_WINDOW_MIN, ExpectedArrivals
from goldenhour.planning.optimiser.timing import survival_falls
from goldenhour.planning.policies.dispatch import closest_vehicle, dispatch, travel_minutes
from goldenhour.planning.policies.start import by_category
from goldenhour.planning.policy import Assignment, Observation, VehicleView
from goldenhour.planning.travel import Place


class Optimiser:
    """Maximise expected survivors over a short horizon of trips per vehicle, re-planned.

    ``expected`` is the rate of casualties the coordinator expects (not who or where): with
    it, each trip is charged the worth of the vehicle's time to those still to come.
    """

    name = "optimiser"

    def __init__(
        self, settings: OptimiserSettings | None = None, *, expected: ExpectedArrivals | None = None
    ) -> None:
        self.settings = settings or OptimiserSettings()
        self.expected = expected or ExpectedArrivals()
        self.previous: Plan | None = None
        self.last_plan: Plan | None = None

    def decide(self, observation: Observation) -> Sequence[Assignment]:
        """Return the first trip of each idle vehicle in the re-optimised plan, and, with
        ``preposition`` on, a move toward the expected casualties for each idle vehicle the
        plan leaves where it is."""
        if not observation.idle_vehicles():
            return []
        found: list[Assignment] = []
        planned: set[str] = set()
        if observation.waiting:
            plan = self.plan(observation)
            found = dispatch_plan(plan, observation)
            planned = {t.vehicle_id for t in plan.trips if t.slot == 1}
        if self.settings.preposition:
            spare = [v for v in observation.idle_vehicles() if v.id not in planned]
            found += preposition(observation, spare, self._expected_places(observation))
        return found

    def plan(self, observation: Observation) -> Plan:
        """Return the whole plan for the observation, and keep it to warm-start the next."""
        started = time.perf_counter()  # the deadline counts the request's building too
        settings = self.epoch_settings(observation)
        try:
            request = build_request(
                observation,
                settings=settings,
                deadline_at=deadline_at(settings, started),
                first_trips_at=first_trips_at(settings, started),
            )
        except DeadlinePassed:
            plan = fallback_plan(observation, started)
            self.previous, self.last_plan = None, plan
            return plan
        plan = retime(solve(request, previous=self.previous, started=started), request, observation)
        self.previous = plan
        self.last_plan = plan
        return plan

    def epoch_settings(self, observation: Observation) -> OptimiserSettings:
        """Return the settings with this epoch's charge per vehicle-minute: the expected
        arrivals of the next hour, each worth ``arrival_value``, shared by the fleet.

        Only while the fleet outnumbers the casualties waiting who can gain: with more known
        work than vehicles, the model already weighs each trip against the casualties it
        sees, and the charge only counted the same time twice (on ``large``, 1,481 expected
        survivors with it at every epoch against 1,515 without, one replication).
        """
        rate = self._usable_rate(observation)
        if rate <= 0 or self.settings.arrival_value <= 0 or not observation.vehicles:
            return self.settings
        gaining = sum(1 for c in observation.waiting if survival_falls(c, observation))
        if gaining >= len(observation.vehicles):
            return self.settings
        cost = self.settings.arrival_value * rate / len(observation.vehicles)
        return dataclasses.replace(self.settings, minute_cost=cost)

    def _expected_places(self, observation: Observation) -> list[tuple[Position, float]]:
        """Return where casualties who could still reach care by the horizon are expected
        over the next hour, with their rates (as ``_usable_rate``)."""
        now = observation.now_min
        usable = min(RATE_WINDOW_MIN, observation.horizon_min - RATE_WINDOW_MIN - now)
        if usable <= 0:
            return []
        return self.expected.by_place(now, usable)

    def _usable_rate(self, observation: Observation) -> float:
        """Return the rate of expected arrivals over the next hour that could still reach care
        by the horizon (reported an hour before it at the latest): near the end of the day
        those to come can no longer be helped, so a free vehicle's time is charged less and it
        collects whoever still waits (issue 18: minor casualties were left at the scene)."""
        now = observation.now_min
        usable = min(RATE_WINDOW_MIN, observation.horizon_min - RATE_WINDOW_MIN - now)
        if usable <= 0:
            return 0.0
        return self.expected.per_minute(now, usable) * usable / RATE_WINDOW_MIN


#: The least a move must save on the expected drive to the next casualties (minutes, rate
#: weighted): below it a vehicle stays, so that small shifts of the expected rates between
#: areas do not keep crews on the road.
PREPOSITION_MIN_SAVING = 5.0


def preposition(
    observation: Observation,
    vehicles: Sequence[VehicleView],
    expected: Sequence[tuple[Position, float]],
) -> list[Assignment]:
    """Return moves of idle vehicles toward where casualties are expected: each to the site
    (base, exchange point or facility) nearest, by its own drive, to the area of expected
    arrivals nearest to it; a crew back at the exchange point after a hand-over waits nearer
    the front. The nearest area rather than the mean over all areas: with the mean every
    crew of multi-zone gathered at the centre's aid post and the other sectors waited longer
    (-0.23 expected survivors, 10 replications).

    Shuttles (``exchange_pickups_only``) are left alone: they serve the exchange points only.
    A vehicle moves only if the move saves at least ``PREPOSITION_MIN_SAVING`` minutes.
    """
    areas = [Place(position=centre, site_id=None) for centre, rate in expected if rate > 0]
    if not areas:
        return []
    sites = [Place(position=f.position, site_id=f.id) for f in observation.facilities]
    sites += [
        Place(position=s.position, site_id=s.id)
        for s in (*observation.exchange_points, *observation.bases)
    ]
    found = []
    for v in vehicles:
        if v.exchange_pickups_only:
            continue

        def drive(origin: Place, destination: Place, v: VehicleView = v) -> float:
            return observation.travel.minutes(
                kind=v.kind, speed_kmh=v.speed_kmh, origin=origin, destination=destination
            )

        area = min(areas, key=lambda a: drive(v.place, a))
        best = min(sites, key=lambda p: (drive(p, area), p.site_id or ""))
        if best.site_id == v.site_id or best.site_id is None:
            continue
        if drive(v.place, area) - drive(best, area) >= PREPOSITION_MIN_SAVING:
            found.append(Assignment(vehicle_id=v.id, pickups=(), destination=best.site_id))
    return found


def dispatch_plan(plan: Plan, observation: Observation) -> list[Assignment]:
    """Return assignments for the plan's trips to dispatch now whose casualties all wait."""
    waiting = {c.id: c for c in observation.waiting}
    vehicles = {v.id: v for v in observation.idle_vehicles()}
    found = []
    for trip in plan.trips:
        vehicle = vehicles.get(trip.vehicle_id)
        if not trip.dispatch_now or vehicle is None or not trip.pickups:
            continue
        if any(cid not in waiting for cid in trip.pickups):
            continue  # a casualty not reported yet (the clairvoyant's look-ahead): hold
        minutes = {
            cid: observation.travel.minutes(kind=vehicle.kind, speed_kmh=vehicle.speed_kmh,
                                            origin=vehicle.place, destination=waiting[cid].place)
            for cid in trip.pickups
        }  # fmt: skip
        pickups = tuple(sorted(trip.pickups, key=lambda cid: (minutes[cid], cid)))
        found.append(
            Assignment(vehicle_id=vehicle.id, pickups=pickups, destination=trip.destination)
        )
    return found


#: The share of the deadline after which building the request makes only the idle vehicles'
#: first trips (the look-ahead is cut): the optimiser's greedy plan and CP-SAT then answer on
#: those. Before, START's dispatch answered from here on, at every re-plan at 200 x 20 under
#: load (the whole request takes 70-120 ms of CPU there, its first trips about 35 ms).
FIRST_TRIPS_SHARE = 0.5
#: The share of the deadline past which building stops and START's dispatch answers (a very
#: large situation, a starved process): the rest (50 ms of 200) is for the greedy plan of the
#: first trips and timing them (``solve._AFTER_SOLVE_MS``).
REQUEST_SHARE = 0.75


def deadline_at(settings: OptimiserSettings, started: float) -> float | None:
    """Return the ``time.perf_counter()`` reading past which building the request stops and
    the fallback answers; ``None`` without a deadline."""
    if settings.deadline_ms is None:
        return None
    return started + REQUEST_SHARE * settings.deadline_ms / 1000.0


def first_trips_at(settings: OptimiserSettings, started: float) -> float | None:
    """Return the ``time.perf_counter()`` reading past which only the idle vehicles' first
    trips are still built; ``None`` without a deadline."""
    if settings.deadline_ms is None:
        return None
    return started + FIRST_TRIPS_SHARE * settings.deadline_ms / 1000.0


def fallback_plan(observation: Observation, started: float) -> Plan:
    """Return the plan of the START dispatch (immediate, then delayed, then minor, each with
    the closest idle vehicle): the answer when the optimiser's model could not be built by the
    deadline (a busy machine, a very large situation). Times are nominal, without threats."""
    vehicles = {v.id: v for v in observation.idle_vehicles()}
    waiting = {c.id: c for c in observation.waiting}
    trips = []
    for a in dispatch(observation, order=by_category, choose=closest_vehicle):
        v = vehicles[a.vehicle_id]
        moment, here = observation.now_min, v.place
        for cid in a.pickups:
            moment += travel_minutes(observation, v, here, waiting[cid].place) + v.load_min
            here = waiting[cid].place
        sites = {f.id: f.position for f in observation.facilities}
        sites |= {x.id: x.position for x in observation.exchange_points}
        arrive = moment
        if a.destination in sites:
            there = Place(position=sites[a.destination], site_id=a.destination)
            arrive += travel_minutes(observation, v, here, there)
        trips.append(PlannedTrip(
            vehicle_id=v.id, slot=1, pickups=a.pickups, destination=a.destination,
            dispatch_now=True, depart_min=observation.now_min, pickup_min=moment - v.load_min,
            arrive_min=arrive, delivery_min=arrive, gain=0.0,
        ))  # fmt: skip
    return Plan(
        trips=tuple(trips), objective=0.0, method="fallback (deadline)",
        solve_ms=(time.perf_counter() - started) * 1000.0, variables=0,
    )  # fmt: skip
