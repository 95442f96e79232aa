"""A refused event names every bad field it holds, not only the first (issue 13, item 2).

The answer keeps ``field`` and ``reason`` for the first problem, as before, and adds ``fields``:
every problem, each with its field and reason. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient

Login = Callable[[str], dict[str, str]]


def _event(kind: str, casualty_id: str, **fields: Any) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {
        "kind": kind, "event_id": str(uuid4()), "casualty_id": casualty_id,
        "occurred_at": now, "recorded_at": now, "author": "medic", "device": "medic-phone",
        **fields,
    }  # fmt: skip


def _post(client: TestClient, headers: dict[str, str], *events: dict[str, Any]) -> list[Any]:
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=headers)
    assert response.status_code == 200, response.text
    results: list[Any] = response.json()["results"]
    return results


def test_vitals_with_two_impossible_values_name_both(client: TestClient, login: Login) -> None:
    """Pulse 400 and SpO2 999: refused as invalid, naming ``pulse`` and ``spo2`` with reasons."""
    casualty_id = str(uuid4())
    registration = _event("casualty_registered", casualty_id)
    vitals = _event("vitals_recorded", casualty_id, pulse=400, spo2=999, respiratory_rate=16)
    accepted, refused = _post(client, login("medic"), registration, vitals)
    assert accepted["outcome"] == "accepted"
    assert refused["outcome"] == "invalid"
    assert (refused["field"], refused["reason"]) == (
        refused["fields"][0]["field"],
        refused["fields"][0]["reason"],
    )
    named = {problem["field"]: problem["reason"] for problem in refused["fields"]}
    assert set(named) == {"pulse", "spo2"}
    assert "400" in named["pulse"] and "999" in named["spo2"]


def test_an_identity_with_two_bad_fields_names_both(client: TestClient, login: Login) -> None:
    """A 5,000-character surname and an unknown blood group: both named."""
    registration = _event(
        "casualty_registered", str(uuid4()),
        identity={"name_last": "x" * 5000, "blood_group": "Q"},
    )  # fmt: skip
    [refused] = _post(client, login("medic"), registration)
    assert refused["outcome"] == "invalid"
    assert {p["field"] for p in refused["fields"]} == {"identity.name_last", "identity.blood_group"}


def test_one_bad_field_is_listed_alone(client: TestClient, login: Login) -> None:
    """The list is there for a single problem too, so a device reads one shape."""
    casualty_id = str(uuid4())
    registration = _event("casualty_registered", casualty_id)
    vitals = _event("vitals_recorded", casualty_id, pulse=400)
    _, refused = _post(client, login("medic"), registration, vitals)
    assert refused["fields"] == [{"field": "pulse", "reason": refused["reason"]}]
