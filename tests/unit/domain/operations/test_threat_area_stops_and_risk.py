"""A drawn threat area may say which vehicle kinds it stops and its risk per pass (issue 18):
both are checked naming the field, round-trip through the wire form and fold into its state."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest

from goldenhour.domain.codec import decode_event, encode_event
from goldenhour.domain.errors import InvalidEventError
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import ThreatAreaDrawn
from goldenhour.domain.operations.state import fold_stream
from goldenhour.domain.operations.vocabulary import ThreatKind, VehicleKind

from builders import at

ENVELOPE = {"occurred_at": at(0), "recorded_at": at(0), "author": "coordinator", "device": "laptop"}
GROUND = frozenset({VehicleKind.GROUND_AMBULANCE, VehicleKind.ARMOURED_EVACUATION})


def drawn(**fields: Any) -> ThreatAreaDrawn:
    return ThreatAreaDrawn(event_id=uuid4(), area_id=uuid4(), threat_kind=ThreatKind.DRONES,
                           unit_id=uuid4(), starts_at=at(0), centre=Position(lat=48.9, lon=38.2),
                           radius_m=1500.0, **ENVELOPE, **fields)  # fmt: skip


@pytest.mark.parametrize(
    "fields",
    [{}, {"stops": GROUND}, {"stops": frozenset(), "risk": 0.05}, {"stops": GROUND, "risk": 0.0}],
)
def test_the_kinds_and_risk_round_trip_and_fold(fields: dict[str, Any]) -> None:
    event = drawn(**fields)
    assert decode_event(json.loads(json.dumps(encode_event(event)))) == event
    state = fold_stream([event])
    stops = fields.get("stops")
    assert state["stops"] == (None if stops is None else sorted(k.value for k in stops))
    assert state["risk"] == fields.get("risk")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"stops": frozenset()}, "stops"),  # stops nothing, no risk: no effect
        ({"stops": frozenset(), "risk": 0.0}, "stops"),
        ({"stops": frozenset({"tank"})}, "stops"),
        ({"risk": 1.5}, "risk"),
        ({"risk": -0.1}, "risk"),
        ({"risk": float("nan")}, "risk"),
        ({"risk": True}, "risk"),
    ],
)
def test_a_bad_kind_or_risk_is_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidEventError) as raised:
        drawn(**fields)
    assert raised.value.field == field
