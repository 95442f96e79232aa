"""The registry's counting in SQL gives what the domain's definitions give, on both engines.

``SqlRegistry.tally`` counts the rows by the facts the projector stored beside them (the
category, the day, the triage and tourniquet cells, the chain's minutes); the domain's
``tally_records`` and ``summarise`` are the definitions. On the same seeded registry of
varied rows, under every filter, the two agree. And a mission's times arriving after the card
derive the stored facts again: a death in transit becomes a death of wounds once the handover
to a facility before it is known.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select
from test_rebuild import rebuild, send
from test_registry_projection import _at, _card, _envelope, _missions

from goldenhour.adapters.storage.projector import _registry_values
from goldenhour.adapters.storage.registry import SqlRegistry
from goldenhour.adapters.storage.tables import registry_rows
from goldenhour.domain.casualty.events import OutcomeRecorded
from goldenhour.domain.casualty.vocabulary import Outcome
from goldenhour.domain.codec import encode_event
from goldenhour.domain.trauma_registry.figures import (
    RegistryFilter,
    summarise,
    summarise_tally,
    tally_records,
)
from goldenhour.domain.trauma_registry.record import RegistryRecord

Login = Callable[[str], dict[str, str]]
DAY0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 20, tzinfo=UTC)
UNITS = [UUID(int=1), UUID(int=2), UUID(int=3)]
_OUTCOMES = [None, "killed_in_action", "died_in_transit", "died_of_wounds", "returned_to_duty",
             "admitted", "evacuated_further", "surgery", "missing"]  # fmt: skip
_TRIAGE = [None, "T1", "T2", "T3", "T4", "immediate", "delayed", "minimal", "dead"]


def _maybe(rng: Random, minutes: float) -> datetime | None:
    """A moment some minutes after the injury, or none (a third of the time)."""
    return None if rng.random() < 0.33 else DAY0 + timedelta(minutes=minutes)


def _record(rng: Random, number: int) -> RegistryRecord:
    """A row with every field drawn, missing data and times in the wrong order included."""
    day = timedelta(days=rng.randint(0, 9), minutes=rng.uniform(0, 1440))
    injured = None if rng.random() < 0.1 else DAY0 + day
    tourniquets = rng.choice([0, 0, 1, 2])
    worn = rng.choice([None, 10.0, 45.0, 120.0, 120.5, 200.0, 400.0, -3.0]) if tourniquets else None

    def later(spread: float) -> datetime | None:
        moment = _maybe(rng, rng.uniform(-30, spread))
        return moment + day if moment is not None else None

    return RegistryRecord(
        casualty_id=UUID(int=10_000 + number),
        unit_id=rng.choice([*UNITS, None]),
        area=rng.choice(["37UDQ1020", "37UDQ3040", "37UER1111", None]),
        population=rng.choice(["military", "civilian", None]),
        injured_at=injured,
        first_event_at=DAY0 + day + timedelta(minutes=rng.uniform(0, 5)),
        mechanisms=tuple(sorted(rng.sample(["artillery", "drone", "gunshot"], rng.randint(0, 2)))),
        regions=tuple(sorted(rng.sample(["chest", "head", "thigh"], rng.randint(0, 2)))),
        triage_category=rng.choice(_TRIAGE),
        tourniquet_count=tourniquets,
        tourniquet_on_at=later(20) if tourniquets else None,
        tourniquet_minutes=worn,
        tourniquets_open=rng.choice([0, 1]) if tourniquets else 0,
        blood_units=rng.choice([0, 0, 2]),
        requested_at=later(60),
        picked_up_at=later(120),
        arrived_at=later(240),
        surgery_at=later(600) if rng.random() < 0.3 else None,
        outcome=rng.choice(_OUTCOMES),
        outcome_at=later(8000),
        newest_input_at=DAY0 + day + timedelta(hours=rng.uniform(0, 48)),
    )


@pytest.fixture
def registry(engine: Engine) -> list[RegistryRecord]:
    rng = Random(16)
    records = [_record(rng, number) for number in range(400)]
    with engine.begin() as connection:
        connection.execute(
            insert(registry_rows), [_registry_values(r, n) for n, r in enumerate(records)]
        )
    return records


FILTERS = [
    RegistryFilter(),
    RegistryFilter(since=DAY0 + timedelta(days=2), until=DAY0 + timedelta(days=5)),
    RegistryFilter(unit_ids=frozenset(UNITS[:2])),
    RegistryFilter(area="37UDQ", population="civilian"),
    RegistryFilter(population="military", since=DAY0 + timedelta(days=8)),
    RegistryFilter(area="37UZZ"),  # selects nothing
]


@pytest.mark.parametrize("where", FILTERS)
def test_the_tally_in_sql_equals_the_domains_on_the_same_rows(
    engine: Engine, registry: list[RegistryRecord], where: RegistryFilter
) -> None:
    store = SqlRegistry(engine)
    counted = store.tally(where)
    assert counted == tally_records(store.rows(where))
    expected = summarise(registry, now=NOW, where=where)
    assert summarise_tally(counted, now=NOW) == expected
    if where == RegistryFilter():
        assert expected.rows == 400  # the varied registry is all there


def _stored(engine: Engine, casualty: UUID) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(
            select(registry_rows).where(registry_rows.c.casualty_id == str(casualty))
        ).one()
    return dict(row._mapping)


def test_a_handover_arriving_after_the_death_in_transit_makes_it_a_death_of_wounds(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    casualty = uuid4()
    coordinator, medic = login("coordinator"), login("medic")
    died = OutcomeRecorded(**_envelope("medic", 200), casualty_id=casualty,
                           outcome=Outcome.DIED_IN_TRANSIT)  # fmt: skip
    card = [encode_event(e) for e in [*_card(casualty), died]]
    assert send(client, medic, card) == ["accepted"] * len(card)
    before = _stored(seeded, casualty)
    assert (before["category"], before["injury_to_facility_minutes"]) == ("kia", None)
    # The coordinator's laptop was offline: the request, pickup and handover arrive now.
    missions = [encode_event(e) for e in _missions(casualty)]
    assert send(client, coordinator, missions) == ["accepted"] * len(missions)
    after = _stored(seeded, casualty)
    assert after["arrived_at"] == _at(75).isoformat()
    assert (after["category"], after["injury_to_facility_minutes"]) == ("dow", 75.0)
    assert (after["request_to_pickup_minutes"], after["pickup_to_facility_minutes"]) == (30, 35)
    store = SqlRegistry(seeded)
    assert store.tally(RegistryFilter()) == tally_records(store.rows(RegistryFilter()))
    rebuild(seeded)
    assert _stored(seeded, casualty) == after
