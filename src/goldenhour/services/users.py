"""User administration from the command line: add, list and disable accounts, manage tokens.

Accounts change only through the log (``services.admin``); these use cases add the checks an
administrator's command needs first (a free name, a long enough password, a user that exists)
and run over the ports the wiring builds (``cli.wiring.user_admin``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from goldenhour.domain.errors import ValidationError
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import DeviceToken, EventLog, UserAccount, UserAccounts
from goldenhour.services import admin

__all__ = ["MIN_PASSWORD_LENGTH", "AccountTokens", "PasswordHasher", "UserAdmin", "UserDirectory",
           "add_account", "device_tokens", "disable_account", "list_accounts",
           "revoke_device_token"]  # fmt: skip

#: Shortest password accepted: long enough to resist guessing at the login rate limit.
MIN_PASSWORD_LENGTH = 10


class UserDirectory(UserAccounts, Protocol):
    """The users, by name and all of them."""

    def all_users(self) -> list[UserAccount]:
        """Return every user, by name."""
        ...


class AccountTokens(Protocol):
    """The tokens an administrator lists and revokes."""

    def list_device_tokens(self, user_id: UUID, *, now: datetime) -> list[DeviceToken]:
        """Return a user's device tokens that have not expired, revoked ones too."""
        ...

    def find_device_token(self, token_id: str) -> DeviceToken | None:
        """Return the device token with this id, if any."""
        ...

    def revoke(self, token_id: str, *, lost: bool = False) -> bool:
        """Revoke a token at once (``lost``: its phone was reported lost)."""
        ...

    def revoke_user(self, user_id: UUID) -> int:
        """Revoke every token of a user; return how many."""
        ...


class PasswordHasher(Protocol):
    """Makes the stored hash of a new password."""

    def hash(self, password: str) -> str:
        """Return the hash to store for ``password``."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class UserAdmin:
    """The ports user administration runs on."""

    log: EventLog
    users: UserDirectory
    tokens: AccountTokens
    passwords: PasswordHasher


def add_account(
    ports: UserAdmin, *, username: str, password: Callable[[], str], role: Role, unit_id: UUID,
    facility_id: UUID | None, now: datetime,
) -> UUID:  # fmt: skip
    """Add a user and return their id.

    ``password`` is asked for only once the name is known to be free. Raises
    ``ValidationError`` for a name that is taken or a password shorter than
    ``MIN_PASSWORD_LENGTH``.
    """
    if ports.users.by_name(username) is not None:
        raise ValidationError("username", f"{username!r} is taken")
    secret = password()
    if len(secret) < MIN_PASSWORD_LENGTH:
        raise ValidationError("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
    return admin.add_user(
        ports.log, username=username, password_hash=ports.passwords.hash(secret), role=role,
        unit_id=unit_id, facility_id=facility_id, now=now,
    )  # fmt: skip


def list_accounts(ports: UserAdmin) -> list[UserAccount]:
    """Return every user, by name."""
    return ports.users.all_users()


def _existing(ports: UserAdmin, username: str) -> UserAccount:
    user = ports.users.by_name(username)
    if user is None:
        raise ValidationError("username", f"no user {username!r}")
    return user


def disable_account(ports: UserAdmin, *, username: str, reason: str | None, now: datetime) -> int:
    """Disable a user and revoke their tokens at once; return how many tokens were revoked."""
    user = _existing(ports, username)
    admin.disable_user(ports.log, user_id=user.user_id, reason=reason, now=now)
    return ports.tokens.revoke_user(user.user_id)


def device_tokens(ports: UserAdmin, *, username: str, now: datetime) -> list[DeviceToken]:
    """Return a user's device tokens that have not expired (ids, never the tokens)."""
    return ports.tokens.list_device_tokens(_existing(ports, username).user_id, now=now)


def revoke_device_token(ports: UserAdmin, *, token_id: str, lost: bool) -> DeviceToken:
    """Revoke one device token (``lost``: its phone wipes itself at its next contact).

    Returns the token as it was found; raises ``ValidationError`` when there is none.
    """
    found = ports.tokens.find_device_token(token_id)
    if found is None:
        raise ValidationError("token_id", f"no device token {token_id!r}")
    ports.tokens.revoke(token_id, lost=lost)
    return found
