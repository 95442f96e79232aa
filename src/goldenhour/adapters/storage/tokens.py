"""Bearer, device and stream-ticket tokens: random secrets given once, stored only as SHA-256.

A token's id is its SHA-256 (hex): enough to list and revoke a token, useless to present one.
Bearer tokens come from a password login and last a shift; device tokens last days and are
issued only against a password given now (or by an administrator); stream tickets last seconds,
open one live stream once, and name the token they were issued against, which the stream keeps
checking.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Row, insert, select, update

from goldenhour.adapters.storage.engine import column_text
from goldenhour.adapters.storage.tables import tokens, units, users
from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import Credential, DeviceToken, TokenRefusal

__all__ = ["SESSION_KINDS", "Credential", "DeviceToken", "SqlTokens", "TokenRefusal", "check_token",
           "credential_for", "find_device_token", "issue_stream_ticket", "issue_token",
           "list_device_tokens", "principal_of_user", "redeem_stream_ticket", "resolve_token",
           "revoke_token", "revoke_user_tokens", "token_id_of"]  # fmt: skip

#: The kinds of token that authorise API calls; a stream ticket only opens a stream.
SESSION_KINDS = frozenset({"bearer", "device"})


def token_id_of(token: str) -> str:
    """Return the id (SHA-256, hex) under which ``token`` is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    engine: Engine, *, user_id: UUID, kind: str, device: str, ttl: timedelta, now: datetime,
    parent_id: str | None = None,
) -> tuple[str, datetime]:  # fmt: skip
    """Issue a token for a user and return it with its expiry; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    expires = now + ttl
    with engine.connect().execution_options(writer=True) as connection, connection.begin():
        connection.execute(
            insert(tokens).values(
                token_hash=token_id_of(token),
                user_id=str(user_id),
                kind=kind,
                device=column_text(device, max_length=128),
                issued_at=now.astimezone(UTC).isoformat(),
                expires_at=expires.astimezone(UTC).isoformat(),
                revoked=False,
                parent_hash=parent_id,
            )
        )
    return token, expires


class SqlTokens:
    """Tokens stored in the database, only their hashes (see ``domain.ports.TokenIssuer``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def issue(
        self, *, user_id: UUID, kind: str, device: str, ttl: timedelta, now: datetime
    ) -> tuple[str, datetime]:
        """Issue a token for a user and return it with its expiry."""
        return issue_token(self.engine, user_id=user_id, kind=kind, device=device, ttl=ttl, now=now)

    def token_id(self, token: str) -> str:
        """Return the id under which ``token`` is stored."""
        return token_id_of(token)

    def credential_for(self, token: str, *, now: datetime) -> Credential | None:
        """Return the credential of a bearer or device token, or ``None`` if not valid now."""
        return credential_for(self.engine, token, now=now)

    def check(self, token_id: str, *, now: datetime) -> Credential | TokenRefusal:
        """Return the credential of the token with this id, or why it speaks for no one now."""
        return check_token(self.engine, token_id, now=now)

    def issue_stream_ticket(
        self, *, parent: Credential, ttl: timedelta, now: datetime
    ) -> tuple[str, datetime]:
        """Issue a single-use ticket that opens one live stream for the holder of ``parent``."""
        return issue_stream_ticket(self.engine, parent=parent, ttl=ttl, now=now)

    def redeem_stream_ticket(self, ticket: str, *, now: datetime) -> Credential | None:
        """Spend a stream ticket; return the credential it was issued against, or ``None``."""
        return redeem_stream_ticket(self.engine, ticket, now=now)

    def list_device_tokens(self, user_id: UUID, *, now: datetime) -> list[DeviceToken]:
        """Return a user's device tokens that have not expired, revoked ones too, oldest first."""
        return list_device_tokens(self.engine, user_id, now=now)

    def find_device_token(self, token_id: str) -> DeviceToken | None:
        """Return the device token with this id, if any."""
        return find_device_token(self.engine, token_id)

    def revoke(self, token_id: str, *, lost: bool = False) -> bool:
        """Revoke a token at once (``lost``: its phone was reported lost); say if there was one."""
        return revoke_token(self.engine, token_id, lost=lost)

    def revoke_user(self, user_id: UUID) -> int:
        """Revoke every token of a user; return how many."""
        return revoke_user_tokens(self.engine, user_id)

    def principal_of_user(self, username: str, *, device: str) -> Principal | None:
        """Return an enabled user as the principal of a request made from ``device``."""
        return principal_of_user(self.engine, username, device=device)


def check_token(
    engine: Engine, identifier: str, *, now: datetime, kinds: frozenset[str] = SESSION_KINDS
) -> Credential | TokenRefusal:
    """Return the credential of the token with this id, or why it speaks for no one now."""
    with engine.connect() as connection:
        row = connection.execute(
            select(
                tokens.c.kind,
                tokens.c.expires_at,
                tokens.c.revoked,
                tokens.c.lost,
                tokens.c.device,
                users.c.user_id,
                users.c.username,
                users.c.role,
                users.c.unit_id,
                users.c.facility_id,
                users.c.disabled,
                units.c.path,
            )  # fmt: skip
            .select_from(
                tokens.join(users, users.c.user_id == tokens.c.user_id).outerjoin(
                    units, units.c.unit_id == users.c.unit_id
                )
            )
            .where(tokens.c.token_hash == identifier)
        ).first()
    if row is None or row.kind not in kinds or row.path is None:
        return TokenRefusal.UNKNOWN
    if row.disabled:  # said first: disabling a user also revokes their tokens
        return TokenRefusal.USER_DISABLED
    if row.revoked:
        return TokenRefusal.LOST if row.lost else TokenRefusal.REVOKED
    expires = datetime.fromisoformat(row.expires_at)
    if expires <= now:
        return TokenRefusal.EXPIRED
    principal = Principal(
        user_id=UUID(row.user_id),
        username=row.username,
        role=Role(row.role),
        unit_id=UUID(row.unit_id),
        unit_path=row.path,
        device=row.device,
        facility_id=UUID(row.facility_id) if row.facility_id else None,
        # A device token's device may be shared within the unit (see ``Attribution``).
        attribution=Attribution.UNIT_DEVICE if row.kind == "device" else Attribution.CALLER,
    )
    return Credential(principal=principal, token_id=identifier, kind=row.kind, expires_at=expires)


def credential_for(engine: Engine, token: str, *, now: datetime) -> Credential | None:
    """Return the credential of a bearer or device token, or ``None`` if it is not valid now."""
    checked = check_token(engine, token_id_of(token), now=now)
    return checked if isinstance(checked, Credential) else None


def resolve_token(engine: Engine, token: str, *, now: datetime) -> Principal | None:
    """Return who a token speaks for, or ``None`` if it is unknown, expired, revoked or disabled."""
    credential = credential_for(engine, token, now=now)
    return credential.principal if credential else None


def issue_stream_ticket(
    engine: Engine, *, parent: Credential, ttl: timedelta, now: datetime
) -> tuple[str, datetime]:
    """Issue a single-use ticket that opens one live stream for the holder of ``parent``."""
    return issue_token(
        engine, user_id=parent.principal.user_id, kind="ticket", device=parent.principal.device,
        ttl=ttl, now=now, parent_id=parent.token_id,
    )  # fmt: skip


def redeem_stream_ticket(engine: Engine, ticket: str, *, now: datetime) -> Credential | None:
    """Spend a stream ticket; return the credential it was issued against, or ``None``.

    A ticket is spent by the first try, even a late one: a second use always fails.
    """
    identifier = token_id_of(ticket)
    with engine.connect().execution_options(writer=True) as connection, connection.begin():
        row = connection.execute(
            select(tokens.c.expires_at, tokens.c.parent_hash).where(
                tokens.c.token_hash == identifier,
                tokens.c.kind == "ticket",
                tokens.c.revoked.is_(False),
            )
        ).first()
        if row is None or row.parent_hash is None:
            return None
        spent = connection.execute(
            update(tokens)
            .where(tokens.c.token_hash == identifier, tokens.c.revoked.is_(False))
            .values(revoked=True)
        )
    if spent.rowcount != 1 or datetime.fromisoformat(row.expires_at) <= now:
        return None
    parent = check_token(engine, row.parent_hash, now=now)
    return parent if isinstance(parent, Credential) else None


def _device_token(row: Row[*tuple[Any, ...]]) -> DeviceToken:
    return DeviceToken(
        token_id=row.token_hash,
        user_id=UUID(row.user_id),
        device=row.device,
        issued_at=datetime.fromisoformat(row.issued_at),
        expires_at=datetime.fromisoformat(row.expires_at),
        revoked=bool(row.revoked),
        lost=bool(row.lost),
    )


_DEVICE_COLUMNS = (
    tokens.c.token_hash, tokens.c.user_id, tokens.c.device, tokens.c.issued_at,
    tokens.c.expires_at, tokens.c.revoked, tokens.c.lost,
)  # fmt: skip


def list_device_tokens(engine: Engine, user_id: UUID, *, now: datetime) -> list[DeviceToken]:
    """Return a user's device tokens that have not expired, revoked ones too, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(*_DEVICE_COLUMNS)
            .where(
                tokens.c.user_id == str(user_id),
                tokens.c.kind == "device",
                tokens.c.expires_at > now.astimezone(UTC).isoformat(),
            )
            .order_by(tokens.c.issued_at, tokens.c.token_hash)
        ).all()
    return [_device_token(row) for row in rows]


def find_device_token(engine: Engine, identifier: str) -> DeviceToken | None:
    """Return the device token with this id, or ``None``."""
    with engine.connect() as connection:
        row = connection.execute(
            select(*_DEVICE_COLUMNS).where(
                tokens.c.token_hash == identifier, tokens.c.kind == "device"
            )
        ).first()
    return _device_token(row) if row is not None else None


def revoke_token(engine: Engine, identifier: str, *, lost: bool = False) -> bool:
    """Revoke one token by id; return whether it was valid until now.

    ``lost``: the phone was reported lost; the token then answers ``TokenRefusal.LOST``, which
    tells the phone to wipe its store at its next contact. A token already revoked can still be
    marked lost (the phone was retired, then found missing).
    """
    with engine.connect().execution_options(writer=True) as connection, connection.begin():
        was_valid = connection.execute(
            select(tokens.c.token_hash).where(
                tokens.c.token_hash == identifier, tokens.c.revoked.is_(False)
            )
        ).first()
        values: dict[str, bool] = {"revoked": True}
        if lost:
            values["lost"] = True
        connection.execute(update(tokens).where(tokens.c.token_hash == identifier).values(**values))
    return was_valid is not None


def principal_of_user(engine: Engine, username: str, *, device: str) -> Principal | None:
    """Return the principal of an enabled user by name (for a channel with no token, e.g. SMS).

    ``None`` when there is no such user, it is disabled, or its unit is unknown.
    """
    if "\x00" in username:
        return None  # no name holds NUL, and PostgreSQL refuses it even in a query
    with engine.connect() as connection:
        row = connection.execute(
            select(
                users.c.user_id,
                users.c.username,
                users.c.role,
                users.c.unit_id,
                users.c.facility_id,
                users.c.disabled,
                units.c.path,
            )  # fmt: skip
            .select_from(users.outerjoin(units, units.c.unit_id == users.c.unit_id))
            .where(users.c.username == username)
        ).first()
    if row is None or row.disabled or row.path is None:
        return None
    return Principal(
        user_id=UUID(row.user_id),
        username=row.username,
        role=Role(row.role),
        unit_id=UUID(row.unit_id),
        unit_path=row.path,
        device=device,
        facility_id=UUID(row.facility_id) if row.facility_id else None,
    )


def revoke_user_tokens(engine: Engine, user_id: UUID) -> int:
    """Revoke every token of a user; return how many."""
    with engine.connect().execution_options(writer=True) as connection, connection.begin():
        result = connection.execute(
            update(tokens).where(tokens.c.user_id == str(user_id)).values(revoked=True)
        )
    return int(result.rowcount)
