"""The event log on SQLAlchemy: one write transaction per batch, reads by cursor.

The cursor is the log's ``seq``. For it to be a safe cursor, events must become visible in
``seq`` order: a reader that saw 12 must never later find 11. SQLite has one writer at a time;
on PostgreSQL every write transaction takes the same transaction-scoped advisory lock before
it draws a ``seq``, so commits happen in ``seq`` order too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, func, insert, select, text

from goldenhour.adapters.storage import audit, projector
from goldenhour.adapters.storage.engine import is_sqlite
from goldenhour.adapters.storage.tables import (
    casualty_cards,
    events,
    facility_links,
    rejected_events,
    streams,
    units,
)
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.ports import AuditEntry, StoredEvent, StreamScope

__all__ = ["SqlEventLog", "SqlLogWriter", "stored_from_row"]

#: Advisory lock key that serialises log writers on PostgreSQL ("GOLDHOUR" as ASCII-ish hex).
_WRITE_LOCK = 0x474F4C44484F5552


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def stored_from_row(row: Any) -> StoredEvent:
    """Return a ``StoredEvent`` from an ``events`` row."""
    return StoredEvent(
        seq=row.seq,
        event_id=UUID(row.event_id),
        stream=row.stream,
        stream_id=UUID(row.stream_id),
        kind=row.kind,
        scope_unit=UUID(row.scope_unit) if row.scope_unit else None,
        content_hash=row.content_hash,
        payload=json.loads(row.payload),
    )


class SqlLogWriter:
    """The log inside one write transaction (see ``services.ports.LogWriter``)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def find(self, event_id: UUID) -> StoredEvent | None:
        """Return the stored event with this id, if any."""
        row = self.connection.execute(
            select(events).where(events.c.event_id == str(event_id))
        ).first()
        return stored_from_row(row) if row is not None else None

    def stream_scope(self, stream: str, stream_id: UUID) -> StreamScope | None:
        """Return the owner of an existing stream, or ``None`` if the stream is new."""
        table = casualty_cards if stream == "casualty" else streams
        key = (
            [casualty_cards.c.casualty_id == str(stream_id)]
            if stream == "casualty"
            else [streams.c.stream == stream, streams.c.stream_id == str(stream_id)]
        )
        row = self.connection.execute(
            select(table.c.scope_unit, units.c.path)
            .select_from(table.outerjoin(units, units.c.unit_id == table.c.scope_unit))
            .where(*key)
        ).first()
        if row is None:
            return None
        return StreamScope(
            scope_unit=UUID(row.scope_unit) if row.scope_unit else None,
            scope_path=row.path,
            facility_ids=linked_facilities(self.connection, stream, stream_id),
        )

    def unit_path(self, unit_id: UUID) -> str | None:
        """Return the path of a unit in the tree, or ``None`` if there is no such unit."""
        path: str | None = self.connection.execute(
            select(units.c.path).where(units.c.unit_id == str(unit_id))
        ).scalar()
        return path

    def load_stream(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        """Return every event of a stream, in log order."""
        return projector.load_stream(self.connection, stream, stream_id)

    def append(
        self,
        event: DomainEvent,
        *,
        scope_unit: UUID | None,
        content_hash: str,
        submitted_by: UUID | None,
        received_at: datetime,
    ) -> int:
        """Append an event, update the projections, and return its place in the log."""
        received = _utc(received_at)
        payload = encode_event(event)
        payload["received_at"] = received
        result = self.connection.execute(
            insert(events).values(
                event_id=str(event.event_id),
                stream=event.stream,
                stream_id=str(event.stream_id),
                kind=event.kind,
                scope_unit=str(scope_unit) if scope_unit else None,
                content_hash=content_hash,
                payload=json.dumps(payload, ensure_ascii=False),
                occurred_at=_utc(event.occurred_at),
                received_at=received,
                submitted_by=str(submitted_by) if submitted_by else None,
                device=event.device,
            )
        )
        key = result.inserted_primary_key
        if key is None:
            raise RuntimeError("the database returned no seq for an appended event")
        seq = int(key[0])
        projector.apply(
            self.connection, event, seq=seq, scope_unit=scope_unit, received_at=received
        )
        return seq

    def reject(
        self,
        *,
        event_id: str | None,
        outcome: str,
        field: str | None,
        reason: str,
        payload: Any,
        submitted_by: UUID | None,
        device: str,
        received_at: datetime,
    ) -> None:
        """Keep a refused submission for review."""
        self.connection.execute(
            insert(rejected_events).values(
                event_id=event_id[:64] if event_id else None,
                outcome=outcome,
                field=field[:128] if field else None,
                reason=reason,
                payload=json.dumps(payload, ensure_ascii=False, default=str),
                received_at=_utc(received_at),
                submitted_by=str(submitted_by) if submitted_by else None,
                device=device[:128],
            )
        )

    def audit(self, entry: AuditEntry) -> None:
        """Append an entry to the audit chain."""
        audit.append_entry(self.connection, entry)


def linked_facilities(connection: Connection, stream: str, stream_id: UUID) -> frozenset[UUID]:
    """Return the facilities a record is linked to."""
    rows = connection.execute(
        select(facility_links.c.facility_id).where(
            facility_links.c.stream == stream, facility_links.c.stream_id == str(stream_id)
        )
    ).scalars()
    return frozenset(UUID(value) for value in rows)


class SqlEventLog:
    """The event log on an SQLAlchemy engine (see ``services.ports.EventLog``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def writer(self) -> Iterator[SqlLogWriter]:
        """Open a write transaction; it commits when the block ends without an error."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(writer=True)
            with connection.begin():
                if not is_sqlite(self.engine):
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK}
                    )
                yield SqlLogWriter(connection)

    def read_after(self, after: int, *, limit: int) -> Sequence[StoredEvent]:
        """Return events after ``after`` in log order, at most ``limit``."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(events).where(events.c.seq > after).order_by(events.c.seq).limit(limit)
            ).all()
        return [stored_from_row(row) for row in rows]

    def last_seq(self) -> int:
        """Return the newest position in the log (0 when empty)."""
        with self.engine.connect() as connection:
            return int(
                connection.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one()
            )
