"""A vehicle's crew (issue 17 item 6): it sees its mission and the casualties it carries, reports
each step with one event, and the coordinator's vehicles, the facility's ETA and the plan follow.

The demo's ambulance KALYNA 22 belongs to the unit "KALYNA 22 crew", whose user is ``crew``; the
coordinator sends it for the demo request (three casualties at the Bilohorivka pickup) to
Kramatorsk, the demo facility user's hospital. A crew of another vehicle sees none of it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from test_plan_endpoint import DEMO_CASUALTIES, DEMO_REQUEST, Login, plan

from demo_login import DEMO_PASSWORD
from goldenhour.adapters.passwords import hash_password
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.tables import audit_log
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID, demo_id
from goldenhour.demo.scenario import BATTALION, KRAMATORSK_HOSPITAL_ID
from goldenhour.domain.casualty.events import MedicationGiven, VitalsRecorded
from goldenhour.domain.casualty.vocabulary import DrugClass, Route
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import (
    MissionAssigned,
    MissionStatusChanged,
    VehicleStatusChanged,
)
from goldenhour.domain.operations.vocabulary import MissionStatus, Role, UnitKind, VehicleStatus
from goldenhour.services import admin

_E = TypeVar("_E", bound=DomainEvent)
KALYNA_22 = demo_id("vehicle/kalyna-22")
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def _now() -> None:
    """Time each test's events from when it starts: the demo is seeded afresh for each (its
    vehicles reported available 45 minutes before), and a run may last many minutes."""
    global NOW  # noqa: PLW0603 - the events and the ETAs expected are timed from it
    NOW = datetime.now(UTC).replace(microsecond=0)


def make(cls: type[_E], minutes_ago: float, /, **fields: Any) -> dict[str, Any]:
    """Return the wire form of a fresh event of ``cls``, written ``minutes_ago``."""
    moment = NOW - timedelta(minutes=minutes_ago)
    event = cls(event_id=uuid4(), occurred_at=moment, recorded_at=moment, author="tester",
                device="crew-phone", **fields)  # fmt: skip
    return encode_event(event)


def send(client: TestClient, headers: dict[str, str], *events: dict[str, Any]) -> list[Any]:
    """Post a batch; return each event's answer."""
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=headers)
    assert response.status_code == 200, response.text
    results: list[Any] = response.json()["results"]
    return results


def assign(client: TestClient, login: Login) -> UUID:
    """Send KALYNA 22 for the demo request to Kramatorsk, 40 minutes ago; return the mission."""
    mission = uuid4()
    events = [
        make(MissionAssigned, 40, mission_id=mission, vehicle_id=KALYNA_22,
             request_ids=(DEMO_REQUEST,), destination_id=KRAMATORSK_HOSPITAL_ID,
             unit_id=BATTALION, eta_pickup=NOW - timedelta(minutes=20),
             eta_destination=NOW + timedelta(minutes=35)),
        make(VehicleStatusChanged, 40, vehicle_id=KALYNA_22, status=VehicleStatus.ASSIGNED),
    ]  # fmt: skip
    assert {r["outcome"] for r in send(client, login("coordinator"), *events)} == {"accepted"}
    return mission


def report(mission: UUID, minutes_ago: float, status: MissionStatus, **fields: Any) -> Any:
    return make(MissionStatusChanged, minutes_ago, mission_id=mission, status=status, **fields)


def record(client: TestClient, headers: dict[str, str], path: str, record_id: UUID) -> Any:
    response = client.get(path, headers=headers, params={"limit": 1000})
    assert response.status_code == 200, response.text
    found = [item for item in response.json()["records"] if item["id"] == str(record_id)]
    return found[0] if found else None


def audited(engine: Engine, *, username: str, action: str, casualty: UUID) -> int:
    query = select(func.count()).select_from(audit_log).where(
        audit_log.c.username == username, audit_log.c.action == action,
        audit_log.c.target_id == str(casualty),
    )  # fmt: skip
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_a_crew_sees_its_mission_and_the_cards_it_carries_once_assigned(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    crew = login("crew")
    card = f"/api/v1/casualties/{DEMO_CASUALTY_ID}"
    before = client.get(card, headers=crew).status_code
    mission = assign(client, login)
    after = client.get(card, headers=crew)
    assert (before, after.status_code) == (404, 200)
    assert audited(seeded, username="crew", action="read", casualty=DEMO_CASUALTY_ID) == 1
    seen = record(client, crew, "/api/v1/missions", mission)
    assert seen is not None and seen["vehicle_id"] == str(KALYNA_22)
    assert record(client, crew, "/api/v1/requests", DEMO_REQUEST) is not None


def test_each_report_moves_the_coordinators_view_the_facilitys_eta_and_the_plan(
    client: TestClient, login: Login
) -> None:
    crew, coordinator, facility = login("crew"), login("coordinator"), login("facility")
    mission = assign(client, login)
    planned = datetime.fromisoformat(record(client, facility, "/api/v1/missions", mission)[
        "eta_destination"])  # fmt: skip

    def state() -> Any:
        return record(client, coordinator, "/api/v1/missions", mission)

    # Left 10 minutes late: the facility's ETA moves 10 minutes.
    assert send(client, crew, report(mission, 30, MissionStatus.EN_ROUTE))[0]["outcome"] == (
        "accepted"
    )
    seen = record(client, facility, "/api/v1/missions", mission)
    assert seen["status"] == "en_route"
    assert datetime.fromisoformat(seen["eta_destination"]) == planned + timedelta(minutes=10)
    send(client, crew, report(mission, 12, MissionStatus.AT_PICKUP))
    assert state()["status"] == "at_pickup"
    # Loaded 8 minutes ago; the planned leg to Kramatorsk is 55 minutes: due in 47.
    loaded = report(mission, 8, MissionStatus.PICKED_UP, casualty_ids=DEMO_CASUALTIES)
    assert send(client, crew, loaded)[0]["outcome"] == "accepted"
    seen = record(client, facility, "/api/v1/missions", mission)
    assert datetime.fromisoformat(seen["eta_destination"]) == NOW + timedelta(minutes=47)
    assert seen["loaded_casualty_ids"] == [str(c) for c in DEMO_CASUALTIES]
    left = {item["id"]: item["code"] for item in plan(client, coordinator)["left_out"]}
    assert all(left.get(str(c)) == "on_mission" for c in DEMO_CASUALTIES)
    send(client, crew, report(mission, 3, MissionStatus.AT_FACILITY))
    seen = record(client, facility, "/api/v1/missions", mission)
    assert (seen["status"], seen["eta_destination"]) == (
        "at_facility",
        (NOW - timedelta(minutes=3)).isoformat(),
    )
    send(client, crew, report(mission, 2, MissionStatus.HANDED_OVER))
    assert state()["status"] == "handed_over"
    # Handed over but not yet reported available: the plan does not count on the ambulance.
    left = {item["id"]: item["code"] for item in plan(client, coordinator)["left_out"]}
    assert left.get(str(KALYNA_22)) == "busy_elsewhere"
    available = make(VehicleStatusChanged, 1, vehicle_id=KALYNA_22, status=VehicleStatus.AVAILABLE)
    assert send(client, crew, available)[0]["outcome"] == "accepted"
    vehicle = record(client, coordinator, "/api/v1/vehicles", KALYNA_22)
    assert vehicle["status"] == "available"
    left = {item["id"]: item["code"] for item in plan(client, coordinator)["left_out"]}
    assert str(KALYNA_22) not in left


def test_a_report_sent_twice_is_stored_once(client: TestClient, login: Login) -> None:
    crew = login("crew")
    mission = assign(client, login)
    twice = report(mission, 30, MissionStatus.EN_ROUTE)
    first = send(client, crew, twice)[0]
    again = send(client, crew, twice)[0]
    assert (first["outcome"], again["outcome"], again["seq"]) == ("accepted", "duplicate",
                                                                   first["seq"])  # fmt: skip


def test_a_crew_records_en_route_care_on_the_card_it_carries(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    crew = login("crew")
    assign(client, login)
    care = [
        make(VitalsRecorded, 5, casualty_id=DEMO_CASUALTY_ID, pulse=118, systolic=92),
        make(MedicationGiven, 4, casualty_id=DEMO_CASUALTY_ID, drug_class=DrugClass.HEMOSTATIC,
             name="tranexamic acid", dose=1.0, dose_unit="g", route=Route.IV),
    ]  # fmt: skip
    assert {r["outcome"] for r in send(client, crew, *care)} == {"accepted"}
    card = client.get(f"/api/v1/casualties/{DEMO_CASUALTY_ID}", headers=crew).json()["card"]
    assert card["vitals"][-1]["pulse"] == 118
    assert card["medications"][-1]["name"] == "tranexamic acid"
    assert audited(seeded, username="crew", action="write", casualty=DEMO_CASUALTY_ID) == 2


def test_a_crew_may_not_cancel_its_mission(client: TestClient, login: Login) -> None:
    mission = assign(client, login)
    [answer] = send(client, login("crew"), report(mission, 5, MissionStatus.CANCELLED))
    assert (answer["outcome"], answer["field"]) == ("forbidden", "status")


@pytest.fixture
def other_crew(seeded: Engine) -> str:
    """Add the crew of another ambulance of the battalion; return its user name."""
    log = SqlEventLog(seeded)
    now = datetime.now(UTC)
    unit = admin.register_unit(log, name="KALYNA 23 crew", kind=UnitKind.CREW,
                               parent_id=BATTALION, now=now)  # fmt: skip
    admin.add_user(log, username="crew23", password_hash=hash_password(DEMO_PASSWORD),
                   role=Role.CREW, unit_id=unit, now=now)  # fmt: skip
    return "crew23"


def test_the_crew_of_another_vehicle_is_refused_and_its_look_audited(
    client: TestClient, login: Login, seeded: Engine, other_crew: str
) -> None:
    mission = assign(client, login)
    other = login(other_crew)
    [answer] = send(client, other, report(mission, 30, MissionStatus.EN_ROUTE))
    assert (answer["outcome"], answer["field"]) == ("not_found", "mission_id")
    [care] = send(client, other, make(VitalsRecorded, 5, casualty_id=DEMO_CASUALTY_ID, pulse=90))
    assert care["outcome"] == "not_found"
    card = client.get(f"/api/v1/casualties/{DEMO_CASUALTY_ID}", headers=other)
    assert card.status_code == 404
    assert audited(seeded, username=other_crew, action="denied_read",
                   casualty=DEMO_CASUALTY_ID) == 1  # fmt: skip
    assert record(client, other, "/api/v1/missions", mission) is None
    # Nor may it report the other crew's vehicle.
    status = make(VehicleStatusChanged, 1, vehicle_id=KALYNA_22, status=VehicleStatus.AVAILABLE)
    assert send(client, other, status)[0]["outcome"] == "not_found"
