"""One batch mixing casualty and operational events, repeats and refusals, on both engines.

The log writer holds a batch's casualty events and cards back and writes them together at the
end (one round trip instead of one per event). These tests check that nothing a later event of
the same batch depends on is missed meanwhile: a request and a mission naming a casualty
registered earlier in the batch, a hand-over that links the casualty to a facility, the same
event twice, and refused events between accepted ones.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient
from projection_snapshot import projection_snapshot
from sqlalchemy import Engine, func, select

from goldenhour.adapters.storage.tables import events
from goldenhour.demo.bilohorivka import PICKUP_SITE, demo_id
from goldenhour.demo.scenario import BATTALION, KRAMATORSK_HOSPITAL_ID
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    HandedOver,
    TourniquetApplied,
    VitalsRecorded,
)
from goldenhour.domain.casualty.vocabulary import Limb
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import EvacuationRequestFiled, MissionAssigned
from goldenhour.domain.triage.categories import Precedence

from builders import make
from cli_runner import goldenhour_process as goldenhour

Login = Callable[[str], dict[str, str]]
KALYNA = demo_id("vehicle/kalyna")


def _envelope(minutes_ago: float) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return {
        "event_id": uuid4(), "occurred_at": moment, "recorded_at": moment, "author": "admin",
        "device": "admin-laptop",
    }  # fmt: skip


def _post(client: TestClient, headers: dict[str, str], batch: list[DomainEvent | dict[str, Any]]
          ) -> list[dict[str, Any]]:  # fmt: skip
    body = [encode_event(e) if isinstance(e, DomainEvent) else e for e in batch]
    response = client.post("/api/v1/events", json={"events": body}, headers=headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def _rebuild(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    done = goldenhour("db", "rebuild", "--database-url", url, "--json")
    assert done.returncode == 0, done.stderr


def _chain_of_care(casualty: UUID) -> list[DomainEvent]:
    """Registration, request, mission, more care, hand-over: one batch from a field laptop."""
    request_id = uuid4()
    return [
        make(CasualtyRegistered, minute=1, casualty_id=casualty, position=PICKUP_SITE),
        make(TourniquetApplied, minute=2, casualty_id=casualty, limb=Limb.RIGHT_LEG),
        EvacuationRequestFiled(
            **_envelope(3),
            request_id=request_id,
            unit_id=BATTALION,
            casualty_ids=(casualty,),
            pickup=PICKUP_SITE,
            precedence=Precedence.URGENT,
        ),  # fmt: skip
        MissionAssigned(
            **_envelope(2),
            mission_id=uuid4(),
            vehicle_id=KALYNA,
            request_ids=(request_id,),
            destination_id=KRAMATORSK_HOSPITAL_ID,
            unit_id=BATTALION,
        ),  # fmt: skip
        make(VitalsRecorded, minute=4, casualty_id=casualty, pulse=118, respiratory_rate=24),
        make(
            HandedOver,
            minute=30,
            casualty_id=casualty,
            to_stage="Kramatorsk",
            facility_id=KRAMATORSK_HOSPITAL_ID,
        ),  # fmt: skip
        make(VitalsRecorded, minute=31, casualty_id=casualty, pulse=104, respiratory_rate=20),
    ]


def test_a_batch_mixing_casualty_and_operation_events_is_stored_in_batch_order(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    admin, casualty = login("admin"), uuid4()
    with seeded.connect() as connection:
        before = connection.execute(select(func.max(events.c.seq))).scalar_one()
    results = _post(client, admin, list(_chain_of_care(casualty)))
    assert [r["outcome"] for r in results] == ["accepted"] * 7, results
    # The log's order is the batch's order, with no gap, after what was there before.
    assert [r["seq"] for r in results] == list(range(before + 1, before + 8))
    with seeded.connect() as connection:
        stored = connection.execute(
            select(events.c.seq, events.c.event_id).where(events.c.seq > before)
        ).all()
    assert [(row.seq, row.event_id) for row in stored] == [
        (r["seq"], r["event_id"]) for r in results
    ]
    # The receiving hospital sees the casualty handed to it, with the last vitals on the card.
    card = client.get(f"/api/v1/casualties/{casualty}", headers=login("facility"))
    assert card.status_code == 200, card.text
    assert card.json()["card"]["vitals"][-1]["pulse"] == 104
    live = projection_snapshot(seeded)
    _rebuild(seeded)
    assert projection_snapshot(seeded) == live


def test_the_same_event_twice_in_one_batch_is_stored_once(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    medic, casualty = login("medic"), uuid4()
    registered = encode_event(
        make(CasualtyRegistered, minute=1, casualty_id=casualty, position=PICKUP_SITE)
    )
    applied = encode_event(
        make(TourniquetApplied, minute=2, casualty_id=casualty, limb=Limb.LEFT_LEG)
    )
    results = _post(
        client, medic,
        [registered, applied, applied, {**applied, "limb": "right_arm"}, {**registered,
         "event_id": str(uuid4()), "pulse": 12}],
    )  # fmt: skip
    assert [r["outcome"] for r in results] == [
        "accepted", "accepted", "duplicate", "conflict", "invalid"
    ]  # fmt: skip
    assert results[2]["seq"] == results[1]["seq"]
    with seeded.connect() as connection:
        count = connection.execute(
            select(func.count()).select_from(events).where(events.c.stream_id == str(casualty))
        ).scalar_one()
    assert count == 2
    card = client.get(f"/api/v1/casualties/{casualty}", headers=medic).json()["card"]
    assert [t["limb"] for t in card["tourniquets"]] == ["left_leg"]


def test_events_after_a_refused_one_take_the_next_places_in_the_log(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    medic, casualty = login("medic"), uuid4()
    registered = encode_event(
        make(CasualtyRegistered, minute=1, casualty_id=casualty, position=PICKUP_SITE)
    )
    impossible = encode_event(make(VitalsRecorded, minute=3, casualty_id=casualty, pulse=80))
    applied = encode_event(
        make(TourniquetApplied, minute=2, casualty_id=casualty, limb=Limb.LEFT_LEG)
    )
    results = _post(client, medic, [registered, {**impossible, "pulse": 400}, applied])
    assert [r["outcome"] for r in results] == ["accepted", "invalid", "accepted"]
    assert results[1]["field"] == "pulse"
    assert results[2]["seq"] == results[0]["seq"] + 1
    # The next batch continues the log where this one ended.
    later = encode_event(make(VitalsRecorded, minute=5, casualty_id=casualty, pulse=90))
    assert _post(client, medic, [later])[0]["seq"] == results[2]["seq"] + 1
