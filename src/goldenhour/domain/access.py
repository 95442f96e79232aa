"""Who may see and write what: role by event kind, and unit (or facility) by record.

Scopes (issue 3): a medic sees and writes the casualties of their own unit and the units below
it; a coordinator those of their sector (their unit's subtree); a facility clinician those sent
or handed to their facility and those its own staff registered (walk-ins), plus the vehicles,
points and threat areas of the picture; a vehicle crew (a user of the crew's unit, which owns
the vehicle) the missions of its unit's vehicles, their requests and the casualties they carry,
from the assignment on, plus the picture as a medic sees it; a commander or analyst no casualty
record at all (de-identified statistics only); an administrator everything. Threats, vehicles,
points, requests and missions of the units above one's own are seen too (a medic must see the
shelling the battalion drew and the ambulance it sends). A record outside one's scope does not
exist for that caller: the API answers 404, never 403, so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from uuid import UUID

from goldenhour.domain.casualty.events import EVENT_TYPES as CASUALTY_KINDS
from goldenhour.domain.operations.vocabulary import Role

__all__ = [
    "CREW_MISSION_STATUSES",
    "PICTURE_STREAMS",
    "Attribution",
    "Principal",
    "can_read_stream",
    "can_write_kind",
    "unit_in_line",
    "unit_in_subtree",
]


class Attribution(Enum):
    """Whose name goes on what a caller writes: the ``author`` an event is recorded with."""

    #: A person's own login: everything they send is theirs, whatever ``author`` says, except a
    #: casualty entry a peer of the same unit wrote on another phone and handed over to them
    #: (by QR code): that stays the peer's, with the sender on record beside it.
    CALLER = "caller"
    #: A device token: the device may be shared within the unit, so an entry may name the user
    #: of the unit who wrote it (one who may write that kind); any other name is the token's.
    UNIT_DEVICE = "unit_device"
    #: The server's own command line (imports, the demo): trusted to name authors as written.
    AS_GIVEN = "as_given"


@dataclass(frozen=True, slots=True, kw_only=True)
class Principal:
    """An authenticated caller: who, in which role and unit, from which device."""

    user_id: UUID
    username: str
    role: Role
    unit_id: UUID
    unit_path: str  # "/root/…/unit/" of the caller's unit
    device: str
    facility_id: UUID | None = None
    attribution: Attribution = Attribution.CALLER


_MEDIC_OPERATION_KINDS = frozenset(
    {"evacuation_request_filed", "request_redirected", "request_cancelled", "point_registered"}
)
_COORDINATOR_OPERATION_KINDS = frozenset(
    {"evacuation_request_filed", "request_acknowledged", "request_redirected",
     "request_cancelled", "point_registered", "threat_area_drawn", "threat_area_withdrawn",
     "vehicle_registered", "vehicle_position_reported", "vehicle_status_changed",
     "facility_registered", "facility_capacity_reported", "facility_status_reported",
     "mission_assigned",
     "mission_status_changed"}
)  # fmt: skip
# A facility registers walk-in casualties, treats them and asks for onward evacuation.
_FACILITY_OPERATION_KINDS = frozenset(
    {"facility_capacity_reported", "facility_status_reported", "mission_status_changed",
     "evacuation_request_filed", "request_cancelled"}
)  # fmt: skip
# A crew reports its mission's steps and its vehicle's state and position; it records en-route
# care on the casualties' cards (casualty kinds, as every role but the analyst).
_CREW_OPERATION_KINDS = frozenset(
    {"mission_status_changed", "vehicle_status_changed", "vehicle_position_reported"}
)
#: The mission steps a crew reports; a mission is cancelled or reassigned by the coordinator.
CREW_MISSION_STATUSES = frozenset(
    {"en_route", "at_pickup", "picked_up", "at_facility", "handed_over"}
)
#: Streams of the operational picture with no personal data in them.
PICTURE_STREAMS = frozenset({"vehicle", "point", "threat"})
_PICTURE = PICTURE_STREAMS


def can_write_kind(role: Role, kind: str) -> bool:
    """Tell whether ``role`` may write events of ``kind`` at all (scope is checked apart)."""
    if role is Role.ADMIN:
        return True
    if role is Role.ANALYST:
        return False
    if kind in CASUALTY_KINDS:
        return True
    if role is Role.MEDIC:
        return kind in _MEDIC_OPERATION_KINDS
    if role is Role.COORDINATOR:
        return kind in _COORDINATOR_OPERATION_KINDS
    if role is Role.CREW:
        return kind in _CREW_OPERATION_KINDS
    return kind in _FACILITY_OPERATION_KINDS


def unit_in_subtree(unit_path: str | None, root_path: str) -> bool:
    """Tell whether the unit at ``unit_path`` is the unit at ``root_path`` or below it."""
    return unit_path is not None and unit_path.startswith(root_path)


def unit_in_line(unit_path: str | None, own_path: str) -> bool:
    """Tell whether a unit is one's own, below it, or above it (its chain of command)."""
    return unit_path is not None and (
        unit_path.startswith(own_path) or own_path.startswith(unit_path)
    )


def can_read_stream(
    principal: Principal,
    *,
    stream: str,
    scope_path: str | None,
    facility_ids: frozenset[UUID] = frozenset(),
) -> bool:
    """Tell whether ``principal`` may see a record of ``stream`` owned by unit ``scope_path``.

    ``facility_ids`` are the facilities and crews the record is linked to: where a casualty,
    request or mission was sent, or a casualty handed over; and the unit of the vehicle's crew
    a mission carries it with.
    """
    role = principal.role
    if role is Role.ADMIN:
        return True
    if stream == "unit":
        return True  # the unit tree is what every screen is organised by
    if stream == "user":
        return False
    if stream == "facility":
        return True  # every role needs to know where casualties can go
    if role is Role.ANALYST:
        return stream in _PICTURE and unit_in_line(scope_path, principal.unit_path)
    if role is Role.FACILITY:
        linked = principal.facility_id is not None and principal.facility_id in facility_ids
        if stream in ("casualty", "request"):
            # Sent or handed to this facility, or registered by its own staff (walk-ins).
            return linked or unit_in_subtree(scope_path, principal.unit_path)
        if stream == "mission":
            return linked
        # A receiving facility follows the ambulances coming to it and the threats on the way.
        return stream in _PICTURE
    if role is Role.CREW and stream in ("casualty", "request", "mission"):
        # Carried by this crew's vehicle, or (a casualty the crew found) registered by it.
        carried = principal.unit_id in facility_ids
        return carried or (stream != "mission" and unit_in_subtree(scope_path, principal.unit_path))
    if stream == "casualty":
        return unit_in_subtree(scope_path, principal.unit_path)
    # Threats, vehicles, exchange points and missions of the units above matter to those below:
    # a medic must see the shelling the battalion drew and the ambulance it sends.
    return unit_in_line(scope_path, principal.unit_path)
