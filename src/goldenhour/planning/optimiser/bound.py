"""An upper bound on the expected survivors of any policy on one realised replication.

The bound is a relaxation (docs/planning.md, "The clairvoyant bound"). Each casualty reaches
care no earlier than ``e_c``: their report, or the first moment any vehicle able to collect
them could be there, plus the shortest travel to a facility that meets every need over the
graph of all vehicles' legs through exchange points (loading, grounding and threats on the way
ignored). Threat windows count only where they are certain to hold a pickup: a casualty lying
inside an area that stops every kind of vehicle able to collect them cannot be boarded while it
is open (the simulator never starts a leg whose stop is in an open area, and a casualty boards
when the leg arrives), so a first pickup that would fall in such a window waits for its end.
Risk areas only lower survival, which the bound may ignore.
Each vehicle delivers at most its places per trip, its first delivery no earlier than its
fastest possible first run, and the next ones at least one shortest cycle apart. Deliveries
are pooled into time buckets (rounded down, so the bound stays valid) and casualties matched
to them by a min-cost flow (integral, exact for this relaxation). Survival never rises with
time, so any real run maps onto a feasible matching worth at least as much.

Valid for nominal travel times: with ``randomness.travel_cv > 0`` a lucky draw can beat it.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

import numpy as np
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import Capability
from goldenhour.planning.geometry import EARTH_RADIUS_KM
from goldenhour.planning.scenario import (
    Casualty,
    Scenario,
    Vehicle,
    VehicleKind,
)
from goldenhour.planning.travel import Place, TravelModel

_BUCKET_MIN = 2.0
# ``earliest_departure`` may start a leg up to 1e-9 min before a window would let it: the
# pickup pushed past a window is credited this much earlier, so the bound stays a bound.
_WINDOW_SLACK_MIN = 1e-6
_SCALE = 1_000_000


def survival_bound(scenario: Scenario, realised: Sequence[Casualty]) -> float:
    """Return an upper bound on the expected survivors of any policy on this replication."""
    horizon = scenario.horizon_min
    travel = TravelModel(travel=scenario.travel)
    at_horizon = [c.survival.probability(horizon - c.injured_at_min) for c in realised]
    network = _Network(scenario, travel)
    earliest = [network.earliest_care(c) for c in realised]
    buckets = _delivery_buckets(scenario, travel, realised)
    times = sorted(buckets)
    flow = min_cost_flow.SimpleMinCostFlow()
    n, b = len(realised), len(times)
    source, sink = n + 2 * b, n + 2 * b + 1
    # Nodes: casualties 0..n-1, bucket litter nodes n..n+b-1, bucket nodes n+b..n+2b-1.
    for k, moment in enumerate(times):
        litters, places = buckets[moment]
        flow.add_arc_with_capacity_and_unit_cost(n + k, n + b + k, litters, 0)
        flow.add_arc_with_capacity_and_unit_cost(n + b + k, sink, places, 0)
    served = 0
    for i, c in enumerate(realised):
        if not math.isfinite(earliest[i]) or earliest[i] >= horizon:
            continue
        arcs = 0
        for k, moment in enumerate(times):
            care = max(moment, earliest[i])
            gain = c.survival.probability(care - c.injured_at_min) - at_horizon[i]
            cost = -round(gain * _SCALE)
            if cost < 0:
                node = n + k if c.litter else n + b + k
                flow.add_arc_with_capacity_and_unit_cost(i, node, 1, cost)
                arcs += 1
        if arcs:
            flow.add_arc_with_capacity_and_unit_cost(source, i, 1, 0)
            served += 1
    if not served:
        return sum(at_horizon)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, served, 0)
    flow.set_node_supply(source, served)
    flow.set_node_supply(sink, -served)
    status = flow.solve()
    if status != flow.OPTIMAL:
        # Without the matching, each casualty alone: looser, still a bound.
        return sum(
            max(at_horizon[i], c.survival.probability(earliest[i] - c.injured_at_min))
            for i, c in enumerate(realised)
        )
    # Costs were rounded to the nearest unit per arc: allow that much back.
    total = float(flow.optimal_cost())
    return sum(at_horizon) + (-total + served * 0.5) / _SCALE


def _fastest(vehicles: Sequence[Vehicle]) -> list[Vehicle]:
    """Return the fastest vehicle of each kind: minutes never rise with speed (and a matrix
    entry is the same for every ground vehicle), so they give the shortest legs."""
    best: dict[VehicleKind, Vehicle] = {}
    for v in vehicles:
        if v.kind not in best or v.speed_kmh > best[v.kind].speed_kmh:
            best[v.kind] = v
    return list(best.values())


class _Network:
    """Shortest travel between sites, and from any point to care, over all vehicles."""

    def __init__(self, scenario: Scenario, travel: TravelModel) -> None:
        self.scenario = scenario
        self.travel = travel
        self.drivers = _fastest(scenario.vehicles)
        self.sites = [Place(position=s.position, site_id=s.id) for s in scenario.exchange_points]
        self.sites += [Place(position=f.position, site_id=f.id) for f in scenario.facilities]
        self._to_care: dict[frozenset[Capability], list[float]] = {}
        collectors = [v for v in scenario.vehicles if not v.exchange_pickups_only]
        self.collectors = {
            True: _fastest([v for v in collectors if v.litter > 0]),
            False: _fastest(collectors),
        }
        starts: dict[tuple[object, ...], Vehicle] = {}
        for v in collectors:
            starts.setdefault((v.position, v.available_from_min, v.kind, v.speed_kmh,
                               v.litter > 0), v)  # fmt: skip
        self.starts = list(starts.values())

    def to_care(self, needs: frozenset[Capability]) -> list[float]:
        """Return, per site, the shortest travel from it to a facility meeting ``needs``."""
        found = self._to_care.get(needs)
        if found is None:
            found = self._dijkstra(needs)
            self._to_care[needs] = found
        return found

    def _dijkstra(self, needs: frozenset[Capability]) -> list[float]:
        # Reverse search from every capable facility at once (legs may differ by direction).
        n = len(self.sites)
        capable = {f.id for f in self.scenario.facilities if f.can_treat(needs)}
        best = [0.0 if s.site_id in capable else math.inf for s in self.sites]
        queue = [(0.0, i) for i in range(n) if best[i] == 0.0]
        while queue:
            elapsed, j = heapq.heappop(queue)
            if elapsed > best[j]:
                continue
            for i in range(n):
                leg = min(_minutes(self.travel, v, self.sites[i], self.sites[j])
                          for v in self.drivers)  # fmt: skip
                if elapsed + leg < best[i]:
                    best[i] = elapsed + leg
                    heapq.heappush(queue, (elapsed + leg, i))
        return best

    def earliest_care(self, casualty: Casualty) -> float:
        """Return a lower bound on when the casualty can reach a facility meeting every need."""
        collectors = self.collectors[casualty.litter]
        starts = [v for v in self.starts if v.litter > 0 or not casualty.litter]
        if not collectors or not starts:
            return math.inf
        here = Place(position=casualty.position)
        reach = min(
            max(0.0, v.available_from_min) + _minutes(self.travel, v, Place(position=v.position),
                                                      here)
            for v in starts
        )  # fmt: skip
        pickup = self._clear_of_closures(casualty, max(casualty.at_min, reach), starts)
        onward = self.to_care(casualty.needs)
        travel = min(
            min(_minutes(self.travel, v, here, site) for v in collectors) + rest
            for site, rest in zip(self.sites, onward, strict=True)
            if math.isfinite(rest)
        ) if any(math.isfinite(r) for r in onward) else math.inf  # fmt: skip
        return pickup + travel

    def _clear_of_closures(
        self, casualty: Casualty, earliest: float, starts: Sequence[Vehicle]
    ) -> float:
        """Return a lower bound on the first pickup no earlier than ``earliest``: past every
        window of an area holding the casualty that stops every kind able to collect them."""
        kinds = {v.kind for v in starts}
        windows = sorted(
            (t.window for t in self.scenario.threats
             if kinds <= t.stops and t.shape.contains(casualty.position)),
            key=lambda w: w.from_min,
        )  # fmt: skip
        moment = earliest
        for window in windows:  # by opening: one pass finds the first clear moment
            if window.contains(moment):
                moment = window.to_min
        return earliest if moment == earliest else moment - _WINDOW_SLACK_MIN


def _delivery_buckets(
    scenario: Scenario, travel: TravelModel, realised: Sequence[Casualty]
) -> dict[float, tuple[int, int]]:
    """Return, per bucket start, the litters and places of every delivery that could fall in
    it: vehicle ``v``'s k-th delivery is no earlier than ``first_v + (k - 1) * cycle_v``."""
    scene = np.array([[c.position.lat, c.position.lon] for c in realised]).reshape(-1, 2)
    to_facility = _km(scene, _latlon([f.position for f in scenario.facilities])).min(
        axis=1, initial=math.inf
    )
    buckets: dict[float, tuple[int, int]] = {}
    for v in scenario.vehicles:
        if v.places == 0:
            continue
        inbound, outbound, home = _site_legs(scenario, travel, v)
        if not v.exchange_pickups_only and scene.size:
            per_km = 1.0 if v.kind is VehicleKind.HELICOPTER else scenario.travel.detour_factor
            per_km *= 60.0 / v.speed_kmh
            legs = to_facility * per_km
            from_home = _km(_latlon([v.position]), scene)[0] * per_km
            inbound = np.concatenate([inbound, legs])
            outbound = np.concatenate([outbound, legs])
            home = np.concatenate([home, from_home])
        if not inbound.size:
            continue
        first = max(0.0, v.available_from_min) + float(np.min(home + inbound))
        cycle = max(1e-3, v.unload_min + v.load_min + float(np.min(outbound + inbound)))
        moment = first
        while moment < scenario.horizon_min:
            bucket = math.floor(moment / _BUCKET_MIN) * _BUCKET_MIN
            litters, seats = buckets.get(bucket, (0, 0))
            buckets[bucket] = (litters + v.litter, seats + v.places)
            moment += cycle
    return buckets


def _site_legs(
    scenario: Scenario, travel: TravelModel, v: Vehicle
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, per exchange point, the shortest leg to a facility, from a facility, and from
    the vehicle's start."""
    sites = [Place(position=f.position, site_id=f.id) for f in scenario.facilities]
    exchanges = [Place(position=s.position, site_id=s.id) for s in scenario.exchange_points]
    home = Place(position=v.position)
    inbound = [min(_minutes(travel, v, x, f) for f in sites) for x in exchanges]
    outbound = [min(_minutes(travel, v, f, x) for f in sites) for x in exchanges]
    start = [_minutes(travel, v, home, x) for x in exchanges]
    return np.array(inbound), np.array(outbound), np.array(start)


def _latlon(positions: Sequence[Position]) -> np.ndarray:
    return np.array([[p.lat, p.lon] for p in positions]).reshape(-1, 2)


def _km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return the great-circle distances (km) between every row of ``a`` and of ``b``."""
    if a.size == 0 or b.size == 0:
        return np.zeros((a.shape[0], b.shape[0]))
    lat1, lon1 = np.radians(a[:, 0])[:, None], np.radians(a[:, 1])[:, None]
    lat2, lon2 = np.radians(b[:, 0])[None, :], np.radians(b[:, 1])[None, :]
    h = np.sin((lat2 - lat1) / 2) ** 2
    h = h + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    result: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return result


def _minutes(travel: TravelModel, vehicle: Vehicle, origin: Place, destination: Place) -> float:
    return travel.minutes(
        kind=vehicle.kind, speed_kmh=vehicle.speed_kmh, origin=origin, destination=destination
    )
