"""The sync API: per-event answers, retries are safe, conflicts are kept, nothing is lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from goldenhour.adapters.storage.tables import events, rejected_events

Login = Callable[[str], dict[str, str]]


def tourniquet(casualty: str, *, minutes_ago: float = 10, **changes: Any) -> dict[str, Any]:
    moment = (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat()
    event = {
        "kind": "tourniquet_applied", "event_id": str(uuid4()), "casualty_id": casualty,
        "occurred_at": moment, "recorded_at": moment, "author": "medic", "device": "phone-7",
        "limb": "left_leg", "category": "extremity", "location": "above the knee",
        "tourniquet_type": "CAT",
    }  # fmt: skip
    event.update(changes)
    return event


def registration(casualty: str) -> dict[str, Any]:
    moment = (datetime.now(UTC) - timedelta(minutes=12)).isoformat()
    return {
        "kind": "casualty_registered", "event_id": str(uuid4()), "casualty_id": casualty,
        "occurred_at": moment, "recorded_at": moment, "author": "medic", "device": "phone-7",
    }  # fmt: skip


def post(client: TestClient, headers: dict[str, str], batch: list[dict[str, Any]]) -> Any:
    response = client.post("/api/v1/events", json={"events": batch}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_batch_is_answered_event_by_event(client: TestClient, login: Login) -> None:
    medic, casualty = login("medic"), str(uuid4())
    applied = tourniquet(casualty)
    answer = post(client, medic, [registration(casualty), applied])
    assert [r["outcome"] for r in answer["results"]] == ["accepted", "accepted"]
    again = post(client, medic, [applied])
    assert again["results"][0]["outcome"] == "duplicate"
    assert again["results"][0]["seq"] == answer["results"][1]["seq"]


def test_the_same_id_with_other_content_is_a_conflict_kept_for_review(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    medic, casualty = login("medic"), str(uuid4())
    applied = tourniquet(casualty)
    post(client, medic, [registration(casualty), applied])
    changed = {**applied, "limb": "right_leg"}
    result = post(client, medic, [changed])["results"][0]
    assert (result["outcome"], result["field"]) == ("conflict", "event_id")
    with seeded.connect() as connection:
        kept = (
            connection.execute(
                select(rejected_events.c.outcome).where(
                    rejected_events.c.event_id == applied["event_id"]
                )
            )
            .scalars()
            .all()
        )
        stored = connection.execute(
            select(events.c.payload).where(events.c.event_id == applied["event_id"])
        ).scalar_one()
    assert kept == ["conflict"]
    assert '"left_leg"' in stored


def test_an_impossible_value_is_invalid_naming_the_field_and_the_rest_is_stored(
    client: TestClient, login: Login
) -> None:
    medic, casualty = login("medic"), str(uuid4())
    moment = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    vitals = {
        "kind": "vitals_recorded", "event_id": str(uuid4()), "casualty_id": casualty,
        "occurred_at": moment, "recorded_at": moment, "author": "medic", "device": "phone-7",
        "pulse": 400,
    }  # fmt: skip
    answer = post(client, medic, [registration(casualty), vitals])
    assert [r["outcome"] for r in answer["results"]] == ["accepted", "invalid"]
    assert answer["results"][1]["field"] == "pulse"
    assert "400" in answer["results"][1]["reason"]


def test_a_removal_sent_before_its_application_in_one_batch_is_accepted(
    client: TestClient, login: Login
) -> None:
    medic, casualty = login("medic"), str(uuid4())
    applied = tourniquet(casualty, minutes_ago=30)
    moment = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    removed = {
        "kind": "tourniquet_removed", "event_id": str(uuid4()), "casualty_id": casualty,
        "occurred_at": moment, "recorded_at": moment, "author": "medic", "device": "phone-7",
        "application_id": applied["event_id"],
    }  # fmt: skip
    answer = post(client, medic, [removed, registration(casualty), applied])
    assert [r["outcome"] for r in answer["results"]] == ["accepted"] * 3


def test_an_event_from_the_future_is_refused(client: TestClient, login: Login) -> None:
    medic, casualty = login("medic"), str(uuid4())
    answer = post(client, medic, [tourniquet(casualty, minutes_ago=-30)])
    assert answer["results"][0]["outcome"] == "invalid"
    assert answer["results"][0]["field"] == "occurred_at"


def test_an_unknown_field_in_the_body_is_refused(client: TestClient, login: Login) -> None:
    response = client.post(
        "/api/v1/events", json={"events": [], "priority": "high"}, headers=login("medic")
    )
    assert response.status_code == 422
    fields = {item["field"] for item in response.json()["detail"]}
    assert "priority" in fields


def test_an_oversize_body_is_refused(client: TestClient, login: Login) -> None:
    body = b'{"events": [' + b'{"x": "' + b"a" * 3_000_000 + b'"}]}'
    response = client.post(
        "/api/v1/events", content=body,
        headers={**login("medic"), "Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 413


def test_a_record_outside_the_callers_scope_is_not_found(client: TestClient, login: Login) -> None:
    medic, casualty = login("medic"), str(uuid4())
    post(client, medic, [registration(casualty)])
    moment = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    note = {
        "kind": "note_added", "event_id": str(uuid4()), "casualty_id": casualty,
        "occurred_at": moment, "recorded_at": moment, "author": "surgeon", "device": "ward-pc",
        "text": "prepared theatre",
    }  # fmt: skip
    result = post(client, login("facility"), [note])["results"][0]
    assert (result["outcome"], result["field"]) == ("not_found", "casualty_id")


def test_a_role_may_not_write_events_outside_its_work(client: TestClient, login: Login) -> None:
    result = post(client, login("analyst"), [tourniquet(str(uuid4()))])["results"][0]
    assert (result["outcome"], result["field"]) == ("forbidden", "kind")


def test_a_facility_registers_a_walk_in_and_sees_it(client: TestClient, login: Login) -> None:
    surgeon, casualty = login("facility"), str(uuid4())
    answer = post(client, surgeon, [registration(casualty), tourniquet(casualty)])
    assert [r["outcome"] for r in answer["results"]] == ["accepted", "accepted"]
    assert client.get(f"/api/v1/casualties/{casualty}", headers=surgeon).status_code == 200
    assert client.get(f"/api/v1/casualties/{casualty}", headers=login("medic")).status_code == 404


def test_a_device_catches_up_from_its_cursor_in_a_stable_order(
    client: TestClient, login: Login
) -> None:
    medic = login("medic")
    first = client.get("/api/v1/events?limit=1000", headers=medic).json()
    cursor = int(first["next_cursor"])
    casualty = str(uuid4())
    post(client, medic, [registration(casualty), tourniquet(casualty)])
    page = client.get(f"/api/v1/events?after={cursor}", headers=medic).json()
    assert [e["kind"] for e in page["events"]] == ["casualty_registered", "tourniquet_applied"]
    seqs = [e["seq"] for e in page["events"]]
    assert seqs == sorted(seqs) and seqs[0] > cursor
    assert (
        client.get(f"/api/v1/events?after={page['next_cursor']}", headers=medic).json()["events"]
        == []
    )
