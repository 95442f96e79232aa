"""In-memory fakes of the read, audit, user, password and token ports, over ``InMemoryEventLog``."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from goldenhour.adapters.memory.event_log import InMemoryEventLog
from goldenhour.domain.access import Principal, can_read_stream
from goldenhour.domain.casualty.card import fold
from goldenhour.domain.casualty.events import CasualtyEvent
from goldenhour.domain.codec import encode_card
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.medevac.from_card import casualty_precedence
from goldenhour.domain.medevac.waiting import WAITING_STATUSES, WaitingCasualty, waiting_casualty
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import AuditEntry, CardFilter, StoredEvent, UserAccount

__all__ = ["InMemoryAudits", "InMemoryRecords", "InMemoryTokens", "InMemoryUserAccounts",
           "IssuedToken", "PlainPasswords"]  # fmt: skip


class InMemoryAudits:
    """Records audit entries in the log's chain at once (``domain.ports.AuditRecorder``)."""

    def __init__(self, log: InMemoryEventLog) -> None:
        self.log = log

    def record(self, entry: AuditEntry) -> None:
        """Append ``entry`` to the audit chain."""
        with self.log.writer() as writer:
            writer.audit(entry)

    def entries(self) -> list[dict[str, Any]]:
        """Return the chain's entries, oldest first (as the SQL ``audit_log`` rows)."""
        return list(self.log.state.audit_rows)


class InMemoryRecords:
    """Reads of an in-memory log, narrowed to the caller (``domain.ports.RecordReader``).

    Cards are folded from their histories when read. The access rule is the domain's one
    (``can_read_stream``); a filed request's casualties are not narrowed as the SQL reads do.
    """

    def __init__(self, log: InMemoryEventLog) -> None:
        self.log = log

    def _visible(self, principal: Principal, stream: str, stream_id: UUID) -> bool:
        scope = self.log.state.scope_of(stream, stream_id)
        return scope is not None and can_read_stream(
            principal, stream=stream, scope_path=scope.scope_path, facility_ids=scope.facility_ids
        )

    def _card(self, casualty_id: UUID) -> dict[str, Any]:
        key = ("casualty", casualty_id)
        history = [e for e in self.log.state.streams[key] if isinstance(e, CasualtyEvent)]
        card = fold(casualty_id, history)
        precedence = casualty_precedence(card)
        return {
            **encode_card(card), "updated_seq": self.log.state.updated[key],
            "precedence": precedence.value if precedence else None,
        }  # fmt: skip

    def find_card(self, principal: Principal, casualty_id: UUID) -> dict[str, Any] | None:
        """Return one card if it exists and the principal may see it, else ``None``."""
        if not self._visible(principal, "casualty", casualty_id):
            return None
        card = self._card(casualty_id)
        del card["precedence"]  # as the SQL read: the list carries it, one card does not
        return card

    def list_cards(self, principal: Principal, filters: CardFilter) -> list[dict[str, Any]]:
        """Return the cards the principal may see that pass the filters, newest change first."""
        if principal.role is Role.ANALYST:
            return []
        state = self.log.state
        found = []
        for stream, casualty_id in state.streams:
            if stream != "casualty" or not self._visible(principal, stream, casualty_id):
                continue
            card = self._card(casualty_id)
            unit = state.scopes[(stream, casualty_id)]
            path = state.unit_paths.get(unit, "") if unit else ""
            position = card.get("position") or {}
            if (
                (filters.status is not None and card["status"] != filters.status)
                or (filters.precedence is not None and card["precedence"] != filters.precedence)
                or (filters.unit_id is not None and f"/{filters.unit_id}/" not in path)
                or (
                    filters.updated_since_seq is not None
                    and card["updated_seq"] <= filters.updated_since_seq
                )
                or (filters.before_seq is not None and card["updated_seq"] >= filters.before_seq)
                or (filters.bbox is not None and not _inside(position, filters.bbox))
            ):
                continue
            found.append(card)
        found.sort(key=lambda card: card["updated_seq"], reverse=True)
        return found[: filters.limit]

    def list_streams(
        self, principal: Principal, stream: str, *, after: int | None = None,
        limit: int | None = None, statuses: Collection[str] | None = None,
        ids: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Return the states of the records of a stream the principal may see, oldest change
        first: those changed after ``after``, at most ``limit`` of them (``None``: all), of one
        of ``statuses`` and ``ids`` when given."""
        state = self.log.state
        found = [
            {**found, "id": str(stream_id), "updated_seq": state.updated[(kind, stream_id)]}
            for (kind, stream_id), found in sorted(
                state.states.items(), key=lambda item: state.updated[item[0]]
            )
            if kind == stream
            and (after is None or state.updated[(kind, stream_id)] > after)
            and (statuses is None or found.get("status") in statuses)
            and (ids is None or str(stream_id) in ids)
            and self._visible(principal, kind, stream_id)
        ]
        return found if limit is None else found[:limit]

    def waiting_casualties(self, principal: Principal, *, limit: int) -> list[WaitingCasualty]:
        """Return the facts of the waiting casualties the principal may see, newest change
        first, at most ``limit`` (folded here when read: this log keeps no cards)."""
        if principal.role is Role.ANALYST:
            return []
        state = self.log.state
        found: list[tuple[int, WaitingCasualty]] = []
        for stream, casualty_id in state.streams:
            if stream != "casualty" or not self._visible(principal, stream, casualty_id):
                continue
            history = [e for e in state.streams[(stream, casualty_id)]
                       if isinstance(e, CasualtyEvent)]  # fmt: skip
            card = fold(casualty_id, history)
            if card.status in WAITING_STATUSES:
                found.append(
                    (state.updated[(stream, casualty_id)], waiting_casualty(card, history))
                )
        found.sort(key=lambda item: item[0], reverse=True)
        return [facts for _, facts in found[:limit]]

    def card_positions(
        self, principal: Principal, bbox: tuple[float, float, float, float]
    ) -> list[tuple[float, float]]:
        """Return (lon, lat) of every card the principal may see inside ``bbox``, nothing else."""
        cards = self.list_cards(principal, CardFilter(bbox=bbox, limit=len(self.log.state.streams)))
        return [(c["position"]["lon"], c["position"]["lat"]) for c in cards if c.get("position")]

    def stream_events(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        """Return every event of one stream in log order (callers check access first)."""
        return list(self.log.state.streams.get((stream, stream_id), ()))

    def streams_events(
        self, stream: str, stream_ids: Sequence[UUID]
    ) -> dict[UUID, list[DomainEvent]]:
        """Return the events of many streams at once, each in log order."""
        return {stream_id: self.stream_events(stream, stream_id) for stream_id in stream_ids}

    def events_visible_after(
        self, principal: Principal, *, after: int, limit: int
    ) -> tuple[Sequence[StoredEvent], int]:
        """Return the next events the principal may see after ``after``, and the next cursor.

        Password hashes are redacted as the SQL read does; a filed request's casualties are not
        narrowed.
        """
        page = self.log.read_after(after, limit=limit)
        visible = [
            replace(e, payload={**e.payload, "password_hash": "(redacted)"})
            if "password_hash" in e.payload
            else e
            for e in page
            if self._visible(principal, e.stream, e.stream_id)
        ]
        return visible, page[-1].seq if page else after


def _inside(position: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bbox
    lon, lat = position.get("lon"), position.get("lat")
    return lon is not None and lat is not None and west <= lon <= east and south <= lat <= north


class InMemoryUserAccounts:
    """The users of an in-memory log, by name (``domain.ports.UserAccounts``)."""

    def __init__(self, log: InMemoryEventLog) -> None:
        self.log = log

    def by_name(self, username: str) -> UserAccount | None:
        """Return the user with this name, if any."""
        user = self.log.state.users.get(username)
        if user is None:
            return None
        return UserAccount(
            user_id=user.user_id, username=user.username, role=Role(user.role),
            unit_id=user.unit_id, facility_id=user.facility_id,
            password_hash=user.password_hash, disabled=user.disabled,
        )  # fmt: skip


class PlainPasswords:
    """Password checks for tests: a password's "hash" is ``plain:`` and the password itself.

    It counts the checks, so a test can see that an unknown name costs a check too.
    """

    def __init__(self) -> None:
        self.checks = 0

    @staticmethod
    def hash(password: str) -> str:
        """Return the stored form of ``password``."""
        return f"plain:{password}"

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Tell whether ``password`` matches (``None``: count the check, and say no)."""
        self.checks += 1
        return password_hash is not None and password_hash == self.hash(password)


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedToken:
    """A token the fake issued."""

    token: str
    user_id: UUID
    kind: str
    device: str
    expires_at: datetime


class InMemoryTokens:
    """Issues tokens and remembers them (``domain.ports.TokenIssuer``)."""

    def __init__(self) -> None:
        self.issued: list[IssuedToken] = []

    def issue(
        self, *, user_id: UUID, kind: str, device: str, ttl: timedelta, now: datetime
    ) -> tuple[str, datetime]:
        """Issue a token for a user and return it with its expiry."""
        token = secrets.token_urlsafe(32)
        self.issued.append(
            IssuedToken(
                token=token, user_id=user_id, kind=kind, device=device, expires_at=now + ttl
            )
        )
        return token, now + ttl
