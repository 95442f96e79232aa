"""Reads of the projections and the log, already narrowed to what the caller may see."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Select, and_, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from goldenhour.adapters.storage.event_log import linked_facilities, stored_from_row
from goldenhour.adapters.storage.projector import load_stream
from goldenhour.adapters.storage.tables import (
    casualty_cards,
    events,
    facility_links,
    streams,
    units,
    users,
)
from goldenhour.domain.access import PICTURE_STREAMS, Principal, can_read_stream
from goldenhour.domain.codec import decode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.medevac.waiting import (
    WAITING_STATUSES,
    WaitingCasualty,
    WaitingFactsError,
    decode_waiting,
)
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import CardFilter, StoredEvent, UserAccount

__all__ = [
    "WITHHELD",
    "CardFilter",
    "SqlRecords",
    "SqlUserAccounts",
    "UserRow",
    "card_positions",
    "cards_query",
    "events_visible_after",
    "find_card",
    "list_cards",
    "list_streams",
    "list_users",
    "stream_events",
    "streams_events",
    "streams_query",
    "user_by_name",
    "waiting_casualties",
    "waiting_query",
]


#: Beside a request's ``casualty_ids``: how many casualties on it the caller may not open.
WITHHELD = "withheld_casualties"
_FILED = "evacuation_request_filed"


#: A user as stored (the port's own record).
UserRow = UserAccount


def _user(row: Any) -> UserRow:
    return UserRow(
        user_id=UUID(row.user_id), username=row.username, role=Role(row.role),
        unit_id=UUID(row.unit_id), facility_id=UUID(row.facility_id) if row.facility_id else None,
        password_hash=row.password_hash, disabled=bool(row.disabled),
    )  # fmt: skip


def user_by_name(engine: Engine, username: str) -> UserRow | None:
    """Return the user with this name, if any."""
    if "\x00" in username:
        return None  # no name holds NUL, and PostgreSQL refuses it even in a query
    with engine.connect() as connection:
        row = connection.execute(select(users).where(users.c.username == username)).first()
    return _user(row) if row is not None else None


class SqlUserAccounts:
    """The users in the database, by name (see ``domain.ports.UserAccounts``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def by_name(self, username: str) -> UserAccount | None:
        """Return the user with this name, if any."""
        return user_by_name(self.engine, username)

    def all_users(self) -> list[UserAccount]:
        """Return every user, by name."""
        return list_users(self.engine)


def list_users(engine: Engine) -> list[UserRow]:
    """Return every user, by name."""
    with engine.connect() as connection:
        rows = connection.execute(select(users).order_by(users.c.username)).all()
    return [_user(row) for row in rows]


#: Roles whose reads depend on the records' links (to a facility, or a vehicle's crew).
_LINKED_ROLES = frozenset({Role.FACILITY, Role.CREW})


def _ancestor_paths(unit_path: str) -> list[str]:
    """Return the paths of a unit and of every unit above it ("/a/", "/a/b/", ...)."""
    parts = [part for part in unit_path.split("/") if part]
    return ["/" + "/".join(parts[: end + 1]) + "/" for end in range(len(parts))]


def _linked(principal: Principal, stream: str, id_column: Any) -> ColumnElement[bool]:
    # The ids linked to the caller's facility (a crew: its unit), as a subquery the planner
    # runs once (ix_facility_links_facility), not a per-row EXISTS.
    party = principal.unit_id if principal.role is Role.CREW else principal.facility_id
    linked: ColumnElement[bool] = id_column.in_(
        select(facility_links.c.stream_id).where(
            facility_links.c.facility_id == str(party),
            facility_links.c.stream == stream,
        )
    )
    return linked


def _scope_clause(principal: Principal, stream: str, path_column: Any, id_column: Any) -> Any:
    """Return a WHERE clause keeping the rows of ``stream`` the principal may see.

    The SQL form of ``goldenhour.domain.access.can_read_stream``, on rows joined (outer) to their
    unit, whose path is ``path_column``: ``None`` keeps every row, ``false()`` none. It compares
    the joined unit's path (a prefix for the subtree, a list for the units above) rather than
    running a query per row, so that the planner can walk an index in the order asked for and
    stop after a page.
    """
    role = principal.role
    if role is Role.ADMIN or stream in ("unit", "facility"):
        return None
    if stream == "user":
        return false()
    subtree = path_column.startswith(principal.unit_path, autoescape=True)
    in_line = or_(subtree, path_column.in_(_ancestor_paths(principal.unit_path)))
    if role is Role.ANALYST:
        return in_line if stream in PICTURE_STREAMS else false()
    if role is Role.FACILITY:
        if stream in ("casualty", "request", "mission"):
            if principal.facility_id is None:
                return subtree if stream != "mission" else false()
            linked = _linked(principal, stream, id_column)
            return linked if stream == "mission" else or_(linked, subtree)
        return None if stream in PICTURE_STREAMS else false()
    if role is Role.CREW and stream in ("casualty", "request", "mission"):
        linked = _linked(principal, stream, id_column)
        return linked if stream == "mission" else or_(linked, subtree)
    if stream == "casualty":
        return subtree
    return in_line


def list_cards(engine: Engine, principal: Principal, filters: CardFilter) -> list[dict[str, Any]]:
    """Return the cards the principal may see that pass the filters, newest change first.

    ``filters.before_seq`` pages back: only cards whose last change is older than it.
    """
    if principal.role is Role.ANALYST:
        return []
    with engine.connect() as connection:
        rows = connection.execute(cards_query(principal, filters)).all()
    return [
        {**json.loads(row.card), "updated_seq": row.updated_seq, "precedence": row.precedence}
        for row in rows
    ]


def cards_query(principal: Principal, filters: CardFilter) -> Select[Any]:
    """Return the SELECT of ``list_cards`` (the tests read its query plan)."""
    table = casualty_cards
    clauses: list[ColumnElement[bool]] = []
    scope = _scope_clause(principal, "casualty", units.c.path, table.c.casualty_id)
    if scope is not None:
        clauses.append(scope)
    if filters.unit_id is not None:
        clauses.append(units.c.path.contains(f"/{filters.unit_id}/", autoescape=True))
    if filters.status is not None:
        clauses.append(table.c.status == filters.status)
    if filters.precedence is not None:
        clauses.append(table.c.precedence == filters.precedence)
    if filters.updated_since_seq is not None:
        clauses.append(table.c.updated_seq > filters.updated_since_seq)
    if filters.before_seq is not None:
        clauses.append(table.c.updated_seq < filters.before_seq)
    if filters.bbox is not None:
        west, south, east, north = filters.bbox
        clauses.append(and_(table.c.lon >= west, table.c.lon <= east))
        clauses.append(and_(table.c.lat >= south, table.c.lat <= north))
    return (
        select(table.c.card, table.c.updated_seq, table.c.precedence)
        .select_from(table.outerjoin(units, units.c.unit_id == table.c.scope_unit))
        .where(*clauses)
        .order_by(table.c.updated_seq.desc())
        .limit(filters.limit)
    )


def waiting_casualties(
    engine: Engine, principal: Principal, *, limit: int
) -> list[WaitingCasualty]:
    """Return the facts of the casualties waiting for a vehicle that the principal may see,
    newest change first, at most ``limit``: one query of the stored cards, nothing folded."""
    if principal.role is Role.ANALYST:
        return []
    with engine.connect() as connection:
        rows = connection.execute(waiting_query(principal, limit=limit)).all()
    found = []
    for row in rows:
        if row.evacuation is None:  # written by a version before 0006_plan_facts
            raise WaitingFactsError(
                "evacuation", f"casualty {row.casualty_id} has none: run goldenhour db rebuild"
            )
        found.append(decode_waiting(json.loads(row.evacuation)))
    return found


def waiting_query(principal: Principal, *, limit: int) -> Select[Any]:
    """Return the SELECT of ``waiting_casualties`` (the tests read it)."""
    table = casualty_cards
    clauses: list[ColumnElement[bool]] = [
        table.c.status.in_([status.value for status in WAITING_STATUSES])
    ]
    scope = _scope_clause(principal, "casualty", units.c.path, table.c.casualty_id)
    if scope is not None:
        clauses.append(scope)
    return (
        select(table.c.casualty_id, table.c.evacuation)
        .select_from(table.outerjoin(units, units.c.unit_id == table.c.scope_unit))
        .where(*clauses)
        .order_by(table.c.updated_seq.desc())
        .limit(limit)
    )


def card_positions(
    engine: Engine, principal: Principal, bbox: tuple[float, float, float, float]
) -> list[tuple[float, float]]:
    """Return (lon, lat) of every card the principal may see inside ``bbox``, nothing else.

    Two numbers a card, read through ``ix_casualty_cards_position``: a zoomed-out map counts
    casualties per cell without reading their cards.
    """
    if principal.role is Role.ANALYST:
        return []
    table = casualty_cards
    west, south, east, north = bbox
    clauses: list[ColumnElement[bool]] = [
        table.c.lon >= west, table.c.lon <= east, table.c.lat >= south, table.c.lat <= north,
    ]  # fmt: skip
    scope = _scope_clause(principal, "casualty", units.c.path, table.c.casualty_id)
    if scope is not None:
        clauses.append(scope)
    query = (
        select(table.c.lon, table.c.lat)
        .select_from(table.outerjoin(units, units.c.unit_id == table.c.scope_unit))
        .where(*clauses)
    )
    with engine.connect() as connection:
        return [(float(row.lon), float(row.lat)) for row in connection.execute(query)]


def find_card(engine: Engine, principal: Principal, casualty_id: UUID) -> dict[str, Any] | None:
    """Return one card if it exists and the principal may see it, else ``None``."""
    with engine.connect() as connection:
        row = connection.execute(
            select(casualty_cards.c.card, casualty_cards.c.updated_seq, units.c.path)
            .select_from(
                casualty_cards.outerjoin(units, units.c.unit_id == casualty_cards.c.scope_unit)
            )
            .where(casualty_cards.c.casualty_id == str(casualty_id))
        ).first()
        if row is None:
            return None
        facilities = linked_facilities(connection, "casualty", casualty_id)
    if not can_read_stream(
        principal, stream="casualty", scope_path=row.path, facility_ids=facilities
    ):
        return None
    return {**json.loads(row.card), "updated_seq": row.updated_seq}


def list_streams(
    engine: Engine, principal: Principal, stream: str, *, after: int | None = None,
    limit: int | None = None, statuses: Collection[str] | None = None,
    ids: Collection[str] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Return the states of the records of an operational stream the principal may see.

    In order of their last change, oldest first: those changed after the log position ``after``,
    at most ``limit`` of them (``None``: all), only those whose ``status`` is one of
    ``statuses`` and whose id is one of ``ids`` when given. Access is narrowed in SQL, so a
    page costs the same however many records there are; the one access rule in
    ``goldenhour.domain.access`` checks the page again.
    """
    if ids is not None and not ids:
        return []
    query = streams_query(principal, stream, after=after, limit=limit, statuses=statuses, ids=ids)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        links = (
            _links_of(connection, stream, [row.stream_id for row in rows])
            if principal.role in _LINKED_ROLES
            else {}
        )
        found = [
            {**json.loads(row.state), "id": row.stream_id, "updated_seq": row.updated_seq}
            for row in rows
            if can_read_stream(
                principal,
                stream=stream,
                scope_path=row.path,
                facility_ids=links.get(row.stream_id, frozenset()),
            )  # fmt: skip
        ]
        if stream == "request":
            view = _CasualtyView(connection, principal)
            view.visible([c for state in found for c in state.get("casualty_ids") or ()])
            found = [_narrowed(state, view) for state in found]
    return found


def streams_query(
    principal: Principal, stream: str, *, after: int | None, limit: int | None,
    statuses: Collection[str] | None = None, ids: Collection[str] | None = None,
) -> Select[Any]:  # fmt: skip
    """Return the SELECT of ``list_streams`` (the tests read its query plan)."""
    clauses: list[ColumnElement[bool]] = [streams.c.stream == stream]
    if statuses is not None:
        clauses.append(streams.c.status.in_(sorted(statuses)))
    if ids is not None:
        clauses.append(streams.c.stream_id.in_(sorted(ids)))
    scope = _scope_clause(principal, stream, units.c.path, streams.c.stream_id)
    if scope is not None:
        clauses.append(scope)
    if after is not None:
        clauses.append(streams.c.updated_seq > after)
    query = (
        select(streams.c.stream_id, streams.c.state, streams.c.updated_seq, units.c.path)
        .select_from(streams.outerjoin(units, units.c.unit_id == streams.c.scope_unit))
        .where(*clauses)
        .order_by(streams.c.updated_seq)
    )
    return query if limit is None else query.limit(limit)


class _CasualtyView:
    """Which casualties a caller may open, looked up once per id for one read."""

    def __init__(self, connection: Any, principal: Principal) -> None:
        self.connection, self.principal = connection, principal
        self._seen: dict[str, bool] = {}

    def visible(self, casualty_ids: Sequence[str]) -> set[str]:
        """Return those of ``casualty_ids`` the caller may see."""
        if self.principal.role is Role.ADMIN:
            return set(casualty_ids)
        wanted = [c for c in {str(c) for c in casualty_ids} if c not in self._seen]
        if wanted:
            scopes = {
                row.casualty_id: row.path
                for row in self.connection.execute(
                    select(casualty_cards.c.casualty_id, units.c.path)
                    .select_from(
                        casualty_cards.outerjoin(
                            units, units.c.unit_id == casualty_cards.c.scope_unit
                        )
                    )
                    .where(casualty_cards.c.casualty_id.in_(wanted))
                )
            }
            links: dict[str, set[UUID]] = {}
            if self.principal.role in _LINKED_ROLES:
                for link in self.connection.execute(
                    select(facility_links.c.stream_id, facility_links.c.facility_id).where(
                        facility_links.c.stream == "casualty",
                        facility_links.c.stream_id.in_(wanted),
                    )
                ):
                    links.setdefault(link.stream_id, set()).add(UUID(link.facility_id))
            for casualty in wanted:
                self._seen[casualty] = casualty in scopes and can_read_stream(
                    self.principal, stream="casualty", scope_path=scopes[casualty],
                    facility_ids=frozenset(links.get(casualty, ())),
                )  # fmt: skip
        return {str(c) for c in casualty_ids if self._seen.get(str(c))}


def _narrowed(record: dict[str, Any], view: _CasualtyView) -> dict[str, Any]:
    """Return a request with only the casualties the caller may open, and the others' count.

    A medic sees the battalion's request (the ambulance it sends matters to them) but not the
    other companies' wounded on it: their ids are left out and only counted.
    """
    named = [str(c) for c in record.get("casualty_ids") or ()]
    visible = view.visible(named)
    kept = [c for c in named if c in visible]
    return {**record, "casualty_ids": kept, WITHHELD: len(named) - len(kept)}


def _links_of(
    connection: Any, stream: str, stream_ids: Sequence[str]
) -> dict[str, frozenset[UUID]]:
    found: dict[str, set[UUID]] = {}
    for start in range(0, len(stream_ids), _STREAMS_PER_QUERY):
        for row in connection.execute(
            select(facility_links.c.stream_id, facility_links.c.facility_id).where(
                facility_links.c.stream == stream,
                facility_links.c.stream_id.in_(stream_ids[start : start + _STREAMS_PER_QUERY]),
            )
        ):
            found.setdefault(row.stream_id, set()).add(UUID(row.facility_id))
    return {key: frozenset(value) for key, value in found.items()}


def events_visible_after(
    engine: Engine, principal: Principal, *, after: int, limit: int
) -> tuple[Sequence[StoredEvent], int]:
    """Return the next events the principal may see after ``after``, and the cursor to go on from.

    The cursor moves past events the principal may not see, so paging always makes progress.
    """
    with engine.connect() as connection:
        rows = connection.execute(
            select(events, units.c.path)
            .select_from(events.outerjoin(units, units.c.unit_id == events.c.scope_unit))
            .where(events.c.seq > after)
            .order_by(events.c.seq)
            .limit(limit)
        ).all()
        visible: list[StoredEvent] = []
        for row in rows:
            facilities = (
                linked_facilities(connection, row.stream, UUID(row.stream_id))
                if principal.role in _LINKED_ROLES
                else frozenset()
            )
            if can_read_stream(
                principal, stream=row.stream, scope_path=row.path, facility_ids=facilities
            ):
                visible.append(_redacted(stored_from_row(row)))
        view = _CasualtyView(connection, principal)
        view.visible([c for e in visible if e.kind == _FILED for c in e.payload["casualty_ids"]])
        visible = [_narrowed_event(event, view) for event in visible]
    cursor = rows[-1].seq if rows else after
    return visible, cursor


def _narrowed_event(event: StoredEvent, view: _CasualtyView) -> StoredEvent:
    # A filed request names its casualties: only those the caller may open are shown, and
    # the count of the others goes beside the event (``withheld_casualties``), not inside it,
    # so that the event still decodes as the event it is.
    if event.kind != _FILED:
        return event
    narrowed = _narrowed(event.payload, view)
    withheld = narrowed.pop(WITHHELD)
    if not withheld:
        return event
    return replace(event, payload=narrowed, withheld_casualties=withheld)


def _redacted(event: StoredEvent) -> StoredEvent:
    # Password hashes are in the log so users can be rebuilt, but never leave the server.
    if "password_hash" not in event.payload:
        return event
    payload = {**event.payload, "password_hash": "(redacted)"}
    return StoredEvent(
        seq=event.seq, event_id=event.event_id, stream=event.stream, stream_id=event.stream_id,
        kind=event.kind, scope_unit=event.scope_unit, content_hash=event.content_hash,
        payload=payload,
    )  # fmt: skip


def stream_events(engine: Engine, stream: str, stream_id: UUID) -> list[DomainEvent]:
    """Return every event of one stream in log order (callers check access first)."""
    with engine.connect() as connection:
        return load_stream(connection, stream, stream_id)


#: Streams read per query by ``streams_events`` (a bound parameter each).
_STREAMS_PER_QUERY = 500


def streams_events(
    engine: Engine, stream: str, stream_ids: Sequence[UUID]
) -> dict[UUID, list[DomainEvent]]:
    """Return the events of many streams of one kind, each in log order, in a few queries."""
    found: dict[UUID, list[DomainEvent]] = {stream_id: [] for stream_id in stream_ids}
    wanted = [str(stream_id) for stream_id in found]
    with engine.connect() as connection:
        for start in range(0, len(wanted), _STREAMS_PER_QUERY):
            rows = connection.execute(
                select(events.c.stream_id, events.c.payload)
                .where(
                    events.c.stream == stream,
                    events.c.stream_id.in_(wanted[start : start + _STREAMS_PER_QUERY]),
                )
                .order_by(events.c.seq)
            )
            for row in rows:
                found[UUID(row.stream_id)].append(decode_event(json.loads(row.payload)))
    return found


class SqlRecords:
    """The records in the database, narrowed to the caller (see ``domain.ports.RecordReader``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def find_card(self, principal: Principal, casualty_id: UUID) -> dict[str, Any] | None:
        """Return one card if it exists and the principal may see it, else ``None``."""
        return find_card(self.engine, principal, casualty_id)

    def list_cards(self, principal: Principal, filters: CardFilter) -> list[dict[str, Any]]:
        """Return the cards the principal may see that pass the filters, newest change first."""
        return list_cards(self.engine, principal, filters)

    def list_streams(
        self, principal: Principal, stream: str, *, after: int | None = None,
        limit: int | None = None, statuses: Collection[str] | None = None,
        ids: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Return the states of the records of a stream the principal may see, oldest change
        first: those changed after ``after``, at most ``limit`` of them (``None``: all), of one
        of ``statuses`` and ``ids`` when given."""
        return list_streams(
            self.engine, principal, stream, after=after, limit=limit, statuses=statuses, ids=ids
        )

    def waiting_casualties(self, principal: Principal, *, limit: int) -> list[WaitingCasualty]:
        """Return the facts of the waiting casualties the principal may see, newest change
        first, at most ``limit``, as stored with their cards (nothing folded)."""
        return waiting_casualties(self.engine, principal, limit=limit)

    def card_positions(
        self, principal: Principal, bbox: tuple[float, float, float, float]
    ) -> list[tuple[float, float]]:
        """Return (lon, lat) of every card the principal may see inside ``bbox``, nothing else."""
        return card_positions(self.engine, principal, bbox)

    def stream_events(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        """Return every event of one stream in log order (callers check access first)."""
        return stream_events(self.engine, stream, stream_id)

    def streams_events(
        self, stream: str, stream_ids: Sequence[UUID]
    ) -> dict[UUID, list[DomainEvent]]:
        """Return the events of many streams at once, each in log order (access checked first)."""
        return streams_events(self.engine, stream, stream_ids)

    def events_visible_after(
        self, principal: Principal, *, after: int, limit: int
    ) -> tuple[Sequence[StoredEvent], int]:
        """Return the next events the principal may see after ``after``, and the next cursor."""
        return events_visible_after(self.engine, principal, after=after, limit=limit)
