"""Bearer and device tokens: random secrets given once, stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import Engine, insert, select, update

from goldenhour.adapters.storage.engine import column_text
from goldenhour.adapters.storage.tables import tokens, units, users
from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.operations.vocabulary import Role

__all__ = ["issue_token", "resolve_token", "revoke_user_tokens"]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    engine: Engine, *, user_id: UUID, kind: str, device: str, ttl: timedelta, now: datetime
) -> tuple[str, datetime]:
    """Issue a token for a user and return it with its expiry; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    expires = now + ttl
    with engine.connect().execution_options(writer=True) as connection, connection.begin():
        connection.execute(
            insert(tokens).values(
                token_hash=_digest(token),
                user_id=str(user_id),
                kind=kind,
                device=column_text(device, max_length=128),
                issued_at=now.astimezone(UTC).isoformat(),
                expires_at=expires.astimezone(UTC).isoformat(),
                revoked=False,
            )
        )
    return token, expires


def resolve_token(engine: Engine, token: str, *, now: datetime) -> Principal | None:
    """Return who a token speaks for, or ``None`` if it is unknown, expired, revoked or disabled."""
    with engine.connect() as connection:
        row = connection.execute(
            select(
                tokens.c.expires_at,
                tokens.c.revoked,
                tokens.c.kind,
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
            .where(tokens.c.token_hash == _digest(token))
        ).first()
    if row is None or row.revoked or row.disabled or row.path is None:
        return None
    if datetime.fromisoformat(row.expires_at) <= now:
        return None
    return Principal(
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


def revoke_user_tokens(engine: Engine, user_id: UUID) -> int:
    """Revoke every token of a user; return how many."""
    with engine.connect().execution_options(writer=True) as connection, connection.begin():
        result = connection.execute(
            update(tokens).where(tokens.c.user_id == str(user_id)).values(revoked=True)
        )
    return int(result.rowcount)
