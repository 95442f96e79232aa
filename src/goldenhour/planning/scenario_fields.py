"""Strict readers for the values of a scenario file; each names the key path it refuses.

Every reader takes the parsed YAML value and its key path (``vehicles[2].speed_kmh``) and
either returns a typed value or raises ``ScenarioError(path, reason)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar

from goldenhour.domain.errors import ValidationError
from goldenhour.domain.geo.position import Position
from goldenhour.planning.errors import ScenarioError
from goldenhour.planning.geometry import Circle, Polygon, Shape
from goldenhour.planning.scenario import TimeWindow

E = TypeVar("E", bound=Enum)


def join(path: str, key: str | int) -> str:
    """Return the path of a key or list index inside ``path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def mapping(
    value: object, path: str, *, required: Iterable[str] = (), optional: Iterable[str] = ()
) -> dict[str, Any]:
    """Return a mapping with only the allowed keys and every required one."""
    if not isinstance(value, dict):
        raise ScenarioError(path, f"must be a mapping of keys to values, not {_kind(value)}")
    required, allowed = set(required), set(required) | set(optional)
    for key in value:
        if not isinstance(key, str):
            raise ScenarioError(path, f"key {key!r} is not text")
        if key not in allowed:
            raise ScenarioError(
                join(path, key), f"unknown key; allowed: {', '.join(sorted(allowed))}"
            )
    for key in sorted(required):
        if key not in value:
            raise ScenarioError(join(path, key), "is required")
    return value


def items(value: object, path: str, *, allow_empty: bool = True) -> list[Any]:
    """Return a list."""
    if not isinstance(value, list):
        raise ScenarioError(path, f"must be a list, not {_kind(value)}")
    if not value and not allow_empty:
        raise ScenarioError(path, "must not be empty")
    return value


def number(
    value: object,
    path: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
) -> float:
    """Return a finite number within the bounds given."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScenarioError(path, f"must be a number, not {value!r}")
    if minimum is not None and value < minimum:
        raise ScenarioError(path, f"{value} is below the minimum {minimum}")
    if maximum is not None and value > maximum:
        raise ScenarioError(path, f"{value} is above the maximum {maximum}")
    if above is not None and value <= above:
        raise ScenarioError(path, f"{value} must be greater than {above}")
    return float(value)


def whole(value: object, path: str, *, minimum: int = 0) -> int:
    """Return a whole number no smaller than ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(path, f"must be a whole number, not {value!r}")
    if value < minimum:
        raise ScenarioError(path, f"{value} is below the minimum {minimum}")
    return value


def probability(value: object, path: str) -> float:
    """Return a probability, 0 to 1."""
    return number(value, path, minimum=0.0, maximum=1.0)


def text(value: object, path: str) -> str:
    """Return non-empty text."""
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(path, f"must be non-empty text, not {value!r}")
    return value


def flag(value: object, path: str) -> bool:
    """Return true or false."""
    if not isinstance(value, bool):
        raise ScenarioError(path, f"must be true or false, not {value!r}")
    return value


def member(value: object, path: str, enum_type: type[E], *, exclude: Iterable[E] = ()) -> E:
    """Return the member of ``enum_type`` whose value is ``value``."""
    allowed = [m for m in enum_type if m not in set(exclude)]
    for candidate in allowed:
        if candidate.value == value:
            return candidate
    names = ", ".join(str(m.value) for m in allowed)
    raise ScenarioError(path, f"{value!r} is not one of: {names}")


def members(
    value: object, path: str, enum_type: type[E], *, exclude: Iterable[E] = ()
) -> frozenset[E]:
    """Return a set of enum members from a list of their values (none of ``exclude``)."""
    return frozenset(
        member(v, join(path, i), enum_type, exclude=exclude)
        for i, v in enumerate(items(value, path))
    )


def keyed(
    value: object, path: str, enum_type: type[E], *, exclude: Iterable[E] = ()
) -> dict[E, Any]:
    """Return a mapping whose keys are enum values (the values are left to the caller)."""
    if not isinstance(value, dict):
        raise ScenarioError(path, f"must be a mapping, not {_kind(value)}")
    return {member(k, join(path, str(k)), enum_type, exclude=exclude): v for k, v in value.items()}


def position(value: Mapping[str, Any], path: str) -> Position:
    """Return the position held in a mapping's ``lat`` and ``lon`` keys."""
    lat = number(value["lat"], join(path, "lat"), minimum=-90, maximum=90)
    lon = number(value["lon"], join(path, "lon"), minimum=-180, maximum=180)
    try:
        return Position(lat=lat, lon=lon)
    except ValidationError as error:  # pragma: no cover - the bounds above come first
        raise ScenarioError(join(path, error.field), error.reason) from error


def point(value: object, path: str) -> Position:
    """Return a position written as ``{lat: .., lon: ..}``."""
    return position(mapping(value, path, required=("lat", "lon")), path)


def shape(value: Mapping[str, Any], path: str) -> Shape:
    """Return the circle or polygon in a mapping's ``circle`` or ``polygon`` key."""
    has = [key for key in ("circle", "polygon") if key in value]
    if len(has) != 1:
        raise ScenarioError(path, "needs exactly one of circle or polygon")
    if has[0] == "circle":
        where = join(path, "circle")
        circle = mapping(value["circle"], where, required=("lat", "lon", "radius_km"))
        radius = number(circle["radius_km"], join(where, "radius_km"), above=0)
        return Circle(centre=position(circle, where), radius_km=radius)
    where = join(path, "polygon")
    corners = items(value["polygon"], where)
    if len(corners) < 3:
        raise ScenarioError(where, f"needs at least 3 vertices, not {len(corners)}")
    return Polygon(vertices=tuple(point(v, join(where, i)) for i, v in enumerate(corners)))


def window(value: Mapping[str, Any], path: str) -> TimeWindow:
    """Return the window in a mapping's ``from_min`` and ``to_min`` keys."""
    start = number(value["from_min"], join(path, "from_min"))
    end = number(value["to_min"], join(path, "to_min"))
    if end <= start:
        raise ScenarioError(join(path, "to_min"), f"{end} is not after from_min {start}")
    return TimeWindow(from_min=start, to_min=end)


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__
