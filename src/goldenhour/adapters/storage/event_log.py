"""The event log on SQLAlchemy: one write transaction per batch, reads by cursor.

The cursor is the log's ``seq``. For it to be a safe cursor, events must become visible in
``seq`` order: a reader that saw 12 must never later find 11. SQLite has one writer at a time;
on PostgreSQL every write transaction takes the same transaction-scoped advisory lock before
it draws a ``seq``, so commits happen in ``seq`` order too. Holding that lock, the writer draws
the ``seq`` numbers itself (one after the log's last) and sends a batch's casualty events and
cards to the database together, at the end, instead of one round trip per event.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, text

from goldenhour.adapters.storage import audit, projector
from goldenhour.adapters.storage.engine import column_text, is_sqlite, storable_text
from goldenhour.adapters.storage.tables import (
    casualty_cards,
    events,
    facility_links,
    node_identity,
    node_receipts,
    outbox,
    rejected_events,
    streams,
    units,
    users,
)
from goldenhour.domain.casualty.card import FoldedHistory, fold_history
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import encode_event
from goldenhour.domain.errors import GoldenHourError
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.ports import AuditEntry, NamedUser, StoredEvent, StreamScope


class StorageError(GoldenHourError, RuntimeError):
    """The database did something the log cannot work with (a driver or schema fault)."""


__all__ = ["SqlEventLog", "SqlLogWriter", "StorageError", "stored_from_row"]

#: Advisory lock key that serialises log writers on PostgreSQL ("GOLDHOUR" as ASCII-ish hex).
_WRITE_LOCK = 0x474F4C44484F5552
# The statements run for every event are built once, with the values as parameters: building
# and hashing a statement anew costs more than running it.
_INSERT_EVENT = insert(events)
_FIND = select(events).where(events.c.event_id == bindparam("event_id"))
_FIND_MANY = select(events).where(events.c.event_id.in_(bindparam("ids", expanding=True)))
_PREFETCH = 500
_LAST_SEQ = select(func.coalesce(func.max(events.c.seq), 0))
_CARD_SCOPE = (
    select(casualty_cards.c.scope_unit, units.c.path)
    .select_from(casualty_cards.outerjoin(units, units.c.unit_id == casualty_cards.c.scope_unit))
    .where(casualty_cards.c.casualty_id == bindparam("stream_id"))
)
_CARD_SCOPES = (
    select(casualty_cards.c.casualty_id, casualty_cards.c.scope_unit, units.c.path)
    .select_from(casualty_cards.outerjoin(units, units.c.unit_id == casualty_cards.c.scope_unit))
    .where(casualty_cards.c.casualty_id.in_(bindparam("ids", expanding=True)))
)
_LINKS_OF_CASUALTIES = select(facility_links.c.stream_id, facility_links.c.facility_id).where(
    facility_links.c.stream == "casualty",
    facility_links.c.stream_id.in_(bindparam("ids", expanding=True)),
)
_STREAM_SCOPE = (
    select(streams.c.scope_unit, units.c.path)
    .select_from(streams.outerjoin(units, units.c.unit_id == streams.c.scope_unit))
    .where(streams.c.stream == bindparam("stream"), streams.c.stream_id == bindparam("stream_id"))
)
_NAMED_USER = (
    select(users.c.user_id, users.c.role, users.c.disabled, units.c.path)
    .select_from(users.outerjoin(units, units.c.unit_id == users.c.unit_id))
    .where(users.c.username == bindparam("username"))
)
_UNIT_PATH = select(units.c.path).where(units.c.unit_id == bindparam("unit_id"))
_LINKED_FACILITIES = select(facility_links.c.facility_id).where(
    facility_links.c.stream == bindparam("stream"),
    facility_links.c.stream_id == bindparam("stream_id"),
)


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

    def __init__(
        self, connection: Connection, *, outbox: bool = False, origin: str | None = None
    ) -> None:
        self.connection = connection
        # A node's database queues each accepted event for its JetStream stream (the outbox);
        # an event ingested from another node is not queued again but recorded as that node's.
        self._outbox = outbox
        self._origin = origin
        self._outbox_rows: list[dict[str, Any]] = []
        self._receipt_rows: list[dict[str, Any]] = []
        # The transaction holds the log's write lock, so nothing else appends meanwhile: the
        # casualty streams and scopes read here and the audit chain's head stay current as we
        # append, and casualty events and cards may be written together when the batch is done.
        self._streams: dict[tuple[str, UUID], list[DomainEvent]] = {}
        self._scopes: dict[UUID, StreamScope] = {}
        self._unit_paths: dict[UUID, str | None] = {}
        self._cards: dict[UUID, tuple[int, UUID | None, str]] = {}
        self._new_cards: set[UUID] = set()
        # Casualties the batch names that have no card: their streams are new, known without
        # asking again (a card appears only when one of their events is appended here).
        self._cardless: set[UUID] = set()
        self._pending: list[dict[str, Any]] = []
        self._next_seq: int | None = None
        self._audit_head: tuple[int, str] | None = None
        self._audit_rows: list[dict[str, Any]] = []
        self._known: dict[UUID, StoredEvent | None] = {}

    def find(self, event_id: UUID) -> StoredEvent | None:
        """Return the stored event with this id, if any (appended in this batch included)."""
        if event_id in self._known:
            return self._known[event_id]
        row = self.connection.execute(_FIND, {"event_id": str(event_id)}).first()
        return stored_from_row(row) if row is not None else None

    def prefetch(self, event_ids: Collection[UUID], *, casualty_ids: Collection[UUID] = ()) -> None:
        """Look up many events and casualties' scopes at once, so later calls need no query."""
        wanted = [str(event_id) for event_id in event_ids]
        for start in range(0, len(wanted), _PREFETCH):
            rows = self.connection.execute(_FIND_MANY, {"ids": wanted[start : start + _PREFETCH]})
            for row in rows:
                self._known[UUID(row.event_id)] = stored_from_row(row)
        for event_id in event_ids:
            self._known.setdefault(event_id, None)
        casualties = [str(c) for c in casualty_ids if c not in self._scopes]
        for start in range(0, len(casualties), _PREFETCH):
            self._prefetch_scopes(casualties[start : start + _PREFETCH])

    def _prefetch_scopes(self, casualties: list[str]) -> None:
        found = {
            row.casualty_id: row
            for row in self.connection.execute(_CARD_SCOPES, {"ids": casualties})
        }
        linked: dict[str, set[UUID]] = {}
        if found:
            for link in self.connection.execute(_LINKS_OF_CASUALTIES, {"ids": list(found)}):
                linked.setdefault(link.stream_id, set()).add(UUID(link.facility_id))
        for casualty in casualties:
            row = found.get(casualty)
            if row is None:
                # Every stored casualty event has its card: no card, no history to read.
                self._streams.setdefault(("casualty", UUID(casualty)), [])
                self._cardless.add(UUID(casualty))
                continue
            self._scopes[UUID(casualty)] = StreamScope(
                scope_unit=UUID(row.scope_unit) if row.scope_unit else None,
                scope_path=row.path,
                facility_ids=frozenset(linked.get(casualty, ())),
            )

    def stream_scope(self, stream: str, stream_id: UUID) -> StreamScope | None:
        """Return the owner of an existing stream, or ``None`` if the stream is new."""
        if stream == "casualty" and stream_id in self._scopes:
            return self._scopes[stream_id]
        if stream == "casualty" and stream_id in self._cardless:
            return None
        if stream == "casualty":
            found = self.connection.execute(_CARD_SCOPE, {"stream_id": str(stream_id)})
        else:
            found = self.connection.execute(
                _STREAM_SCOPE, {"stream": stream, "stream_id": str(stream_id)}
            )
        row = found.first()
        if row is None:
            if stream == "casualty":
                # Every stored casualty event has its card: no card, no history to read.
                self._streams.setdefault((stream, stream_id), [])
            return None
        scope = StreamScope(
            scope_unit=UUID(row.scope_unit) if row.scope_unit else None,
            scope_path=row.path,
            facility_ids=linked_facilities(self.connection, stream, stream_id),
        )
        if stream == "casualty":
            self._scopes[stream_id] = scope
        return scope

    def unit_path(self, unit_id: UUID) -> str | None:
        """Return the path of a unit in the tree, or ``None`` if there is no such unit."""
        if unit_id not in self._unit_paths:
            self._unit_paths[unit_id] = self.connection.execute(
                _UNIT_PATH, {"unit_id": str(unit_id)}
            ).scalar()
        return self._unit_paths[unit_id]

    def load_stream(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        """Return every event of a stream, in log order."""
        if stream != "casualty":
            return projector.load_stream(self.connection, stream, stream_id)
        return list(self._stream(stream, stream_id))

    def _stream(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        found = self._streams.get((stream, stream_id))
        if found is None:
            found = projector.load_stream(self.connection, stream, stream_id)
            self._streams[(stream, stream_id)] = found
        return found

    def named_user(self, username: str) -> NamedUser | None:
        """Return the user with this name, or ``None`` if there is none."""
        if storable_text(username) != username or "\x00" in username:
            return None  # no stored name holds what the database cannot store
        row = self.connection.execute(_NAMED_USER, {"username": username}).first()
        if row is None:
            return None
        return NamedUser(
            user_id=UUID(row.user_id), role=row.role, unit_path=row.path,
            disabled=bool(row.disabled),
        )  # fmt: skip

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
        if self._next_seq is None:
            self._next_seq = int(self.connection.execute(_LAST_SEQ).scalar_one()) + 1
        seq, self._next_seq = self._next_seq, self._next_seq + 1
        row = {
            "seq": seq,
            "event_id": str(event.event_id),
            "stream": event.stream,
            "stream_id": str(event.stream_id),
            "kind": event.kind,
            "scope_unit": str(scope_unit) if scope_unit else None,
            "content_hash": content_hash,
            "payload": json.dumps(payload, ensure_ascii=False),
            "occurred_at": _utc(event.occurred_at),
            "received_at": received,
            "submitted_by": str(submitted_by) if submitted_by else None,
            "device": column_text(event.device, max_length=128),
        }
        if self._origin is not None:
            self._receipt_rows.append(
                {"event_id": str(event.event_id), "node": self._origin, "received_at": received}
            )
        elif self._outbox:
            self._outbox_rows.append(
                {"seq": seq, "event_id": str(event.event_id), "queued_at": received}
            )
        # A second submission of the same id in this batch must find this one, stored or not.
        self._known[event.event_id] = StoredEvent(
            seq=seq, event_id=event.event_id, stream=event.stream, stream_id=event.stream_id,
            kind=event.kind, scope_unit=scope_unit, content_hash=content_hash, payload=payload,
        )  # fmt: skip
        if not isinstance(event, CasualtyEvent):
            # Any other event may link casualties to a facility (a mission) or move units, and
            # its projection reads the log and the cards: bring them up to date first.
            self._write_pending()
            self.connection.execute(_INSERT_EVENT, row)
            self._scopes.clear()
            self._unit_paths.clear()
            projector.apply(
                self.connection, event, seq=seq, scope_unit=scope_unit, received_at=received
            )
            return seq
        # A card is folded from its whole history: keep the history at hand instead of
        # reading and decoding it again for every event appended to it.
        history = self._stream(event.stream, event.stream_id)
        self._pending.append(row)
        history.append(event.received(datetime.fromisoformat(received)))
        if len(history) == 1:
            self._new_cards.add(event.casualty_id)
        self._cardless.discard(event.casualty_id)
        cached = self._scopes.get(event.casualty_id)
        facilities = cached.facility_ids if cached is not None else frozenset()
        if projector.link_casualty(self.connection, event, seq=seq):
            facilities = linked_facilities(self.connection, event.stream, event.stream_id)
        path = cached.scope_path if cached is not None and cached.scope_unit == scope_unit else (
            self.unit_path(scope_unit) if scope_unit is not None else None
        )  # fmt: skip
        # The card is written at the end of the batch; until then its scope is known here.
        self._scopes[event.casualty_id] = StreamScope(
            scope_unit=scope_unit, scope_path=path, facility_ids=facilities
        )
        self._cards[event.casualty_id] = (seq, scope_unit, received)
        return seq

    def _write_pending(self) -> None:
        """Write the casualty events appended so far and their cards, as of their last event."""
        if self._pending:
            self.connection.execute(_INSERT_EVENT, self._pending)
            self._pending = []
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        registry: list[tuple[FoldedHistory, int, UUID | None]] = []
        for casualty_id, (seq, scope_unit, received) in self._cards.items():
            history = self._streams[("casualty", casualty_id)]
            folded = fold_history(casualty_id, [e for e in history if isinstance(e, CasualtyEvent)])
            row = projector.card_row(
                casualty_id, history, seq=seq, scope_unit=scope_unit, received_at=received,
                card=folded.card,
            )  # fmt: skip
            (new if casualty_id in self._new_cards else changed).append(row)
            registry.append((folded, seq, scope_unit))
        projector.write_cards(self.connection, new=new, changed=changed)
        projector.write_registry(self.connection, registry)
        # A card handed over or closed may serve the requests naming the casualty.
        projector.settle_requests_of(self.connection, [str(c) for c in self._cards])
        self._cards.clear()
        self._new_cards.clear()

    def flush(self) -> None:
        """Write the events, cards, outbox rows and audit entries still held; call last."""
        self._write_pending()
        if self._outbox_rows:
            self.connection.execute(insert(outbox), self._outbox_rows)
            self._outbox_rows.clear()
        if self._receipt_rows:
            self.connection.execute(insert(node_receipts), self._receipt_rows)
            self._receipt_rows.clear()
        if self._audit_rows:
            audit.insert_rows(self.connection, self._audit_rows)
            self._audit_rows.clear()

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
                event_id=column_text(event_id, max_length=64) if event_id else None,
                outcome=outcome,
                field=column_text(field, max_length=128) if field else None,
                reason=column_text(reason, max_length=100_000),
                payload=_review_json(payload),
                received_at=_utc(received_at),
                submitted_by=str(submitted_by) if submitted_by else None,
                device=column_text(device, max_length=128),
            )
        )

    def audit(self, entry: AuditEntry) -> None:
        """Append an entry to the audit chain."""
        if self._audit_head is None:
            self._audit_head = audit.chain_head(self.connection)
        row = audit.chained_row(entry, head=self._audit_head)
        self._audit_head = (row["seq"], row["hash"])
        self._audit_rows.append(row)


def _review_json(payload: Any) -> str:
    """Return a refused submission as JSON text any engine stores, whatever the device sent.

    Lone surrogates become their JSON escapes (the text reads back the same); control
    characters are escaped by JSON itself. A value the encoder cannot write (nested deeper than
    it recurses) is kept as a note saying so: the answer to the device names the field anyway.
    """
    try:
        text = json.dumps(payload, ensure_ascii=False, default=str)
    except (RecursionError, ValueError) as error:
        text = json.dumps({"unreadable_payload": f"{type(error).__name__}: {error}"})
    return storable_text(text)


def linked_facilities(connection: Connection, stream: str, stream_id: UUID) -> frozenset[UUID]:
    """Return the facilities a record is linked to."""
    rows = connection.execute(
        _LINKED_FACILITIES, {"stream": stream, "stream_id": str(stream_id)}
    ).scalars()
    return frozenset(UUID(value) for value in rows)


class SqlEventLog:
    """The event log on an SQLAlchemy engine (see ``services.ports.EventLog``).

    On a node's database (``node_identity`` has its row) every event appended gets an outbox
    row in the same transaction. With ``origin``, the log is the one a rear node ingests
    another node's events through: each is recorded as that node's and not queued again.
    """

    def __init__(self, engine: Engine, *, origin: str | None = None) -> None:
        self.engine = engine
        self.origin = origin
        self._is_node: bool | None = None

    def _node(self, connection: Connection) -> bool:
        # Read once: a database becomes a node by ``goldenhour node init``, before its server
        # starts (the server is restarted to run as a node).
        if self._is_node is None:
            self._is_node = connection.execute(select(node_identity.c.name)).first() is not None
        return self._is_node

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
                writer = SqlLogWriter(connection, outbox=self._node(connection), origin=self.origin)
                yield writer
                writer.flush()

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
