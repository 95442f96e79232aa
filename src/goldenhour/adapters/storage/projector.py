"""Projections of the log: cards, units, users, stream states and facility links.

``apply`` runs inside the transaction that appends the event, so a projection is never behind
an acknowledged event; ``rebuild`` empties the projections and replays the whole log, and must
give the same state (tests compare the two).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Insert, Table, Update, bindparam, delete, insert, select, update

from goldenhour.adapters.storage.registry import (
    REGISTRY_COLUMNS,
    registry_facts_values,
    registry_record_of,
)
from goldenhour.adapters.storage.tables import (
    PROJECTIONS,
    casualty_cards,
    events,
    facility_links,
    registry_chain,
    registry_rows,
    request_casualties,
    streams,
    units,
    users,
)
from goldenhour.domain.casualty.card import Card, CardStatus, FoldedHistory, fold, fold_history
from goldenhour.domain.casualty.events import CasualtyEvent, HandedOver
from goldenhour.domain.codec import decode_stored_event, encode_card
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.medevac.from_card import casualty_precedence
from goldenhour.domain.medevac.waiting import WAITING_STATUSES, encode_waiting, waiting_casualty
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    MissionAssigned,
    MissionStatusChanged,
    UnitRegistered,
    UserDisabled,
    UserPasswordChanged,
    UserReassigned,
    UserRegistered,
)
from goldenhour.domain.operations.state import can_continue, fold_stream, request_status
from goldenhour.domain.operations.vocabulary import MissionStatus
from goldenhour.domain.trauma_registry.record import RegistryRecord, registry_record

__all__ = [
    "apply", "card_row", "link_casualty", "load_stream", "project_card", "rebuild",
    "fill_plan_facts", "fill_request_progress", "settle_requests", "settle_requests_of",
    "stream_status", "write_cards", "write_registry",
]  # fmt: skip


def load_stream(connection: Connection, stream: str, stream_id: UUID) -> list[DomainEvent]:
    """Return every event of one stream from the log, in log order.

    The log's events were checked when they came in: they are read without checking again.
    """
    rows = connection.execute(
        _LOAD_STREAM, {"stream": stream, "stream_id": str(stream_id)}
    ).scalars()
    return [decode_stored_event(json.loads(payload)) for payload in rows]


_LOAD_STREAM = (
    select(events.c.payload)
    .where(events.c.stream == bindparam("stream"), events.c.stream_id == bindparam("stream_id"))
    .order_by(events.c.seq)
)


@cache
def _upsert_statements(
    table: Table, key: tuple[str, ...], values: tuple[str, ...]
) -> tuple[Update, Insert]:
    # Built once per table and set of columns, with the values as parameters: building and
    # hashing a statement anew for every event costs more than running it.
    changed = (
        update(table)
        .where(*[table.c[name] == bindparam(f"key_{name}") for name in key])
        .values({name: bindparam(f"new_{name}") for name in values})
    )
    return changed, insert(table)


def _upsert(
    connection: Connection, table: Table, key: dict[str, Any], values: dict[str, Any]
) -> None:
    changed, added = _upsert_statements(table, tuple(key), tuple(values))
    parameters = {f"key_{name}": value for name, value in key.items()}
    parameters.update({f"new_{name}": value for name, value in values.items()})
    if connection.execute(changed, parameters).rowcount == 0:
        connection.execute(added, {**key, **values})


def apply(
    connection: Connection,
    event: DomainEvent,
    *,
    seq: int,
    scope_unit: UUID | None,
    received_at: str,
    history: Sequence[DomainEvent] | None = None,
) -> None:
    """Bring the projections up to date with one appended event (received at ``received_at``).

    ``history`` is the event's whole stream in log order, this event included, when the caller
    already holds it; otherwise it is read from the log.
    """
    # Projections carry the receive time of their last event, not the wall clock, so that a
    # rebuild from the log gives exactly the same rows.
    now = received_at
    scope = str(scope_unit) if scope_unit else None
    if isinstance(event, CasualtyEvent):
        if history is None:
            history = load_stream(connection, "casualty", event.casualty_id)
        project_card(
            connection, event.casualty_id, history, seq=seq, scope_unit=scope_unit,
            received_at=received_at,
        )  # fmt: skip
        link_casualty(connection, event, seq=seq)
        settle_requests_of(connection, [str(event.casualty_id)])
        return
    stored = connection.execute(
        select(streams.c.state).where(
            streams.c.stream == event.stream, streams.c.stream_id == str(event.stream_id)
        )
    ).scalar()
    previous = json.loads(stored) if stored else {}
    state = _stream_state(connection, event, previous)
    _upsert(
        connection,
        streams,
        {"stream": event.stream, "stream_id": str(event.stream_id)},
        {
            "scope_unit": scope, "state": json.dumps(state), "updated_seq": seq,
            "updated_at": now, "status": stream_status(state),
        },
    )  # fmt: skip
    _project_operation(connection, event, seq=seq)
    for casualty_ids, column, moment in _chain_times(connection, event, state):
        _chain(connection, casualty_ids, column, moment)
    if event.stream == "request":
        _name_casualties(connection, str(event.stream_id), previous, state)
        settle_requests(connection, [str(event.stream_id)])
    elif event.stream == "mission":
        settle_requests(
            connection, _carry_mission_status(connection, state, seq=seq, received_at=now)
        )


def _stream_state(
    connection: Connection, event: DomainEvent, previous: dict[str, Any]
) -> dict[str, Any]:
    """Return the state of an operational event's stream once the event is folded in."""
    if can_continue(previous, event):
        # A vehicle reports its position every few seconds: do not re-read its whole history.
        return dict(fold_stream([event], state=previous))
    state = dict(fold_stream(load_stream(connection, event.stream, event.stream_id)))
    # What no event of the stream itself says (a request's mission's status) is kept.
    if "mission_status" in previous:
        state["mission_status"] = previous["mission_status"]
    return state


#: Requests (or casualties) one statement of ``settle_requests`` reads.
_REQUESTS_PER_QUERY = 500


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _REQUESTS_PER_QUERY):
        yield items[start : start + _REQUESTS_PER_QUERY]


def _name_casualties(
    connection: Connection, request_id: str, previous: Mapping[str, Any], state: Mapping[str, Any]
) -> None:
    """Keep ``request_casualties`` naming the casualties the request's state names."""
    named = sorted({str(c) for c in state.get("casualty_ids") or ()})
    if previous:
        if sorted({str(c) for c in previous.get("casualty_ids") or ()}) == named:
            return
        connection.execute(
            delete(request_casualties).where(request_casualties.c.request_id == request_id)
        )
    if named:
        connection.execute(
            _NAME_CASUALTY, [{"casualty_id": c, "request_id": request_id} for c in named]
        )


_NAME_CASUALTY = insert(request_casualties)


def _carry_mission_status(
    connection: Connection, mission: Mapping[str, Any], *, seq: int, received_at: str,
    memory: dict[tuple[str, str], dict[str, Any]] | None = None,
) -> list[str]:  # fmt: skip
    """Give each request a mission serves the mission's status (``mission_status``), as of the
    mission's event at ``seq``; return the requests changed.

    ``memory``: the rebuild's states of the streams, read and kept up to date instead of the
    table's.
    """
    status = mission.get("status")
    changed = []
    for request_id in (str(r) for r in mission.get("request_ids") or ()):
        key = ("request", request_id)
        if memory is not None:
            state = memory.get(key)
        else:
            stored = connection.execute(
                select(streams.c.state).where(
                    streams.c.stream == "request", streams.c.stream_id == request_id
                )
            ).scalar()
            state = json.loads(stored) if stored else None
        if state is None:
            continue
        state["mission_status"] = status
        connection.execute(
            update(streams)
            .where(streams.c.stream == "request", streams.c.stream_id == request_id)
            .values(state=json.dumps(state), updated_seq=seq, updated_at=received_at)
        )
        changed.append(request_id)
    return changed


def settle_requests_of(connection: Connection, casualty_ids: Collection[str]) -> None:
    """Bring up to date the requests naming any of ``casualty_ids``, whose cards just changed."""
    found: set[str] = set()
    for chunk in _chunks(sorted(casualty_ids)):
        found.update(
            connection.execute(
                select(request_casualties.c.request_id).where(
                    request_casualties.c.casualty_id.in_(chunk)
                )
            ).scalars()
        )
    settle_requests(connection, found)


def settle_requests(connection: Connection, request_ids: Collection[str]) -> None:
    """Write where each request stands (``request_status``) from its state and its casualties'
    cards, and its last change as the latest of its own and its casualties' cards'.

    A request's casualties all handed over, or their cards closed, serve it: it is no longer
    open, in the coordinator's list and for the plan. Its change is as late as its casualties'
    latest, so that a reader of the requests changed after a log position sees it move.
    """
    for chunk in _chunks(sorted(request_ids)):
        rows = connection.execute(
            select(streams.c.stream_id, streams.c.state, streams.c.updated_seq,
                   streams.c.updated_at, streams.c.status)
            .where(streams.c.stream == "request", streams.c.stream_id.in_(chunk))
        ).all()  # fmt: skip
        states = {row.stream_id: json.loads(row.state) for row in rows}
        named = sorted(
            {str(c) for state in states.values() for c in state.get("casualty_ids") or ()}
        )
        cards: dict[str, Any] = {}
        for casualties in _chunks(named):
            for card in connection.execute(
                select(casualty_cards.c.casualty_id, casualty_cards.c.delivered_at,
                       casualty_cards.c.updated_seq, casualty_cards.c.updated_at)
                .where(casualty_cards.c.casualty_id.in_(casualties))
            ):  # fmt: skip
                cards[card.casualty_id] = card
        changed: list[dict[str, Any]] = []
        for row in rows:
            state = states[row.stream_id]
            mine = [cards.get(str(c)) for c in state.get("casualty_ids") or ()]
            # Handed over (or closed) since it was filed: a casualty handed over at a
            # stabilisation point and asked for again for the next leg is not served yet.
            filed = _moment(state.get("filed_at"))
            delivered = bool(mine) and all(
                c is not None and c.delivered_at is not None
                and (filed is None or datetime.fromisoformat(c.delivered_at) >= filed)
                for c in mine
            )  # fmt: skip
            status = request_status(state, casualties_delivered=delivered)
            seq, at = row.updated_seq, row.updated_at
            for known in mine:
                if known is not None and known.updated_seq > seq:
                    seq, at = known.updated_seq, known.updated_at
            if status == state.get("status") and seq == row.updated_seq:
                continue
            state["status"] = status
            changed.append(
                {"key_stream": "request", "key_stream_id": row.stream_id,
                 "new_state": json.dumps(state), "new_status": status, "new_updated_seq": seq,
                 "new_updated_at": at}
            )  # fmt: skip
        if changed:
            # One statement for the chunk's changed requests (a rebuild settles every request).
            statement, _ = _upsert_statements(
                streams, ("stream", "stream_id"), ("state", "status", "updated_seq", "updated_at")
            )
            connection.execute(statement, changed)


def _project_operation(connection: Connection, event: DomainEvent, *, seq: int) -> None:
    """Bring the units, users and facility links up to date with an operational event."""
    if isinstance(event, UnitRegistered):
        _project_unit(connection, event)
    elif isinstance(event, UserRegistered | UserDisabled | UserPasswordChanged | UserReassigned):
        _project_user(connection, event)
    elif isinstance(event, MissionAssigned):
        _link_mission(connection, event, seq=seq)


def _chain_times(
    connection: Connection, event: DomainEvent, state: dict[str, Any]
) -> list[tuple[Sequence[UUID], str, datetime]]:
    """Return the operational times an event gives casualties: (their ids, column, moment)."""
    if isinstance(event, EvacuationRequestFiled):
        return [(event.casualty_ids, "requested_at", event.occurred_at)]
    if isinstance(event, MissionStatusChanged):
        column = _MISSION_CHAIN.get(event.status)
        if column is not None:
            return [(_mission_casualties(connection, state), column, event.occurred_at)]
    return []


def stream_status(state: dict[str, Any]) -> str | None:
    """Return the ``streams.status`` of a record's state: its ``status``, if it has one."""
    status = state.get("status")
    return status if isinstance(status, str) else None


def project_card(
    connection: Connection, casualty_id: UUID, history: Sequence[DomainEvent], *, seq: int,
    scope_unit: UUID | None, received_at: str,
) -> None:  # fmt: skip
    """Write a casualty's card as folded from ``history``, as of its event at ``seq``.

    The card depends on the whole history, not on the order it came in, so a writer that
    appends several events of one casualty may write the card once, after the last of them.
    """
    folded = fold_history(casualty_id, [e for e in history if isinstance(e, CasualtyEvent)])
    row = card_row(
        casualty_id, history, seq=seq, scope_unit=scope_unit, received_at=received_at,
        card=folded.card,
    )  # fmt: skip
    key = {"casualty_id": row.pop("casualty_id")}
    _upsert(connection, casualty_cards, key, row)
    write_registry(connection, [(folded, seq, scope_unit)])


def card_row(
    casualty_id: UUID, history: Sequence[DomainEvent], *, seq: int, scope_unit: UUID | None,
    received_at: str, card: Card | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Return the ``casualty_cards`` row of a casualty folded from ``history``, as of ``seq``.

    ``card`` is the history's fold when the caller already made it.
    """
    casualty_events = [e for e in history if isinstance(e, CasualtyEvent)]
    if card is None:
        card = fold(casualty_id, casualty_events)
    precedence = casualty_precedence(card)
    return {
        "casualty_id": str(card.casualty_id),
        "scope_unit": str(scope_unit) if scope_unit else None,
        "status": card.status.value,
        "precedence": precedence.value if precedence else None,
        "lat": card.position.lat if card.position else None,
        "lon": card.position.lon if card.position else None,
        "updated_seq": seq,
        # Projections carry the receive time of their last event, not the wall clock, so
        # that a rebuild from the log gives exactly the same rows.
        "updated_at": received_at,
        "card": json.dumps(encode_card(card)),
        # What the live plan reads of a casualty still waiting for a vehicle (none once they
        # are handed over or closed: the plan never reads them).
        "evacuation": json.dumps(encode_waiting(waiting_casualty(card, casualty_events)))
        if card.status in WAITING_STATUSES
        else None,
        "delivered_at": _delivered_at(card),
    }


def _delivered_at(card: Card) -> str | None:
    """Return when the casualty was last handed over or their card closed; None while waiting."""
    if card.status in WAITING_STATUSES:
        return None
    moments = [handover.occurred_at for handover in card.handovers]
    if card.status is CardStatus.CLOSED and card.outcome is not None:
        moments.append(card.outcome.occurred_at)
    return _utc(max(moments)) if moments else None


def write_cards(
    connection: Connection, *, new: Sequence[dict[str, Any]], changed: Sequence[dict[str, Any]]
) -> None:
    """Insert the ``new`` card rows and update the ``changed`` ones, each kind in one statement.

    The caller knows which cards exist (it holds the write lock and read their scopes): one
    statement per kind with many parameter sets is one round trip to PostgreSQL, not one per card.
    """
    if new:
        connection.execute(insert(casualty_cards), list(new))
    if changed:
        statement, _ = _upsert_statements(
            casualty_cards, ("casualty_id",), tuple(k for k in changed[0] if k != "casualty_id")
        )
        connection.execute(
            statement,
            [
                {f"key_{k}" if k == "casualty_id" else f"new_{k}": v for k, v in row.items()}
                for row in changed
            ],
        )


def link_casualty(connection: Connection, event: CasualtyEvent, *, seq: int) -> bool:
    """Link a casualty to the facility it was handed over to; tell whether the event may link."""
    if isinstance(event, HandedOver) and event.facility_id is not None:
        _link(connection, "casualty", event.casualty_id, event.facility_id, seq=seq)
        return True
    return False


def _link(
    connection: Connection, stream: str, stream_id: UUID, facility: UUID, *, seq: int
) -> None:
    key = {"stream": stream, "stream_id": str(stream_id), "facility_id": str(facility)}
    exists = connection.execute(
        select(facility_links.c.since_seq).where(
            *[facility_links.c[k] == v for k, v in key.items()]
        )
    ).first()
    if exists is None:
        connection.execute(insert(facility_links).values(**key, since_seq=seq))


def _link_mission(connection: Connection, event: MissionAssigned, *, seq: int) -> None:
    # The destination sees the mission, its requests and their casualties from now on, and so
    # does the crew of the vehicle sent (its unit: a crew is a unit that owns its vehicle).
    crew = connection.execute(
        select(streams.c.scope_unit).where(
            streams.c.stream == "vehicle", streams.c.stream_id == str(event.vehicle_id)
        )
    ).scalar()
    linked = [event.destination_id, *([UUID(crew)] if crew else [])]
    for party in linked:
        _link(connection, "mission", event.mission_id, party, seq=seq)
    for request_id in event.request_ids:
        state = connection.execute(
            select(streams.c.state).where(
                streams.c.stream == "request", streams.c.stream_id == str(request_id)
            )
        ).scalar()
        for party in linked:
            _link(connection, "request", request_id, party, seq=seq)
            for casualty_id in json.loads(state).get("casualty_ids", []) if state else []:
                _link(connection, "casualty", UUID(casualty_id), party, seq=seq)


#: Which registry time a mission's status gives its casualties.
_MISSION_CHAIN = {
    MissionStatus.PICKED_UP: "picked_up_at",
    MissionStatus.HANDED_OVER: "arrived_at",
}


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _mission_casualties(connection: Connection, mission: Mapping[str, Any]) -> list[UUID]:
    request_ids = [str(r) for r in mission.get("request_ids", [])]
    if not request_ids:
        return []
    states = connection.execute(
        select(streams.c.state).where(
            streams.c.stream == "request", streams.c.stream_id.in_(request_ids)
        )
    ).scalars()
    return [UUID(c) for state in states for c in json.loads(state).get("casualty_ids", [])]


def _chain(
    connection: Connection, casualty_ids: Sequence[UUID], column: str, moment: datetime
) -> None:
    """Record an operational time for casualties: the earliest counts, in the chain and rows."""
    at = _utc(moment)
    for casualty_id in casualty_ids:
        key = str(casualty_id)
        known = connection.execute(
            select(registry_chain).where(registry_chain.c.casualty_id == key)
        ).first()
        if known is None:
            connection.execute(insert(registry_chain).values({"casualty_id": key, column: at}))
        elif known._mapping[column] is None or known._mapping[column] > at:
            connection.execute(
                update(registry_chain)
                .where(registry_chain.c.casualty_id == key)
                .values({column: at})
            )
        # The row holds the earliest of the card's time and the chain's: lower it in place,
        # and derive again what the row brings to the figures (a facility reached changes
        # a death in transit into DOW, and the chain's minutes).
        target = registry_rows.c[column]
        lowered = connection.execute(
            update(registry_rows)
            .where(registry_rows.c.casualty_id == key, (target.is_(None)) | (target > at))
            .values({column: at})
        )
        if lowered.rowcount:
            row = connection.execute(
                select(*REGISTRY_COLUMNS).where(registry_rows.c.casualty_id == key)
            ).one()
            connection.execute(
                update(registry_rows)
                .where(registry_rows.c.casualty_id == key)
                .values(registry_facts_values(registry_record_of(row)))
            )


def _time(moment: datetime | None) -> str | None:
    return _utc(moment) if moment is not None else None


def _registry_values(record: RegistryRecord, seq: int) -> dict[str, Any]:
    reference = record.reference_time
    return {
        "casualty_id": str(record.casualty_id),
        "unit_id": str(record.unit_id) if record.unit_id else None,
        "area": record.area,
        "population": record.population,
        "battle_loss": record.battle_loss,
        "injured_at": _time(record.injured_at),
        "first_event_at": _time(record.first_event_at),
        "reference_at": _time(reference),
        "mechanisms": ";".join(record.mechanisms),
        "regions": ";".join(record.regions),
        "triage_system": record.triage_system,
        "triage_category": record.triage_category,
        "precedence": record.precedence,
        "tourniquet_count": record.tourniquet_count,
        "tourniquet_on_at": _time(record.tourniquet_on_at),
        "tourniquet_off_at": _time(record.tourniquet_off_at),
        "tourniquet_minutes": record.tourniquet_minutes,
        "tourniquets_open": record.tourniquets_open,
        "drug_classes": ";".join(record.drug_classes),
        "txa": record.txa,
        "blood_units": record.blood_units,
        "blood_at": _time(record.blood_at),
        "requested_at": _time(record.requested_at),
        "picked_up_at": _time(record.picked_up_at),
        "arrived_at": _time(record.arrived_at),
        "surgery_at": _time(record.surgery_at),
        "outcome": record.outcome,
        "outcome_at": _time(record.outcome_at),
        "newest_input_at": _time(record.newest_input_at),
        **registry_facts_values(record),
        "updated_seq": seq,
    }


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def write_registry(
    connection: Connection, cards: Sequence[tuple[FoldedHistory, int, UUID | None]]
) -> None:
    """Write the registry rows of casualties from their folded histories.

    Each item is (the fold, seq, scope unit): the row reuses the events the fold already
    walked. The operational times already known for them (``registry_chain``) are read in one
    statement; the rows are replaced in two.
    """
    if not cards:
        return
    ids = [str(folded.card.casualty_id) for folded, *_ in cards]
    chains = {
        row.casualty_id: row
        for row in connection.execute(
            select(registry_chain).where(registry_chain.c.casualty_id.in_(ids))
        )
    }
    rows = []
    for folded, seq, scope_unit in cards:
        chain = chains.get(str(folded.card.casualty_id))
        record = registry_record(
            folded.card.casualty_id,
            (),
            unit_id=scope_unit,
            folded=folded,
            requested_at=_moment(chain.requested_at) if chain else None,
            picked_up_at=_moment(chain.picked_up_at) if chain else None,
            arrived_at=_moment(chain.arrived_at) if chain else None,
        )
        rows.append(_registry_values(record, seq))
    connection.execute(delete(registry_rows).where(registry_rows.c.casualty_id.in_(ids)))
    connection.execute(insert(registry_rows), rows)


def _project_unit(connection: Connection, event: UnitRegistered) -> None:
    parent_path = "/"
    if event.parent_id is not None:
        found = connection.execute(
            select(units.c.path).where(units.c.unit_id == str(event.parent_id))
        ).scalar()
        parent_path = found or "/"
    _upsert(
        connection,
        units,
        {"unit_id": str(event.unit_id)},
        {
            "parent_id": str(event.parent_id) if event.parent_id else None,
            "name": event.name,
            "kind": event.unit_kind.value,
            "path": f"{parent_path}{event.unit_id}/",
        },
    )


def _project_user(
    connection: Connection,
    event: UserRegistered | UserDisabled | UserPasswordChanged | UserReassigned,
) -> None:
    if isinstance(event, UserReassigned):
        connection.execute(
            update(users)
            .where(users.c.user_id == str(event.user_id))
            .values(
                role=event.role.value,
                unit_id=str(event.unit_id),
                facility_id=str(event.facility_id) if event.facility_id else None,
            )
        )
        return
    if isinstance(event, UserDisabled):
        connection.execute(
            update(users).where(users.c.user_id == str(event.user_id)).values(disabled=True)
        )
        return
    if isinstance(event, UserPasswordChanged):
        connection.execute(
            update(users)
            .where(users.c.user_id == str(event.user_id))
            .values(password_hash=event.password_hash)
        )
        return
    _upsert(
        connection,
        users,
        {"user_id": str(event.user_id)},
        {
            "username": event.username,
            "role": event.role.value,
            "unit_id": str(event.unit_id),
            "facility_id": str(event.facility_id) if event.facility_id else None,
            "password_hash": event.password_hash,
            "disabled": False,
        },
    )


def rebuild(connection: Connection, *, batch: int = 2000) -> int:
    """Empty every projection and replay the whole log into it; return the events replayed.

    The log is read once in order for every stream but the casualties'. A casualty's card
    depends only on its whole history, so each is folded once, at the end, from its events
    read together (not re-read and re-folded for every event): time linear in the events.
    Facility links keep the log position where they began, so they are made in log order.
    """
    for table in reversed(PROJECTIONS):
        connection.execute(delete(table))
    # Per casualty: the log position, unit and receive time of their last event.
    latest: dict[str, tuple[int, str | None, str]] = {}
    replay = _Replay()
    replayed, last = 0, 0
    while True:
        rows = connection.execute(
            select(
                events.c.seq, events.c.stream, events.c.stream_id, events.c.kind,
                events.c.payload, events.c.scope_unit, events.c.received_at,
            )
            .where(events.c.seq > last)
            .order_by(events.c.seq)
            .limit(batch)
        ).all()  # fmt: skip
        if not rows:
            break
        for row in rows:
            replayed, last = replayed + 1, row.seq
            if row.stream == "casualty":
                latest[row.stream_id] = (row.seq, row.scope_unit, row.received_at)
                if row.kind == HandedOver.kind:
                    handed = decode_stored_event(json.loads(row.payload))
                    if isinstance(handed, HandedOver):
                        link_casualty(connection, handed, seq=row.seq)
                continue
            event = decode_stored_event(json.loads(row.payload))
            _replay_operation(connection, event, row, replay)
    replay.flush(connection)
    _write_chain(connection, replay.chain)
    if replay.names:
        connection.execute(
            insert(request_casualties),
            [
                {"casualty_id": casualty_id, "request_id": request_id}
                for request_id, named in replay.names.items()
                for casualty_id in named
            ],
        )
    _rebuild_cards(connection, latest)
    settle_requests(connection, [i for stream, i in replay.states if stream == "request"])
    return replayed


class _Replay:
    """What a rebuild keeps in memory while it replays the operational events.

    Each stream's state as last written (read back from here, not the table); the ``streams``
    rows not yet written (``pending``: written together, before an event whose projection
    reads the table, and at the end); each request's casualties (``request_casualties``) and
    each casualty's earliest operational times (``registry_chain``), written at the end.
    """

    def __init__(self) -> None:
        self.states: dict[tuple[str, str], dict[str, Any]] = {}
        self.pending: dict[tuple[str, str], dict[str, Any]] = {}
        self.written: set[tuple[str, str]] = set()
        self.names: dict[str, list[str]] = {}
        self.chain: dict[str, dict[str, str]] = {}

    def flush(self, connection: Connection) -> None:
        """Write the pending ``streams`` rows: one statement for the new, one for the others."""
        new = [
            {"stream": key[0], "stream_id": key[1], **values}
            for key, values in self.pending.items()
            if key not in self.written
        ]
        changed = [
            {"key_stream": key[0], "key_stream_id": key[1],
             **{f"new_{name}": value for name, value in values.items()}}
            for key, values in self.pending.items()
            if key in self.written
        ]  # fmt: skip
        if new:
            connection.execute(insert(streams), new)
        if changed:
            statement, _ = _upsert_statements(
                streams, ("stream", "stream_id"), tuple(_STREAM_VALUES)
            )
            connection.execute(statement, changed)
        self.written.update(self.pending)
        self.pending.clear()


#: The columns of a ``streams`` row a rebuild writes, beside its key.
_STREAM_VALUES = ("scope_unit", "state", "updated_seq", "updated_at", "status")
#: The streams whose events' projections read the ``streams`` table back (a mission's reads
#: its vehicle's and its requests' rows).
_READS_STREAMS = frozenset({"mission"})


def _replay_operation(
    connection: Connection, event: DomainEvent, row: Any, replay: _Replay
) -> None:
    """Replay one operational event as ``apply`` does, its stream's state kept in memory.

    The state is not read back from the table; a stream's first event is folded alone, as the
    log held only it when it came in. The operational times are gathered for
    ``_write_chain``: no registry row exists yet to lower.
    """
    key = (event.stream, str(event.stream_id))
    if event.stream in _READS_STREAMS:
        replay.flush(connection)
    previous = replay.states.get(key)
    state: dict[str, Any] = (
        _stream_state(connection, event, previous)
        if previous is not None
        else dict(fold_stream([event]))
    )
    stored = json.dumps(state)
    scope = str(UUID(row.scope_unit)) if row.scope_unit else None
    replay.pending[key] = {
        "scope_unit": scope, "state": stored, "updated_seq": row.seq,
        "updated_at": row.received_at, "status": stream_status(state),
    }  # fmt: skip
    # As read back from the table: through JSON.
    replay.states[key] = json.loads(stored)
    _project_operation(connection, event, seq=row.seq)
    # Where each request stands is settled once at the end, when every card is written.
    if event.stream == "request":
        replay.names[key[1]] = sorted({str(c) for c in state.get("casualty_ids") or ()})
    elif event.stream == "mission":
        replay.flush(connection)
        _carry_mission_status(
            connection, state, seq=row.seq, received_at=row.received_at, memory=replay.states
        )
    for casualty_ids, column, moment in _chain_times(connection, event, state):
        at = _utc(moment)
        for casualty_id in casualty_ids:
            times = replay.chain.setdefault(str(casualty_id), {})
            if column not in times or times[column] > at:
                times[column] = at


def _write_chain(connection: Connection, chain: dict[str, dict[str, str]]) -> None:
    """Insert the operational times gathered by a rebuild, in one statement."""
    if chain:
        columns = ("requested_at", "picked_up_at", "arrived_at")
        connection.execute(
            insert(registry_chain),
            [
                {"casualty_id": casualty_id, **{c: times.get(c) for c in columns}}
                for casualty_id, times in chain.items()
            ],
        )


#: Casualties whose histories one query of ``_rebuild_cards`` reads.
_CARDS_PER_QUERY = 500


def _casualty_histories(
    connection: Connection, casualty_ids: list[str]
) -> Iterator[dict[str, list[DomainEvent]]]:
    """Yield the stored histories of ``casualty_ids``, a query's worth of casualties at a time."""
    for start in range(0, len(casualty_ids), _CARDS_PER_QUERY):
        chunk = casualty_ids[start : start + _CARDS_PER_QUERY]
        histories: dict[str, list[DomainEvent]] = {casualty_id: [] for casualty_id in chunk}
        for row in connection.execute(
            select(events.c.stream_id, events.c.payload)
            .where(events.c.stream == "casualty", events.c.stream_id.in_(chunk))
            .order_by(events.c.seq)
        ):
            histories[row.stream_id].append(decode_stored_event(json.loads(row.payload)))
        yield histories


def _rebuild_cards(connection: Connection, latest: dict[str, tuple[int, str | None, str]]) -> None:
    """Write every casualty's card and registry row, folded once from their whole history."""
    for histories in _casualty_histories(connection, list(latest)):
        rows = []
        registry: list[tuple[FoldedHistory, int, UUID | None]] = []
        for casualty_id, history in histories.items():
            seq, scope, received_at = latest[casualty_id]
            unit = UUID(scope) if scope else None
            folded = fold_history(
                UUID(casualty_id), [e for e in history if isinstance(e, CasualtyEvent)]
            )
            card = folded.card
            rows.append(
                card_row(
                    UUID(casualty_id),
                    history,
                    seq=seq,
                    scope_unit=unit,
                    received_at=received_at,
                    card=card,
                )  # fmt: skip
            )
            registry.append((folded, seq, unit))
        write_cards(connection, new=rows, changed=())
        # The operational times (registry_chain) were all replayed before: read once here.
        write_registry(connection, registry)


def fill_plan_facts(connection: Connection) -> int:
    """Fill what revision 0006_plan_facts added to rows written before it: each stream's
    ``status`` from its state, and each waiting casualty's ``evacuation`` facts, folded once
    from their history. Return the cards filled. (``rebuild`` writes both as it goes.)"""
    records = connection.execute(select(streams.c.stream, streams.c.stream_id, streams.c.state))
    for record in records.all():
        status = stream_status(json.loads(record.state))
        if status is not None:
            connection.execute(
                update(streams)
                .where(streams.c.stream == record.stream, streams.c.stream_id == record.stream_id)
                .values(status=status)
            )
    waiting = list(
        connection.execute(
            select(casualty_cards.c.casualty_id).where(
                casualty_cards.c.status.in_([s.value for s in WAITING_STATUSES]),
                casualty_cards.c.evacuation.is_(None),
            )
        ).scalars()
    )
    for histories in _casualty_histories(connection, waiting):
        for casualty_id, stored in histories.items():
            history = [e for e in stored if isinstance(e, CasualtyEvent)]
            if not history:
                continue
            card = fold(UUID(casualty_id), history)
            connection.execute(
                update(casualty_cards)
                .where(casualty_cards.c.casualty_id == casualty_id)
                .values(evacuation=json.dumps(encode_waiting(waiting_casualty(card, history))))
            )
    return len(waiting)


def fill_request_progress(connection: Connection) -> int:
    """Fill what revision 0007_request_progress added to rows written before it; return the
    requests settled.

    Each card no longer waiting gets ``delivered_at``, folded from its history; each request's
    state gets its own events' status (``filed_status``: the status it held,
    placed after ``filed_at`` as the fold places it) and the status of the last mission to
    serve it (``mission_status``), ``request_casualties`` names its casualties, and then where
    it stands is settled from its casualties' cards (``settle_requests``), as ``rebuild`` does.
    """
    requests: dict[str, tuple[dict[str, Any], int, str]] = {}
    for row in connection.execute(
        select(streams.c.stream_id, streams.c.state, streams.c.updated_seq, streams.c.updated_at)
        .where(streams.c.stream == "request")
    ):  # fmt: skip
        state: dict[str, Any] = {}
        for name, value in json.loads(row.state).items():
            state[name] = value
            if name == "filed_at":
                state["filed_status"] = json.loads(row.state).get("status")
        requests[row.stream_id] = (state, row.updated_seq, row.updated_at)
    missions = connection.execute(
        select(streams.c.state, streams.c.updated_seq, streams.c.updated_at)
        .where(streams.c.stream == "mission")
        .order_by(streams.c.updated_seq)
    ).all()  # fmt: skip
    for mission in missions:
        served = json.loads(mission.state)
        for request_id in (str(r) for r in served.get("request_ids") or ()):
            if request_id in requests:
                state, seq, at = requests[request_id]
                state["mission_status"] = served.get("status")
                if mission.updated_seq > seq:
                    seq, at = mission.updated_seq, mission.updated_at
                requests[request_id] = (state, seq, at)
    named = []
    for request_id, (state, seq, at) in requests.items():
        connection.execute(
            update(streams)
            .where(streams.c.stream == "request", streams.c.stream_id == request_id)
            .values(state=json.dumps(state), updated_seq=seq, updated_at=at)
        )
        named += [
            {"casualty_id": c, "request_id": request_id}
            for c in sorted({str(c) for c in state.get("casualty_ids") or ()})
        ]
    if named:
        connection.execute(insert(request_casualties), named)
    delivered = list(
        connection.execute(
            select(casualty_cards.c.casualty_id).where(
                casualty_cards.c.status.not_in([s.value for s in WAITING_STATUSES])
            )
        ).scalars()
    )
    for histories in _casualty_histories(connection, delivered):
        for casualty_id, stored in histories.items():
            history = [e for e in stored if isinstance(e, CasualtyEvent)]
            if history:
                connection.execute(
                    update(casualty_cards)
                    .where(casualty_cards.c.casualty_id == casualty_id)
                    .values(delivered_at=_delivered_at(fold(UUID(casualty_id), history)))
                )
    settle_requests(connection, list(requests))
    return len(requests)
