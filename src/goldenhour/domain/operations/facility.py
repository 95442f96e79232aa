"""Whether a facility takes casualties now: its status, as the facility reported it last."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.operations.vocabulary import FacilityStatus

__all__ = ["check_receiving", "receives_casualties"]

#: Statuses under which no casualty is sent: diversion asks for others to be used, closed is shut.
_NOT_RECEIVING = frozenset({FacilityStatus.DIVERTING.value, FacilityStatus.CLOSED.value})


def receives_casualties(facility: Mapping[str, Any]) -> bool:
    """Tell whether a facility's folded state (``fold_stream``) says it takes casualties now.

    A facility that never reported a status is open.
    """
    return facility.get("status") not in _NOT_RECEIVING


def check_receiving(facility: Mapping[str, Any], *, field: str = "destination_id") -> None:
    """Refuse sending casualties to a facility that is diverting or closed, naming ``field``."""
    if receives_casualties(facility):
        return
    name = facility.get("name") or "the facility"
    reason = facility.get("status_reason")
    because = f" ({reason})" if reason else ""
    raise InvalidEventError(
        field,
        f"{name} is {facility.get('status')}{because}: choose another destination",
    )
