"""Issue 13 item 11 through the events endpoint: GCS parts, time of injury, burns, fluids.

A bad value is refused naming its field; what was accepted before and beside it is kept and
served on the card. On SQLite and on PostgreSQL (the ``client`` fixture runs both).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient

Login = Callable[[str], dict[str, str]]
NOW = datetime.now(UTC)


def _event(kind: str, casualty_id: str, at: datetime = NOW, **fields: Any) -> dict[str, Any]:
    return {
        "kind": kind, "event_id": str(uuid4()), "casualty_id": casualty_id,
        "occurred_at": at.isoformat(), "recorded_at": at.isoformat(), "author": "medic",
        "device": "medic-phone", **fields,
    }  # fmt: skip


def _post(client: TestClient, headers: dict[str, str], *events: dict[str, Any]) -> list[Any]:
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=headers)
    assert response.status_code == 200, response.text
    results: list[Any] = response.json()["results"]
    return results


def _burn(casualty_id: str, percent: float, region: str, minute: int) -> dict[str, Any]:
    return _event(
        "injury_recorded", casualty_id, NOW - timedelta(minutes=30 - minute), region=region,
        kinds=["burn"], burn_tbsa_percent=percent,
    )  # fmt: skip


def test_bad_card_fields_are_refused_naming_the_field_and_nothing_accepted_is_lost(
    client: TestClient, login: Login
) -> None:
    medic = login("medic")
    casualty = str(uuid4())
    earlier = NOW - timedelta(minutes=30)
    good = [
        _event("casualty_registered", casualty, earlier),
        _event(
            "vitals_recorded",
            casualty,
            earlier,
            avpu="V",
            gcs_eye=3,
            gcs_verbal=4,
            gcs_motor=6,
            gcs=13,
        ),  # fmt: skip
        _event(
            "injury_time_recorded",
            casualty,
            earlier,
            injured_at=(earlier - timedelta(minutes=20)).isoformat(),
        ),  # fmt: skip
        _burn(casualty, 60, "chest", 1),
        _event(
            "fluid_given",
            casualty,
            earlier,
            fluid_kind="blood_product",
            name="Whole blood",
            volume_ml=450,
            route="IO",
        ),  # fmt: skip
    ]
    bad = [
        _event("vitals_recorded", casualty, gcs_eye=0, gcs_motor=7),
        _event("vitals_recorded", casualty, gcs=15, gcs_eye=4, gcs_verbal=4, gcs_motor=6),
        _event("injury_time_recorded", casualty, injured_at=(NOW + timedelta(hours=1)).isoformat()),
        _event("injury_time_recorded", casualty, injured_at="1999-12-31T23:00:00+00:00"),
        _burn(casualty, 50, "back", 2),
        _burn(casualty, 101, "thigh", 3),
        _event(
            "fluid_given", casualty, fluid_kind="fluid", name="NaCl 0.9%", volume_ml=0, route="IV"
        ),  # fmt: skip
        _event(
            "fluid_given", casualty, fluid_kind="fluid", name="NaCl 0.9%", volume_ml=500, route="PO"
        ),  # fmt: skip
    ]
    results = _post(client, medic, *good, *bad)
    assert [r["outcome"] for r in results[: len(good)]] == ["accepted"] * len(good)
    refused = results[len(good) :]
    assert [r["outcome"] for r in refused] == ["invalid"] * len(bad)
    assert [sorted(p["field"] for p in r["fields"]) for r in refused] == [
        ["gcs_eye", "gcs_motor"],
        ["gcs"],
        ["injured_at"],
        ["injured_at"],
        ["burn_tbsa_percent"],
        ["burn_tbsa_percent"],
        ["volume_ml"],
        ["route"],
    ]
    assert "1 to 4" in refused[0]["fields"][0]["reason"]
    assert "110" in refused[4]["reason"]  # 60 % recorded + 50 %: past 100 %

    response = client.get(f"/api/v1/casualties/{casualty}", headers=medic)
    assert response.status_code == 200, response.text
    card = response.json()["card"]
    assert [(v["gcs_eye"], v["gcs_verbal"], v["gcs_motor"], v["gcs"]) for v in card["vitals"]] == [
        (3, 4, 6, 13)
    ]
    assert datetime.fromisoformat(card["injured_at"]) == earlier - timedelta(minutes=20)
    assert [i["burn_tbsa_percent"] for i in card["injuries"]] == [60]
    assert [(f["name"], f["volume_ml"], f["route"]) for f in card["fluids"]] == [
        ("Whole blood", 450, "IO")
    ]
    mist = client.get(f"/api/v1/casualties/{casualty}/mist", headers=medic).json()["text"]
    assert "GCS 13 E3V4M6" in mist and "60% TBSA" in mist and "Whole blood 450 ml IO" in mist
