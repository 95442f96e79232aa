"""Where a request stands follows its casualties and its mission (issue 19), on both engines.

A MEDEVAC request whose casualties were all handed over, or died, or whose mission reported the
hand-over, is served: ``handed_over`` in the coordinator's list (moved past the list's cursor),
no longer read by the plan, and the same after ``db rebuild`` and after the upgrade fills rows
the code before it wrote.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from alembic import command
from fastapi.testclient import TestClient
from projection_snapshot import projection_snapshot
from sqlalchemy import Engine, func, select, update

from goldenhour.adapters.storage import projector, queries, schema
from goldenhour.adapters.storage.tables import events, streams
from goldenhour.demo.bilohorivka import PICKUP_SITE, demo_id
from goldenhour.demo.scenario import BATTALION, KRAMATORSK_HOSPITAL_ID
from goldenhour.domain.casualty.events import CasualtyRegistered, HandedOver, OutcomeRecorded
from goldenhour.domain.casualty.vocabulary import Outcome
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    MissionAssigned,
    MissionStatusChanged,
    RequestAcknowledged,
)
from goldenhour.domain.operations.vocabulary import MissionStatus
from goldenhour.domain.triage.categories import Precedence

Login = Callable[[str], dict[str, str]]
KALYNA = demo_id("vehicle/kalyna")
_MINUTE = iter(range(100, 0, -1))


def _made(cls: type[DomainEvent], /, **fields: Any) -> dict[str, Any]:
    # Each event a minute after the one before, all in the past.
    moment = datetime.now(UTC) - timedelta(minutes=next(_MINUTE))
    made = cls(
        event_id=uuid4(),
        occurred_at=moment,
        recorded_at=moment,
        author="tester",
        device="test-device",
        **fields,
    )
    return encode_event(made)


def _post(client: TestClient, headers: dict[str, str], *sent: dict[str, Any]) -> None:
    response = client.post("/api/v1/events", json={"events": list(sent)}, headers=headers)
    assert response.status_code == 200, response.text
    assert {r["outcome"] for r in response.json()["results"]} == {"accepted"}, response.text


def _listed(client: TestClient, headers: dict[str, str], after: int = 0) -> dict[str, Any]:
    """Return the requests the coordinator's list gives after ``after``, by id."""
    found: dict[str, Any] = {}
    while True:
        body = client.get(f"/api/v1/requests?after={after}&limit=1000", headers=headers).json()
        found.update({r["id"]: r for r in body["records"]})
        if not body["more"]:
            return found
        after = body["next_cursor"]


def _file(client: TestClient, login: Login, casualties: int) -> tuple[UUID, list[UUID]]:
    """Register ``casualties`` casualties and file one request for them; return its ids."""
    ids = [uuid4() for _ in range(casualties)]
    _post(
        client,
        login("medic"),
        *[_made(CasualtyRegistered, casualty_id=c, position=PICKUP_SITE) for c in ids],
    )
    request = uuid4()
    _post(
        client,
        login("coordinator"),
        _made(
            EvacuationRequestFiled,
            request_id=request,
            unit_id=BATTALION,
            casualty_ids=tuple(ids),
            pickup=PICKUP_SITE,
            precedence=Precedence.URGENT,
        ),
    )
    return request, ids


def _plan_reads(
    client: TestClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> set[str]:
    """Return the ids of the requests ``GET /plan`` reads."""
    read: set[str] = set()
    original = queries.list_streams

    def spied(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        found = original(*args, **kwargs)
        if args[2] == "request":
            read.update(state["id"] for state in found)
        return found

    monkeypatch.setattr(queries, "list_streams", spied)
    response = client.get("/api/v1/plan", headers=headers)
    assert response.status_code == 200, response.text
    monkeypatch.setattr(queries, "list_streams", original)
    return read


def test_a_request_whose_casualties_are_all_handed_over_is_served_and_the_plan_skips_it(
    client: TestClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator, medic = login("coordinator"), login("medic")
    request, (first, second) = _file(client, login, 2)
    _post(client, medic, _made(HandedOver, casualty_id=first, to_stage="Role 2, Kramatorsk"))
    # One of two handed over: still open, still planned for the other.
    assert _listed(client, coordinator)[str(request)]["status"] == "requested"
    assert str(request) in _plan_reads(client, coordinator, monkeypatch)
    cursor = _listed(client, coordinator)[str(request)]["updated_seq"]
    _post(client, medic, _made(HandedOver, casualty_id=second, to_stage="Role 2, Kramatorsk"))
    # Both handed over: served, and a reader of what changed after its cursor sees it move.
    moved = _listed(client, coordinator, after=cursor)
    assert moved[str(request)]["status"] == "handed_over"
    assert moved[str(request)]["filed_status"] == "requested"
    assert str(request) not in _plan_reads(client, coordinator, monkeypatch)


def test_a_request_whose_casualties_died_or_were_handed_over_is_served(
    client: TestClient, login: Login
) -> None:
    coordinator, medic = login("coordinator"), login("medic")
    request, (dead, alive) = _file(client, login, 2)
    _post(client, coordinator, _made(RequestAcknowledged, request_id=request))
    _post(client, medic, _made(OutcomeRecorded, casualty_id=dead, outcome=Outcome.KILLED_IN_ACTION))
    assert _listed(client, coordinator)[str(request)]["status"] == "acknowledged"
    _post(client, medic, _made(HandedOver, casualty_id=alive, to_stage="Role 2, Kramatorsk"))
    assert _listed(client, coordinator)[str(request)]["status"] == "handed_over"


def test_a_request_for_the_next_leg_of_a_casualty_handed_over_before_stays_open(
    client: TestClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Handed over at a stabilisation point, then asked for again: the new request waits for
    # the next leg until the casualty is handed over again.
    coordinator, medic = login("coordinator"), login("medic")
    casualty = uuid4()
    _post(
        client,
        medic,
        _made(CasualtyRegistered, casualty_id=casualty, position=PICKUP_SITE),
        _made(HandedOver, casualty_id=casualty, to_stage="Stabilisation point"),
    )
    request = uuid4()
    _post(
        client,
        coordinator,
        _made(EvacuationRequestFiled, request_id=request, unit_id=BATTALION,
              casualty_ids=(casualty,), pickup=PICKUP_SITE, precedence=Precedence.URGENT),
    )  # fmt: skip
    assert _listed(client, coordinator)[str(request)]["status"] == "requested"
    assert str(request) in _plan_reads(client, coordinator, monkeypatch)
    _post(client, medic, _made(HandedOver, casualty_id=casualty, to_stage="Role 2, Kramatorsk"))
    assert _listed(client, coordinator)[str(request)]["status"] == "handed_over"


def test_a_request_follows_its_mission_to_the_hand_over(
    client: TestClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator = login("coordinator")
    request, _ = _file(client, login, 1)
    mission = uuid4()
    _post(
        client,
        coordinator,
        _made(
            MissionAssigned,
            mission_id=mission,
            vehicle_id=KALYNA,
            request_ids=(request,),
            destination_id=KRAMATORSK_HOSPITAL_ID,
            unit_id=BATTALION,
        ),
        _made(MissionStatusChanged, mission_id=mission, status=MissionStatus.PICKED_UP),
    )
    listed = _listed(client, coordinator)[str(request)]
    assert (listed["status"], listed["mission_status"]) == ("picked_up", "picked_up")
    _post(
        client,
        coordinator,
        _made(MissionStatusChanged, mission_id=mission, status=MissionStatus.HANDED_OVER),
    )
    assert _listed(client, coordinator)[str(request)]["status"] == "handed_over"
    assert str(request) not in _plan_reads(client, coordinator, monkeypatch)


def test_a_served_request_of_a_mission_still_under_way_is_read_by_the_plan(
    client: TestClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Handed over at the facility before the crew reports it: the plan still places the
    # vehicle by the request its mission serves.
    coordinator = login("coordinator")
    request, (casualty,) = _file(client, login, 1)
    mission = uuid4()
    _post(
        client,
        coordinator,
        _made(
            MissionAssigned,
            mission_id=mission,
            vehicle_id=KALYNA,
            request_ids=(request,),
            destination_id=KRAMATORSK_HOSPITAL_ID,
            unit_id=BATTALION,
        ),
    )
    _post(
        client,
        login("medic"),
        _made(HandedOver, casualty_id=casualty, to_stage="Role 2, Kramatorsk"),
    )
    assert _listed(client, coordinator)[str(request)]["status"] == "handed_over"
    assert str(request) in _plan_reads(client, coordinator, monkeypatch)


def _traffic(client: TestClient, login: Login) -> None:
    """File requests and move them every way above (and leave one open)."""
    coordinator, medic = login("coordinator"), login("medic")
    handed, (a, b) = _file(client, login, 2)
    _post(
        client,
        medic,
        _made(HandedOver, casualty_id=a, to_stage="Role 2"),
        _made(OutcomeRecorded, casualty_id=b, outcome=Outcome.DIED_OF_WOUNDS),
        _made(HandedOver, casualty_id=b, to_stage="Role 2"),
    )
    carried, _ = _file(client, login, 1)
    mission = uuid4()
    _post(
        client,
        coordinator,
        _made(
            MissionAssigned,
            mission_id=mission,
            vehicle_id=KALYNA,
            request_ids=(carried,),
            destination_id=KRAMATORSK_HOSPITAL_ID,
            unit_id=BATTALION,
        ),
        _made(MissionStatusChanged, mission_id=mission, status=MissionStatus.PICKED_UP),
    )
    _file(client, login, 1)
    statuses = {r["status"] for r in _listed(client, coordinator).values()}
    assert {"handed_over", "picked_up", "requested"} <= statuses


def test_a_rebuild_gives_where_each_request_stands_as_the_live_projection_did(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    _traffic(client, login)
    live = projection_snapshot(seeded)
    with seeded.begin() as connection:
        projector.rebuild(connection)
    assert projection_snapshot(seeded) == live


def test_the_upgrade_settles_the_requests_the_code_before_it_wrote(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    _traffic(client, login)
    live = projection_snapshot(seeded)
    config = schema.alembic_config(seeded)
    with seeded.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006_plan_facts")
        # The rows as the code before wrote them: the status its own events gave, as of its
        # own last event.
        for row in connection.execute(
            select(streams.c.stream_id, streams.c.state).where(streams.c.stream == "request")
        ).all():
            state = json.loads(row.state)
            state["status"] = state.pop("filed_status")
            state.pop("mission_status", None)
            last = connection.execute(
                select(func.max(events.c.seq)).where(
                    events.c.stream == "request", events.c.stream_id == row.stream_id
                )
            ).scalar_one()
            received = connection.execute(
                select(events.c.received_at).where(events.c.seq == last)
            ).scalar_one()
            connection.execute(
                update(streams)
                .where(streams.c.stream == "request", streams.c.stream_id == row.stream_id)
                .values(
                    state=json.dumps(state),
                    status=state["status"],
                    updated_seq=last,
                    updated_at=received,
                )
            )
    with seeded.connect() as connection:
        before = set(
            connection.execute(
                select(streams.c.status).where(streams.c.stream == "request")
            ).scalars()
        )
    assert "handed_over" not in before
    schema.upgrade(seeded)
    assert projection_snapshot(seeded) == live
