"""Threat areas and grounding: when a leg may start so that it never meets an active area.

The rule (docs/simulation.md, "Threat areas"): a leg is the straight segment from its origin
to its destination, driven at even speed over [depart, arrive], then loading or unloading at
the destination over [arrive, arrive + service]. The vehicle is inside an area while it drives
the part of the segment inside it (for a concave polygon, from first entry to last exit). A
leg may not start if the vehicle would enter an area while its window is open, or if the
destination lies in one whose window is open during the service; nor may a grounded vehicle
fly at all. The vehicle waits where it is (outside) and sets off as soon as the leg is clear.
A vehicle that finished loading inside an area just as its window opened is not held there:
leaving that area is not entering it, so it drives straight out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from goldenhour.domain.geo.position import Position
from goldenhour.planning.scenario import ThreatArea, TimeWindow, VehicleKind

# Rounding in "window end minus entry time" must not make the search step forever.
_EPSILON_MIN = 1e-9


def crossings(
    threats: Iterable[ThreatArea], *, origin: Position, destination: Position
) -> list[tuple[float, float, TimeWindow]]:
    """Return, for each area the segment enters from outside, the fractions [enter, leave] of
    the segment inside it and the area's window."""
    found = []
    for threat in threats:
        if threat.shape.contains(origin):
            continue  # leaving an area, not entering it
        span = threat.shape.crossing(origin, destination)
        if span is not None:
            found.append((span[0], span[1], threat.window))
    return found


def segment_windows(
    threats: Iterable[ThreatArea], *, origin: Position, destination: Position
) -> list[TimeWindow]:
    """Return the windows of the areas the straight segment meets."""
    return [t.window for t in threats if t.shape.meets_segment(origin, destination)]


def point_windows(threats: Iterable[ThreatArea], point: Position) -> list[TimeWindow]:
    """Return the windows of the areas that contain the point."""
    return [t.window for t in threats if t.shape.contains(point)]


def stopping(threats: Iterable[ThreatArea], kind: VehicleKind) -> tuple[ThreatArea, ...]:
    """Return the areas that close to vehicles of ``kind`` (the others let it through)."""
    return tuple(t for t in threats if t.stops_kind(kind))


def survival_through(
    threats: Iterable[ThreatArea],
    *,
    kind: VehicleKind,
    origin: Position,
    destination: Position,
    depart: float,
    travel_min: float,
) -> float:
    """Return the chance a casualty aboard survives the leg's risk areas: the product of
    ``1 - risk`` over each area the vehicle (not stopped by it) drives through while open."""
    factor = 1.0
    if origin == destination:
        return factor  # no drive, no pass through an area
    for threat in threats:
        if threat.risk <= 0 or threat.stops_kind(kind):
            continue
        span = threat.shape.crossing(origin, destination)
        if span is None:
            continue
        inside_from, inside_to = depart + span[0] * travel_min, depart + span[1] * travel_min
        if threat.window.overlaps(inside_from, inside_to):
            factor *= 1.0 - threat.risk
    return factor


def active_threats(threats: Iterable[ThreatArea], moment: float) -> list[ThreatArea]:
    """Return the areas whose window is open at ``moment``."""
    return [t for t in threats if t.window.contains(moment)]


def earliest_departure(
    *,
    ready_at: float,
    travel_min: float,
    service_min: float,
    origin: Position,
    destination: Position,
    threats: Sequence[ThreatArea],
    grounded: Sequence[TimeWindow] = (),
) -> float:
    """Return the earliest moment from ``ready_at`` at which the leg meets no open window.

    ``grounded`` windows stop the travel only (a grounded helicopter may still load).
    """
    on_route = crossings(threats, origin=origin, destination=destination)
    on_route += [(0.0, 1.0, window) for window in grounded]
    at_stop = point_windows(threats, destination)
    depart = ready_at
    while True:
        later = depart
        for enter, leave, window in on_route:
            inside_from, inside_to = depart + enter * travel_min, depart + leave * travel_min
            if window.overlaps(inside_from, inside_to):
                later = max(later, window.to_min - enter * travel_min)
        arrive = depart + travel_min
        for window in at_stop:
            if window.overlaps(arrive, arrive + service_min):
                later = max(later, window.to_min - travel_min)
        if later <= depart + _EPSILON_MIN:
            return depart
        depart = later
