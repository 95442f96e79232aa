"""A point on the ground in WGS84 decimal degrees."""

from __future__ import annotations

import math
from dataclasses import dataclass

from goldenhour.domain.errors import ValidationError


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """A WGS84 latitude/longitude in decimal degrees."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not _finite(self.lat) or not -90.0 <= self.lat <= 90.0:
            raise ValidationError("lat", f"{self.lat!r} is not a latitude between -90 and 90")
        if not _finite(self.lon) or not -180.0 <= self.lon <= 180.0:
            raise ValidationError("lon", f"{self.lon!r} is not a longitude between -180 and 180")


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
