"""The event log's contract, kept alike by the in-memory log, SQLite and PostgreSQL.

Each test runs on the three: the services' unit tests use the in-memory log, so it must answer
as the SQL one does (ids, order, streams, refusals kept for review, the audit chain's hashes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from goldenhour.adapters.memory import InMemoryEventLog, InMemoryRecords
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.audit import GENESIS, SqlAuditChain, chained_row
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.queries import SqlRecords
from goldenhour.adapters.storage.tables import rejected_events
from goldenhour.domain.casualty.events import CasualtyRegistered, NoteAdded
from goldenhour.domain.codec import encode_event
from goldenhour.domain.ports import AuditChain, AuditEntry, CardFilter, EventLog, RecordReader
from goldenhour.services.sync import Outcome, content_hash, submit_events
from world import World, seed

from builders import make
from postgres import create_database

NOW = datetime(2022, 6, 14, 13, 0, tzinfo=UTC)
SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Backend:
    """An event log, its audit chain, and how to read the submissions it kept for review."""

    log: EventLog
    chain: AuditChain
    records: RecordReader
    rejected: Callable[[], list[tuple[str | None, str, str | None]]]


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Return an empty log of each kind."""
    if request.param == "memory":
        memory = InMemoryEventLog()
        yield Backend(
            memory, memory.audit_chain(), InMemoryRecords(memory),
            lambda: [(r.event_id, r.outcome, r.field) for r in memory.rejected()],
        )  # fmt: skip
        return
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'contract.sqlite3'}"
    else:
        url = create_database(request.getfixturevalue("postgres_base_url"), f"c_{uuid4().hex[:16]}")
    engine = make_engine(url)
    schema.upgrade(engine)

    def rejected() -> list[tuple[str | None, str, str | None]]:
        with engine.connect() as connection:
            rows = connection.execute(
                select(
                    rejected_events.c.event_id, rejected_events.c.outcome, rejected_events.c.field
                )
            ).all()
        return [(row.event_id, row.outcome, row.field) for row in rows]

    yield Backend(SqlEventLog(engine), SqlAuditChain(engine), SqlRecords(engine), rejected)
    engine.dispose()


@pytest.fixture
def world(backend: Backend) -> World:
    """Return the log's world: units and users registered through the log."""
    return seed(backend.log)


def _registered(casualty: UUID | None = None, minute: float = 1) -> CasualtyRegistered:
    return make(  # type: ignore[no-any-return]
        CasualtyRegistered, minute=minute, casualty_id=casualty or uuid4(), device="medic-phone"
    )


class TestAppend:
    def test_an_event_sent_twice_is_stored_once(self, backend: Backend, world: World) -> None:
        event = encode_event(_registered())
        first = submit_events(backend.log, world.medic, [event], now=NOW, max_skew=SKEW)
        again = submit_events(backend.log, world.medic, [event], now=NOW, max_skew=SKEW)
        assert [first[0].outcome, again[0].outcome] == [Outcome.ACCEPTED, Outcome.DUPLICATE]
        assert again[0].seq == first[0].seq
        stored = [e for e in backend.log.read_after(0, limit=100) if e.stream == "casualty"]
        assert [e.event_id for e in stored] == [UUID(event["event_id"])]

    def test_the_same_id_with_other_content_is_refused_and_kept_for_review(
        self, backend: Backend, world: World
    ) -> None:
        event = _registered()
        submit_events(backend.log, world.medic, [encode_event(event)], now=NOW, max_skew=SKEW)
        changed = {**encode_event(event), "issued_by": "another aid post"}
        [result] = submit_events(backend.log, world.medic, [changed], now=NOW, max_skew=SKEW)
        assert result.outcome is Outcome.CONFLICT
        assert backend.rejected() == [(str(event.event_id), "conflict", result.field)]

    def test_an_invalid_event_is_kept_for_review_naming_the_field(
        self, backend: Backend, world: World
    ) -> None:
        bad = {**encode_event(_registered()), "occurred_at": "yesterday"}
        [result] = submit_events(backend.log, world.medic, [bad], now=NOW, max_skew=SKEW)
        assert (result.outcome, result.field) == (Outcome.INVALID, "occurred_at")
        assert backend.rejected() == [(bad["event_id"], "invalid", "occurred_at")]

    def test_a_failed_write_leaves_nothing(self, backend: Backend, world: World) -> None:
        before = backend.log.last_seq()
        event = _registered()
        with pytest.raises(RuntimeError), backend.log.writer() as writer:
            writer.append(
                event, scope_unit=world.company, content_hash=content_hash(event),
                submitted_by=world.medic.user_id, received_at=NOW,
            )  # fmt: skip
            raise RuntimeError("the batch failed")
        assert backend.log.last_seq() == before
        with backend.log.writer() as writer:
            assert writer.find(event.event_id) is None
            assert writer.stream_scope("casualty", event.casualty_id) is None


class TestRead:
    def test_events_are_read_after_a_position_in_log_order(
        self, backend: Backend, world: World
    ) -> None:
        start = backend.log.last_seq()
        batch = [encode_event(_registered(minute=m)) for m in (1, 2, 3, 4)]
        results = submit_events(backend.log, world.medic, batch, now=NOW, max_skew=SKEW)
        assert [r.seq for r in results] == [start + 1, start + 2, start + 3, start + 4]
        page = backend.log.read_after(start + 1, limit=2)
        assert [e.seq for e in page] == [start + 2, start + 3]
        assert [str(e.event_id) for e in page] == [batch[1]["event_id"], batch[2]["event_id"]]
        assert backend.log.last_seq() == start + 4
        assert backend.log.read_after(start + 4, limit=10) == []

    def test_a_stream_is_read_alone_in_log_order(self, backend: Backend, world: World) -> None:
        ours, theirs = _registered(), _registered()
        note = make(NoteAdded, minute=3, casualty_id=ours.casualty_id, text="pale, cold")
        batch = [encode_event(e) for e in (ours, theirs, note)]
        submit_events(backend.log, world.medic, batch, now=NOW, max_skew=SKEW)
        with backend.log.writer() as writer:
            stream = writer.load_stream("casualty", ours.casualty_id)
            scope = writer.stream_scope("casualty", ours.casualty_id)
            found = writer.find(note.event_id)
        assert [e.event_id for e in stream] == [ours.event_id, note.event_id]
        assert scope is not None
        assert (scope.scope_unit, scope.scope_path) == (world.company, world.medic.unit_path)
        assert found is not None and found.content_hash == content_hash(note)

    def test_units_and_users_are_known_to_the_writer(self, backend: Backend, world: World) -> None:
        with backend.log.writer() as writer:
            assert writer.unit_path(world.company) == world.medic.unit_path
            assert writer.unit_path(uuid4()) is None
            medic = writer.named_user("medic")
            assert writer.named_user("nobody") is None
        assert medic is not None
        assert (medic.user_id, medic.role, medic.unit_path, medic.disabled) == (
            world.medic.user_id, "medic", world.medic.unit_path, False,
        )  # fmt: skip


class TestReads:
    def test_a_reader_sees_the_cards_and_events_of_its_scope_only(
        self, backend: Backend, world: World
    ) -> None:
        ours, theirs = _registered(minute=1), _registered(minute=2)
        ours_note = make(NoteAdded, minute=3, casualty_id=ours.casualty_id, text="ours")
        submit_events(
            backend.log, world.medic, [encode_event(ours), encode_event(ours_note)], now=NOW,
            max_skew=SKEW,
        )  # fmt: skip
        theirs_dict = encode_event(replace(theirs, device="medic2-phone"))
        submit_events(backend.log, world.other_medic, [theirs_dict], now=NOW, max_skew=SKEW)
        records = backend.records
        seen, cursor = records.events_visible_after(world.medic, after=0, limit=1000)
        assert [e.event_id for e in seen if e.stream == "casualty"] == [
            ours.event_id, ours_note.event_id,
        ]  # fmt: skip
        assert cursor == backend.log.last_seq()
        assert all(e.payload.get("password_hash") in (None, "(redacted)") for e in seen)
        listed = records.list_cards(world.medic, CardFilter())
        assert [c["casualty_id"] for c in listed] == [str(ours.casualty_id)]
        assert records.find_card(world.medic, theirs.casualty_id) is None
        found = records.find_card(world.coordinator, theirs.casualty_id)
        assert found is not None and found["casualty_id"] == str(theirs.casualty_id)
        events = records.streams_events("casualty", [ours.casualty_id, theirs.casualty_id])
        assert [e.event_id for e in events[ours.casualty_id]] == [
            ours.event_id, ours_note.event_id,
        ]  # fmt: skip
        assert [e.event_id for e in events[theirs.casualty_id]] == [theirs.event_id]


class TestAuditChain:
    def test_the_head_is_the_same_hash_on_every_log(self, backend: Backend) -> None:
        entries = [
            AuditEntry(
                at=NOW + timedelta(seconds=n),
                user_id=UUID(int=n),
                username=f"user{n}",
                role="medic",
                unit_id=None,
                device="phone",
                action="read",
                target_kind="casualty",
                target_id=str(UUID(int=100 + n)),
                detail="",
            )  # fmt: skip
            for n in range(3)
        ]
        assert backend.chain.head() == (0, GENESIS)
        with backend.log.writer() as writer:
            for entry in entries[:2]:
                writer.audit(entry)
        with backend.log.writer() as writer:
            writer.audit(entries[2])
        head = (0, GENESIS)
        hashes = []
        for entry in entries:
            row = chained_row(entry, head=head)
            head = (row["seq"], row["hash"])
            hashes.append(row["hash"])
        assert backend.chain.head() == head
        assert backend.chain.entry_hash_at(2) == hashes[1]
        assert backend.chain.entry_hash_at(4) is None
        report = backend.chain.verify()
        assert (report.intact, report.entries) == (True, 3)
