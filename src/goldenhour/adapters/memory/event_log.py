"""The event log in memory (``domain.ports.EventLog``), with the projections the writer reads.

A write transaction works on a copy of the log's state and replaces it when the block ends
without an error, so a failed batch leaves nothing behind, as a rolled-back SQL transaction.
One lock serialises writers, as the SQL log's write lock does.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from goldenhour.adapters.storage.audit import GENESIS, chained_row, entry_hash
from goldenhour.domain.casualty.events import CasualtyEvent, HandedOver
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import (
    MissionAssigned,
    UnitRegistered,
    UserDisabled,
    UserPasswordChanged,
    UserReassigned,
    UserRegistered,
)
from goldenhour.domain.operations.state import fold_stream
from goldenhour.domain.ports import AuditEntry, ChainReport, NamedUser, StoredEvent, StreamScope

__all__ = ["InMemoryAuditChain", "InMemoryEventLog", "LogState", "Rejected"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejected:
    """A refused submission kept for review."""

    event_id: str | None
    outcome: str
    field: str | None
    reason: str
    payload: Any
    submitted_by: UUID | None
    device: str
    received_at: datetime


@dataclass(slots=True, kw_only=True)
class _User:
    user_id: UUID
    username: str
    role: str
    unit_id: UUID
    facility_id: UUID | None
    password_hash: str
    disabled: bool = False


@dataclass(slots=True)
class LogState:
    """Everything the log holds: events, streams and their owners, units, users, audit chain."""

    events: list[StoredEvent] = field(default_factory=list)
    by_id: dict[UUID, StoredEvent] = field(default_factory=dict)
    streams: dict[tuple[str, UUID], list[DomainEvent]] = field(default_factory=dict)
    scopes: dict[tuple[str, UUID], UUID | None] = field(default_factory=dict)
    updated: dict[tuple[str, UUID], int] = field(default_factory=dict)
    states: dict[tuple[str, UUID], Mapping[str, Any]] = field(default_factory=dict)
    links: dict[tuple[str, UUID], set[UUID]] = field(default_factory=dict)
    unit_paths: dict[UUID, str] = field(default_factory=dict)
    users: dict[str, _User] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    audit_rows: list[dict[str, Any]] = field(default_factory=list)

    def scope_of(self, stream: str, stream_id: UUID) -> StreamScope | None:
        """Return the owner of a stream, or ``None`` if it has no event yet."""
        key = (stream, stream_id)
        if key not in self.scopes:
            return None
        unit = self.scopes[key]
        return StreamScope(
            scope_unit=unit,
            scope_path=self.unit_paths.get(unit) if unit is not None else None,
            facility_ids=frozenset(self.links.get(key, ())),
        )


class _Writer:
    """The in-memory log inside one write transaction (``domain.ports.LogWriter``)."""

    def __init__(self, state: LogState) -> None:
        self.state = state

    def find(self, event_id: UUID) -> StoredEvent | None:
        """Return the stored event with this id, if any."""
        return self.state.by_id.get(event_id)

    def prefetch(self, event_ids: Collection[UUID], *, casualty_ids: Collection[UUID] = ()) -> None:
        """Nothing to fetch ahead: every lookup is in memory."""

    def stream_scope(self, stream: str, stream_id: UUID) -> StreamScope | None:
        """Return the owner of an existing stream, or ``None`` if the stream is new."""
        return self.state.scope_of(stream, stream_id)

    def unit_path(self, unit_id: UUID) -> str | None:
        """Return the path of a unit in the tree, or ``None`` if there is no such unit."""
        return self.state.unit_paths.get(unit_id)

    def load_stream(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        """Return every event of a stream, in log order."""
        return list(self.state.streams.get((stream, stream_id), ()))

    def named_user(self, username: str) -> NamedUser | None:
        """Return the user with this name, or ``None`` if there is none."""
        user = self.state.users.get(username)
        if user is None:
            return None
        return NamedUser(
            user_id=user.user_id, role=user.role, unit_path=self.state.unit_paths.get(user.unit_id),
            disabled=user.disabled,
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
        state = self.state
        received = received_at.astimezone(UTC).isoformat()
        payload = encode_event(event)
        payload["received_at"] = received
        seq = len(state.events) + 1
        stored = StoredEvent(
            seq=seq, event_id=event.event_id, stream=event.stream, stream_id=event.stream_id,
            kind=event.kind, scope_unit=scope_unit, content_hash=content_hash, payload=payload,
        )  # fmt: skip
        state.events.append(stored)
        state.by_id[event.event_id] = stored
        key = (event.stream, event.stream_id)
        history = state.streams.setdefault(key, [])
        history.append(replace(event, received_at=datetime.fromisoformat(received)))
        state.scopes[key] = scope_unit
        state.updated[key] = seq
        if not isinstance(event, CasualtyEvent):
            state.states[key] = fold_stream(history)
        self._project(event)
        return seq

    def _project(self, event: DomainEvent) -> None:
        state = self.state
        if isinstance(event, HandedOver) and event.facility_id is not None:
            state.links.setdefault(("casualty", event.casualty_id), set()).add(event.facility_id)
        elif isinstance(event, UnitRegistered):
            parent = state.unit_paths.get(event.parent_id) if event.parent_id else None
            state.unit_paths[event.unit_id] = f"{parent or '/'}{event.unit_id}/"
        elif isinstance(event, UserRegistered):
            state.users[event.username] = _User(
                user_id=event.user_id, username=event.username, role=event.role.value,
                unit_id=event.unit_id, facility_id=event.facility_id,
                password_hash=event.password_hash,
            )  # fmt: skip
        elif isinstance(event, UserReassigned):
            for user in state.users.values():
                if user.user_id == event.user_id:
                    user.role, user.unit_id = event.role.value, event.unit_id
                    user.facility_id = event.facility_id
        elif isinstance(event, UserDisabled | UserPasswordChanged):
            for user in state.users.values():
                if user.user_id == event.user_id and isinstance(event, UserDisabled):
                    user.disabled = True
                elif user.user_id == event.user_id and isinstance(event, UserPasswordChanged):
                    user.password_hash = event.password_hash
        elif isinstance(event, MissionAssigned):
            # The destination sees the mission, its requests and their casualties from now on,
            # and so does the crew of the vehicle sent (the vehicle's unit).
            crew = state.scopes.get(("vehicle", event.vehicle_id))
            parties = {event.destination_id, *([crew] if crew is not None else [])}
            state.links.setdefault(("mission", event.mission_id), set()).update(parties)
            for request_id in event.request_ids:
                state.links.setdefault(("request", request_id), set()).update(parties)
                request = state.states.get(("request", request_id), {})
                for casualty_id in request.get("casualty_ids", []):
                    state.links.setdefault(("casualty", UUID(casualty_id)), set()).update(parties)

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
        self.state.rejected.append(
            Rejected(
                event_id=event_id,
                outcome=outcome,
                field=field,
                reason=reason,
                payload=payload,
                submitted_by=submitted_by,
                device=device,
                received_at=received_at,
            )  # fmt: skip
        )

    def audit(self, entry: AuditEntry) -> None:
        """Append an entry to the audit chain (hashed as the SQL chain hashes it)."""
        rows = self.state.audit_rows
        head = (rows[-1]["seq"], rows[-1]["hash"]) if rows else (0, GENESIS)
        rows.append(chained_row(entry, head=head))


class InMemoryEventLog:
    """The event log in memory (see ``domain.ports.EventLog``)."""

    def __init__(self) -> None:
        self.state = LogState()
        self._lock = threading.RLock()

    @contextmanager
    def writer(self) -> Iterator[_Writer]:
        """Open a write transaction; it commits when the block ends without an error."""
        with self._lock:
            working = copy.deepcopy(self.state)
            yield _Writer(working)
            self.state = working

    def read_after(self, after: int, *, limit: int) -> Sequence[StoredEvent]:
        """Return events after ``after`` in log order, at most ``limit``."""
        return self.state.events[max(after, 0) : max(after, 0) + limit]

    def last_seq(self) -> int:
        """Return the newest position in the log (0 when empty)."""
        return len(self.state.events)

    def rejected(self) -> list[Rejected]:
        """Return the refused submissions kept for review, oldest first."""
        return list(self.state.rejected)

    def audit_chain(self) -> InMemoryAuditChain:
        """Return the audit chain of this log, to check."""
        return InMemoryAuditChain(self)


class InMemoryAuditChain:
    """The audit chain of an in-memory log (see ``domain.ports.AuditChain``)."""

    def __init__(self, log: InMemoryEventLog) -> None:
        self.log = log

    def verify(self) -> ChainReport:
        """Walk the chain in order and report the first entry that does not fit."""
        prev_hash = GENESIS
        for count, row in enumerate(self.log.state.audit_rows, start=1):
            if row["seq"] != count:
                return ChainReport(
                    entries=count, first_bad_seq=count,
                    problem=f"entry {count} is missing (next is {row['seq']})",
                )  # fmt: skip
            if row["prev_hash"] != prev_hash:
                return ChainReport(
                    entries=count, first_bad_seq=count,
                    problem=f"entry {count} does not follow entry {count - 1}",
                )  # fmt: skip
            if entry_hash(prev_hash, row) != row["hash"]:
                return ChainReport(
                    entries=count, first_bad_seq=count,
                    problem=f"entry {count} was changed after it was written",
                )  # fmt: skip
            prev_hash = row["hash"]
        return ChainReport(entries=len(self.log.state.audit_rows))

    def entry_hash_at(self, seq: int) -> str | None:
        """Return the stored hash of entry ``seq``, if it exists."""
        rows = self.log.state.audit_rows
        found: str | None = rows[seq - 1]["hash"] if 1 <= seq <= len(rows) else None
        return found

    def head(self) -> tuple[int, str]:
        """Return the newest entry's place and hash (``(0, GENESIS)`` when empty)."""
        rows = self.log.state.audit_rows
        return (rows[-1]["seq"], rows[-1]["hash"]) if rows else (0, GENESIS)
