"""A node's own records in SQL: its identity, its outbox, and where ingested events came from."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Connection, Engine, String, and_, delete, func, insert, literal, select

from goldenhour.adapters.storage.tables import (
    events,
    facility_links,
    node_area_cursor,
    node_area_records,
    node_identity,
    node_receipts,
    outbox,
    streams,
    units,
    users,
)
from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.nodes import (
    AREA_STREAMS,
    AreaBatch,
    AreaItem,
    Backlog,
    NodeIdentity,
    NodeRole,
    OutboxItem,
    Receipts,
    in_node_area,
)
from goldenhour.domain.operations.vocabulary import Role

__all__ = ["SqlNodeStore"]


class SqlNodeStore:
    """The node's tables on one SQLite or PostgreSQL database (``services.nodes.ports``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def identity(self) -> NodeIdentity | None:
        """Return this database's node, or ``None`` before ``goldenhour node init``."""
        with self.engine.connect() as connection:
            row = connection.execute(select(node_identity)).first()
        if row is None:
            return None
        return NodeIdentity(
            name=row.name, role=NodeRole(row.role),
            created_at=datetime.fromisoformat(row.created_at),
        )  # fmt: skip

    def make_node(self, *, name: str, role: NodeRole, now: datetime) -> int:
        """Record this database as node ``name`` and queue every event it holds of its own.

        Returns how many events were queued: those accepted before the database became a node
        (an event ingested from another node is that node's to send, not this one's).
        """
        queued_at = now.astimezone(UTC).isoformat()
        with self.engine.begin() as connection:
            connection.execute(
                insert(node_identity).values(name=name, role=role.value, created_at=queued_at)
            )
            own = (
                select(events.c.seq, events.c.event_id, literal(queued_at, String(40)))
                .where(events.c.event_id.not_in(select(node_receipts.c.event_id)))
                .where(events.c.seq.not_in(select(outbox.c.seq)))
            )
            result = connection.execute(
                insert(outbox).from_select(["seq", "event_id", "queued_at"], own)
            )
            return int(result.rowcount or 0)

    def pending(self, limit: int) -> list[OutboxItem]:
        """Return the oldest events waiting in the outbox, in log order."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(outbox.c.seq, outbox.c.event_id, events.c.stream, events.c.payload)
                .join(events, events.c.seq == outbox.c.seq)
                .order_by(outbox.c.seq)
                .limit(limit)
            ).all()
        return [
            OutboxItem(
                seq=row.seq,
                event_id=row.event_id,
                stream=row.stream,
                payload=row.payload.encode(),
            )  # fmt: skip
            for row in rows
        ]

    def clear(self, seqs: Sequence[int]) -> None:
        """Remove the outbox rows of events the stream acknowledged."""
        if not seqs:
            return
        with self.engine.begin() as connection:
            connection.execute(delete(outbox).where(outbox.c.seq.in_(list(seqs))))

    def backlog(self) -> Backlog:
        """Return how many events wait in the outbox and when the oldest was queued."""
        with self.engine.connect() as connection:
            count, oldest = connection.execute(
                select(func.count(), func.min(outbox.c.queued_at)).select_from(outbox)
            ).one()
        return Backlog(
            events=int(count), oldest_queued_at=datetime.fromisoformat(oldest) if oldest else None
        )

    def received_from(self) -> dict[str, Receipts]:
        """Return how many events were ingested from each other node, and the last one's time."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    node_receipts.c.node, func.count(), func.max(node_receipts.c.received_at)
                ).group_by(node_receipts.c.node)
            ).all()
        return {
            row[0]: Receipts(
                events=int(row[1]),
                last_received_at=datetime.fromisoformat(row[2]) if row[2] else None,
            )
            for row in rows
        }

    def node_principal(self, username: str, *, device: str) -> Principal | None:
        """Return the principal a node's events are ingested as: its account, if enabled.

        The account is a user at this node; disabling it stops the ingest from that node.
        """
        with self.engine.connect() as connection:
            row = connection.execute(
                select(users, units.c.path)
                .select_from(users.join(units, units.c.unit_id == users.c.unit_id))
                .where(users.c.username == username)
            ).first()
        if row is None or row.disabled:
            return None
        return Principal(
            user_id=UUID(row.user_id), username=row.username, role=Role(row.role),
            unit_id=UUID(row.unit_id), unit_path=row.path, device=device,
            facility_id=UUID(row.facility_id) if row.facility_id else None,
            # The node forwards what its own users wrote, authorised there: authors as written.
            attribution=Attribution.AS_GIVEN,
        )  # fmt: skip

    # The rear's area router: which casualties, requests and missions go down to which node.

    def area_path(self, node: str) -> str | None:
        """Return the unit path of the node's area: its enabled account's unit, else ``None``."""
        principal = self.node_principal(f"node-{node}", device=f"node:{node}")
        return principal.unit_path if principal is not None else None

    def area_batch(self, node: str, area_path: str, *, limit: int = 500) -> AreaBatch:
        """Return the next events of the rear's log that go down to ``node``, in log order.

        A casualty, request or mission is sent in full (its events so far, and first the
        requests and casualties it names) the first time one of its events is met while it
        concerns the node's area (``in_node_area``); from then on each of its events follows,
        wherever it was written. Events the node itself sent up are not sent back.
        """
        with self.engine.connect() as connection:
            after = connection.execute(
                select(node_area_cursor.c.after_seq).where(node_area_cursor.c.node == node)
            ).scalar()
            after = int(after or 0)
            top = int(connection.execute(select(func.max(events.c.seq))).scalar() or 0)
            rows = connection.execute(
                select(events.c.seq, events.c.stream, events.c.stream_id, node_receipts.c.node)
                .select_from(
                    events.outerjoin(node_receipts, node_receipts.c.event_id == events.c.event_id)
                )
                .where(events.c.seq > after, events.c.seq <= top)
                .where(events.c.stream.in_(AREA_STREAMS))
                .order_by(events.c.seq)
                .limit(limit)
            ).all()
            cursor = rows[-1].seq if len(rows) == limit else top
            held = self._held(connection, node, {row.stream_id for row in rows})
            new: set[tuple[str, str]] = set()
            wanted: set[int] = set()
            for row in rows:
                key = (row.stream, row.stream_id)
                if key in held or key in new:
                    wanted.add(row.seq)
                elif row.node == node:
                    new.add(key)  # the node's own record: what others add to it goes down
                elif in_node_area(area_path, _touched_paths(connection, key)):
                    records = [*_named_records(connection, key), key]
                    already = self._held(connection, node, {stream_id for _, stream_id in records})
                    for record in records:
                        if record not in already and record not in new:
                            new.add(record)
                            wanted.update(_history_seqs(connection, record, upto=row.seq))
            items = _area_items(connection, sorted(wanted), skip_origin=node)
        return AreaBatch(items=items, cursor=cursor, records=frozenset(new))

    def area_sent(self, node: str, batch: AreaBatch) -> None:
        """Record that ``batch`` reached the rear's stream for ``node``."""
        with self.engine.begin() as connection:
            connection.execute(delete(node_area_cursor).where(node_area_cursor.c.node == node))
            connection.execute(insert(node_area_cursor).values(node=node, after_seq=batch.cursor))
            # Recorded once, even if this batch was recorded before (a repeat changes nothing).
            held = self._held(connection, node, {stream_id for _, stream_id in batch.records})
            fresh = sorted(batch.records - held)
            if fresh:
                connection.execute(
                    insert(node_area_records),
                    [
                        {"node": node, "stream": stream, "stream_id": stream_id}
                        for stream, stream_id in fresh
                    ],
                )

    @staticmethod
    def _held(connection: Connection, node: str, ids: Iterable[str]) -> set[tuple[str, str]]:
        wanted = list(ids)
        if not wanted:
            return set()
        rows = connection.execute(
            select(node_area_records.c.stream, node_area_records.c.stream_id).where(
                node_area_records.c.node == node, node_area_records.c.stream_id.in_(wanted)
            )
        ).all()
        return {(row.stream, row.stream_id) for row in rows}


def _scope_path(connection: Connection, stream: str, stream_id: str) -> str | None:
    path: str | None = connection.execute(
        select(units.c.path)
        .select_from(events.join(units, units.c.unit_id == events.c.scope_unit))
        .where(events.c.stream == stream, events.c.stream_id == stream_id)
        .limit(1)
    ).scalar()
    return path


def _created(connection: Connection, stream: str, stream_id: str, kind: str) -> dict[str, object]:
    payload = connection.execute(
        select(events.c.payload)
        .where(events.c.stream == stream, events.c.stream_id == stream_id, events.c.kind == kind)
        .order_by(events.c.seq)
        .limit(1)
    ).scalar()
    found: dict[str, object] = json.loads(payload) if payload else {}
    return found


def _named(connection: Connection, key: tuple[str, str]) -> list[tuple[str, str]]:
    # The records a request or mission names: its casualties, or its requests.
    stream, stream_id = key
    if stream == "request":
        named = _created(connection, stream, stream_id, "evacuation_request_filed")
        return [("casualty", str(c)) for c in named.get("casualty_ids") or ()]  # type: ignore[attr-defined]
    if stream == "mission":
        named = _created(connection, stream, stream_id, "mission_assigned")
        return [("request", str(r)) for r in named.get("request_ids") or ()]  # type: ignore[attr-defined]
    return []


def _named_records(connection: Connection, key: tuple[str, str]) -> list[tuple[str, str]]:
    """Return what a record names, and what those name, the deepest first."""
    found: list[tuple[str, str]] = []
    for named in _named(connection, key):
        found += [*_named(connection, named), named]
    return found


def _touched_paths(connection: Connection, key: tuple[str, str]) -> list[str | None]:
    """Return the units a record touches: its own, its facilities', a mission's requests'."""
    stream, stream_id = key
    facility_paths = connection.execute(
        select(units.c.path)
        .select_from(
            facility_links.join(
                streams,
                and_(streams.c.stream == "facility",
                     streams.c.stream_id == facility_links.c.facility_id),
            ).join(units, units.c.unit_id == streams.c.scope_unit)
        )
        .where(facility_links.c.stream == stream, facility_links.c.stream_id == stream_id)
    ).scalars()  # fmt: skip
    paths: list[str | None] = [_scope_path(connection, stream, stream_id), *facility_paths]
    if stream == "mission":
        paths += [_scope_path(connection, *request) for request in _named(connection, key)]
    return paths


def _history_seqs(connection: Connection, key: tuple[str, str], *, upto: int) -> list[int]:
    stream, stream_id = key
    return list(
        connection.execute(
            select(events.c.seq).where(
                events.c.stream == stream, events.c.stream_id == stream_id, events.c.seq <= upto
            )
        ).scalars()
    )


def _area_items(connection: Connection, seqs: list[int], *, skip_origin: str) -> list[AreaItem]:
    items: list[AreaItem] = []
    for start in range(0, len(seqs), 500):
        rows = connection.execute(
            select(events.c.seq, events.c.event_id, events.c.scope_unit, events.c.payload)
            .select_from(
                events.outerjoin(node_receipts, node_receipts.c.event_id == events.c.event_id)
            )
            .where(events.c.seq.in_(seqs[start : start + 500]))
            .where((node_receipts.c.node.is_(None)) | (node_receipts.c.node != skip_origin))
            .order_by(events.c.seq)
        ).all()
        items += [
            AreaItem(
                seq=row.seq,
                event_id=row.event_id,
                scope_unit=row.scope_unit,
                payload=row.payload.encode(),
            )  # fmt: skip
            for row in rows
        ]
    return items
