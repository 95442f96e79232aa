"""Closed lists of the operational picture."""

from __future__ import annotations

from enum import Enum


class Role(Enum):
    """What a user does, which decides what they may see and write."""

    MEDIC = "medic"
    COORDINATOR = "coordinator"  # evacuation coordinator of a sector
    FACILITY = "facility"  # a receiving facility's clinician
    ANALYST = "analyst"  # commander or analyst: de-identified statistics only
    #: A vehicle's crew (or the medic riding it): a user of the crew's unit, which owns the
    #: vehicle; sees the missions of its unit's vehicles and the casualties they carry.
    CREW = "crew"
    ADMIN = "admin"


class UnitKind(Enum):
    """A node of the unit tree: military echelons, or the civilian equivalents."""

    BRIGADE = "brigade"
    BATTALION = "battalion"
    COMPANY = "company"
    PLATOON = "platoon"
    REGION = "region"
    SERVICE = "service"
    CREW = "crew"
    FACILITY = "facility"


class VehicleKind(Enum):
    """What carries casualties."""

    GROUND_AMBULANCE = "ground_ambulance"
    ARMOURED_EVACUATION = "armoured_evacuation"
    HELICOPTER = "helicopter"
    BOAT = "boat"


class VehicleStatus(Enum):
    """Where a vehicle is in its cycle."""

    AVAILABLE = "available"
    ASSIGNED = "assigned"
    EN_ROUTE = "en_route"
    LOADING = "loading"
    TRANSPORTING = "transporting"
    UNAVAILABLE = "unavailable"


class FacilityRole(Enum):
    """NATO medical role of a facility, or a civilian hospital's level."""

    ROLE_1 = "role_1"
    ROLE_2 = "role_2"
    ROLE_3 = "role_3"
    ROLE_4 = "role_4"
    CIVILIAN_LEVEL_1 = "civilian_level_1"  # major trauma centre
    CIVILIAN_LEVEL_2 = "civilian_level_2"
    CIVILIAN_LEVEL_3 = "civilian_level_3"
    STABILISATION_POINT = "stabilisation_point"


class Capability(Enum):
    """What a facility can treat."""

    SURGERY = "surgery"
    BLOOD = "blood"
    BURNS = "burns"
    NEUROSURGERY = "neurosurgery"
    PAEDIATRICS = "paediatrics"
    ICU = "icu"
    IMAGING = "imaging"


class FacilityStatus(Enum):
    """Whether a facility takes casualties now (EMResource's open / diversion / closed)."""

    OPEN = "open"
    DIVERTING = "diverting"  # asks that casualties go elsewhere: none is sent there
    CLOSED = "closed"


class PointKind(Enum):
    """Named places on the evacuation route."""

    PICKUP = "pickup"
    AMBULANCE_EXCHANGE = "ambulance_exchange"
    CASUALTY_COLLECTION = "casualty_collection"
    LANDING_ZONE = "landing_zone"


class ThreatKind(Enum):
    """What makes an area dangerous to enter."""

    SHELLING = "shelling"
    CLUSTER_MUNITIONS = "cluster_munitions"
    MINES = "mines"
    DIRECT_FIRE = "direct_fire"
    DRONES = "drones"
    OTHER = "other"


class RequestStatus(Enum):
    """An evacuation request's state."""

    REQUESTED = "requested"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    EN_ROUTE = "en_route"
    PICKED_UP = "picked_up"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"


class MissionStatus(Enum):
    """A mission's state: a vehicle sent to serve requests (the crew reports each step)."""

    ASSIGNED = "assigned"
    EN_ROUTE = "en_route"
    AT_PICKUP = "at_pickup"
    PICKED_UP = "picked_up"  # loaded
    AT_FACILITY = "at_facility"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"
