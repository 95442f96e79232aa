"""A drawn threat area says which vehicle kinds it stops, or that it only raises risk: the API
refuses bad values naming the field, stores them, serves them, and the live plan honours them.

The world is the demo scenario (see test_plan_endpoint), its own threat areas withdrawn, and a
helicopter added at Kramatorsk; an area is drawn over the Bilohorivka pickup, open for hours.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from test_plan_endpoint import DEMO_CASUALTY_ID, DEMO_THREATS, Login, make, plan, post

from goldenhour.demo.bilohorivka import PICKUP_SITE
from goldenhour.demo.scenario import BATTALION, KRAMATORSK
from goldenhour.domain.operations.events import (
    ThreatAreaDrawn,
    ThreatAreaWithdrawn,
    VehiclePositionReported,
    VehicleRegistered,
    VehicleStatusChanged,
)
from goldenhour.domain.operations.vocabulary import ThreatKind, VehicleKind, VehicleStatus

GROUND = frozenset({VehicleKind.GROUND_AMBULANCE, VehicleKind.ARMOURED_EVACUATION})
HELICOPTER = uuid4()


def threat(**fields: Any) -> dict[str, Any]:
    """Return the wire form of an area over the pickup, open from an hour ago for four hours."""
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "area_id": uuid4(), "threat_kind": ThreatKind.DRONES, "unit_id": BATTALION,
        "starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(hours=4),
        "centre": PICKUP_SITE, "radius_m": 3000.0,
    }  # fmt: skip
    values.update(fields)
    return make(ThreatAreaDrawn, **values)


def world_with_a_helicopter(client: TestClient, headers: dict[str, str]) -> None:
    """Withdraw the demo's areas and put a helicopter on the ground at Kramatorsk."""
    post(client, headers, *[make(ThreatAreaWithdrawn, area_id=area) for area in DEMO_THREATS])
    post(
        client, headers,
        make(VehicleRegistered, vehicle_id=HELICOPTER, call_sign="SOKIL 1",
             vehicle_kind=VehicleKind.HELICOPTER, unit_id=BATTALION, litter=2, seated=2,
             base=KRAMATORSK),
        make(VehiclePositionReported, vehicle_id=HELICOPTER, position=KRAMATORSK),
        make(VehicleStatusChanged, vehicle_id=HELICOPTER, status=VehicleStatus.AVAILABLE),
    )  # fmt: skip


def departures(body: dict[str, Any]) -> dict[str, float | None]:
    """Return, per vehicle the plan sends to the pickup, its wait before setting off."""
    return {
        s["call_sign"]: s["explanation"]["sets_off_in_min"]
        for s in body["suggestions"]
        if s["pickup"] == {"lat": PICKUP_SITE.lat, "lon": PICKUP_SITE.lon}
    }


def test_a_ground_only_area_lets_the_helicopter_go_and_holds_the_ground_vehicles(
    client: TestClient, login: Login
) -> None:
    headers = login("coordinator")
    world_with_a_helicopter(client, headers)
    post(client, headers, threat(stops=GROUND))
    body = plan(client, headers)
    waits = departures(body)
    assert waits.get("SOKIL 1", "absent") is None  # sets off now
    lys = [s for s in body["suggestions"]
           if str(DEMO_CASUALTY_ID) in {c["casualty_id"] for c in s["casualties"]}]  # fmt: skip
    assert [s["call_sign"] for s in lys] == ["SOKIL 1"]
    # A ground vehicle sent to the pickup waits until the area closes (about 4 hours).
    for call_sign, wait in waits.items():
        if call_sign != "SOKIL 1":
            assert wait is not None and wait > 200, waits


def test_an_area_drawn_without_kinds_still_holds_every_vehicle(
    client: TestClient, login: Login
) -> None:
    headers = login("coordinator")
    world_with_a_helicopter(client, headers)
    post(client, headers, threat())
    waits = departures(plan(client, headers))
    assert waits and all(wait is not None and wait > 200 for wait in waits.values()), waits


def test_a_risk_only_area_holds_no_vehicle(client: TestClient, login: Login) -> None:
    headers = login("coordinator")
    world_with_a_helicopter(client, headers)
    post(client, headers, threat(stops=frozenset(), risk=0.05))
    waits = departures(plan(client, headers))
    assert waits and all(wait is None for wait in waits.values()), waits


def test_the_kinds_and_risk_are_stored_and_served(client: TestClient, login: Login) -> None:
    headers = login("coordinator")
    ground, risky, plain = (
        threat(stops=GROUND),
        threat(stops=frozenset(), risk=0.05),
        threat(),
    )
    post(client, headers, ground, risky, plain)
    served = {r["id"]: r for r in client.get("/api/v1/threats", headers=headers).json()["records"]}
    assert sorted(served[ground["area_id"]]["stops"]) == ["armoured_evacuation", "ground_ambulance"]
    assert served[ground["area_id"]]["risk"] is None
    assert served[risky["area_id"]]["stops"] == [] and served[risky["area_id"]]["risk"] == 0.05
    assert served[plain["area_id"]]["stops"] is None  # every kind, as before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"stops": ["tank"]}, "stops[0]"),
        ({"stops": "helicopter"}, "stops"),
        ({"risk": 1.5}, "risk"),
        ({"risk": "high"}, "risk"),
        ({"stops": []}, "stops"),  # stops nothing and has no risk: no effect
    ],
)
def test_a_bad_kind_or_risk_is_refused_naming_the_field(
    client: TestClient, login: Login, fields: dict[str, Any], field: str
) -> None:
    headers = login("coordinator")
    good = threat()
    bad = {**threat(), **fields}
    response = client.post("/api/v1/events", json={"events": [good, bad]}, headers=headers)
    assert response.status_code == 200, response.text
    accepted, refused = response.json()["results"]
    assert accepted["outcome"] == "accepted"  # what was good is kept
    assert (refused["outcome"], refused["field"]) == ("invalid", field), refused
    served = {r["id"] for r in client.get("/api/v1/threats", headers=headers).json()["records"]}
    assert good["area_id"] in served and bad["area_id"] not in served
