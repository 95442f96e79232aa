"""Events of the operational picture validate their fields and round-trip through the wire form."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from goldenhour.domain.codec import decode_event, encode_event
from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    FacilityRegistered,
    MissionAssigned,
    ThreatAreaDrawn,
    UnitRegistered,
    VehicleRegistered,
)
from goldenhour.domain.operations.vocabulary import (
    Capability,
    FacilityRole,
    ThreatKind,
    UnitKind,
    VehicleKind,
)
from goldenhour.domain.registry import ALL_EVENT_TYPES, STREAMS
from goldenhour.domain.triage.categories import Precedence

from builders import at

ENVELOPE = {"occurred_at": at(0), "recorded_at": at(0), "author": "coordinator", "device": "laptop"}
UNIT = uuid4()
HERE = Position(lat=48.9172, lon=38.2297)
HERE_EAST = Position(lat=48.91, lon=38.25)


def examples() -> list[DomainEvent]:
    return [
        UnitRegistered(event_id=uuid4(), unit_id=UNIT, name="2nd company",
                       unit_kind=UnitKind.COMPANY, **ENVELOPE),
        VehicleRegistered(event_id=uuid4(), vehicle_id=uuid4(), call_sign="BUHAI 2",
                          vehicle_kind=VehicleKind.ARMOURED_EVACUATION, unit_id=UNIT, litter=2,
                          seated=4, base=HERE, **ENVELOPE),
        FacilityRegistered(event_id=uuid4(), facility_id=uuid4(), name="Kramatorsk hospital",
                           role=FacilityRole.ROLE_3,
                           capabilities=frozenset({Capability.SURGERY, Capability.BLOOD}),
                           position=Position(lat=48.7389, lon=37.5848), unit_id=UNIT, **ENVELOPE),
        ThreatAreaDrawn(event_id=uuid4(), area_id=uuid4(), threat_kind=ThreatKind.SHELLING,
                        unit_id=UNIT, starts_at=at(0), ends_at=at(120), centre=HERE,
                        radius_m=1500.0, **ENVELOPE),
        ThreatAreaDrawn(event_id=uuid4(), area_id=uuid4(), threat_kind=ThreatKind.MINES,
                        unit_id=UNIT, starts_at=at(0),
                        polygon=(HERE, Position(lat=48.92, lon=38.24), HERE_EAST),
                        **ENVELOPE),
        EvacuationRequestFiled(event_id=uuid4(), request_id=uuid4(), unit_id=UNIT,
                               casualty_ids=(uuid4(), uuid4()), pickup=HERE,
                               precedence=Precedence.URGENT_SURGICAL, **ENVELOPE),
        MissionAssigned(event_id=uuid4(), mission_id=uuid4(), vehicle_id=uuid4(),
                        request_ids=(uuid4(),), destination_id=uuid4(), unit_id=UNIT, **ENVELOPE),
    ]  # fmt: skip


@pytest.mark.parametrize("event", examples(), ids=lambda e: e.kind)
def test_every_operation_event_round_trips_through_json(event: DomainEvent) -> None:
    assert decode_event(json.loads(json.dumps(encode_event(event)))) == event


def test_every_event_kind_belongs_to_one_named_stream() -> None:
    assert {"casualty", "unit", "user", "vehicle", "facility", "point", "threat", "request",
            "mission"} == set(STREAMS)  # fmt: skip
    assert all(cls.stream in STREAMS for cls in ALL_EVENT_TYPES.values())


def test_a_threat_area_is_a_circle_or_a_polygon_not_both() -> None:
    with pytest.raises(InvalidEventError) as raised:
        ThreatAreaDrawn(event_id=uuid4(), area_id=uuid4(), threat_kind=ThreatKind.SHELLING,
                        unit_id=UNIT, starts_at=at(0), centre=HERE, radius_m=100.0,
                        polygon=(HERE, HERE, HERE), **ENVELOPE)  # fmt: skip
    assert raised.value.field == "polygon"


def test_a_threat_window_must_end_after_it_starts() -> None:
    with pytest.raises(InvalidEventError) as raised:
        ThreatAreaDrawn(event_id=uuid4(), area_id=uuid4(), threat_kind=ThreatKind.SHELLING,
                        unit_id=UNIT, starts_at=at(60), ends_at=at(30), centre=HERE,
                        radius_m=100.0, **ENVELOPE)  # fmt: skip
    assert raised.value.field == "ends_at"


def test_a_vehicle_needs_a_place_for_someone() -> None:
    with pytest.raises(InvalidEventError) as raised:
        VehicleRegistered(event_id=uuid4(), vehicle_id=uuid4(), call_sign="X",
                          vehicle_kind=VehicleKind.BOAT, unit_id=UNIT, litter=0, seated=0,
                          **ENVELOPE)  # fmt: skip
    assert raised.value.field == "litter"


def test_a_request_names_its_casualties() -> None:
    with pytest.raises(InvalidEventError) as raised:
        EvacuationRequestFiled(event_id=uuid4(), request_id=uuid4(), unit_id=UNIT,
                               casualty_ids=(), pickup=HERE, precedence=Precedence.URGENT,
                               **ENVELOPE)  # fmt: skip
    assert raised.value.field == "casualty_ids"
