"""Administration of units, users and passwords; all through the log.

The command line runs these as the built-in ``SYSTEM`` principal (an administrator at the root of
the tree); the web app's administrator runs them as themselves (``by``), so the log records who
made each change. Both go through ``submit_events`` like any device, so the log stays the one
source of truth.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID, uuid4

from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.codec import encode_event
from goldenhour.domain.errors import GoldenHourError, ValidationError
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import (
    UnitRegistered,
    UserDisabled,
    UserPasswordChanged,
    UserReassigned,
    UserRegistered,
)
from goldenhour.domain.operations.vocabulary import Role, UnitKind
from goldenhour.domain.ports import EventLog
from goldenhour.services.sync import Outcome, SubmissionResult, submit_events

__all__ = ["SYSTEM", "AdminError", "AdminRefusal", "add_user", "change_password", "disable_user",
           "reassign_user", "register_unit", "submit_as_system"]  # fmt: skip

_E = TypeVar("_E", bound=DomainEvent)

#: The command line's own identity: an administrator above every unit.
SYSTEM = Principal(
    user_id=UUID(int=0), username="system", role=Role.ADMIN, unit_id=UUID(int=0), unit_path="/",
    device="goldenhour-cli", attribution=Attribution.AS_GIVEN,
)  # fmt: skip


class AdminError(GoldenHourError, ValueError):
    """An administrative change was refused; the message says which event and why."""


class AdminRefusal(AdminError, ValidationError):
    """The log refused an administrative change; ``field`` and ``reason`` say what and why."""


def submit_as_system(
    log: EventLog, events: Sequence[DomainEvent], *, now: datetime, by: Principal = SYSTEM
) -> list[SubmissionResult]:
    """Submit events as ``by`` (the system unless told); raise ``AdminError`` unless each is
    accepted or a duplicate."""
    results = submit_events(
        log, by, [encode_event(e) for e in events], now=now, max_skew=timedelta(minutes=5)
    )
    for result in results:
        if result.outcome not in (Outcome.ACCEPTED, Outcome.DUPLICATE):
            raise AdminRefusal(result.field or "event", result.reason or result.outcome.value)
    return results


def _event(cls: type[_E], now: datetime, by: Principal = SYSTEM, **fields: Any) -> _E:
    return cls(
        event_id=uuid4(), occurred_at=now, recorded_at=now, author=by.username, device=by.device,
        **fields,
    )  # fmt: skip


def register_unit(
    log: EventLog, *, name: str, kind: UnitKind, parent_id: UUID | None, now: datetime,
    unit_id: UUID | None = None,
) -> UUID:  # fmt: skip
    """Add a unit to the tree and return its id."""
    unit = unit_id or uuid4()
    event = _event(
        UnitRegistered,
        now,
        unit_id=unit,
        name=name,
        unit_kind=kind,
        parent_id=parent_id,
    )
    submit_as_system(log, [event], now=now)
    return unit


def add_user(
    log: EventLog, *, username: str, password_hash: str, role: Role, unit_id: UUID,
    facility_id: UUID | None = None, now: datetime, by: Principal = SYSTEM,
) -> UUID:  # fmt: skip
    """Create a user and return their id."""
    user = uuid4()
    event = _event(
        UserRegistered,
        now,
        by,
        user_id=user,
        username=username,
        role=role,
        unit_id=unit_id,
        password_hash=password_hash,
        facility_id=facility_id,
    )
    submit_as_system(log, [event], now=now, by=by)
    return user


def disable_user(
    log: EventLog, *, user_id: UUID, reason: str | None, now: datetime, by: Principal = SYSTEM
) -> None:
    """Disable a user; the API stops accepting their tokens at once."""
    event = _event(UserDisabled, now, by, user_id=user_id, reason=reason)
    submit_as_system(log, [event], now=now, by=by)


def change_password(
    log: EventLog, *, user_id: UUID, password_hash: str, now: datetime, by: Principal = SYSTEM
) -> None:
    """Set a user's password to the one ``password_hash`` was made from."""
    event = _event(UserPasswordChanged, now, by, user_id=user_id, password_hash=password_hash)
    submit_as_system(log, [event], now=now, by=by)


def reassign_user(
    log: EventLog, *, user_id: UUID, role: Role, unit_id: UUID, facility_id: UUID | None,
    now: datetime, by: Principal = SYSTEM,
) -> None:  # fmt: skip
    """Give a user a role, unit and facility (those they had are replaced)."""
    event = _event(
        UserReassigned, now, by, user_id=user_id, role=role, unit_id=unit_id,
        facility_id=facility_id,
    )  # fmt: skip
    submit_as_system(log, [event], now=now, by=by)
