"""A node's own records in SQL: its identity, its outbox, and where ingested events came from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Engine, String, delete, func, insert, literal, select

from goldenhour.adapters.storage.tables import (
    events,
    node_identity,
    node_receipts,
    outbox,
    units,
    users,
)
from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.nodes import Backlog, NodeIdentity, NodeRole, OutboxItem, Receipts
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
