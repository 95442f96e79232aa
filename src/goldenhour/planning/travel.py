"""Travel times: straight line times a detour factor, a matrix between sites, or flight."""

from __future__ import annotations

from dataclasses import dataclass

from goldenhour.domain.geo.position import Position
from goldenhour.planning.geometry import distance_km
from goldenhour.planning.scenario import Travel, VehicleKind


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """A point a vehicle drives to, and the site it is, if it is one."""

    position: Position
    site_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TravelModel:
    """Nominal travel times for a scenario; the simulator adds its randomness on top."""

    travel: Travel

    def minutes(
        self, *, kind: VehicleKind, speed_kmh: float, origin: Place, destination: Place
    ) -> float:
        """Return the nominal minutes from ``origin`` to ``destination``.

        Ground vehicles and boats use the matrix when both ends are sites it lists, else the
        great-circle distance times the detour factor; helicopters fly the great circle.
        """
        if origin.position == destination.position:
            return 0.0
        flying = kind is VehicleKind.HELICOPTER
        if not flying and origin.site_id is not None and destination.site_id is not None:
            listed = self.travel.matrix.get((origin.site_id, destination.site_id))
            if listed is not None:
                return listed
        factor = 1.0 if flying else self.travel.detour_factor
        return distance_km(origin.position, destination.position) * factor / speed_kmh * 60.0
