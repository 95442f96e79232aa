"""Time the registry's summary over many casualties on SQLite and PostgreSQL (docs/benchmarks.md).

    uv run --frozen python tests/registry_bench.py --casualties 100000

For each engine it makes a fresh database (a SQLite file; a throw-away PostgreSQL cluster),
draws seeded random histories of about fifteen events each (registration, injuries,
tourniquets on and off, triage, drugs, blood, vitals, a request, a handover, an outcome: the
kinds of events a front's cards hold), turns each into its registry row with the projector's
own ``registry_record``, and writes those rows and copies of them (new ids, times moved by
whole days) up to the number of casualties asked for. The events themselves are
not stored: the summary reads only the rows, and the cost of writing events and keeping the
rows is the server's ingest rate, measured by ``goldenhour bench server``. Then it times
``services.registry.registry_summary`` (SQL read, figures, audit entry, JSON) as the
administrator over every casualty and as the analyst over one week.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, insert

from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.projector import _registry_values
from goldenhour.adapters.storage.registry import SqlRegistry
from goldenhour.adapters.storage.tables import registry_rows
from goldenhour.bench.throwaway_postgres import create_database, postgres_cluster
from goldenhour.domain.casualty.events import (
    CasualtyEvent,
    CasualtyRegistered,
    EvacuationRequested,
    FluidGiven,
    HandedOver,
    InjuryRecorded,
    MedicationGiven,
    OutcomeRecorded,
    TourniquetApplied,
    TourniquetRemoved,
    TriageAssessed,
    VitalsRecorded,
)
from goldenhour.domain.casualty.identity import Identity
from goldenhour.domain.casualty.vocabulary import (
    BodyRegion,
    DrugClass,
    EvacuationPosition,
    FacilityLevel,
    FluidKind,
    Limb,
    Mechanism,
    Outcome,
    PersonStatus,
    Route,
)
from goldenhour.domain.geo.position import Position
from goldenhour.domain.trauma_registry.record import RegistryRecord, registry_record
from goldenhour.domain.triage.categories import NatoCategory, Precedence, TriageSystem
from goldenhour.services.admin import SYSTEM
from goldenhour.services.audit import ReadAudit
from goldenhour.services.registry import RegistryQuery, registry_summary, summary_json

START = datetime(2026, 10, 1, tzinfo=UTC)
_OUTCOMES = [
    (Outcome.KILLED_IN_ACTION, 8), (Outcome.DIED_IN_TRANSIT, 2), (Outcome.DIED_OF_WOUNDS, 3),
    (Outcome.RETURNED_TO_DUTY, 30), (Outcome.ADMITTED, 25), (Outcome.EVACUATED_FURTHER, 20),
    (Outcome.SURGERY, 8), (Outcome.MISSING, 1),
]  # fmt: skip


def _history(rng: Random, number: int) -> list[CasualtyEvent]:
    casualty = UUID(int=number + 1)
    injured = START + timedelta(minutes=rng.uniform(0, 30 * 24 * 60))
    minute = 0.0
    made: list[CasualtyEvent] = []

    def add(cls: type[CasualtyEvent], **fields: Any) -> CasualtyEvent:
        nonlocal minute
        minute += rng.uniform(1, 15)
        at = injured + timedelta(minutes=minute)
        event = cls(event_id=UUID(int=rng.getrandbits(128)), casualty_id=casualty,  # type: ignore[call-arg]
                    occurred_at=at, recorded_at=at, author="medic", device="phone",
                    **fields).received(at + timedelta(minutes=rng.expovariate(1 / 30)))  # fmt: skip
        made.append(event)
        return event

    civilian = rng.random() < 0.15
    add(CasualtyRegistered, injured_at=injured,
        position=Position(lat=48.5 + rng.uniform(0, 0.6), lon=37.5 + rng.uniform(0, 0.9)),
        identity=Identity(status=PersonStatus.OWN_CIVILIAN if civilian
                          else PersonStatus.OWN_MILITARY))  # fmt: skip
    for _ in range(rng.randint(1, 3)):
        add(InjuryRecorded, region=rng.choice(list(BodyRegion)),
            mechanisms=frozenset({rng.choice(list(Mechanism))}))  # fmt: skip
    add(TriageAssessed, system=TriageSystem.NATO, category=rng.choice(list(NatoCategory)[:4]))
    if rng.random() < 0.4:
        applied = add(TourniquetApplied, limb=rng.choice(list(Limb)))
        minute += rng.uniform(20, 200)
        add(TourniquetRemoved, application_id=applied.event_id)
    for _ in range(rng.randint(3, 6)):
        add(VitalsRecorded, pulse=rng.randint(60, 140), respiratory_rate=rng.randint(10, 30))
    add(MedicationGiven, drug_class=DrugClass.HEMOSTATIC, name="TXA", dose=1.0, dose_unit="g",
        route=Route.IV)  # fmt: skip
    add(MedicationGiven, drug_class=DrugClass.ANALGESIC, name="ketamine", dose=50.0,
        dose_unit="mg", route=Route.IM)  # fmt: skip
    if rng.random() < 0.3:
        add(FluidGiven, fluid_kind=FluidKind.BLOOD_PRODUCT, name="LTOWB", volume_ml=500,
            route=Route.IV)  # fmt: skip
    add(EvacuationRequested, request_id=UUID(int=rng.getrandbits(128)),
        precedence=rng.choice(list(Precedence)), position=EvacuationPosition.LITTER)  # fmt: skip
    outcome = rng.choices([o for o, _ in _OUTCOMES], [w for _, w in _OUTCOMES])[0]
    if outcome is not Outcome.KILLED_IN_ACTION:
        minute += rng.uniform(20, 120)
        add(HandedOver, to_stage="Role 2", facility_level=FacilityLevel.MOBILE_HOSPITAL)
    if rng.random() < 0.9:
        minute += rng.uniform(10, 3000)
        add(OutcomeRecorded, outcome=outcome)
    return made


def _shifted(record: RegistryRecord, copy: int, days: int) -> RegistryRecord:
    moved = {
        name: getattr(record, name) + timedelta(days=days)
        for name in record.__dataclass_fields__
        if isinstance(getattr(record, name), datetime)
    }
    return replace(record, casualty_id=UUID(int=(copy << 64) + record.casualty_id.int), **moved)


def build(engine: Engine, casualties: int, *, drawn_histories: int, seed: int = 16) -> int:
    """Write ``casualties`` registry rows from ``drawn_histories`` histories; return their events.

    Each drawn history's row is written, then copied with a new id and its times moved by a
    whole number of days (a copy costs the summary what a new casualty costs; drawing and
    folding 100,000 histories takes longer than the summary is worth waiting for).
    """
    rng = Random(seed)
    unit = UUID(int=7)
    drawn, records = 0, []
    for number in range(min(drawn_histories, casualties)):
        history = _history(rng, number)
        drawn += len(history)
        records.append(registry_record(history[0].casualty_id, history, unit_id=unit))
    batch: list[dict[str, Any]] = []
    for number in range(casualties):
        copy, original = divmod(number, len(records))
        record = records[original]
        if copy:
            record = _shifted(record, copy, rng.randint(-20, 20))
        batch.append(_registry_values(record, number + 1))
        if len(batch) == 5000 or number == casualties - 1:
            with engine.begin() as connection:
                connection.execute(insert(registry_rows), batch)
            batch = []
    return drawn


def time_summary(engine: Engine, query: RegistryQuery, runs: int) -> dict[str, Any]:
    """Time ``registry_summary`` ``runs`` times; return the median and the figures' size."""
    store, audits = SqlRegistry(engine), ReadAudit(SqlEventLog(engine))
    seconds, rows = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        summary = registry_summary(store, audits, SYSTEM, query, now=datetime.now(UTC))
        answer = json.dumps(summary_json(summary))
        seconds.append(time.perf_counter() - began)
        rows = summary.rows
    return {"rows": rows, "median_s": round(statistics.median(seconds), 3),
            "max_s": round(max(seconds), 3), "bytes": len(answer)}  # fmt: skip


@contextmanager
def database(kind: str) -> Iterator[Engine]:
    """Yield an engine on a fresh database of ``kind`` with the current schema."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'registry.sqlite3'}")
            schema.upgrade(engine)
            yield engine
            engine.dispose()
        return
    with postgres_cluster() as base:
        engine = make_engine(create_database(base, "registry_bench"))
        schema.upgrade(engine)
        yield engine
        engine.dispose()


def main() -> None:
    """Build the data on each engine and print the timings as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--casualties", type=int, default=100_000)
    parser.add_argument("--histories", type=int, default=10_000, help="histories drawn")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], action="append")
    options = parser.parse_args()
    week = RegistryQuery(since=START + timedelta(days=7), until=START + timedelta(days=14))
    for kind in options.engine or ["sqlite", "postgresql"]:
        with database(kind) as engine:
            began = time.perf_counter()
            drawn = build(engine, options.casualties, drawn_histories=options.histories)
            built = time.perf_counter() - began
            report = {
                "engine": kind, "casualties": options.casualties,
                "histories": min(options.histories, options.casualties),
                "events_in_histories": drawn,
                "build_s": round(built, 1),
                "all": time_summary(engine, RegistryQuery(), options.runs),
                "one_week": time_summary(engine, week, options.runs),
            }  # fmt: skip
            print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
