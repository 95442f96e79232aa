"""Events of the operational picture, each about one stream: a unit, user, vehicle, facility, ..."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from goldenhour.domain.casualty import limits
from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.event import DomainEvent, check_member, check_members, check_uuid
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.vocabulary import (
    Capability,
    FacilityRole,
    FacilityStatus,
    MissionStatus,
    PointKind,
    Role,
    ThreatKind,
    UnitKind,
    VehicleKind,
    VehicleStatus,
)
from goldenhour.domain.triage.categories import Precedence

#: Largest threat circle accepted: 50 km covers any artillery or drone umbrella.
MAX_THREAT_RADIUS_M = 50_000.0
#: Most corners of a drawn threat polygon.
MAX_POLYGON_POINTS = 200


def _check_optional_uuid(name: str, value: object) -> None:
    if value is not None:
        check_uuid(name, value)


def _check_count(name: str, value: object, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise InvalidEventError(name, f"{value!r} is not a whole number from 0 to {high}")


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitRegistered(DomainEvent):
    """A unit joined the tree (brigade > battalion > company; or region > service > crew)."""

    kind: ClassVar[str] = "unit_registered"
    stream: ClassVar[str] = "unit"
    stream_field: ClassVar[str] = "unit_id"

    unit_id: UUID
    name: str
    unit_kind: UnitKind
    parent_id: UUID | None = None

    def _check(self) -> None:
        limits.check_text("name", self.name, required=True)
        check_member("unit_kind", self.unit_kind, UnitKind, required=True)
        _check_optional_uuid("parent_id", self.parent_id)
        if self.parent_id == self.unit_id:
            raise InvalidEventError("parent_id", "a unit cannot be its own parent")


@dataclass(frozen=True, slots=True, kw_only=True)
class UserRegistered(DomainEvent):
    """A person was given an account with a role in a unit (the hash, never the password)."""

    kind: ClassVar[str] = "user_registered"
    stream: ClassVar[str] = "user"
    stream_field: ClassVar[str] = "user_id"

    user_id: UUID
    username: str
    role: Role
    unit_id: UUID
    password_hash: str
    facility_id: UUID | None = None  # for facility clinicians: the facility they work at

    def _check(self) -> None:
        limits.check_text("username", self.username, required=True)
        if not self.username.isprintable() or " " in self.username or len(self.username) > 64:
            raise InvalidEventError("username", "use up to 64 printable characters, no spaces")
        check_member("role", self.role, Role, required=True)
        check_uuid("unit_id", self.unit_id)
        limits.check_text("password_hash", self.password_hash, required=True)
        _check_optional_uuid("facility_id", self.facility_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class UserReassigned(DomainEvent):
    """An administrator gave a user another role, unit or facility (all three are restated)."""

    kind: ClassVar[str] = "user_reassigned"
    stream: ClassVar[str] = "user"
    stream_field: ClassVar[str] = "user_id"

    user_id: UUID
    role: Role
    unit_id: UUID
    facility_id: UUID | None = None

    def _check(self) -> None:
        check_member("role", self.role, Role, required=True)
        check_uuid("unit_id", self.unit_id)
        _check_optional_uuid("facility_id", self.facility_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class UserDisabled(DomainEvent):
    """An account was disabled; its tokens stop working."""

    kind: ClassVar[str] = "user_disabled"
    stream: ClassVar[str] = "user"
    stream_field: ClassVar[str] = "user_id"

    user_id: UUID
    reason: str | None = None

    def _check(self) -> None:
        limits.check_text("reason", self.reason)


@dataclass(frozen=True, slots=True, kw_only=True)
class UserPasswordChanged(DomainEvent):
    """A user's password was changed (the new hash); earlier tokens stay valid until revoked."""

    kind: ClassVar[str] = "user_password_changed"
    stream: ClassVar[str] = "user"
    stream_field: ClassVar[str] = "user_id"

    user_id: UUID
    password_hash: str

    def _check(self) -> None:
        limits.check_text("password_hash", self.password_hash, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class VehicleRegistered(DomainEvent):
    """A vehicle was put at the evacuation's disposal."""

    kind: ClassVar[str] = "vehicle_registered"
    stream: ClassVar[str] = "vehicle"
    stream_field: ClassVar[str] = "vehicle_id"

    vehicle_id: UUID
    call_sign: str
    vehicle_kind: VehicleKind
    unit_id: UUID
    litter: int
    seated: int
    base: Position | None = None

    def _check(self) -> None:
        limits.check_text("call_sign", self.call_sign, required=True)
        check_member("vehicle_kind", self.vehicle_kind, VehicleKind, required=True)
        check_uuid("unit_id", self.unit_id)
        _check_count("litter", self.litter, 60)
        _check_count("seated", self.seated, 60)
        if self.litter + self.seated == 0:
            raise InvalidEventError("litter", "a vehicle needs at least one litter or seat")
        check_member("base", self.base, Position)


@dataclass(frozen=True, slots=True, kw_only=True)
class VehiclePositionReported(DomainEvent):
    """A vehicle reported where it is (PLI)."""

    kind: ClassVar[str] = "vehicle_position_reported"
    stream: ClassVar[str] = "vehicle"
    stream_field: ClassVar[str] = "vehicle_id"

    vehicle_id: UUID
    position: Position
    heading_deg: float | None = None
    speed_kmh: float | None = None

    def _check(self) -> None:
        check_member("position", self.position, Position, required=True)
        limits.check_range("heading_deg", self.heading_deg, (0.0, 360.0), "°")
        limits.check_range("speed_kmh", self.speed_kmh, (0.0, 400.0), "km/h")


@dataclass(frozen=True, slots=True, kw_only=True)
class VehicleStatusChanged(DomainEvent):
    """A vehicle became available, was assigned, set off, ..."""

    kind: ClassVar[str] = "vehicle_status_changed"
    stream: ClassVar[str] = "vehicle"
    stream_field: ClassVar[str] = "vehicle_id"

    vehicle_id: UUID
    status: VehicleStatus

    def _check(self) -> None:
        check_member("status", self.status, VehicleStatus, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class FacilityRegistered(DomainEvent):
    """A facility that receives casualties: its role, capabilities and place."""

    kind: ClassVar[str] = "facility_registered"
    stream: ClassVar[str] = "facility"
    stream_field: ClassVar[str] = "facility_id"

    facility_id: UUID
    name: str
    role: FacilityRole
    capabilities: frozenset[Capability]
    position: Position
    unit_id: UUID

    def _check(self) -> None:
        limits.check_text("name", self.name, required=True)
        check_member("role", self.role, FacilityRole, required=True)
        check_members("capabilities", self.capabilities, Capability)
        check_member("position", self.position, Position, required=True)
        check_uuid("unit_id", self.unit_id)


#: The figures a capacity report may give, with the most each may be: beds by kind, theatres and
#: surgical teams, blood by product (units). A report gives any of them; the others stand.
CAPACITY_FIGURES: dict[str, int] = {
    "beds_free": 10_000, "icu_beds_free": 10_000, "ward_beds_free": 10_000,
    "operating_tables_free": 500, "surgical_teams_free": 500,
    "blood_whole_units": 10_000, "blood_red_cells_units": 10_000, "blood_plasma_units": 10_000,
    "blood_platelets_units": 10_000,
}  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class FacilityCapacityReported(DomainEvent):
    """A facility said what it has free, as EMResource keeps it: any of the figures.

    A figure left out (``None``) is not reported and keeps its earlier value and time.
    ``specialties`` are those on duty now (neurosurgery, burns, paediatrics ...).
    """

    kind: ClassVar[str] = "facility_capacity_reported"
    stream: ClassVar[str] = "facility"
    stream_field: ClassVar[str] = "facility_id"

    facility_id: UUID
    beds_free: int | None = None
    operating_tables_free: int | None = None
    icu_beds_free: int | None = None
    ward_beds_free: int | None = None
    surgical_teams_free: int | None = None
    blood_whole_units: int | None = None
    blood_red_cells_units: int | None = None
    blood_plasma_units: int | None = None
    blood_platelets_units: int | None = None
    specialties: frozenset[Capability] | None = None

    def _check(self) -> None:
        given = [name for name in CAPACITY_FIGURES if getattr(self, name) is not None]
        for name in given:
            _check_count(name, getattr(self, name), CAPACITY_FIGURES[name])
        if self.specialties is not None:
            check_members("specialties", self.specialties, Capability)
        elif not given:
            raise InvalidEventError("icu_beds_free", "a capacity report gives at least one figure")

    def figures(self) -> dict[str, object]:
        """Return the figures this report gives, by name (specialties as a sorted list)."""
        found: dict[str, object] = {
            name: getattr(self, name)
            for name in CAPACITY_FIGURES
            if getattr(self, name) is not None
        }
        if self.specialties is not None:
            found["specialties"] = sorted(item.value for item in self.specialties)
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class FacilityStatusReported(DomainEvent):
    """A facility opened, asked for diversion or closed; the planner and assignments follow."""

    kind: ClassVar[str] = "facility_status_reported"
    stream: ClassVar[str] = "facility"
    stream_field: ClassVar[str] = "facility_id"

    facility_id: UUID
    status: FacilityStatus
    reason: str | None = None  # e.g. "CT down", "mass casualty incident"

    def _check(self) -> None:
        check_member("status", self.status, FacilityStatus, required=True)
        limits.check_text("reason", self.reason)


@dataclass(frozen=True, slots=True, kw_only=True)
class PointRegistered(DomainEvent):
    """A pickup point, ambulance exchange point or landing zone was named."""

    kind: ClassVar[str] = "point_registered"
    stream: ClassVar[str] = "point"
    stream_field: ClassVar[str] = "point_id"

    point_id: UUID
    point_kind: PointKind
    name: str
    position: Position
    unit_id: UUID
    notes: str | None = None  # e.g. "guarded by soldiers"

    def _check(self) -> None:
        check_member("point_kind", self.point_kind, PointKind, required=True)
        limits.check_text("name", self.name, required=True)
        check_member("position", self.position, Position, required=True)
        check_uuid("unit_id", self.unit_id)
        limits.check_text("notes", self.notes)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatAreaDrawn(DomainEvent):
    """An area is dangerous to enter during a time window: a circle or a polygon."""

    kind: ClassVar[str] = "threat_area_drawn"
    stream: ClassVar[str] = "threat"
    stream_field: ClassVar[str] = "area_id"

    area_id: UUID
    threat_kind: ThreatKind
    unit_id: UUID
    starts_at: datetime
    ends_at: datetime | None = None  # open-ended until withdrawn
    centre: Position | None = None
    radius_m: float | None = None
    polygon: tuple[Position, ...] | None = None
    notes: str | None = None
    # The vehicle kinds the area closes to while open (None: every kind; empty: none, the
    # area only raises ``risk``), and the chance that a casualty aboard a vehicle driving
    # through it while open is lost, per pass (None: 0). Drones may stop ambulances and not
    # armour; air defence helicopters and not ground vehicles (docs/planning.md).
    stops: frozenset[VehicleKind] | None = None
    risk: float | None = None

    def _check(self) -> None:
        check_member("threat_kind", self.threat_kind, ThreatKind, required=True)
        if self.stops is not None:
            check_members("stops", self.stops, VehicleKind)
        if self.risk is not None:
            if (
                isinstance(self.risk, bool)
                or not isinstance(self.risk, int | float)
                or not (0.0 <= self.risk <= 1.0)
            ):
                raise InvalidEventError("risk", f"{self.risk!r} is not a chance from 0 to 1")
        if self.stops is not None and not self.stops and not self.risk:
            raise InvalidEventError(
                "stops", "the area stops no vehicle and has no risk: it would have no effect"
            )
        check_uuid("unit_id", self.unit_id)
        limits.check_aware("starts_at", self.starts_at)
        limits.check_aware("ends_at", self.ends_at)
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise InvalidEventError("ends_at", "the window must end after it starts")
        circle = self.centre is not None or self.radius_m is not None
        if circle == (self.polygon is not None):
            raise InvalidEventError("polygon", "give either a centre and radius or a polygon")
        if circle:
            check_member("centre", self.centre, Position, required=True)
            limits.check_range("radius_m", self.radius_m, (1.0, MAX_THREAT_RADIUS_M), "m")
            if self.radius_m is None:
                raise InvalidEventError("radius_m", "a circle needs its radius")
        else:
            points = self.polygon or ()
            if not isinstance(points, tuple) or not 3 <= len(points) <= MAX_POLYGON_POINTS:
                raise InvalidEventError(
                    "polygon", f"needs 3 to {MAX_POLYGON_POINTS} corners, found {len(points)}"
                )
            for index, corner in enumerate(points):
                check_member(f"polygon[{index}]", corner, Position, required=True)
        limits.check_text("notes", self.notes)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatAreaWithdrawn(DomainEvent):
    """A threat area no longer applies."""

    kind: ClassVar[str] = "threat_area_withdrawn"
    stream: ClassVar[str] = "threat"
    stream_field: ClassVar[str] = "area_id"

    area_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class EvacuationRequestFiled(DomainEvent):
    """A 9-line request for casualties at one pickup point reached the coordinator."""

    kind: ClassVar[str] = "evacuation_request_filed"
    stream: ClassVar[str] = "request"
    stream_field: ClassVar[str] = "request_id"

    request_id: UUID
    unit_id: UUID
    casualty_ids: tuple[UUID, ...]
    pickup: Position
    precedence: Precedence
    pickup_point_id: UUID | None = None
    nine_line: str | None = None  # the request's standard text form, as sent
    #: The sender gave no time (a CoT event without ``time``): ``occurred_at`` is when the
    #: request was received, which may be later than when it was made.
    dated_on_receipt: bool = False

    def _check(self) -> None:
        check_uuid("unit_id", self.unit_id)
        if not isinstance(self.dated_on_receipt, bool):
            raise InvalidEventError("dated_on_receipt", "must be true or false")
        if not isinstance(self.casualty_ids, tuple) or not self.casualty_ids:
            raise InvalidEventError("casualty_ids", "a request names at least one casualty")
        for index, casualty in enumerate(self.casualty_ids):
            check_uuid(f"casualty_ids[{index}]", casualty)
        check_member("pickup", self.pickup, Position, required=True)
        check_member("precedence", self.precedence, Precedence, required=True)
        _check_optional_uuid("pickup_point_id", self.pickup_point_id)
        limits.check_text("nine_line", self.nine_line)


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestAcknowledged(DomainEvent):
    """The coordinator acknowledged a request and gave an ETA."""

    kind: ClassVar[str] = "request_acknowledged"
    stream: ClassVar[str] = "request"
    stream_field: ClassVar[str] = "request_id"

    request_id: UUID
    eta: datetime | None = None

    def _check(self) -> None:
        limits.check_aware("eta", self.eta)


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestRedirected(DomainEvent):
    """The pickup moved: the casualties are to be collected elsewhere."""

    kind: ClassVar[str] = "request_redirected"
    stream: ClassVar[str] = "request"
    stream_field: ClassVar[str] = "request_id"

    request_id: UUID
    pickup: Position
    pickup_point_id: UUID | None = None
    reason: str | None = None

    def _check(self) -> None:
        check_member("pickup", self.pickup, Position, required=True)
        _check_optional_uuid("pickup_point_id", self.pickup_point_id)
        limits.check_text("reason", self.reason)


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestCancelled(DomainEvent):
    """A request was withdrawn."""

    kind: ClassVar[str] = "request_cancelled"
    stream: ClassVar[str] = "request"
    stream_field: ClassVar[str] = "request_id"

    request_id: UUID
    reason: str

    def _check(self) -> None:
        limits.check_text("reason", self.reason, required=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class MissionAssigned(DomainEvent):
    """A vehicle was sent to serve requests and take the casualties to a facility."""

    kind: ClassVar[str] = "mission_assigned"
    stream: ClassVar[str] = "mission"
    stream_field: ClassVar[str] = "mission_id"

    mission_id: UUID
    vehicle_id: UUID
    request_ids: tuple[UUID, ...]
    destination_id: UUID  # a facility, or an exchange point for a first leg
    unit_id: UUID
    eta_pickup: datetime | None = None
    eta_destination: datetime | None = None
    reason: str | None = None  # why, when a planner's suggestion was overridden

    def _check(self) -> None:
        check_uuid("vehicle_id", self.vehicle_id)
        if not isinstance(self.request_ids, tuple) or not self.request_ids:
            raise InvalidEventError("request_ids", "a mission serves at least one request")
        for index, request in enumerate(self.request_ids):
            check_uuid(f"request_ids[{index}]", request)
        check_uuid("destination_id", self.destination_id)
        check_uuid("unit_id", self.unit_id)
        limits.check_aware("eta_pickup", self.eta_pickup)
        limits.check_aware("eta_destination", self.eta_destination)
        limits.check_text("reason", self.reason)


@dataclass(frozen=True, slots=True, kw_only=True)
class MissionStatusChanged(DomainEvent):
    """A mission moved on: en route, at the pickup, loaded, at the facility, handed over, or
    cancelled. A crew reports each step with one tap; "loaded" (``picked_up``) may name the
    casualties taken on board (``casualty_ids``; none named: all of the mission's)."""

    kind: ClassVar[str] = "mission_status_changed"
    stream: ClassVar[str] = "mission"
    stream_field: ClassVar[str] = "mission_id"

    mission_id: UUID
    status: MissionStatus
    reason: str | None = None
    casualty_ids: tuple[UUID, ...] | None = None

    def _check(self) -> None:
        check_member("status", self.status, MissionStatus, required=True)
        limits.check_text("reason", self.reason)
        if self.casualty_ids is None:
            return
        if self.status is not MissionStatus.PICKED_UP:
            raise InvalidEventError("casualty_ids", "only a loaded (picked_up) report names them")
        if not isinstance(self.casualty_ids, tuple) or not self.casualty_ids:
            raise InvalidEventError("casualty_ids", "name at least one casualty, or leave it out")
        for index, casualty in enumerate(self.casualty_ids):
            check_uuid(f"casualty_ids[{index}]", casualty)


OPERATION_EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.kind: cls
    for cls in (
        UnitRegistered, UserRegistered, UserDisabled, UserPasswordChanged, UserReassigned,
        VehicleRegistered,
        VehiclePositionReported, VehicleStatusChanged, FacilityRegistered,
        FacilityCapacityReported, FacilityStatusReported, PointRegistered, ThreatAreaDrawn,
        ThreatAreaWithdrawn, EvacuationRequestFiled, RequestAcknowledged, RequestRedirected,
        RequestCancelled, MissionAssigned, MissionStatusChanged,
    )
}  # fmt: skip
