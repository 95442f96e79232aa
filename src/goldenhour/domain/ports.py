"""The ports the use cases need (the log, the audit chain), as Protocols adapters implement."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from goldenhour.domain.access import Principal
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.medevac.waiting import WaitingCasualty
from goldenhour.domain.operations.vocabulary import Role


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredEvent:
    """An event as the log holds it: its place in the log and what identifies its content."""

    seq: int
    event_id: UUID
    stream: str
    stream_id: UUID
    kind: str
    scope_unit: UUID | None
    content_hash: str
    payload: dict[str, Any]
    #: Casualties the event names that the reader may not open, left out of ``payload``.
    withheld_casualties: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamScope:
    """Who owns a stream: the unit (and its path in the tree) and the facilities it is linked to."""

    scope_unit: UUID | None
    scope_path: str | None
    facility_ids: frozenset[UUID] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """One audited read or write: who, in which role and unit, from which device, did what."""

    at: datetime
    user_id: UUID | None
    username: str
    role: str
    unit_id: UUID | None
    device: str
    action: str
    target_kind: str
    target_id: str
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedUser:
    """A user an event names as its author: where they stand, and whether they may still act."""

    user_id: UUID
    role: str
    unit_path: str | None
    disabled: bool


class LogWriter(Protocol):
    """The event log inside one write transaction."""

    def find(self, event_id: UUID) -> StoredEvent | None:
        """Return the stored event with this id, if any."""

    def prefetch(self, event_ids: Collection[UUID], *, casualty_ids: Collection[UUID] = ()) -> None:
        """Look up many events and casualties' scopes at once, so later calls need no query."""

    def stream_scope(self, stream: str, stream_id: UUID) -> StreamScope | None:
        """Return the owner of an existing stream, or ``None`` if the stream is new."""

    def unit_path(self, unit_id: UUID) -> str | None:
        """Return the path of a unit in the tree, or ``None`` if there is no such unit."""

    def load_stream(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        """Return every event of a stream, in log order."""

    def named_user(self, username: str) -> NamedUser | None:
        """Return the user with this name, or ``None`` if there is none."""

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

    def audit(self, entry: AuditEntry) -> None:
        """Append an entry to the audit chain."""


class EventLog(Protocol):
    """The event log: write transactions, and reads by cursor."""

    def writer(self) -> AbstractContextManager[LogWriter]:
        """Open a write transaction; it commits when the block ends without an error."""

    def read_after(self, after: int, *, limit: int) -> Sequence[StoredEvent]:
        """Return events after ``after`` in log order, at most ``limit``."""

    def last_seq(self) -> int:
        """Return the newest position in the log (0 when empty)."""


class AuditRecorder(Protocol):
    """Where audited reads go: ``record`` returns once the entry is committed, or raises."""

    def record(self, entry: AuditEntry) -> None:
        """Append ``entry`` to the audit chain."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainReport:
    """The result of verifying the audit chain: how many entries, and the first bad one if any."""

    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        """Tell whether every entry fits the chain."""
        return self.first_bad_seq is None


class AuditChain(Protocol):
    """The stored audit chain, read back to be checked."""

    def verify(self) -> ChainReport:
        """Walk the chain in order and report the first entry that does not fit."""

    def entry_hash_at(self, seq: int) -> str | None:
        """Return the stored hash of entry ``seq``, if it exists."""

    def head(self) -> tuple[int, str]:
        """Return the newest entry's place and hash (``(0, GENESIS)`` when empty)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UserAccount:
    """A user as stored: what login and administration need."""

    user_id: UUID
    username: str
    role: Role
    unit_id: UUID
    facility_id: UUID | None
    password_hash: str
    disabled: bool


class UserAccounts(Protocol):
    """The users, looked up by name."""

    def by_name(self, username: str) -> UserAccount | None:
        """Return the user with this name, if any."""


class PasswordCheck(Protocol):
    """Checks a password against its stored hash."""

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Tell whether ``password`` matches (``None``: spend the same time, and say no)."""


class TokenIssuer(Protocol):
    """Issues the tokens that authorise API calls."""

    def issue(
        self, *, user_id: UUID, kind: str, device: str, ttl: timedelta, now: datetime
    ) -> tuple[str, datetime]:
        """Issue a token for a user and return it with its expiry."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CardFilter:
    """Filters of the casualty list; ``None`` leaves a filter off."""

    unit_id: UUID | None = None
    status: str | None = None
    precedence: str | None = None
    updated_since_seq: int | None = None
    before_seq: int | None = None  # a page's cursor: only cards last changed before it
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    limit: int = 500


class RecordReader(Protocol):
    """Reads of the projections and the log, narrowed to what the caller may see."""

    def find_card(self, principal: Principal, casualty_id: UUID) -> dict[str, Any] | None:
        """Return one card if it exists and the principal may see it, else ``None``."""

    def list_cards(self, principal: Principal, filters: CardFilter) -> list[dict[str, Any]]:
        """Return the cards the principal may see that pass the filters, newest change first."""

    def list_streams(
        self, principal: Principal, stream: str, *, after: int | None = None,
        limit: int | None = None, statuses: Collection[str] | None = None,
        ids: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Return the states of the records of a stream the principal may see, oldest change
        first: those changed after ``after``, at most ``limit`` of them (``None``: all), only
        those whose ``status`` is one of ``statuses`` and whose id is one of ``ids`` when
        given."""

    def waiting_casualties(self, principal: Principal, *, limit: int) -> list[WaitingCasualty]:
        """Return the facts of the casualties waiting for a vehicle that the principal may see,
        newest change first, at most ``limit``: as stored with their cards, nothing folded."""

    def card_positions(
        self, principal: Principal, bbox: tuple[float, float, float, float]
    ) -> list[tuple[float, float]]:
        """Return (lon, lat) of every card the principal may see inside ``bbox``, nothing else."""

    def stream_events(self, stream: str, stream_id: UUID) -> list[DomainEvent]:
        """Return every event of one stream in log order (callers check access first)."""

    def streams_events(
        self, stream: str, stream_ids: Sequence[UUID]
    ) -> dict[UUID, list[DomainEvent]]:
        """Return the events of many streams at once, each in log order (access checked first)."""

    def events_visible_after(
        self, principal: Principal, *, after: int, limit: int
    ) -> tuple[Sequence[StoredEvent], int]:
        """Return the next events the principal may see after ``after``, and the next cursor.

        The cursor moves past events the principal may not see, so paging always progresses.
        """


class TokenRefusal(StrEnum):
    """Why a token no longer speaks for anyone (said to a live stream when it ends)."""

    UNKNOWN = "unknown token"
    EXPIRED = "token expired"
    REVOKED = "token revoked"
    LOST = "device reported lost"
    USER_DISABLED = "user disabled"


@dataclass(frozen=True, slots=True, kw_only=True)
class Credential:
    """A valid token: who it speaks for, its id, kind and expiry."""

    principal: Principal
    token_id: str
    kind: str
    expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceToken:
    """A device token as listed to its user or an administrator (never the secret itself)."""

    token_id: str
    user_id: UUID
    device: str
    issued_at: datetime
    expires_at: datetime
    revoked: bool
    lost: bool


class TokenStore(TokenIssuer, Protocol):
    """Tokens, device tokens and stream tickets, stored only by their ids (hashes)."""

    def token_id(self, token: str) -> str:
        """Return the id under which ``token`` is stored."""

    def credential_for(self, token: str, *, now: datetime) -> Credential | None:
        """Return the credential of a bearer or device token, or ``None`` if not valid now."""

    def check(self, token_id: str, *, now: datetime) -> Credential | TokenRefusal:
        """Return the credential of the token with this id, or why it speaks for no one now."""

    def issue_stream_ticket(
        self, *, parent: Credential, ttl: timedelta, now: datetime
    ) -> tuple[str, datetime]:
        """Issue a single-use ticket that opens one live stream for the holder of ``parent``."""

    def redeem_stream_ticket(self, ticket: str, *, now: datetime) -> Credential | None:
        """Spend a stream ticket; return the credential it was issued against, or ``None``."""

    def list_device_tokens(self, user_id: UUID, *, now: datetime) -> list[DeviceToken]:
        """Return a user's device tokens."""

    def find_device_token(self, token_id: str) -> DeviceToken | None:
        """Return the device token with this id, if any."""

    def revoke(self, token_id: str, *, lost: bool = False) -> bool:
        """Revoke a token at once; tell whether there was one to revoke."""

    def principal_of_user(self, username: str, *, device: str) -> Principal | None:
        """Return an enabled user as the principal of a request made from ``device``."""
