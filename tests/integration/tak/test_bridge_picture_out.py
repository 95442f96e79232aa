"""Golden Hour's requests, casualties, threat areas and vehicles reach a TAK client through taky.

The medic files a request in Golden Hour (a casualty and an ``evacuation_request_filed`` with
its 9-line text); the coordinator draws a shelling area and a vehicle reports its position.
A plain TAK client on the same taky receives them from the bridge as ATAK would draw them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from medic_requests import NINE_LINE, envelope, file_request, wire
from tak_servers import BridgeProcess, GoldenHour, TakClient

from goldenhour.adapters.cot import (
    CircleArea,
    MedevacMarker,
    PositionReport,
    ThreatKind,
    ThreatShape,
)
from goldenhour.domain.geo.mgrs import to_mgrs
from goldenhour.domain.geo.position import Position
from goldenhour.domain.medevac.nine_line_text import parse_nine_line
from goldenhour.domain.operations.events import (
    ThreatAreaDrawn,
    VehiclePositionReported,
)
from goldenhour.domain.operations.vocabulary import ThreatKind as GoldenHourThreat

pytestmark = pytest.mark.timeout(120)


def test_a_request_made_in_golden_hour_reaches_a_tak_client_with_its_nine_line(
    bridge: BridgeProcess, golden_hour: GoldenHour, tak_client: Callable[..., TakClient]
) -> None:
    atak = tak_client(f"atak-{uuid4()}")
    request, casualty = file_request(golden_hour, roster=f"KA{uuid4().hex[:4]}")

    drawn = atak.wait_for_event(
        lambda e: e.uid == f"goldenhour.request.{request}", what="the request marker"
    )

    assert drawn.type == "b-r-f-h-c"
    assert isinstance(drawn.meaning, MedevacMarker)
    assert drawn.meaning.nine_line == parse_nine_line(NINE_LINE)
    assert drawn.callsign == "KALYNA 21"
    (zmist,) = drawn.meaning.mists
    assert "P 124" in " ".join(zmist.mist.signs)
    shown = atak.wait_for_event(
        lambda e: e.uid == f"goldenhour.casualty.{casualty}", what="the casualty marker"
    )
    assert isinstance(shown.meaning, MedevacMarker)
    assert to_mgrs(shown.point.lat, shown.point.lon) == parse_nine_line(NINE_LINE).location


def test_threat_areas_and_vehicle_positions_reach_a_tak_client(
    bridge: BridgeProcess, golden_hour: GoldenHour, tak_client: Callable[..., TakClient]
) -> None:
    atak = tak_client(f"atak-{uuid4()}")
    coordinator = golden_hour.login("coordinator")
    vehicle = golden_hour.get("coordinator", "/api/v1/vehicles")["records"][0]
    area = uuid4()
    golden_hour.post_events(
        "coordinator",
        wire(
            ThreatAreaDrawn(
                **envelope("coordinator"), area_id=area, threat_kind=GoldenHourThreat.SHELLING,
                unit_id=UUID(coordinator["unit_id"]), starts_at=datetime.now(UTC),
                ends_at=datetime.now(UTC) + timedelta(hours=6),
                centre=Position(lat=48.92, lon=38.24), radius_m=800.0, notes="120 mm mortar",
            ),
            VehiclePositionReported(
                **envelope("coordinator"), vehicle_id=UUID(vehicle["vehicle_id"]),
                position=Position(lat=48.91, lon=38.21), heading_deg=90.0, speed_kmh=36.0,
            ),
        ),
    )  # fmt: skip

    shape = atak.wait_for_event(lambda e: e.uid == f"goldenhour.threat.{area}", what="threat")
    pli = atak.wait_for_event(
        lambda e: (
            e.uid == f"goldenhour.vehicle.{vehicle['vehicle_id']}"
            and abs(e.point.lat - 48.91) < 1e-6
        ),
        what="the vehicle's position",
    )

    assert shape.type == "u-d-c-c"
    assert shape.meaning == ThreatShape(
        kind=ThreatKind.INDIRECT_FIRE, area=CircleArea(major_m=800.0, minor_m=800.0)
    )
    assert (shape.point.lat, shape.point.lon) == (48.92, 38.24)
    assert "120 mm mortar" in (shape.remarks or "")
    assert pli.type.startswith("a-f-G-E-V")
    assert pli.callsign == vehicle["call_sign"]
    assert isinstance(pli.meaning, PositionReport)
    assert (pli.meaning.course, pli.meaning.speed) == (90.0, 10.0)
