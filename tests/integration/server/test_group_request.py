"""One MEDEVAC request for several casualties at one pickup point, as the medic's phone files it.

The phone sends, in one batch, each casualty's part of the request (``evacuation_requested``,
sharing the request id, each with its own precedence and litter or seat) and the request itself
(``evacuation_request_filed`` naming them all, with the 9-line text). A casualty the medic may
not open is refused naming the field, and nothing already accepted is lost. On SQLite and on
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient

from goldenhour.demo.bilohorivka import PICKUP_SITE
from goldenhour.demo.scenario import COMPANY

Login = Callable[[str], dict[str, str]]
PICKUP = {"lat": PICKUP_SITE.lat, "lon": PICKUP_SITE.lon}
NINE_LINE = (
    "LINE 1: 37U DQ 1234 5678\nLINE 2: 38.900 MHZ / KALYNA 21\nLINE 3: A1 B0 C2 D0 E0\n"
    "LINE 4: A\nLINE 5: L2 A1\nLINE 6: E\nLINE 7: D\nLINE 9: NONE\n"
)


def _event(kind: str, author: str, **fields: Any) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {
        "kind": kind, "event_id": str(uuid4()), "occurred_at": now, "recorded_at": now,
        "author": author, "device": f"{author}-phone", **fields,
    }  # fmt: skip


def _post(client: TestClient, headers: dict[str, str], *batch: dict[str, Any]) -> list[Any]:
    response = client.post("/api/v1/events", json={"events": list(batch)}, headers=headers)
    assert response.status_code == 200, response.text
    results: list[Any] = response.json()["results"]
    return results


def _group(request_id: str, casualties: list[str]) -> list[dict[str, Any]]:
    """The batch the phone sends: each casualty's part, then the request naming them all."""
    parts = [
        _event(
            "evacuation_requested",
            "medic",
            casualty_id=casualty,
            request_id=request_id,
            precedence=precedence,
            position=position,
            pickup=PICKUP,
        )  # fmt: skip
        for casualty, precedence, position in zip(
            casualties, ["A", "C", "C", "A"], ["litter", "litter", "seated", "litter"], strict=False
        )
    ]
    filed = _event(
        "evacuation_request_filed", "medic", request_id=request_id, unit_id=str(COMPANY),
        casualty_ids=casualties, pickup=PICKUP, precedence="A", nine_line=NINE_LINE,
    )  # fmt: skip
    return [*parts, filed]


def _registered(client: TestClient, headers: dict[str, str], author: str) -> str:
    registration = _event("casualty_registered", author, casualty_id=str(uuid4()))
    [answer] = _post(client, headers, registration)
    assert answer["outcome"] == "accepted", answer
    return str(registration["casualty_id"])


def test_one_request_names_three_casualties_each_shown_with_it(
    client: TestClient, login: Login
) -> None:
    medic = login("medic")
    casualties = [_registered(client, medic, "medic") for _ in range(3)]
    request_id = str(uuid4())
    answers = _post(client, medic, *_group(request_id, casualties))
    assert [a["outcome"] for a in answers] == ["accepted"] * 4, answers

    records = client.get("/api/v1/requests", headers=login("coordinator")).json()["records"]
    [record] = [r for r in records if r["id"] == request_id]
    assert (record["casualty_ids"], record["precedence"]) == (casualties, "A")
    assert "LINE 3: A1 B0 C2 D0 E0" in record["nine_line"]
    for casualty in casualties:
        card = client.get(f"/api/v1/casualties/{casualty}", headers=medic).json()["card"]
        assert [r["request_id"] for r in card["evacuation_requests"]] == [request_id]


def test_a_casualty_the_medic_may_not_see_is_refused_by_field_and_nothing_accepted_is_lost(
    client: TestClient, login: Login
) -> None:
    medic = login("medic")
    mine = [_registered(client, medic, "medic") for _ in range(3)]
    # A battalion casualty: on the battalion's requests, but not the company medic's to open.
    hidden = _registered(client, login("coordinator"), "coordinator")
    request_id = str(uuid4())
    batch = _group(request_id, [*mine, hidden])
    answers = _post(client, medic, *batch)
    outcomes = [(a["outcome"], a.get("field")) for a in answers]
    assert outcomes[:3] == [("accepted", None)] * 3, answers
    # The part naming the hidden casualty and the request naming it: refused, by field, with
    # the same words as for a casualty that does not exist.
    assert outcomes[3][0] == "not_found", answers
    assert outcomes[4] == ("not_found", "casualty_ids[3]"), answers
    assert hidden in answers[4]["reason"]

    # What was accepted stays: each of the medic's casualties carries its part of the request.
    for casualty in mine:
        card = client.get(f"/api/v1/casualties/{casualty}", headers=medic).json()["card"]
        assert [r["request_id"] for r in card["evacuation_requests"]] == [request_id]
    # The medic files it again without the casualty they may not see: accepted, one request.
    [again] = _post(client, medic, _group(request_id, mine)[-1])
    assert again["outcome"] == "accepted", again
    records = client.get("/api/v1/requests", headers=medic).json()["records"]
    assert [r["casualty_ids"] for r in records if r["id"] == request_id] == [mine]
