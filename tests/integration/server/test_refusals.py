"""Refusals the fuzzer does not reach: each gives the status the OpenAPI schema documents for it.

An oversize body sent without a length, a body that is not UTF-8, a database fault while a batch
is stored, and a 9-line the card cannot fill or whose line 2 cannot be read. Each runs on SQLite
and on PostgreSQL; each answer has the one error body and names the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from goldenhour.adapters.storage.event_log import SqlLogWriter, StorageError
from goldenhour.adapters.storage.tables import events
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID

Login = Callable[[str], dict[str, str]]


def refused(
    client: TestClient, response: Any, method: str, path: str, status: int
) -> list[dict[str, str]]:
    """Check the answer is ``status``, documented for the operation, and return its items."""
    assert response.status_code == status, response.text
    documented = client.get("/openapi.json").json()["paths"][path][method.lower()]["responses"]
    assert str(status) in documented
    items: list[dict[str, str]] = response.json()["detail"]
    assert items and all(set(item) == {"field", "reason"} for item in items)
    return items


def _chunks() -> Iterator[bytes]:
    # A generator body is sent without Content-Length: only counting can stop it.
    for _ in range(25):
        yield b"a" * 100_000


@pytest.mark.parametrize(
    ("path", "content_type", "who"),
    [
        ("/api/v1/events", "application/json", "medic"),
        ("/api/v1/auth/device-token", "application/json", "medic"),
        ("/api/v1/auth/token", "application/x-www-form-urlencoded", None),
    ],
)
def test_an_oversize_body_without_a_length_is_refused_as_too_large(
    client: TestClient, login: Login, path: str, content_type: str, who: str | None
) -> None:
    headers = {**(login(who) if who else {}), "Content-Type": content_type}
    response = client.post(path, content=_chunks(), headers=headers)
    [item] = refused(client, response, "POST", path, 413)
    assert item["field"] == "body"


def test_a_body_that_is_not_utf8_is_refused_as_unreadable(client: TestClient, login: Login) -> None:
    response = client.post(
        "/api/v1/events", content=b'{"events": [{"text": "\xff"}]}',
        headers={**login("medic"), "Content-Type": "application/json"},
    )  # fmt: skip
    [item] = refused(client, response, "POST", "/api/v1/events", 400)
    assert item["field"] == "request"


def test_a_database_fault_while_storing_is_a_503_and_stores_nothing(
    client: TestClient, login: Login, seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: Any, **_kwargs: Any) -> int:
        raise StorageError("the database returned no seq for an appended event")

    moment = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    registered = {
        "kind": "casualty_registered", "event_id": str(uuid4()), "casualty_id": str(uuid4()),
        "occurred_at": moment, "recorded_at": moment, "author": "medic", "device": "phone-7",
    }  # fmt: skip
    with seeded.connect() as connection:
        before = connection.execute(select(func.count()).select_from(events)).scalar_one()
    monkeypatch.setattr(SqlLogWriter, "append", fail)
    response = client.post("/api/v1/events", json={"events": [registered]}, headers=login("medic"))
    [item] = refused(client, response, "POST", "/api/v1/events", 503)
    assert "nothing was stored" in item["reason"]
    with seeded.connect() as connection:
        after = connection.execute(select(func.count()).select_from(events)).scalar_one()
    assert after == before


NINE_LINE = "/api/v1/casualties/{casualty_id}/nine-line"


def _casualty(client: TestClient, headers: dict[str, str], *later: dict[str, Any]) -> str:
    casualty, moment = str(uuid4()), (datetime.now(UTC) - timedelta(minutes=2)).isoformat()
    envelope = {"casualty_id": casualty, "occurred_at": moment, "recorded_at": moment,
                "author": "medic", "device": "phone-7"}  # fmt: skip
    batch = [{"kind": "casualty_registered", "event_id": str(uuid4()), **envelope, **later[0]},
             *[{"event_id": str(uuid4()), **envelope, **event} for event in later[1:]]]  # fmt: skip
    answer = client.post("/api/v1/events", json={"events": batch}, headers=headers).json()
    assert {r["outcome"] for r in answer["results"]} == {"accepted"}, answer
    return casualty


@pytest.mark.parametrize(
    ("events", "field"),
    [
        pytest.param([{}], "pickup", id="no-position-yet"),
        pytest.param(
            [{"position": {"lat": 48.9, "lon": 38.2}},
             {"kind": "triage_assessed", "system": "nato", "category": "dead"}],
            "line 3", id="no-one-to-evacuate",
        ),
    ],
)  # fmt: skip
def test_a_card_that_cannot_fill_a_nine_line_is_a_conflict(
    client: TestClient, login: Login, events: list[dict[str, Any]], field: str
) -> None:
    medic = login("medic")
    casualty = _casualty(client, medic, *events)
    response = client.get(NINE_LINE.format(casualty_id=casualty), headers=medic)
    [item] = refused(client, response, "GET", NINE_LINE, 409)
    assert item["field"] == field


@pytest.mark.parametrize(
    ("query", "field"),
    [({"frequency": "channel five"}, "frequency"), ({"frequency": "0"}, "frequency"),
     ({"call_sign": "\x07"}, "call_sign")],
)  # fmt: skip
def test_an_unreadable_line_2_is_refused_naming_the_parameter(
    client: TestClient, login: Login, query: dict[str, str], field: str
) -> None:
    path = NINE_LINE.format(casualty_id=DEMO_CASUALTY_ID)
    response = client.get(path, params=query, headers=login("medic"))
    [item] = refused(client, response, "GET", NINE_LINE, 422)
    assert item["field"] == field
    good = client.get(path, params={"frequency": "5", "call_sign": "DUSTOFF"},
                      headers=login("medic"))  # fmt: skip
    assert "LINE 2: 5 / DUSTOFF" in good.json()["text"]


@pytest.mark.parametrize(
    ("path", "query"),
    [("/api/v1/casualties", "updated_since=0&updated_since=900"),
     ("/api/v1/events", "after=0&after=5"),
     ("/api/v1/casualties", "limit=5&precedence=A&limit=10")],
)  # fmt: skip
def test_a_query_parameter_given_twice_is_refused_naming_it(
    client: TestClient, login: Login, path: str, query: str
) -> None:
    response = client.get(f"{path}?{query}", headers=login("coordinator"))
    items = refused(client, response, "GET", path, 422)
    repeated = query.split("=")[0]
    assert items == [{"field": repeated, "reason": "given more than once; give it once"}]


def test_each_query_parameter_given_once_is_answered(client: TestClient, login: Login) -> None:
    response = client.get(
        "/api/v1/casualties?updated_since=0&limit=5&precedence=A", headers=login("coordinator")
    )
    assert response.status_code == 200, response.text
