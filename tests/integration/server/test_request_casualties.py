"""A request shown to a caller names only the casualties the caller may open, and counts the rest.

A medic sees the battalion's requests (the ambulance it sends matters to the company), but
not the other wounded on them: their ids are left out and only counted, in the request list,
in the sync API and in the live stream's events. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from goldenhour.bridges.tak.mirror import Mirror
from goldenhour.demo.bilohorivka import PICKUP_SITE
from goldenhour.demo.scenario import BATTALION
from goldenhour.domain.codec import encode_event
from goldenhour.domain.operations.events import EvacuationRequestFiled
from goldenhour.domain.triage.categories import Precedence

Login = Callable[[str], dict[str, str]]


def _registration(author: str) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {
        "kind": "casualty_registered", "event_id": str(uuid4()), "casualty_id": str(uuid4()),
        "occurred_at": now, "recorded_at": now, "author": author, "device": f"{author}-phone",
    }  # fmt: skip


def _post(client: TestClient, headers: dict[str, str], *batch: dict[str, Any]) -> None:
    response = client.post("/api/v1/events", json={"events": list(batch)}, headers=headers)
    assert response.status_code == 200, response.text
    assert {r["outcome"] for r in response.json()["results"]} == {"accepted"}, response.text


def _battalion_request(casualties: list[str]) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(minutes=1)
    return encode_event(
        EvacuationRequestFiled(
            event_id=uuid4(), occurred_at=moment, recorded_at=moment, author="coordinator",
            device="coordinator-laptop", request_id=uuid4(), unit_id=BATTALION,
            casualty_ids=tuple(UUID(c) for c in casualties), pickup=PICKUP_SITE,
            precedence=Precedence.URGENT,
        )
    )  # fmt: skip


def _filed(client: TestClient, login: Login, *, mine: int, others: int) -> tuple[str, list[str]]:
    """File a battalion request for ``mine`` company and ``others`` battalion casualties."""
    company = [_registration("medic") for _ in range(mine)]
    battalion = [_registration("coordinator") for _ in range(others)]
    if company:
        _post(client, login("medic"), *company)
    _post(client, login("coordinator"), *battalion)
    named = [e["casualty_id"] for e in company + battalion]
    request = _battalion_request(named)
    _post(client, login("coordinator"), request)
    return request["request_id"], [e["casualty_id"] for e in company]


def _request(client: TestClient, headers: dict[str, str], request_id: str) -> dict[str, Any]:
    response = client.get("/api/v1/requests", headers=headers)
    assert response.status_code == 200, response.text
    [record] = [r for r in response.json()["records"] if r["id"] == request_id]
    return dict(record)


def _filing(client: TestClient, headers: dict[str, str], request_id: str) -> dict[str, Any]:
    response = client.get("/api/v1/events", params={"limit": 1000}, headers=headers)
    assert response.status_code == 200, response.text
    [filed] = [
        e for e in response.json()["events"]
        if e["kind"] == "evacuation_request_filed" and e["stream_id"] == request_id
    ]  # fmt: skip
    return dict(filed)


def test_a_medic_sees_only_their_companys_casualties_on_a_battalion_request(
    client: TestClient, login: Login
) -> None:
    """One of the medic's wounded and 14 of the battalion's: the medic sees one id and 14."""
    request_id, mine = _filed(client, login, mine=1, others=14)
    medic = login("medic")

    record = _request(client, medic, request_id)
    assert (record["casualty_ids"], record["withheld_casualties"]) == (mine, 14)

    filed = _filing(client, medic, request_id)
    assert (filed["event"]["casualty_ids"], filed["withheld_casualties"]) == (mine, 14)


def test_the_coordinator_sees_every_casualty_of_the_request(
    client: TestClient, login: Login
) -> None:
    """Whoever may open every casualty on it sees the request whole, nothing withheld."""
    request_id, _ = _filed(client, login, mine=1, others=2)
    coordinator = login("coordinator")
    record = _request(client, coordinator, request_id)
    assert (len(record["casualty_ids"]), record["withheld_casualties"]) == (3, 0)
    filed = _filing(client, coordinator, request_id)
    assert (len(filed["event"]["casualty_ids"]), filed["withheld_casualties"]) == (3, None)


def test_a_request_with_none_of_the_callers_casualties_shows_only_the_count(
    client: TestClient, login: Login
) -> None:
    """No id at all, the count of all; a TAK bridge's copy of the log skips such a filing."""
    request_id, _ = _filed(client, login, mine=0, others=3)
    medic = login("medic")
    assert _request(client, medic, request_id)["casualty_ids"] == []
    filed = _filing(client, medic, request_id)
    assert (filed["event"]["casualty_ids"], filed["withheld_casualties"]) == ([], 3)

    mirror = Mirror()
    mirror.apply([filed], next_cursor=filed["seq"], device="tak-bridge")
    assert mirror.request_known(UUID(request_id)) is None
