"""The optimiser's trip options: per vehicle and slot, the groups it may serve, when, where to.

``OptionBuilder`` keeps each vehicle to its nearest and most urgent groups, times every trip
with ``collect_route`` and the threat waits (``LegTimer``), and scores each candidate's gain
against being served late (``finish``). ``candidates.build_request`` drives it slot by slot.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.planning.optimiser.groups import urgency
from goldenhour.planning.optimiser.problem import (
    SCALE,
    Group,
    OptimiserSettings,
    PlanningVehicle,
    TripOption,
)
from goldenhour.planning.optimiser.timing import (
    LegTimer,
    care_gain,
    survival_at,
    survival_falls,
)
from goldenhour.planning.policy import CasualtyView, FacilityView, Observation, VehicleView
from goldenhour.planning.travel import Place

#: Groups with nothing but their wait to gain (minor casualties) each vehicle keeps by nearness.
_WAIT_ONLY_GROUPS = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class RawOption:
    """A timed trip option before its gains are scored (``OptionBuilder.finish``)."""

    vehicle: int
    slot: int
    group: int
    destination: str
    to_facility: bool
    ready: float
    depart: float
    pickup: float
    arrive: float
    delivery: float
    candidates: tuple[int, ...]
    # Per candidate: arrival at a facility meeting their needs (onward from a hand-over point,
    # the nearest such facility; ``delivery`` above is the nearest facility of any kind).
    deliveries: tuple[float, ...]
    # Per candidate: the chance of surviving the risk areas driven through aboard, from their
    # pickup to this trip's destination (``LegTimer.survival``; 1 without risk areas).
    through: tuple[float, ...]


class DeadlinePassed(Exception):
    """Building the request ran past the re-plan's deadline (``build_request(deadline_at=)``)."""


def capable_facilities(
    facilities: Sequence[FacilityView], needs: frozenset[Capability]
) -> tuple[list[FacilityView], bool]:
    """Return the facilities a casualty may go to, and whether they meet every need.

    With none meeting every need: those with surgery for a surgical case, else all (the
    simulator then counts survival at the horizon).
    """
    full = [f for f in facilities if f.can_treat(needs)]
    if full:
        return full, True
    if Capability.SURGERY in needs:
        return [f for f in facilities if Capability.SURGERY in f.capabilities], False
    return list(facilities), False


def collect_route(
    timer: LegTimer, v: VehicleView, ready: float, start: Place, places: Sequence[Place]
) -> tuple[float, float, Place]:
    """Return (departure, arrival at the last stop, last stop) of a round of pickups.

    A group's members may lie at different places: the vehicle stops at each, nearest first
    (as it is dispatched), and every leg waits out the threat windows on its way. Timing them
    all, not only the group's first place, keeps a plan from sending a vehicle into an open
    window on the way to a member further in.
    """
    depart, arrive, last, _ = collect_legs(timer, v, ready, start, places)
    return depart, arrive, last


def collect_legs(
    timer: LegTimer, v: VehicleView, ready: float, start: Place, places: Sequence[Place]
) -> tuple[float, float, Place, dict[Place, float]]:
    """Return ``collect_route``'s answer and, per stop, the chance that a casualty loaded
    there survives the risk areas of the legs to the later stops (``LegTimer.survival``)."""
    stops = list(dict.fromkeys(places))
    stops.sort(key=lambda place: timer.minutes(v, start, place))
    origin, moment, depart = start, ready, None
    legs: list[float] = []  # per stop: the toll of the leg that reaches it
    for place in stops:
        leaves, moment = timer.leg(v, moment, origin, place, v.load_min)
        legs.append(timer.survival(v, leaves, origin, place))
        depart = leaves if depart is None else depart
        if place is not stops[-1]:
            moment += v.load_min
        origin = place
    aboard: dict[Place, float] = {}
    after = 1.0
    for place, toll in zip(reversed(stops), reversed(legs), strict=True):
        aboard[place] = after  # loaded here: rides the legs after this stop only
        after *= toll
    return (ready if depart is None else depart), moment, origin, aboard


class OptionBuilder:
    """Make the trip options of one slot for every vehicle."""

    def __init__(
        self,
        observation: Observation,
        settings: OptimiserSettings,
        timer: LegTimer,
        vehicles: Sequence[PlanningVehicle],
        groups: Sequence[Group],
        casualties: Sequence[CasualtyView],
        deadline_at: float | None = None,
        first_trips_at: float | None = None,
    ) -> None:
        self.deadline_at = deadline_at
        self.first_trips_at = first_trips_at
        # Set once ``first_trips_at`` has passed: only what is dispatched now is still built.
        self.cut_short = False
        self.obs = observation
        self.settings = settings
        self.timer = timer
        self.vehicles = vehicles
        self.groups = groups
        self.casualties = casualties
        self.exchanges = {s.id: s for s in observation.exchange_points}
        self.facility_places = {f.id: facility_place(f) for f in observation.facilities}
        urgencies = [urgency(casualties[g.members[0]], observation.now_min) for g in groups]
        self.urgent = sorted(range(len(groups)), key=lambda g: -urgencies[g])
        # Per group, what decides which vehicles may serve it (see ``_may_serve``).
        self.group_sites = [g.place.site_id for g in groups]
        self.group_has_seated = [any(not casualties[c].litter for c in g.members) for g in groups]
        # Caches: many vehicles share a base, many casualties the same needs, and every
        # option of a group asks the same nearest-facility questions.
        self._reach_by_start: dict[tuple[object, ...], list[int]] = {}
        self._accepted_by_needs: dict[frozenset[Capability], frozenset[str]] = {}
        self._treated_by_needs: dict[frozenset[Capability], frozenset[str]] = {}
        self._nearest: dict[tuple[object, ...], str | None] = {}
        self._homes: dict[tuple[object, ...], Place] = {}
        self._collectors: dict[tuple[object, ...], list[tuple[float, float, float]]] = {}
        self._trip_memo: dict[tuple[object, ...], list[RawOption]] = {}
        self._gain_memo: dict[tuple[object, ...], tuple[tuple[int, ...], int]] = {}
        # Groups worth a trip: with a member whose survival still falls, or any group once
        # time to care is valued (issue 18: a group of minor casualties only gained nothing and
        # was never collected), so the nearest groups a vehicle keeps are ones it can help.
        bonus = settings.serve_bonus > 0 or settings.tourniquet_bonus > 0
        waits = settings.wait_value > 0 or settings.overdue_value > 0
        self.gaining = [bonus or any(survival_falls(casualties[c], observation) for c in g.members)
                        for g in groups]  # fmt: skip
        self.valued = [waits or gaining for gaining in self.gaining]
        self.arrival: dict[tuple[int, int], float] = {}
        self.check_deadline()
        self.reach: dict[int, list[int]] = {i: self._groups_for(v) for i, v in enumerate(vehicles)}
        for i, extra in self._first_comers().items():
            self.reach[i] = sorted(set(self.reach[i]) | extra)
        # A neighbourhood is a choice for now: it goes to the idle vehicles first able to
        # reach it among those that consider the group it grew from, for their first trip
        # (more would double the model for little; later trips are re-planned anyway).
        for g, group in enumerate(groups):
            if group.seed is None:
                continue
            able = [i for i, kept in self.reach.items()
                    if group.seed in kept and vehicles[i].dispatchable
                    and self._may_serve(vehicles[i].view, g)]  # fmt: skip
            k = max(1, settings.nearest_vehicles)
            for i in heapq.nsmallest(k, able, key=lambda i: (self._arrival(i, g), i)):
                self.reach[i].append(g)
        for i in self.reach:
            self.reach[i].sort()
        self.window = self._windows(settings.slots)

    def _windows(self, slots: int) -> dict[tuple[int, int, int], tuple[int, int]]:
        """Return, per (vehicle, slot, group), the ranks of the group's members it considers.

        Within a group, members are ranked by urgency and the vehicles that may come are
        ordered by slot and readiness; each gets the members around its share of the ranking
        (two loads either side), so co-located casualties do not multiply the model.
        """
        comers: dict[int, list[tuple[int, float, int]]] = defaultdict(list)
        for i, kept in self.reach.items():
            for g in kept:
                for slot in range(1, slots + 1):
                    comers[g].append((slot, self.vehicles[i].ready_min, i))
        window = {}
        for g, order in comers.items():
            offset, size = 0, len(self.groups[g].members)
            for slot, _, i in sorted(order, key=lambda o: (o[0], self._arrival(o[2], g), o[2])):
                places = self.vehicles[i].view.litter + self.vehicles[i].view.seated
                if size <= 5 * places:
                    window[(i, slot, g)] = (0, size)  # a small group: every member, to all
                    continue
                start = offset % size  # past the last member, the next comer starts again
                window[(i, slot, g)] = (max(0, start - 2 * places), start + 3 * places)
                offset += places
        return window

    def _groups_for(self, pv: PlanningVehicle) -> list[int]:
        """Return the groups the vehicle considers: its nearest and the most urgent ones."""
        v = pv.view
        here = pv.place.position
        key = (here, v.exchange_pickups_only, v.hands_over_at, v.handover_points, v.litter > 0)
        found = self._reach_by_start.get(key)
        if found is not None:
            return found
        able = [
            g
            for g in range(len(self.groups))
            if self.valued[g] and self.groups[g].seed is None and self._may_serve(v, g)
        ]
        scale = math.cos(math.radians(here.lat)) ** 2

        def far(g: int) -> float:  # ranking only: squared equirectangular degrees
            there = self.groups[g].place.position
            return (there.lat - here.lat) ** 2 + scale * (there.lon - here.lon) ** 2

        # The nearest groups whose survival can gain, and the two nearest of those whose
        # wait only is valued (minor casualties): ranked together, a vehicle among many minor
        # casualties never saw an urgent one further off (issue 5).
        ranked = sorted(able, key=far)
        kept = [g for g in ranked if self.gaining[g]][: self.settings.nearest_groups]
        kept += [g for g in ranked if not self.gaining[g]][:_WAIT_ONLY_GROUPS]
        able_set = set(able)
        urgent = [g for g in self.urgent if g in able_set][: self.settings.urgent_groups]
        found = sorted(set(kept) | set(urgent))
        self._reach_by_start[key] = found
        return found

    def _arrival(self, i: int, g: int) -> float:
        """Return when vehicle ``i`` can be at group ``g`` at the earliest (nominal, no
        threats): its readiness and the drive from where it is free."""
        key = (i, g)
        found = self.arrival.get(key)
        if found is None:
            pv = self.vehicles[i]
            found = pv.ready_min + self.timer.minutes(pv.view, pv.place, self.groups[g].place)
            self.arrival[key] = found
        return found

    def _first_comers(self) -> dict[int, set[int]]:
        """Return, per vehicle, the valued groups it is among the ``nearest_vehicles`` first
        able to reach: every casualty who can gain is seen by the vehicles that matter, not
        only by those whose nearest groups they happen to be in."""
        k = self.settings.nearest_vehicles
        found: dict[int, set[int]] = defaultdict(set)
        if k <= 0:
            return found
        for g in range(len(self.groups)):
            if not self.valued[g] or self.groups[g].seed is not None:
                continue
            if g % 16 == 0:
                self.check_deadline()
                if self.first_trips_only():
                    break  # the nearest and most urgent groups per vehicle are kept
            able = [i for i, pv in enumerate(self.vehicles) if self._may_serve(pv.view, g)]
            for i in heapq.nsmallest(k, able, key=lambda i: (self._arrival(i, g), i)):
                found[i].add(g)
        return found

    def _may_serve(self, v: VehicleView, g: int) -> bool:
        site = self.group_sites[g]
        if v.exchange_pickups_only and site not in self.exchanges:
            return False
        if v.hands_over_at is not None and site in self.exchanges:
            return False  # never take casualties back from where they are handed over
        return v.litter > 0 or self.group_has_seated[g]

    def check_deadline(self) -> None:
        """Raise ``DeadlinePassed`` once the deadline of this build has passed."""
        if self.deadline_at is not None and time.perf_counter() > self.deadline_at:
            raise DeadlinePassed

    def first_trips_only(self) -> bool:
        """Return whether ``first_trips_at`` has passed: from then on only the first trips of
        the idle vehicles (what is dispatched now) are still built, so that the optimiser's
        own plan answers by the deadline rather than START's dispatch (issue 18)."""
        if not self.cut_short and self.first_trips_at is not None:
            self.cut_short = time.perf_counter() > self.first_trips_at
        return self.cut_short

    def options(self, *, slot: int) -> list[RawOption]:
        """Return the timed trip options of ``slot`` for every vehicle; once
        ``first_trips_at`` has passed, only the idle vehicles' first trips."""
        found: list[RawOption] = []
        # The idle vehicles first, so that past ``first_trips_at`` their first trips are
        # built; the options are put back in vehicle order below (the same request).
        order = sorted(range(len(self.vehicles)), key=lambda i: not self.vehicles[i].dispatchable)
        for i in order:
            pv = self.vehicles[i]
            self.check_deadline()
            if self.first_trips_only() and (slot > 1 or not pv.dispatchable):
                continue
            v = pv.view
            # Vehicles alike (kind, speed, handling, free at the same place and moment) have
            # the same trips: time them once (many wait together at a facility).
            alike = (v.kind, v.speed_kmh, v.litter > 0, v.load_min, v.unload_min,
                     v.hands_over_at, v.grounded, pv.place, pv.ready_min, pv.dispatchable,
                     pv.cycle_min if slot > 1 else None, slot)  # fmt: skip
            for g in self.reach[i]:
                if slot > 1 and self.groups[g].seed is not None:
                    continue
                key = (alike, g, self.window[(i, slot, g)])
                trips = self._trip_memo.get(key)
                if trips is None:
                    trips = self._trip_memo[key] = self._trips(i, pv, slot, g)
                    found.extend(trips)
                else:
                    found.extend(dataclasses.replace(r, vehicle=i) for r in trips)
        found.sort(key=lambda r: r.vehicle)  # stable: each vehicle's options in their order
        return found

    def _trips(self, i: int, pv: PlanningVehicle, slot: int, g: int) -> list[RawOption]:
        v, group = pv.view, self.groups[g]
        members = [c for c in group.members if v.litter > 0 or not self.casualties[c].litter]
        low, high = self.window[(i, slot, g)]
        members = members[low:high]
        destinations = self._destinations(v, group.place, members)
        if not destinations:
            return []  # nobody left for this vehicle here: no need to time the legs
        start, ready = pv.place, pv.ready_min
        if slot > 1:
            start = self._home(v, group.place)
            ready = pv.ready_min + (slot - 1) * pv.cycle_min
        depart, pickup, last, aboard = self._collect(v, ready, start, members)
        if slot == 1 and not pv.dispatchable:
            depart = max(depart, pv.ready_min)
        found = []
        for destination, to_facility, treated in destinations:
            leave = pickup + v.load_min
            if self.future_in(treated):
                leave = max(leave, min(self.casualties[c].reported_at_min for c in treated))
            place = self._site(destination)
            sets_off, arrive = self.timer.leg(v, leave, last, place, v.unload_min)
            toll = self.timer.survival(v, sets_off, last, place)
            through = tuple(aboard[self.casualties[c].place] * toll for c in treated)
            if to_facility:
                delivery, deliveries = arrive, (arrive,) * len(treated)
            else:
                ready_there = arrive + v.unload_min
                delivery = self._onward(ready_there, place, frozenset())
                deliveries = tuple(
                    self._onward(ready_there, place, self.casualties[c].needs) for c in treated
                )
            found.append(RawOption(
                vehicle=i, slot=slot, group=g, destination=destination, to_facility=to_facility,
                ready=ready, depart=depart, pickup=pickup, arrive=arrive, delivery=delivery,
                candidates=tuple(treated), deliveries=deliveries, through=through,
            ))  # fmt: skip
        return found

    def _collect(
        self, v: VehicleView, ready: float, start: Place, members: Sequence[int]
    ) -> tuple[float, float, Place, dict[Place, float]]:
        """Return (departure, arrival at the last stop, last stop) of a round of pickups of
        every member, and each stop's risk toll to the last (``collect_legs``)."""
        places = [self.casualties[c].place for c in members]
        return collect_legs(self.timer, v, ready, start, places)

    def future_in(self, members: Sequence[int]) -> bool:
        return any(c >= len(self.obs.waiting) for c in members)

    def _destinations(
        self, v: VehicleView, origin: Place, members: Sequence[int]
    ) -> list[tuple[str, bool, list[int]]]:
        """Return (site, is a facility, members it may take) per useful destination: the
        nearest acceptable facility of each member, and, for a vehicle that hands over, every
        exchange point."""
        chosen: dict[str, None] = {}
        for c in members:
            needs = self.casualties[c].needs
            nearest = self._nearest_facility(v, origin, needs)
            if nearest is not None:
                chosen[nearest] = None
                # A drive through a risk area: the nearest facility reached without one is a
                # choice too, and the gains (``_gains``) weigh the toll against the detour.
                if self.timer.risky_areas(v.kind, origin.position, self._site(nearest).position):
                    safe = self._nearest_facility(v, origin, needs, safe=True)
                    if safe is not None:
                        chosen[safe] = None
        found = []
        for fid in chosen:
            taken = [c for c in members if fid in self._accepted(self.casualties[c].needs)]
            found.append((fid, True, taken))
        if v.hands_over_at is not None and origin.site_id is None:
            # Any exchange point, its own first (issue 18, foresight): where a shuttle is
            # nearer or the road shorter, handing over elsewhere brings the casualty to care
            # sooner; the gains (``_onward``) choose. A vehicle listing its points keeps to them.
            others = self.exchanges.keys() - {v.hands_over_at}
            if v.handover_points:
                others &= set(v.handover_points)
            for site in (v.hands_over_at, *sorted(others)):
                found.append((site, False, list(members)))
        return found

    def _nearest_facility(
        self, v: VehicleView, origin: Place, needs: frozenset[Capability], *, safe: bool = False
    ) -> str | None:
        """Return the id of the nearest facility a casualty with ``needs`` may go to; with
        ``safe``, the nearest whose leg from ``origin`` crosses no risk area."""
        key = (v.kind, v.speed_kmh, origin, needs, safe)
        if key not in self._nearest:
            able, _ = capable_facilities(self.obs.facilities, needs)
            if safe:
                able = [f for f in able if not self.timer.risky_areas(
                    v.kind, origin.position, f.position)]  # fmt: skip
            self._nearest[key] = None
            if able:
                self._nearest[key] = min(
                    able, key=lambda f: (self.timer.minutes(v, origin, facility_place(f)), f.id)
                ).id
        return self._nearest[key]

    def _accepted(self, needs: frozenset[Capability]) -> frozenset[str]:
        """Return the ids of the facilities a casualty with ``needs`` may be taken to."""
        found = self._accepted_by_needs.get(needs)
        if found is None:
            able, _ = capable_facilities(self.obs.facilities, needs)
            found = self._accepted_by_needs[needs] = frozenset(f.id for f in able)
        return found

    def _meets(self, facility_id: str, c: int) -> bool:
        needs = self.casualties[c].needs
        treated = self._treated_by_needs.get(needs)
        if treated is None:
            treated = frozenset(f.id for f in self.obs.facilities if f.can_treat(needs))
            self._treated_by_needs[needs] = treated
        return facility_id in treated

    def _home(self, v: VehicleView, near: Place) -> Place:
        """Return where the vehicle starts a later slot: its hand-over point, else the
        facility nearest the group."""
        if v.hands_over_at is not None:
            return self._site(v.hands_over_at)
        key = (v.kind, v.speed_kmh, near)
        found = self._homes.get(key)
        if found is None:
            nearest = min(
                self.obs.facilities,
                key=lambda f: (self.timer.minutes(v, near, facility_place(f)), f.id),
            )
            found = self._homes[key] = facility_place(nearest)
        return found

    def _site(self, site_id: str) -> Place:
        found = self.facility_places.get(site_id)
        if found is not None:
            return found
        return Place(position=self.exchanges[site_id].position, site_id=site_id)

    def _onward(self, ready: float, exchange: Place, needs: frozenset[Capability]) -> float:
        """Estimate arrival at a facility for a casualty left at an exchange point: the first
        vehicle that can collect there comes, loads and drives to the nearest facility that
        may take a casualty with ``needs`` (any facility for no needs)."""
        best = math.inf
        for there, load, drive in self._collectors_at(exchange, needs):
            best = min(best, max(ready, there) + load + drive)
        return best if math.isfinite(best) else self.obs.horizon_min

    def _collectors_at(
        self, exchange: Place, needs: frozenset[Capability]
    ) -> list[tuple[float, float, float]]:
        """Return, per vehicle that may collect at the exchange point, when it can be there,
        its loading time and its drive to the nearest facility for ``needs`` (vehicles' free
        times and places are the same in every slot, so this is computed once per exchange
        point and needs). Before, the nearest facility of any kind was used: a surgical case
        handed over near a stabilisation point without surgery looked an hour nearer care."""
        key = (exchange.site_id, needs)
        found = self._collectors.get(key)
        if found is None:
            able = [facility_place(f) for f in capable_facilities(self.obs.facilities, needs)[0]]
            found = []
            for pv in self.vehicles:
                v = pv.view
                if v.hands_over_at is not None or not able:
                    continue  # a vehicle that hands over collects at no exchange point
                come = pv.ready_min + self.timer.minutes(v, pv.place, exchange)
                nearest = min(self.timer.minutes(v, exchange, there) for there in able)
                found.append((come, v.load_min, nearest))
            self._collectors[key] = found
        return found

    def finish(self, raw: RawOption, late: Sequence[float]) -> TripOption:
        """Return the option with each candidate's scaled gain against being served late."""
        pv = self.vehicles[raw.vehicle]
        key = (dataclasses.replace(raw, vehicle=-1), pv.view.load_min, pv.view.unload_min)
        found = self._gain_memo.get(key)
        if found is None:
            found = self._gain_memo[key] = self._gains(raw, pv, late)
        gains, extra = found
        busy = raw.arrive + pv.view.unload_min - raw.ready
        return TripOption(
            vehicle=raw.vehicle, slot=raw.slot, group=raw.group, destination=raw.destination,
            to_facility=raw.to_facility, depart_min=raw.depart, pickup_min=raw.pickup,
            arrive_min=raw.arrive, delivery_min=raw.delivery, candidates=raw.candidates,
            gains=gains, extra_cost=extra,
            trip_cost=round(self.settings.minute_cost * max(0.0, busy) * SCALE),
            through=() if all(t == 1.0 for t in raw.through) else raw.through,
        )  # fmt: skip

    def _gains(
        self, raw: RawOption, pv: PlanningVehicle, late: Sequence[float]
    ) -> tuple[tuple[int, ...], int]:
        """Return the candidates' scaled gains and the extra loading cost per casualty."""
        s = self.settings
        gains, slope = [], 0.0
        horizon = self.obs.horizon_min
        for c, reached, through in zip(raw.candidates, raw.deliveries, raw.through, strict=True):
            casualty = self.casualties[c]
            delivery = max(reached, casualty.reported_at_min)
            if raw.to_facility and not self._meets(raw.destination, c):
                delivery = horizon  # survival counts at the horizon (simulator)
            value = care_gain(casualty, delivery, late[c], s, horizon=horizon)
            # The risk areas driven through aboard take their share of the survival reached,
            # as the simulator multiplies it (docs/planning.md, "Risk areas").
            value -= (1.0 - through) * survival_at(casualty, min(delivery, horizon))
            value += s.serve_bonus
            if casualty.tourniquet_at_min is not None and raw.to_facility:
                if delivery - casualty.tourniquet_at_min <= 120.0:  # CoTCCC 2-hour limit
                    value += s.tourniquet_bonus
            gains.append(round(value * SCALE))
            slope = max(
                slope, survival_at(casualty, delivery) - survival_at(casualty, delivery + 1)
            )
        extra = round(slope * (pv.view.load_min + pv.view.unload_min) * SCALE)
        return tuple(gains), extra


def facility_place(facility: FacilityView) -> Place:
    """Return where a facility is, as a place a leg can end at."""
    return Place(position=facility.position, site_id=facility.id)
