"""The scenario: everything an evacuation plan or a simulation needs, as frozen values.

A scenario is read from YAML by ``goldenhour.planning.scenario_file`` (docs/scenarios.md
describes the format). Times are minutes from the scenario's start (``start_time`` when the
file is a live export); casualties reported before the start have a negative ``injured_at_min``.
Generated casualties are realised by ``realise_casualties`` with a seeded ``random.Random``.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum

from goldenhour.domain.geo.position import Position

# One vocabulary (issue 14, item 4): what a facility can treat and what makes an area dangerous
# are the domain's own words, the same members on the server and in the planner.
from goldenhour.domain.operations.vocabulary import Capability, ThreatKind
from goldenhour.domain.survival.models import SurvivalModel
from goldenhour.domain.triage.categories import Precedence, StartCategory
from goldenhour.planning.geometry import EARTH_RADIUS_KM, Circle, Polygon, Shape, distance_km


class VehicleKind(Enum):
    """What carries casualties."""

    ARMOURED = "armoured"  # armoured evacuation vehicle (e.g. MT-LB, M113 ambulance)
    AMBULANCE = "ambulance"
    HELICOPTER = "helicopter"
    BOAT = "boat"


#: What a scenario's facilities treat and its casualties need: the domain's capabilities but
#: those the server records and the planner has no use for (a scenario file refuses them).
NOT_PLANNED_CAPABILITIES = (Capability.ICU, Capability.IMAGING)
#: What closes an area in a scenario file: the domain's kinds of threat but "mines" and "other"
#: (a live area of those is closed alike: the planner reads the kind as a label only).
NOT_SCENARIO_THREAT_KINDS = (ThreatKind.MINES, ThreatKind.OTHER)


#: The casualty classes a scenario may use (START categories; the dead are not evacuated).
CASUALTY_CLASSES = (StartCategory.IMMEDIATE, StartCategory.DELAYED, StartCategory.MINOR)


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeWindow:
    """The half-open interval [from_min, to_min) in scenario minutes."""

    from_min: float
    to_min: float

    def overlaps(self, start: float, end: float) -> bool:
        """Tell whether [start, end] shares any moment with the window."""
        return start < self.to_min and end >= self.from_min and end >= start

    def contains(self, moment: float) -> bool:
        """Tell whether the moment falls in the window."""
        return self.from_min <= moment < self.to_min


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """A named place: a facility, an exchange point or a base."""

    id: str
    position: Position


@dataclass(frozen=True, slots=True, kw_only=True)
class Facility:
    """A medical facility: capabilities, surgical teams and treatment time per class."""

    id: str
    position: Position
    capabilities: frozenset[Capability]
    teams: int
    service_min: Mapping[StartCategory, float]

    def can_treat(self, needs: frozenset[Capability]) -> bool:
        """Tell whether the facility offers everything in ``needs``."""
        return needs <= self.capabilities


@dataclass(frozen=True, slots=True, kw_only=True)
class Vehicle:
    """A vehicle: places, speed, handling times, where and when it starts.

    ``hands_over_at`` names the exchange point the vehicle carries casualties to (an armoured
    vehicle handing over to ambulances outside the shellfire); ``exchange_pickups_only`` keeps
    it behind the exchange points (an ambulance that never drives forward of them).
    ``handover_points`` lists every exchange point it may hand over at, ``hands_over_at``
    first; empty (a single point given) lets the optimiser choose any exchange point.
    """

    id: str
    kind: VehicleKind
    base: str
    position: Position
    speed_kmh: float
    litter: int
    seated: int
    load_min: float
    unload_min: float
    available_from_min: float = 0.0
    grounded: tuple[TimeWindow, ...] = ()
    hands_over_at: str | None = None
    exchange_pickups_only: bool = False
    handover_points: tuple[str, ...] = ()

    @property
    def places(self) -> int:
        """Return the number of casualties the vehicle can carry at once."""
        return self.litter + self.seated


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatArea:
    """An area vehicles must not enter during its window; known to coordinators from
    ``announced_at_min``.

    ``stops`` names the vehicle kinds the area closes (all by default: drones may stop soft
    ambulances and not armour); a kind it does not stop drives through. ``risk`` is the chance
    that a casualty aboard is lost on each pass through the area while its window is open
    (a risk-only area stops no kind and lowers the survival of those carried through it).
    """

    id: str
    kind: ThreatKind
    shape: Shape
    window: TimeWindow
    announced_at_min: float
    stops: frozenset[VehicleKind] = frozenset(VehicleKind)
    risk: float = 0.0

    def stops_kind(self, kind: VehicleKind) -> bool:
        """Tell whether vehicles of this kind must keep out of the area while it is open."""
        return kind in self.stops


@dataclass(frozen=True, slots=True, kw_only=True)
class Casualty:
    """One casualty as realised: when they are reported, where, how hurt, what they need."""

    id: str
    at_min: float
    injured_at_min: float
    position: Position
    category: StartCategory
    litter: bool
    needs: frozenset[Capability]
    precedence: Precedence
    survival: SurvivalModel
    tourniquet_at_min: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyGenerator:
    """Casualties arriving as a Poisson process over an area and a time span, or, with
    ``count``, that many casualties all reported at ``window.from_min`` (a mass-casualty
    incident where only the count and the area are known); positions are drawn per
    replication either way."""

    id_prefix: str
    rate_per_hour: float
    area: Shape
    window: TimeWindow
    class_mix: Mapping[StartCategory, float]
    litter_share: Mapping[StartCategory, float]
    needs: Mapping[StartCategory, Mapping[Capability, float]]
    tourniquet_share: Mapping[StartCategory, float]
    count: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Travel:
    """How long legs take: straight line times a detour factor, or a matrix between sites.

    Helicopters always fly the straight line. ``matrix`` holds ground minutes between site ids
    (both directions); a pair it lacks falls back to the straight line times the detour factor.
    """

    detour_factor: float = 1.3
    matrix: Mapping[tuple[str, str], float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Randomness:
    """Coefficients of variation of realised travel and service times (0: deterministic)."""

    travel_cv: float = 0.0
    service_cv: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """Everything a plan or a simulation needs; see docs/scenarios.md for the file format."""

    name: str
    horizon_min: float
    travel: Travel
    survival: Mapping[StartCategory, SurvivalModel]
    casualties: tuple[Casualty, ...]
    generators: tuple[CasualtyGenerator, ...]
    vehicles: tuple[Vehicle, ...]
    facilities: tuple[Facility, ...]
    exchange_points: tuple[Site, ...] = ()
    bases: tuple[Site, ...] = ()
    threats: tuple[ThreatArea, ...] = ()
    randomness: Randomness = field(default_factory=Randomness)
    description: str = ""
    start_time: str | None = None

    def site_position(self, site_id: str) -> Position:
        """Return the position of a facility, exchange point or base; raise ``KeyError``."""
        sites: list[Facility | Site] = [*self.facilities, *self.exchange_points, *self.bases]
        for site in sites:
            if site.id == site_id:
                return site.position
        raise KeyError(site_id)


def default_precedence(category: StartCategory, needs: frozenset[Capability]) -> Precedence:
    """Return the 9-line precedence Golden Hour assumes for a class (ours; docs/scenarios.md).

    Immediate needing surgery -> B urgent-surgical, other immediate -> A urgent, delayed -> C
    priority, minor -> D routine (as in docs/triage.md for T1/T2/T3).
    """
    if category is StartCategory.IMMEDIATE:
        return Precedence.URGENT_SURGICAL if Capability.SURGERY in needs else Precedence.URGENT
    if category is StartCategory.DELAYED:
        return Precedence.PRIORITY
    return Precedence.ROUTINE


def realise_casualties(scenario: Scenario, rng: random.Random) -> tuple[Casualty, ...]:
    """Return the scenario's listed casualties and one draw of its generated ones, by time.

    Only ``rng`` supplies randomness, so the same seed gives the same casualties.
    """
    found = list(scenario.casualties)
    for generator in scenario.generators:
        found.extend(_generate(generator, scenario.survival, rng))
    return tuple(sorted(found, key=lambda c: (c.at_min, c.id)))


def realise_for_seed(scenario: Scenario, seed: int) -> tuple[Casualty, ...]:
    """Return the casualties of the replication with this seed (the same for every policy)."""
    return realise_casualties(scenario, random.Random(f"goldenhour/casualties/{seed}"))


def _generate(
    generator: CasualtyGenerator,
    survival: Mapping[StartCategory, SurvivalModel],
    rng: random.Random,
) -> list[Casualty]:
    made: list[Casualty] = []
    for moment in _report_times(generator, rng):
        category = _pick(generator.class_mix, rng)
        needs = frozenset(
            need
            for need, share in sorted(
                generator.needs.get(category, {}).items(), key=lambda i: i[0].value
            )
            if rng.random() < share
        )
        tourniquet = rng.random() < generator.tourniquet_share.get(category, 0.0)
        made.append(
            Casualty(
                id=f"{generator.id_prefix}{len(made) + 1:04d}",
                at_min=moment,
                injured_at_min=moment,
                position=_point_in(generator.area, rng),
                category=category,
                litter=rng.random() < generator.litter_share.get(category, 0.0),
                needs=needs,
                precedence=default_precedence(category, needs),
                survival=survival[category],
                tourniquet_at_min=moment if tourniquet else None,
            )
        )
    return made


def _report_times(generator: CasualtyGenerator, rng: random.Random) -> Iterator[float]:
    """Yield the report times: ``count`` at once, or the Poisson process over the window."""
    if generator.count is not None:
        yield from itertools.repeat(generator.window.from_min, generator.count)
        return
    per_min = generator.rate_per_hour / 60.0
    moment = generator.window.from_min
    while per_min > 0:
        moment += rng.expovariate(per_min)
        if moment >= generator.window.to_min:
            return
        yield moment


def _pick(mix: Mapping[StartCategory, float], rng: random.Random) -> StartCategory:
    draw, total = rng.random(), 0.0
    choices = [c for c in CASUALTY_CLASSES if mix.get(c, 0.0) > 0]
    for category in choices:
        total += mix[category]
        if draw < total:
            return category
    return choices[-1]


def _point_in(area: Shape, rng: random.Random) -> Position:
    if isinstance(area, Circle):
        radius = area.radius_km * math.sqrt(rng.random())
        angle = rng.uniform(0.0, 2.0 * math.pi)
        point = _offset(area.centre, radius * math.cos(angle), radius * math.sin(angle))
        # The flat offset and the great-circle distance that ``contains`` measures differ by a
        # few parts in a million: a draw at the rim is pulled in along its bearing rather than
        # drawn again, so the random stream (and every shipped scenario's figures) stays.
        while not area.contains(point):
            radius *= (area.radius_km / distance_km(area.centre, point)) * (1 - 1e-9)
            point = _offset(area.centre, radius * math.cos(angle), radius * math.sin(angle))
        return point
    return _point_in_polygon(area, rng)


def _point_in_polygon(area: Polygon, rng: random.Random) -> Position:
    lats = [v.lat for v in area.vertices]
    lons = [v.lon for v in area.vertices]
    for _ in range(10_000):
        point = Position(
            lat=rng.uniform(min(lats), max(lats)), lon=rng.uniform(min(lons), max(lons))
        )
        if area.contains(point):
            return point
    return area.vertices[0]  # a degenerate polygon: keep the draw on its first vertex


def _offset(origin: Position, east_km: float, north_km: float) -> Position:
    dlat = math.degrees(north_km / EARTH_RADIUS_KM)
    dlon = math.degrees(east_km / (EARTH_RADIUS_KM * math.cos(math.radians(origin.lat))))
    return Position(lat=origin.lat + dlat, lon=origin.lon + dlon)
