"""What ``GET /api/v1/plan`` reads: the stored facts of the waiting casualties in one query, no
casualty's history, and only the open requests and active missions (issue 19), on both engines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from alembic import command
from fastapi.testclient import TestClient
from projection_snapshot import projection_snapshot
from sqlalchemy import Engine, event, inspect

from goldenhour.adapters.storage import projector, queries, schema
from goldenhour.demo.bilohorivka import PICKUP_SITE
from goldenhour.demo.scenario import BATTALION
from goldenhour.domain.casualty.events import CasualtyRegistered
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import EvacuationRequestFiled, RequestCancelled
from goldenhour.domain.triage.categories import Precedence

Login = Callable[[str], dict[str, str]]


def _made(cls: type[DomainEvent], /, **fields: Any) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(minutes=1)
    made = cls(event_id=uuid4(), occurred_at=moment, recorded_at=moment, author="tester",
               device="test-device", **fields)  # fmt: skip
    return encode_event(made)


def _post(client: TestClient, headers: dict[str, str], *events: dict[str, Any]) -> None:
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=headers)
    assert response.status_code == 200, response.text
    assert {r["outcome"] for r in response.json()["results"]} == {"accepted"}, response.text


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Collect the SQL every engine runs while the test does (SQLAlchemy's cursor hook)."""
    found: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        found.append(" ".join(statement.split()))

    event.listen(Engine, "before_cursor_execute", seen)
    yield found
    event.remove(Engine, "before_cursor_execute", seen)


def _reading(statements: list[str], table: str) -> list[str]:
    """Return the SELECTs that read ``table`` (as the FROM or a JOIN of the statement)."""
    pattern = re.compile(rf"\b(FROM|JOIN) {table}\b")
    return [s for s in statements if s.startswith("SELECT") and pattern.search(s)]


def test_the_plan_reads_the_waiting_cards_in_one_query_and_folds_no_history(
    client: TestClient, login: Login, statements: list[str]
) -> None:
    medic, coordinator = login("medic"), login("coordinator")
    more = [_made(CasualtyRegistered, casualty_id=uuid4(), position=PICKUP_SITE)
            for _ in range(4)]  # fmt: skip
    _post(client, medic, *more)
    statements.clear()
    response = client.get("/api/v1/plan", headers=coordinator)
    assert response.status_code == 200, response.text
    assert response.json()["waiting"] >= 4 + 3  # the demo's three and ours
    # The cards' contents are read once (the requests' casualties are only checked for access).
    contents = [s for s in _reading(statements, "casualty_cards")
                if re.search(r"casualty_cards\.(card|evacuation)\b", s)]  # fmt: skip
    assert len(contents) == 1, contents
    histories = [s for s in _reading(statements, "events") if "events.payload" in s]
    assert histories == []


def test_the_plan_reads_only_open_requests_and_plans_none_closed(
    client: TestClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    medic, coordinator = login("medic"), login("coordinator")
    casualty, request = uuid4(), uuid4()
    _post(client, medic, _made(CasualtyRegistered, casualty_id=casualty, position=PICKUP_SITE))
    _post(client, coordinator,
          _made(EvacuationRequestFiled, request_id=request, unit_id=BATTALION,
                casualty_ids=(casualty,), pickup=PICKUP_SITE, precedence=Precedence.URGENT),
          _made(RequestCancelled, request_id=request, reason="walked out on his own"))  # fmt: skip
    read: list[dict[str, Any]] = []
    original = queries.list_streams

    def spied(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        found = original(*args, **kwargs)
        read.extend(state for state in found if args[2] == "request")
        return found

    monkeypatch.setattr(queries, "list_streams", spied)
    body = client.get("/api/v1/plan", headers=coordinator).json()
    assert read, "the plan read no request at all (the demo's is open)"
    assert {state["status"] for state in read} <= {"requested", "acknowledged", "assigned",
                                                   "en_route", "picked_up"}  # fmt: skip
    assert str(request) not in {state["id"] for state in read}
    named = [c["request_id"] for s in body["suggestions"] for c in s["casualties"]]
    named += [d["casualty"]["request_id"] for d in body["deferred"]]
    assert str(request) not in named
    # The cancelled request is still there for the coordinator's list.
    listed = client.get("/api/v1/requests", headers=coordinator).json()
    assert str(request) in {r["id"] for r in listed["records"]}


def test_the_upgrade_fills_what_the_plan_reads_for_rows_written_before_it(seeded: Engine) -> None:
    # The demo's records and cards, as the current code wrote them: the plan's facts and the
    # statuses are there. Back to the revision before, then up again: the upgrade fills them
    # from the log exactly as the writer had, and a rebuild gives the same rows.
    before = projection_snapshot(seeded)
    assert any(row["evacuation"] for row in before["casualty_cards"])
    assert {row["status"] for row in before["streams"] if row["stream"] == "request"} == {
        "requested"
    }
    config = schema.alembic_config(seeded)
    with seeded.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006_area_down")
    assert "evacuation" not in {c["name"] for c in inspect(seeded).get_columns("casualty_cards")}
    schema.upgrade(seeded)
    assert projection_snapshot(seeded) == before
    with seeded.begin() as connection:
        projector.rebuild(connection)
    assert projection_snapshot(seeded) == before
