"""``goldenhour db rebuild``: projections rebuilt from the log equal the ones kept up to date live.

The database is the demo's, plus traffic through the API from every writing role: casualties
with tourniquets, removals, corrections, retractions and a hand-over to a facility; vehicle
positions in and out of order, a corrected status, an acknowledged request and a mission; a
capacity report; a new unit, a changed password and a disabled user; and refused submissions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from projection_snapshot import projection_snapshot
from sqlalchemy import Engine, distinct, func, select
from sqlalchemy import event as sqlalchemy_event

from goldenhour.adapters.storage import projector
from goldenhour.adapters.storage.tables import events
from goldenhour.demo.bilohorivka import PICKUP_SITE, demo_id
from goldenhour.demo.scenario import BATTALION, COMPANY, KRAMATORSK_HOSPITAL_ID
from goldenhour.domain.casualty.card import fold_history
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    EntryRetracted,
    HandedOver,
    NoteAdded,
    TourniquetApplied,
    TourniquetRemoved,
    VitalsRecorded,
)
from goldenhour.domain.casualty.vocabulary import Limb
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import (
    FacilityCapacityReported,
    MissionAssigned,
    RequestAcknowledged,
    UnitRegistered,
    UserDisabled,
    UserPasswordChanged,
    VehiclePositionReported,
    VehicleStatusChanged,
)
from goldenhour.domain.operations.vocabulary import UnitKind, VehicleStatus

from builders import make
from cli_runner import goldenhour_process as goldenhour

Login = Callable[[str], dict[str, str]]
KALYNA = demo_id("vehicle/kalyna")
REQUEST = demo_id("request/bilohorivka-1")


def _envelope(author: str, minutes_ago: float) -> dict[str, Any]:
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return {
        "event_id": uuid4(), "occurred_at": moment, "recorded_at": moment, "author": author,
        "device": f"{author}-device",
    }  # fmt: skip


def medic_traffic(casualty: UUID) -> list[DomainEvent]:
    """Return a casualty's card as a medic writes it, with a correction and a retraction."""
    applied = make(TourniquetApplied, minute=2, casualty_id=casualty, limb=Limb.LEFT_LEG)
    vitals = make(VitalsRecorded, minute=5, casualty_id=casualty, pulse=130, respiratory_rate=30)
    note = make(NoteAdded, minute=6, casualty_id=casualty, text="wrong casualty")
    return [
        make(CasualtyRegistered, minute=1, casualty_id=casualty, position=PICKUP_SITE),
        applied,
        vitals,
        make(VitalsRecorded, minute=5, casualty_id=casualty, pulse=120, supersedes=vitals.event_id),
        note,
        make(EntryRetracted, minute=7, casualty_id=casualty, target=note.event_id, reason="typo"),
        make(TourniquetRemoved, minute=50, casualty_id=casualty, application_id=applied.event_id),
        make(HandedOver, minute=55, casualty_id=casualty, to_stage="Kramatorsk",
             facility_id=KRAMATORSK_HOSPITAL_ID),
    ]  # fmt: skip


def coordinator_traffic() -> list[DomainEvent]:
    """Return vehicle reports (one late), a corrected status, an acknowledgement and a mission."""
    status = VehicleStatusChanged(
        **_envelope("coordinator", 3), vehicle_id=KALYNA, status=VehicleStatus.EN_ROUTE
    )
    return [
        VehiclePositionReported(
            **_envelope("coordinator", 2), vehicle_id=KALYNA, position=Position(lat=48.9, lon=38.1)
        ),
        VehiclePositionReported(
            **_envelope("coordinator", 1), vehicle_id=KALYNA, position=Position(lat=48.91, lon=38.2)
        ),
        VehiclePositionReported(
            **_envelope("coordinator", 20), vehicle_id=KALYNA, position=Position(lat=48.8, lon=38.0)
        ),
        status,
        VehicleStatusChanged(
            **_envelope("coordinator", 3),
            vehicle_id=KALYNA,
            status=VehicleStatus.LOADING,
            supersedes=status.event_id,
        ),
        RequestAcknowledged(**_envelope("coordinator", 2), request_id=REQUEST),
        MissionAssigned(
            **_envelope("coordinator", 1),
            mission_id=uuid4(),
            vehicle_id=KALYNA,
            request_ids=(REQUEST,),
            destination_id=KRAMATORSK_HOSPITAL_ID,
            unit_id=BATTALION,
        ),
    ]


def facility_traffic() -> list[DomainEvent]:
    """Return a capacity report from the receiving hospital."""
    return [
        FacilityCapacityReported(
            **_envelope("facility", 1),
            facility_id=KRAMATORSK_HOSPITAL_ID,
            beds_free=3,
            operating_tables_free=0,
        )
    ]


def admin_traffic() -> list[DomainEvent]:
    """Return a new platoon, a changed password and a disabled user."""
    analyst = demo_id("user/analyst")
    return [
        UnitRegistered(
            **_envelope("admin", 1),
            unit_id=uuid4(),
            name="3rd platoon",
            unit_kind=UnitKind.PLATOON,
            parent_id=COMPANY,
        ),
        UserPasswordChanged(**_envelope("admin", 1), user_id=analyst, password_hash="$argon2id$x"),
        UserDisabled(**_envelope("admin", 1), user_id=analyst, reason="left the unit"),
    ]


def refused_traffic(casualty: UUID) -> list[dict[str, Any]]:
    """Return a conflict (a known id with other content) and an impossible value."""
    registered = encode_event(
        make(CasualtyRegistered, minute=1, casualty_id=casualty, position=PICKUP_SITE)
    )
    impossible = encode_event(make(VitalsRecorded, minute=3, casualty_id=casualty, pulse=80))
    return [
        registered,
        {**registered, "device": "another-phone"},  # not the author: the server decides it
        {**impossible, "pulse": 400},
    ]


def send(client: TestClient, headers: dict[str, str], batch: list[dict[str, Any]]) -> list[str]:
    """Post a batch and return the outcome of each event."""
    response = client.post("/api/v1/events", json={"events": batch}, headers=headers)
    assert response.status_code == 200, response.text
    return [result["outcome"] for result in response.json()["results"]]


def send_traffic(client: TestClient, login: Login) -> None:
    """Send every role's traffic, then the refused submissions, and check the answers."""
    medic = login("medic")
    sent = {
        "medic": send(client, medic, [encode_event(e) for e in medic_traffic(uuid4())]),
        "medic again": send(client, medic, [encode_event(e) for e in medic_traffic(uuid4())]),
        "coordinator": send(
            client, login("coordinator"), [encode_event(e) for e in coordinator_traffic()]
        ),
        "facility": send(client, login("facility"), [encode_event(e) for e in facility_traffic()]),
        "admin": send(client, login("admin"), [encode_event(e) for e in admin_traffic()]),
        "refused": send(client, medic, refused_traffic(uuid4())),
    }
    # Without this a rebuild could be compared on traffic that was all refused.
    assert sent == {
        "medic": ["accepted"] * 8,
        "medic again": ["accepted"] * 8,
        "coordinator": ["accepted"] * 7,
        "facility": ["accepted"],
        "admin": ["accepted"] * 3,
        "refused": ["accepted", "conflict", "invalid"],
    }


def rebuild(engine: Engine) -> dict[str, Any]:
    """Run ``goldenhour db rebuild --json`` on the engine's database and return its report."""
    url = engine.url.render_as_string(hide_password=False)
    done = goldenhour("db", "rebuild", "--database-url", url, "--json")
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def count_events(engine: Engine) -> int:
    """Return the number of events in the log."""
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(events)).scalar_one())


def test_a_rebuild_after_traffic_gives_the_same_projections_table_by_table(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    send_traffic(client, login)
    before = projection_snapshot(seeded)
    report = rebuild(seeded)
    assert projection_snapshot(seeded) == before
    assert report == {"replayed": count_events(seeded)}


def test_a_rebuild_restores_projections_that_were_lost(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    send_traffic(client, login)
    before = projection_snapshot(seeded)
    with seeded.begin() as connection:
        connection.exec_driver_sql("DELETE FROM casualty_cards")
        connection.exec_driver_sql("UPDATE streams SET state = '{}'")
    rebuild(seeded)
    assert projection_snapshot(seeded) == before


def test_a_rebuild_folds_each_casualty_once(
    client: TestClient, login: Login, seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Re-reading and re-folding a casualty's history for each of their events made the rebuild
    # quadratic in a casualty's events: 240 s at 50,000 casualties (issue 19).
    send_traffic(client, login)
    before = projection_snapshot(seeded)
    folded: list[UUID] = []

    def counted(casualty_id: UUID, history: Any) -> Any:
        folded.append(casualty_id)
        return fold_history(casualty_id, history)

    monkeypatch.setattr(projector, "fold_history", counted)
    with seeded.begin() as connection:
        casualties = connection.execute(
            select(func.count(distinct(events.c.stream_id))).where(events.c.stream == "casualty")
        ).scalar_one()
        assert projector.rebuild(connection) == count_events(seeded)
    assert len(folded) == len(set(folded)) == casualties
    assert projection_snapshot(seeded) == before


def test_a_rebuild_writes_the_operational_times_once_and_checks_no_stored_event_again(
    client: TestClient, login: Login, seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 19: per operational event the rebuild read, inserted or updated registry_chain
    # and lowered a registry row that did not exist yet; and it ran every stored event's
    # checks again, although each passed them at ingest. Both were most of its time.
    send_traffic(client, login)
    before = projection_snapshot(seeded)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    checked: list[str] = []
    check = DomainEvent.__post_init__

    def counted(self: DomainEvent) -> None:
        checked.append(self.kind)
        check(self)

    monkeypatch.setattr(DomainEvent, "__post_init__", counted)
    sqlalchemy_event.listen(seeded, "before_cursor_execute", record)
    try:
        with seeded.begin() as connection:
            projector.rebuild(connection)
    finally:
        sqlalchemy_event.remove(seeded, "before_cursor_execute", record)
    chain_writes = [s for s in statements if "registry_chain" in s and "SELECT" not in s]
    assert len(chain_writes) == 2, chain_writes  # emptied, then filled
    # Only triage is decoded through the checks (its categories depend on its system).
    assert set(checked) <= {"triage_assessed"}
    assert projection_snapshot(seeded) == before
    with seeded.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM registry_chain").scalar_one() > 0
