"""The registry's rows: kept up to date as events arrive, equal to a rebuild, on both engines.

The casualty's phone is offline after registering it: the coordinator files the request,
assigns the mission and marks it picked up and handed over before the rest of the card reaches
the server; the card arrives, then a death recorded earlier arrives later still. The row holds
the mission's times either way, and ``goldenhour db rebuild`` gives the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient
from projection_snapshot import projection_snapshot
from sqlalchemy import Engine, inspect, select
from test_rebuild import rebuild, send

from goldenhour.adapters.storage.tables import registry_chain, registry_keys, registry_rows
from goldenhour.demo.bilohorivka import PICKUP_SITE, demo_id
from goldenhour.demo.scenario import BATTALION, KRAMATORSK_HOSPITAL_ID
from goldenhour.domain.casualty.events import (
    CasualtyRegistered,
    InjuryRecorded,
    OutcomeRecorded,
    TourniquetApplied,
    TourniquetRemoved,
    TriageAssessed,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    BodyRegion,
    Limb,
    Mechanism,
    Outcome,
    PersonStatus,
)
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    MissionAssigned,
    MissionStatusChanged,
)
from goldenhour.domain.operations.vocabulary import MissionStatus
from goldenhour.domain.triage.categories import NatoCategory, Precedence, TriageSystem

Login = Callable[[str], dict[str, str]]
KALYNA = demo_id("vehicle/kalyna")
INJURED = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=5)


def _at(minutes: float) -> datetime:
    return INJURED + timedelta(minutes=minutes)


def _envelope(author: str, minutes: float) -> dict[str, Any]:
    return {"event_id": uuid4(), "occurred_at": _at(minutes), "recorded_at": _at(minutes),
            "author": author, "device": f"{author}-device"}  # fmt: skip


def _card(casualty: UUID) -> list[DomainEvent]:
    applied = TourniquetApplied(**_envelope("medic", 3), casualty_id=casualty, limb=Limb.LEFT_LEG)
    return [
        CasualtyRegistered(**_envelope("medic", 1), casualty_id=casualty, injured_at=_at(0),
                           position=PICKUP_SITE, identity=Identity(
                               name_last="Bondarenko", status=PersonStatus.OWN_CIVILIAN)),
        InjuryRecorded(**_envelope("medic", 2), casualty_id=casualty, region=BodyRegion.THIGH,
                       mechanisms=frozenset({Mechanism.ARTILLERY})),
        applied,
        TriageAssessed(**_envelope("medic", 4), casualty_id=casualty, system=TriageSystem.NATO,
                       category=NatoCategory.T1),
        TourniquetRemoved(**_envelope("medic", 133), casualty_id=casualty,
                          application_id=applied.event_id),
    ]  # fmt: skip


def _missions(casualty: UUID) -> list[DomainEvent]:
    request, mission = uuid4(), uuid4()
    return [
        EvacuationRequestFiled(**_envelope("coordinator", 10), request_id=request,
                               unit_id=BATTALION, casualty_ids=(casualty,),
                               pickup=PICKUP_SITE, precedence=Precedence.URGENT),
        MissionAssigned(**_envelope("coordinator", 15), mission_id=mission, vehicle_id=KALYNA,
                        request_ids=(request,), destination_id=KRAMATORSK_HOSPITAL_ID,
                        unit_id=BATTALION),
        MissionStatusChanged(**_envelope("coordinator", 40), mission_id=mission,
                             status=MissionStatus.PICKED_UP),
        MissionStatusChanged(**_envelope("coordinator", 75), mission_id=mission,
                             status=MissionStatus.HANDED_OVER),
    ]  # fmt: skip


def _rows(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as connection:
        return {
            row.casualty_id: dict(row._mapping) for row in connection.execute(select(registry_rows))
        }


def test_registry_rows_follow_the_log_in_any_order_and_equal_a_rebuild(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    casualty = uuid4()
    coordinator, medic = login("coordinator"), login("medic")
    card = [encode_event(e) for e in _card(casualty)]
    assert send(client, medic, card[:1]) == ["accepted"]
    assert _rows(seeded)[str(casualty)]["picked_up_at"] is None
    assert (
        send(client, coordinator, [encode_event(e) for e in _missions(casualty)])
        == ["accepted"] * 4
    )
    assert _rows(seeded)[str(casualty)]["picked_up_at"] == _at(40).isoformat()
    assert send(client, medic, card[1:]) == ["accepted"] * 4
    row = _rows(seeded)[str(casualty)]
    assert (row["requested_at"], row["picked_up_at"], row["arrived_at"]) == (
        _at(10).isoformat(), _at(40).isoformat(), _at(75).isoformat()
    )  # fmt: skip
    assert (row["population"], row["triage_category"], row["mechanisms"]) == (
        "civilian", "T1", "artillery"
    )  # fmt: skip
    assert row["tourniquet_minutes"] == 130
    assert row["outcome"] is None
    # The phone that saw the death was offline: the death, at minute 200, arrives now.
    death = OutcomeRecorded(**_envelope("medic", 200), casualty_id=casualty,
                            outcome=Outcome.DIED_OF_WOUNDS)  # fmt: skip
    assert send(client, medic, [encode_event(death)]) == ["accepted"]
    late = _rows(seeded)[str(casualty)]
    assert (late["outcome"], late["outcome_at"]) == ("died_of_wounds", _at(200).isoformat())
    assert late["newest_input_at"] > row["newest_input_at"]
    assert "Bondarenko" not in repr(late)

    before = projection_snapshot(seeded)
    incremental = _rows(seeded)
    rebuild(seeded)
    assert _rows(seeded) == incremental
    assert projection_snapshot(seeded) == before


def test_the_migration_creates_the_registry_tables_the_code_writes(engine: Engine) -> None:
    found = inspect(engine)
    for table in (registry_rows, registry_chain, registry_keys):
        columns = {c["name"] for c in found.get_columns(table.name)}
        assert columns == set(table.columns.keys()), table.name
