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

from fastapi.testclient import TestClient

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
