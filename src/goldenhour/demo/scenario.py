"""The demo scenario for the server: Bilohorivka, June 2022, as a stream of events.

Everything is timed from ``anchor``, the moment the first casualty was hit, and every id is a
UUID 5 of a fixed name: building the scenario again from the same anchor gives the same events,
so seeding twice stores everything once. Units, vehicles and call signs are invented; places and
hospitals are real (coordinates from open maps, rounded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from goldenhour.demo.bilohorivka import (
    AMBULANCE_EXCHANGE_POINT,
    BILOHORIVKA,
    DEMO_CASUALTY_ID,
    PICKUP_SITE,
    demo_casualty_events,
    demo_id,
)
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EvacuationRequested,
    InjuryRecorded,
    TreatmentGiven,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    Avpu,
    BodyRegion,
    BodyView,
    EvacuationPosition,
    InjuryKind,
    Intervention,
    Laterality,
    Mechanism,
    PersonStatus,
    PulseSite,
)
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    FacilityCapacityReported,
    FacilityRegistered,
    PointRegistered,
    ThreatAreaDrawn,
    UnitRegistered,
    VehiclePositionReported,
    VehicleRegistered,
    VehicleStatusChanged,
)
from goldenhour.domain.operations.vocabulary import (
    Capability,
    FacilityRole,
    PointKind,
    Role,
    ThreatKind,
    UnitKind,
    VehicleKind,
    VehicleStatus,
)
from goldenhour.domain.triage.categories import Precedence

_E = TypeVar("_E", bound=DomainEvent)

BRIGADE = demo_id("unit/brigade")
BATTALION = demo_id("unit/battalion")
COMPANY = demo_id("unit/company")
MEDICAL_COMPANY = demo_id("unit/medical-company")
#: The crew of the ambulance KALYNA 22, a unit of the battalion that owns its vehicle.
KALYNA_22_CREW = demo_id("unit/kalyna-22-crew")

SIVERSK_STABILISATION = Position(lat=48.8650, lon=38.0950)
KRAMATORSK = Position(lat=48.7389, lon=37.5848)
SLOVIANSK = Position(lat=48.8530, lon=37.6050)
DNIPRO = Position(lat=48.4647, lon=35.0462)
ROAD_TO_VILLAGE = Position(lat=48.9050, lon=38.2000)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoUser:
    """A demo login: its name, role, unit and (for facility staff) facility."""

    username: str
    role: Role
    unit_id: Any
    facility_id: Any = None

    @property
    def user_id(self) -> Any:
        """Return the user's stable id."""
        return demo_id(f"user/{self.username}")


STABILISATION_POINT_ID = demo_id("facility/siversk-stabilisation")
KRAMATORSK_HOSPITAL_ID = demo_id("facility/kramatorsk")

DEMO_USERS = (
    DemoUser(username="medic", role=Role.MEDIC, unit_id=COMPANY),
    DemoUser(username="coordinator", role=Role.COORDINATOR, unit_id=BATTALION),
    DemoUser(username="facility", role=Role.FACILITY, unit_id=MEDICAL_COMPANY,
             facility_id=KRAMATORSK_HOSPITAL_ID),
    DemoUser(username="analyst", role=Role.ANALYST, unit_id=BRIGADE),
    DemoUser(username="crew", role=Role.CREW, unit_id=KALYNA_22_CREW),
    DemoUser(username="admin", role=Role.ADMIN, unit_id=BRIGADE),
)  # fmt: skip


def _make(cls: type[_E], anchor: datetime, key: str, minutes: float, /, **fields: Any) -> _E:
    moment = anchor + timedelta(minutes=minutes)
    envelope: dict[str, Any] = {
        "author": "coordinator", "device": "demo-coordinator-laptop", **fields,
        "event_id": demo_id(f"event/{key}"), "occurred_at": moment, "recorded_at": moment,
    }  # fmt: skip
    return cls(**envelope)


def picture_events(anchor: datetime) -> list[DomainEvent]:
    """Return the units, facilities, points, vehicles and threat areas of the scenario."""

    def make(cls: type[_E], key: str, minutes: float, /, **fields: Any) -> _E:
        return _make(cls, anchor, key, minutes, **fields)

    units = [
        make(UnitRegistered, "unit/brigade", -60, unit_id=BRIGADE, name="Demo brigade",
             unit_kind=UnitKind.BRIGADE),
        make(UnitRegistered, "unit/battalion", -60, unit_id=BATTALION, name="1st battalion",
             unit_kind=UnitKind.BATTALION, parent_id=BRIGADE),
        make(UnitRegistered, "unit/company", -60, unit_id=COMPANY, name="2nd company",
             unit_kind=UnitKind.COMPANY, parent_id=BATTALION),
        make(UnitRegistered, "unit/medical-company", -60, unit_id=MEDICAL_COMPANY,
             name="Medical company", unit_kind=UnitKind.COMPANY, parent_id=BRIGADE),
        make(UnitRegistered, "unit/kalyna-22-crew", -60, unit_id=KALYNA_22_CREW,
             name="KALYNA 22 crew", unit_kind=UnitKind.CREW, parent_id=BATTALION),
    ]  # fmt: skip
    facilities = [
        ("siversk-stabilisation", "Stabilisation point, Siversk", FacilityRole.STABILISATION_POINT,
         {Capability.BLOOD}, SIVERSK_STABILISATION, (4, 0)),
        ("kramatorsk", "Kramatorsk city hospital", FacilityRole.ROLE_2,
         {Capability.SURGERY, Capability.BLOOD, Capability.IMAGING}, KRAMATORSK, (12, 2)),
        ("sloviansk", "Sloviansk hospital", FacilityRole.ROLE_2,
         {Capability.SURGERY, Capability.BLOOD}, SLOVIANSK, (8, 1)),
        ("dnipro", "Mechnikov hospital, Dnipro", FacilityRole.ROLE_3,
         {Capability.SURGERY, Capability.BLOOD, Capability.BURNS, Capability.NEUROSURGERY,
          Capability.PAEDIATRICS, Capability.ICU, Capability.IMAGING}, DNIPRO, (40, 6)),
    ]  # fmt: skip
    facility_events: list[DomainEvent] = []
    for key, name, role, capabilities, position, (beds, tables) in facilities:
        facility = demo_id(f"facility/{key}")
        facility_events.append(
            make(
                FacilityRegistered,
                f"facility/{key}",
                -50,
                facility_id=facility,
                name=name,
                role=role,
                capabilities=frozenset(capabilities),
                position=position,
                unit_id=MEDICAL_COMPANY,
            )  # fmt: skip
        )
        facility_events.append(
            make(
                FacilityCapacityReported,
                f"facility/{key}/capacity",
                -40,
                facility_id=facility,
                beds_free=beds,
                operating_tables_free=tables,
            )  # fmt: skip
        )
    points = [
        make(PointRegistered, "point/pickup", -30, point_id=demo_id("point/pickup"),
             point_kind=PointKind.PICKUP, name="Roadblock pickup, Bilohorivka",
             position=PICKUP_SITE,
             unit_id=COMPANY, notes="guarded by soldiers; under shelling"),
        make(PointRegistered, "point/exchange", -30, point_id=demo_id("point/exchange"),
             point_kind=PointKind.AMBULANCE_EXCHANGE, name="Ambulance exchange point",
             position=AMBULANCE_EXCHANGE_POINT, unit_id=BATTALION,
             notes="ambulance waits here, outside the shellfire"),
    ]  # fmt: skip
    vehicles = [
        ("buhai", "BUHAI 2", VehicleKind.ARMOURED_EVACUATION, 2, 4, PICKUP_SITE, COMPANY,
         VehicleStatus.AVAILABLE),
        ("kalyna", "KALYNA 21", VehicleKind.GROUND_AMBULANCE, 2, 2, AMBULANCE_EXCHANGE_POINT,
         BATTALION, VehicleStatus.AVAILABLE),
        ("kalyna-22", "KALYNA 22", VehicleKind.GROUND_AMBULANCE, 2, 2, SIVERSK_STABILISATION,
         KALYNA_22_CREW, VehicleStatus.AVAILABLE),
    ]  # fmt: skip
    vehicle_events: list[DomainEvent] = []
    for key, call_sign, kind, litter, seated, where, unit, status in vehicles:
        vehicle = demo_id(f"vehicle/{key}")
        # KALYNA 22 moved to its crew's unit: a new event id, so that a demo database seeded
        # before keeps starting (the same id with other content would be a conflict).
        registered = f"vehicle/{key}/crew" if unit == KALYNA_22_CREW else f"vehicle/{key}"
        vehicle_events += [
            make(VehicleRegistered, registered, -45, vehicle_id=vehicle, call_sign=call_sign,
                 vehicle_kind=kind, unit_id=unit, litter=litter, seated=seated, base=where),
            make(VehiclePositionReported, f"vehicle/{key}/position", -5, vehicle_id=vehicle,
                 position=where),
            make(VehicleStatusChanged, f"vehicle/{key}/status", -5, vehicle_id=vehicle,
                 status=status),
        ]  # fmt: skip
    threats = [
        make(ThreatAreaDrawn, "threat/shelling-village", -20, area_id=demo_id("threat/village"),
             threat_kind=ThreatKind.SHELLING, unit_id=BATTALION,
             starts_at=anchor - timedelta(hours=1),
             ends_at=anchor + timedelta(hours=6), centre=BILOHORIVKA, radius_m=2500.0,
             notes="village and its roads constantly shelled"),
        make(ThreatAreaDrawn, "threat/cluster-road", -10, area_id=demo_id("threat/cluster-road"),
             threat_kind=ThreatKind.CLUSTER_MUNITIONS, unit_id=BATTALION, starts_at=anchor,
             ends_at=anchor + timedelta(hours=3), centre=ROAD_TO_VILLAGE, radius_m=800.0,
             notes="missile casing near the last roadblock; unexploded submunitions"),
    ]  # fmt: skip
    return [*units, *facility_events, *points, *vehicle_events, *threats]


def _other_casualties(anchor: datetime) -> list[CasualtyEvent]:
    chest, walking = demo_id("casualty/bilohorivka-2"), demo_id("casualty/bilohorivka-3")

    def make(cls: type[_E], key: str, minutes: float, /, **fields: Any) -> _E:
        return _make(cls, anchor, key, minutes, author="medic", device="demo-phone-01", **fields)

    return [
        make(CasualtyRegistered, "bilohorivka-2/registered", 6, casualty_id=chest,
             identity=Identity(callsign="Mykola", battle_roster="MK3310", age_years=41,
                               status=PersonStatus.OWN_MILITARY),
             injured_at=anchor + timedelta(minutes=4), position=PICKUP_SITE, battle_loss=True),
        make(InjuryRecorded, "bilohorivka-2/injury", 7, casualty_id=chest, region=BodyRegion.CHEST,
             laterality=Laterality.RIGHT, view=BodyView.FRONT,
             kinds=frozenset({InjuryKind.FRAGMENT, InjuryKind.CAVITY}),
             mechanisms=frozenset({Mechanism.ARTILLERY}), description="penetrating chest wound"),
        make(TreatmentGiven, "bilohorivka-2/chest-seal", 8, casualty_id=chest,
             intervention=Intervention.CHEST_SEAL, detail="vented"),
        make(VitalsRecorded, "bilohorivka-2/vitals", 9, casualty_id=chest, pulse=124,
             pulse_site=PulseSite.RADIAL, respiratory_rate=28, spo2=89, avpu=Avpu.VOICE,
             walking=False, breathing=True, radial_pulse=True, follows_commands=True),
        make(EvacuationRequested, "bilohorivka-2/evacuation", 11, casualty_id=chest,
             request_id=demo_id("request/bilohorivka-1"), precedence=Precedence.URGENT_SURGICAL,
             position=EvacuationPosition.LITTER, pickup=PICKUP_SITE),
        make(CasualtyRegistered, "bilohorivka-3/registered", 12, casualty_id=walking,
             identity=Identity(callsign="Leto", status=PersonStatus.OWN_MILITARY),
             injured_at=anchor + timedelta(minutes=5), position=PICKUP_SITE, battle_loss=True),
        make(InjuryRecorded, "bilohorivka-3/injury", 13, casualty_id=walking,
             region=BodyRegion.FOREARM, laterality=Laterality.LEFT,
             kinds=frozenset({InjuryKind.FRAGMENT, InjuryKind.SOFT_TISSUE}),
             mechanisms=frozenset({Mechanism.ARTILLERY})),
        make(VitalsRecorded, "bilohorivka-3/vitals", 14, casualty_id=walking, walking=True,
             pulse=96, respiratory_rate=18, pain=3),
    ]  # fmt: skip


def scenario_events(anchor: datetime) -> list[DomainEvent]:
    """Return the whole scenario: the picture, three casualties, and the 9-line request filed."""
    casualties: list[DomainEvent] = [
        *demo_casualty_events(injured_at=anchor),
        *_other_casualties(anchor),
    ]
    request = _make(
        EvacuationRequestFiled, anchor, "request/bilohorivka-1", 12,
        request_id=demo_id("request/bilohorivka-1"), unit_id=COMPANY,
        casualty_ids=(
            DEMO_CASUALTY_ID, demo_id("casualty/bilohorivka-2"), demo_id("casualty/bilohorivka-3"),
        ),
        pickup=PICKUP_SITE, pickup_point_id=demo_id("point/pickup"),
        precedence=Precedence.URGENT_SURGICAL,
    )  # fmt: skip
    return [*picture_events(anchor), *casualties, request]
