"""Issue 17, the facility through the events endpoint: the handover (who received the casualty,
when, in what condition on arrival), and the facility's status and capacity.

A bad value is refused naming its field; what was accepted is kept and served. On SQLite and on
PostgreSQL (the ``client`` fixture runs both).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from test_plan_endpoint import carrying, plan

from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID
from goldenhour.demo.scenario import KRAMATORSK_HOSPITAL_ID

Login = Callable[[str], dict[str, str]]
NOW = datetime.now(UTC)
FACILITY = str(KRAMATORSK_HOSPITAL_ID)


def _event(kind: str, at: datetime = NOW, **fields: Any) -> dict[str, Any]:
    return {
        "kind": kind, "event_id": str(uuid4()), "occurred_at": at.isoformat(),
        "recorded_at": at.isoformat(), "author": "facility", "device": "facility-laptop",
        **fields,
    }  # fmt: skip


def _post(client: TestClient, headers: dict[str, str], *events: dict[str, Any]) -> list[Any]:
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=headers)
    assert response.status_code == 200, response.text
    results: list[Any] = response.json()["results"]
    return results


def test_a_handover_records_who_received_the_casualty_when_and_the_condition_on_arrival(
    client: TestClient, login: Login
) -> None:
    staff = login("facility")
    casualty = str(uuid4())
    received_at = NOW - timedelta(minutes=5)
    handover = {"casualty_id": casualty, "to_stage": "Kramatorsk", "facility_id": FACILITY}
    results = _post(
        client, staff,
        _event("casualty_registered", NOW - timedelta(minutes=10), casualty_id=casualty),
        _event("handed_over", received_at, **handover, received_by="Dr Shevchenko",
               condition_on_arrival="unstable"),
        _event("handed_over", **handover, received_by="Dr Shevchenko",
               condition_on_arrival="fine"),
        _event("handed_over", **handover, received_by="x" * 5000,
               condition_on_arrival="stable"),
    )  # fmt: skip
    assert [r["outcome"] for r in results] == ["accepted", "accepted", "invalid", "invalid"]
    assert [[p["field"] for p in r["fields"]] for r in results[2:]] == [
        ["condition_on_arrival"],
        ["received_by"],
    ]
    assert "unstable" in results[2]["fields"][0]["reason"]  # the reason lists what is allowed

    response = client.get(f"/api/v1/casualties/{casualty}", headers=staff)
    assert response.status_code == 200, response.text
    (kept,) = response.json()["card"]["handovers"]
    assert kept["received_by"] == "Dr Shevchenko"
    assert kept["condition_on_arrival"] == "unstable"
    assert datetime.fromisoformat(kept["occurred_at"]) == received_at


def _figures(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    records = client.get("/api/v1/facilities", headers=headers).json()["records"]
    found: dict[str, Any] = next(r for r in records if r["id"] == FACILITY)
    return found


def test_status_and_capacity_are_kept_as_emresource_does_each_figure_with_its_time(
    client: TestClient, login: Login
) -> None:
    staff = login("facility")
    earlier, later = NOW - timedelta(minutes=30), NOW - timedelta(minutes=2)
    results = _post(
        client, staff,
        _event("facility_capacity_reported", earlier, facility_id=FACILITY, icu_beds_free=2,
               ward_beds_free=14, operating_tables_free=2, surgical_teams_free=1,
               blood_red_cells_units=12, blood_plasma_units=8, blood_platelets_units=2,
               blood_whole_units=0, specialties=["neurosurgery", "paediatrics"]),
        _event("facility_capacity_reported", later, facility_id=FACILITY, icu_beds_free=1),
        _event("facility_status_reported", later, facility_id=FACILITY, status="diverting",
               reason="CT down"),
        _event("facility_status_reported", facility_id=FACILITY, status="full"),
        _event("facility_capacity_reported", facility_id=FACILITY, icu_beds_free=-1),
        _event("facility_capacity_reported", facility_id=FACILITY, specialties=["magic"]),
        _event("facility_capacity_reported", facility_id=FACILITY),
    )  # fmt: skip
    assert [r["outcome"] for r in results[:3]] == ["accepted"] * 3
    assert [(r["outcome"], [p["field"] for p in r["fields"]]) for r in results[3:]] == [
        ("invalid", ["status"]),
        ("invalid", ["icu_beds_free"]),
        ("invalid", ["specialties[0]"]),
        ("invalid", ["icu_beds_free"]),  # a report with no figure at all names the first one
    ]

    record = _figures(client, login("coordinator"))
    assert (record["status"], record["status_reason"]) == ("diverting", "CT down")
    assert datetime.fromisoformat(record["status_at"]) == later
    assert (record["icu_beds_free"], record["ward_beds_free"]) == (1, 14)
    assert datetime.fromisoformat(record["icu_beds_free_at"]) == later
    assert datetime.fromisoformat(record["ward_beds_free_at"]) == earlier
    assert record["blood_plasma_units"] == 8 and record["surgical_teams_free"] == 1
    assert record["specialties"] == ["neurosurgery", "paediatrics"]
    assert datetime.fromisoformat(record["specialties_at"]) == earlier


def test_a_medic_may_not_report_a_facility_status(client: TestClient, login: Login) -> None:
    results = _post(
        client, login("medic"),
        _event("facility_status_reported", facility_id=FACILITY, status="closed"),
    )  # fmt: skip
    assert results[0]["outcome"] == "forbidden"


@pytest.mark.parametrize("status", ["diverting", "closed"])
def test_a_manual_assignment_to_a_diverting_or_closed_facility_is_refused_naming_it(
    client: TestClient, login: Login, status: str
) -> None:
    coordinator = login("coordinator")
    requests = client.get("/api/v1/requests", headers=coordinator).json()["records"]
    vehicles = client.get("/api/v1/vehicles", headers=coordinator).json()["records"]
    mission = {
        "vehicle_id": vehicles[0]["id"], "request_ids": [requests[0]["id"]],
        "destination_id": FACILITY, "unit_id": requests[0]["unit_id"],
    }  # fmt: skip
    _post(client, login("facility"),
          _event("facility_status_reported", NOW - timedelta(minutes=1), facility_id=FACILITY,
                 status=status))  # fmt: skip
    (refused,) = _post(client, coordinator, _event("mission_assigned", mission_id=str(uuid4()),
                                                   **mission))  # fmt: skip
    assert refused["outcome"] == "invalid"
    assert [p["field"] for p in refused["fields"]] == ["destination_id"]
    assert status in refused["fields"][0]["reason"]

    _post(client, login("facility"), _event("facility_status_reported", facility_id=FACILITY,
                                            status="open"))  # fmt: skip
    (accepted,) = _post(client, coordinator, _event("mission_assigned", mission_id=str(uuid4()),
                                                    **mission))  # fmt: skip
    assert accepted["outcome"] == "accepted"


def test_the_plan_sends_no_one_to_a_diverting_or_closed_facility(
    client: TestClient, login: Login
) -> None:
    coordinator, staff = login("coordinator"), login("admin")
    first = carrying(plan(client, coordinator), DEMO_CASUALTY_ID)["destination_id"]
    _post(client, staff, _event("facility_status_reported", NOW - timedelta(minutes=1),
                                facility_id=first, status="diverting"))  # fmt: skip
    second = carrying(plan(client, coordinator), DEMO_CASUALTY_ID)["destination_id"]
    assert second != first
    _post(client, staff, _event("facility_status_reported", NOW - timedelta(minutes=1),
                                facility_id=second, status="closed"))  # fmt: skip
    body = plan(client, coordinator)
    assert {s["destination_id"] for s in body["suggestions"]}.isdisjoint({first, second})
