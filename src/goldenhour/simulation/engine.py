"""The SimPy world that plays a scenario against a policy (docs/simulation.md).

Processes: casualty reports, a clock for scheduled changes (threat windows, vehicles coming
available, grounding), one process per vehicle assignment and one per casualty in treatment.
Any of them may ask for a decision epoch; requests at the same moment are served together,
after the events of that moment. All randomness comes from generators seeded from ``seed``.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Generator, Sequence
from typing import Any

import simpy
from simpy.core import StopSimulation

from goldenhour.domain.errors import GoldenHourError
from goldenhour.planning.policy import (
    Assignment,
    EpochReason,
    Policy,
    VehicleStatus,
    check_decision,
)
from goldenhour.planning.scenario import Casualty, Scenario, realise_for_seed
from goldenhour.planning.threats import earliest_departure, stopping, survival_through
from goldenhour.planning.travel import Place, TravelModel
from goldenhour.simulation.records import LegRecord, SimulationResult
from goldenhour.simulation.state import CasualtyState, FacilityState, VehicleState, observe

Process = Generator[simpy.Event, Any, Any]


def simulate(
    scenario: Scenario,
    policy: Policy,
    *,
    seed: int,
    casualties: Sequence[Casualty] | None = None,
) -> SimulationResult:
    """Play the scenario against the policy until the horizon; the same seed, the same run.

    ``casualties`` defaults to ``realise_for_seed(scenario, seed)``. Raises
    ``DecisionRefusedError`` if the policy breaks a rule (``check_decision``).
    """
    realised = tuple(casualties) if casualties is not None else realise_for_seed(scenario, seed)
    world = _World(scenario, policy, seed=seed, realised=realised)
    return world.run()


class _World:
    def __init__(
        self, scenario: Scenario, policy: Policy, *, seed: int, realised: tuple[Casualty, ...]
    ) -> None:
        self.env = simpy.Environment()
        self.scenario = scenario
        self.policy = policy
        self.seed = seed
        # One stream per vehicle and per casualty's treatment (common random numbers): a
        # policy that changes one vehicle's trips leaves every other vehicle's draws, and
        # every treatment time, as they were. With one stream in event order, any change
        # shifted every later draw, and a search over schedules (the clairvoyant) could keep
        # edits for their lucky draws rather than their decisions.
        self.streams: dict[str, random.Random] = {}
        self.travel = TravelModel(travel=scenario.travel)
        self.casualties = {c.id: CasualtyState(spec=c) for c in realised}
        self.vehicles = {
            v.id: VehicleState.starting(v, at_base=scenario.site_position(v.base) == v.position)
            for v in scenario.vehicles
        }
        self.facilities = {
            f.id: FacilityState(
                spec=f, teams=simpy.Resource(self.env, f.teams) if f.teams else None
            )
            for f in scenario.facilities
        }
        self.legs: list[LegRecord] = []
        self.decision_ms: list[float] = []
        self.pending = False
        self.failure: GoldenHourError | None = None

    def run(self) -> SimulationResult:
        self.env.process(self._reports())
        self.env.process(self._clock())
        self._request_epoch(EpochReason.START)
        self.env.run(until=self.scenario.horizon_min)
        if self.failure is not None:
            raise self.failure
        horizon = self.scenario.horizon_min
        return SimulationResult(
            scenario=self.scenario.name,
            policy=self.policy.name,
            seed=self.seed,
            horizon_min=horizon,
            casualties=tuple(state.record(horizon) for state in self.casualties.values()),
            legs=tuple(self.legs),
            decisions=len(self.decision_ms),
            decision_ms=tuple(self.decision_ms),
        )

    # -- epochs ---------------------------------------------------------------------------

    def _request_epoch(self, reason: EpochReason) -> None:
        if not self.pending:
            self.pending = True
            self.env.process(self._epoch(reason))

    def _epoch(self, reason: EpochReason) -> Process:
        yield self.env.timeout(0)  # let everything else happening at this moment happen first
        self.pending = False
        now = self.env.now
        observation = observe(
            scenario=self.scenario,
            casualties=self.casualties.values(),
            vehicles=self.vehicles.values(),
            facilities=self.facilities.values(),
            travel=self.travel,
            reason=reason,
            now=now,
        )
        try:
            started = time.perf_counter()
            decision = tuple(self.policy.decide(observation))
            self.decision_ms.append((time.perf_counter() - started) * 1000.0)
            check_decision(observation, decision)
        except GoldenHourError as error:
            # SimPy rebuilds a failed process's exception from its args, losing our structured
            # fields; keep the original, stop the run, and raise it from run().
            self.failure = error
            raise StopSimulation(None) from error
        for assignment in decision:
            vehicle = self.vehicles[assignment.vehicle_id]
            vehicle.status = VehicleStatus.BUSY
            vehicle.destination = assignment.destination
            vehicle.idle_since = None
            for cid in assignment.pickups:
                self.casualties[cid].assigned = True
            stops = [
                (place, list(group))
                for place, group in itertools.groupby(
                    (self.casualties[cid] for cid in assignment.pickups), key=lambda s: s.place
                )
            ]
            # Known at once (a later epoch at this same moment may look): the mission's stops.
            vehicle.stops = [(place, len(loading)) for place, loading in stops]
            self.env.process(self._run(vehicle, assignment, stops))

    def _reports(self) -> Process:
        for state in sorted(self.casualties.values(), key=lambda s: (s.spec.at_min, s.spec.id)):
            yield from self._until(state.spec.at_min)
            state.reported = True
            self._request_epoch(EpochReason.CASUALTY_REPORTED)

    def _clock(self) -> Process:
        changes: list[tuple[float, int, EpochReason, str | None]] = []
        for threat in self.scenario.threats:
            for moment in (threat.announced_at_min, threat.window.from_min, threat.window.to_min):
                changes.append((moment, 0, EpochReason.THREAT_CHANGED, None))
        for vehicle in self.scenario.vehicles:
            if vehicle.available_from_min > 0:
                changes.append(
                    (vehicle.available_from_min, 1, EpochReason.VEHICLE_AVAILABLE, vehicle.id)
                )
            for window in vehicle.grounded:
                for moment in (window.from_min, window.to_min):
                    changes.append((moment, 2, EpochReason.GROUNDING_CHANGED, None))
        for moment, _, reason, vehicle_id in sorted(
            changes, key=lambda c: (c[0], c[1], c[3] or "")
        ):
            if moment <= 0 and vehicle_id is None:
                continue  # the START epoch already sees everything announced at 0
            if moment >= self.scenario.horizon_min:
                break
            yield from self._until(moment)
            if vehicle_id is not None:
                self.vehicles[vehicle_id].become_available(self.env.now)
            self._request_epoch(reason)

    def _until(self, moment: float) -> Process:
        """Wait until exactly ``moment``: now + (moment - now) can fall an ulp short, and the
        second step is exact (Sterbenz), so a casualty is never seen before its report."""
        while self.env.now < moment:
            yield self.env.timeout(moment - self.env.now)

    # -- vehicles -------------------------------------------------------------------------

    def _run(
        self,
        vehicle: VehicleState,
        assignment: Assignment,
        stops: list[tuple[Place, list[CasualtyState]]],
    ) -> Process:
        for place, loading in stops:
            service = vehicle.spec.load_min * len(loading)
            yield from self._leg(vehicle, place, service, loading=loading)
            vehicle.stops.pop(0)
        destination = Place(
            position=self.scenario.site_position(assignment.destination),
            site_id=assignment.destination,
        )
        unloading = vehicle.spec.unload_min * len(vehicle.onboard)
        yield from self._leg(vehicle, destination, unloading, unloading=True)
        staging = self._staging(vehicle)
        if staging is not None:
            vehicle.destination = staging.site_id
            yield from self._leg(vehicle, staging, 0.0)
        vehicle.status = VehicleStatus.IDLE
        vehicle.destination = None
        vehicle.idle_since = self.env.now
        self._request_epoch(EpochReason.VEHICLE_FREE)

    def _staging(self, vehicle: VehicleState) -> Place | None:
        """Return where a shuttle (a vehicle that collects only at exchange points) goes back
        to after a delivery: the nearest exchange point, as an ambulance returns to its
        ambulance exchange point. It can serve nowhere else, so waiting at the hospital
        would only put it a drive further from the next casualty handed over; every policy
        gets the same rule (docs/simulation.md)."""
        spec = vehicle.spec
        exchanges = self.scenario.exchange_points
        if not spec.exchange_pickups_only or not exchanges:
            return None
        if vehicle.place.site_id in {s.id for s in exchanges}:
            return None
        places = [Place(position=s.position, site_id=s.id) for s in exchanges]
        return min(places, key=lambda p: (self.travel.minutes(
            kind=spec.kind, speed_kmh=spec.speed_kmh, origin=vehicle.place, destination=p),
            p.site_id or ""))  # fmt: skip

    def _leg(
        self,
        vehicle: VehicleState,
        target: Place,
        service_nominal: float,
        *,
        loading: Sequence[CasualtyState] = (),
        unloading: bool = False,
    ) -> Process:
        spec = vehicle.spec
        nominal = self.travel.minutes(
            kind=spec.kind, speed_kmh=spec.speed_kmh, origin=vehicle.place, destination=target
        )
        stream = self._stream(f"vehicle/{spec.id}")
        travel = nominal * self._noise(self.scenario.randomness.travel_cv, stream)
        service = service_nominal * self._noise(self.scenario.randomness.service_cv, stream)
        ready = self.env.now
        origin = vehicle.place.position
        depart = earliest_departure(
            ready_at=ready,
            travel_min=travel,
            service_min=service,
            origin=origin,
            destination=target.position,
            threats=stopping(self.scenario.threats, spec.kind),
            grounded=spec.grounded,
        )
        yield self.env.timeout(depart - ready)
        aboard = tuple(vehicle.onboard)
        through = survival_through(
            self.scenario.threats, kind=spec.kind, origin=origin, destination=target.position,
            depart=depart, travel_min=travel,
        )  # fmt: skip
        for cid in aboard:
            self.casualties[cid].threat_survival *= through
        yield self.env.timeout(travel)
        vehicle.place = target
        arrived = self.env.now
        for state in loading:
            state.board(vehicle=spec.id, now=arrived)
            vehicle.onboard.append(state.spec.id)
        self.legs.append(
            LegRecord(
                vehicle_id=spec.id,
                origin=origin,
                destination=target.position,
                destination_site=target.site_id,
                ready_at_min=ready,
                departed_at_min=depart,
                arrived_at_min=arrived,
                service_until_min=arrived + service,
                aboard=aboard,
                aboard_after=tuple(vehicle.onboard),
                litters_after=sum(1 for c in vehicle.onboard if self.casualties[c].spec.litter),
            )
        )
        if unloading:
            self._arrive(vehicle, target, arrived)
        yield self.env.timeout(service)
        if unloading:
            self._set_down(vehicle, target)

    def _arrive(self, vehicle: VehicleState, target: Place, now: float) -> None:
        """Deliver the casualties aboard, if the vehicle has reached a facility."""
        facility = self.facilities.get(target.site_id or "")
        if facility is not None:
            for cid in vehicle.onboard:
                self.casualties[cid].deliver(facility=facility.spec, now=now)

    def _set_down(self, vehicle: VehicleState, target: Place) -> None:
        """Hand the unloaded casualties to the facility's teams, or leave them to wait."""
        facility = self.facilities.get(target.site_id or "")
        for cid in vehicle.onboard:
            state = self.casualties[cid]
            if facility is None:
                state.set_down(place=target, now=self.env.now)
            elif facility.teams is not None:
                self.env.process(self._treat(facility, state))
        vehicle.onboard.clear()

    def _treat(self, facility: FacilityState, state: CasualtyState) -> Process:
        assert facility.teams is not None
        facility.queue += 1
        with facility.teams.request() as team:
            yield team
            facility.queue -= 1
            facility.in_treatment += 1
            state.treatment_started = self.env.now
            minutes = facility.spec.service_min.get(state.spec.category, 0.0)
            stream = self._stream(f"treatment/{state.spec.id}")
            noise = self._noise(self.scenario.randomness.service_cv, stream)
            yield self.env.timeout(minutes * noise)
            facility.in_treatment -= 1

    def _stream(self, name: str) -> random.Random:
        """Return the random stream of one vehicle or treatment, seeded from the run's seed."""
        found = self.streams.get(name)
        if found is None:
            found = self.streams[name] = random.Random(f"goldenhour/world/{self.seed}/{name}")
        return found

    @staticmethod
    def _noise(cv: float, stream: random.Random) -> float:
        """Return a lognormal factor with mean 1 and the given coefficient of variation."""
        if cv <= 0:
            return 1.0
        sigma = math.sqrt(math.log1p(cv * cv))
        return stream.lognormvariate(-sigma * sigma / 2, sigma)
