"""A 9-line request as JSON-ready data: counts by letter, codes with their meanings."""

from __future__ import annotations

from typing import Any

from goldenhour.domain.geo.mgrs import format_mgrs
from goldenhour.domain.medevac.nine_line import (
    Equipment,
    Marking,
    Nbc,
    NineLineRequest,
    Security,
)

__all__ = ["nine_line_to_json"]


def _code(item: Equipment | Security | Marking | Nbc) -> dict[str, str]:
    return {"code": item.value, "meaning": item.meaning}


def nine_line_to_json(request: NineLineRequest) -> dict[str, Any]:
    """Return the request as JSON-ready data: counts by letter, codes with their meanings."""
    nationality = request.patients_by_nationality
    return {
        "location": request.location,
        "location_spaced": format_mgrs(request.location, spaced=True),
        "frequency": request.frequency,
        "call_sign": request.call_sign,
        "patients_by_precedence": {
            code.value: count for code, count in request.patients_by_precedence.items()
        },
        "total_patients": request.total_patients,
        "equipment": None
        if request.equipment is None
        else [_code(item) for item in Equipment if item in request.equipment],
        "litter": request.litter,
        "ambulatory": request.ambulatory,
        "security": None if request.security is None else _code(request.security),
        "marking": None if request.marking is None else _code(request.marking),
        "marking_detail": request.marking_detail,
        "patients_by_nationality": None
        if nationality is None
        else {code.value: count for code, count in nationality.items()},
        "nbc": None
        if request.nbc is None
        else [_code(item) for item in Nbc if item in request.nbc],
        "terrain": request.terrain,
    }
