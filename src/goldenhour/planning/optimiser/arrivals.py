"""What a coordinator expects to come: the rate of casualties still to be reported.

Not who, where or when (that would be the clairvoyant's knowledge), only the intensity of the
scenario's casualty generators, as an operations officer expects so many wounded an hour from
the fighting in a sector. The optimiser turns it into the worth of a vehicle's time
(``OptimiserSettings.arrival_value``, docs/planning.md "The worth of a vehicle's time").
"""

from __future__ import annotations

from dataclasses import dataclass

from goldenhour.domain.geo.position import Position
from goldenhour.planning.geometry import Circle, Shape
from goldenhour.planning.scenario import Scenario

#: The look-ahead over which the expected rate is averaged: about one trip of a vehicle.
RATE_WINDOW_MIN = 60.0


@dataclass(frozen=True, slots=True)
class ExpectedArrivals:
    """Spans of expected arrivals: (from minute, to minute, casualties per minute whose
    survival falls with time, i.e. who gain from being carried sooner)."""

    spans: tuple[tuple[float, float, float], ...] = ()
    # Where they are expected: per span (same order), the centre of its generator's area.
    # Only for pre-positioning idle vehicles (``OptimiserSettings.preposition``); empty for a
    # live situation, where no generator is known.
    centres: tuple[Position, ...] = ()

    @classmethod
    def of(cls, scenario: Scenario) -> ExpectedArrivals:
        """Return the arrivals the scenario's generators make, counting only the classes
        whose survival model falls over the horizon (minor casualties do not)."""
        horizon = scenario.horizon_min
        falling = {
            category for category, model in scenario.survival.items()
            if model.probability(0.0) > model.probability(horizon)
        }  # fmt: skip
        spans, centres = [], []
        for generator in scenario.generators:
            share = sum(w for c, w in generator.class_mix.items() if c in falling)
            total = sum(generator.class_mix.values())
            if share <= 0 or total <= 0:
                continue
            start, stop = generator.window.from_min, generator.window.to_min
            if generator.count is not None:  # all at once: spread over its first minute
                rate, stop = generator.count * share / total, start + 1.0
            else:
                rate = generator.rate_per_hour / 60.0 * share / total
            spans.append((start, stop, rate))
            centres.append(_centre(generator.area))
        return cls(spans=tuple(spans), centres=tuple(centres))

    def by_place(self, now: float, window: float = RATE_WINDOW_MIN) -> list[tuple[Position, float]]:
        """Return each area's centre with its mean rate over ``[now, now + window]`` (only
        the areas with arrivals expected then)."""
        found = []
        for (start, stop, rate), centre in zip(self.spans, self.centres, strict=False):
            overlap = min(now + window, stop) - max(now, start)
            if overlap > 0 and window > 0:
                found.append((centre, rate * overlap / window))
        return found

    def per_minute(self, now: float, window: float = RATE_WINDOW_MIN) -> float:
        """Return the mean rate of expected arrivals over ``[now, now + window]``."""
        if window <= 0:
            return 0.0
        end = now + window
        total = 0.0
        for start, stop, rate in self.spans:
            overlap = min(end, stop) - max(now, start)
            if overlap > 0:
                total += rate * overlap
        return total / window


def _centre(area: Shape) -> Position:
    """Return the centre of a circle, or the mean of a polygon's vertices."""
    if isinstance(area, Circle):
        return area.centre
    lats = [v.lat for v in area.vertices]
    lons = [v.lon for v in area.vertices]
    return Position(lat=sum(lats) / len(lats), lon=sum(lons) / len(lons))
