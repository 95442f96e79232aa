"""Threat areas and grounding: when a leg may start so that it never meets an active area.

The rule (docs/scenarios.md, "Threat areas"): a leg is the straight segment from its origin to
its destination, driven over [depart, arrive], followed by loading or unloading at the
destination over [arrive, arrive + service]. A leg may not start if, during its travel, the
segment meets an area whose window is open, or if, during its service, the destination lies
in one; nor may a grounded vehicle fly. The vehicle waits where it is until the window that
stops it ends, then checks again. The rule is conservative: it judges the whole segment over
the whole travel time, since a crew cannot count on being past an area before it opens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from goldenhour.domain.geo.position import Position
from goldenhour.planning.scenario import ThreatArea, TimeWindow


def segment_windows(
    threats: Iterable[ThreatArea], *, origin: Position, destination: Position
) -> list[TimeWindow]:
    """Return the windows of the areas the straight segment meets."""
    return [t.window for t in threats if t.shape.meets_segment(origin, destination)]


def point_windows(threats: Iterable[ThreatArea], point: Position) -> list[TimeWindow]:
    """Return the windows of the areas that contain the point."""
    return [t.window for t in threats if t.shape.contains(point)]


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
    on_route = [*segment_windows(threats, origin=origin, destination=destination), *grounded]
    at_stop = point_windows(threats, destination)
    depart = ready_at
    while True:
        arrive = depart + travel_min
        blocking = [w for w in on_route if w.overlaps(depart, arrive)]
        blocking += [w for w in at_stop if w.overlaps(arrive, arrive + service_min)]
        if not blocking:
            return depart
        depart = max(w.to_min for w in blocking)
