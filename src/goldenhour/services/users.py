"""User administration: add, list, disable and reassign accounts, reset passwords, manage tokens.

Accounts change only through the log (``services.admin``); these use cases add the checks an
administrator needs first (a free name, a long enough password, a user that exists) and run over
the ports the wiring builds (``cli.wiring.user_admin`` for the command line, the app's state for
the API). The command line's use cases run as the system; the web app's (``*_by``) take the
caller, refuse anyone but an administrator (``AdminOnly``) and are written to the log under the
administrator's name, so each change is attributed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from goldenhour.domain.access import Principal
from goldenhour.domain.errors import GoldenHourError, ValidationError
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import DeviceToken, EventLog, UserAccount, UserAccounts
from goldenhour.services import admin

__all__ = ["MIN_PASSWORD_LENGTH", "AccountTokens", "AdminOnly", "PasswordHasher", "UserAdmin",
           "UserDirectory", "add_account", "add_account_by", "device_tokens", "disable_account",
           "disable_account_by", "list_accounts", "list_accounts_by", "reassign_account_by",
           "reset_password_by", "revoke_device_token"]  # fmt: skip

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


class AdminOnly(GoldenHourError, PermissionError):
    """Someone other than an administrator asked to manage accounts."""

    field = "authorization"

    def __init__(self, role: Role) -> None:
        self.reason = f"only an administrator manages users, not a {role.value}"
        super().__init__(self.reason)


def _admin(caller: Principal) -> None:
    if caller.role is not Role.ADMIN:
        raise AdminOnly(caller.role)


def _long_enough(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
    return password


def list_accounts_by(ports: UserAdmin, caller: Principal) -> list[UserAccount]:
    """Return every user, by name, to an administrator."""
    _admin(caller)
    return list_accounts(ports)


def add_account_by(
    ports: UserAdmin, caller: Principal, *, username: str, password: str, role: Role,
    unit_id: UUID, facility_id: UUID | None, now: datetime,
) -> UserAccount:  # fmt: skip
    """Add a user as the administrator ``caller`` and return the account as stored.

    Raises ``ValidationError`` naming the field for a taken name, a short password, a facility
    role without a facility or a unit that does not exist.
    """
    _admin(caller)
    if ports.users.by_name(username) is not None:
        raise ValidationError("username", f"{username!r} is taken")
    _long_enough(password)
    if role is Role.FACILITY and facility_id is None:
        raise ValidationError("facility_id", "a facility user needs the facility they work at")
    admin.add_user(
        ports.log, username=username, password_hash=ports.passwords.hash(password), role=role,
        unit_id=unit_id, facility_id=facility_id, now=now, by=caller,
    )  # fmt: skip
    return _existing(ports, username)


def reset_password_by(
    ports: UserAdmin, caller: Principal, *, username: str, password: str, now: datetime
) -> int:
    """Give a user a new password and revoke their tokens (whoever held them must log in again).

    Returns how many tokens were revoked.
    """
    _admin(caller)
    user = _existing(ports, username)
    _long_enough(password)
    admin.change_password(
        ports.log, user_id=user.user_id, password_hash=ports.passwords.hash(password), now=now,
        by=caller,
    )  # fmt: skip
    return ports.tokens.revoke_user(user.user_id)


def disable_account_by(
    ports: UserAdmin, caller: Principal, *, username: str, reason: str | None, now: datetime
) -> int:
    """Disable a user and revoke their tokens; an administrator cannot disable themselves."""
    _admin(caller)
    if username == caller.username:
        raise ValidationError("username", "you cannot disable your own account")
    user = _existing(ports, username)
    admin.disable_user(ports.log, user_id=user.user_id, reason=reason, now=now, by=caller)
    return ports.tokens.revoke_user(user.user_id)


def reassign_account_by(
    ports: UserAdmin, caller: Principal, *, username: str, role: Role, unit_id: UUID,
    facility_id: UUID | None, now: datetime,
) -> UserAccount:  # fmt: skip
    """Give a user another role, unit or facility and return the account as stored.

    Their tokens are revoked, so no token keeps the rights of the role they had.
    """
    _admin(caller)
    if username == caller.username:
        raise ValidationError("username", "you cannot change your own role or unit")
    user = _existing(ports, username)
    if role is Role.FACILITY and facility_id is None:
        raise ValidationError("facility_id", "a facility user needs the facility they work at")
    admin.reassign_user(
        ports.log, user_id=user.user_id, role=role, unit_id=unit_id, facility_id=facility_id,
        now=now, by=caller,
    )  # fmt: skip
    ports.tokens.revoke_user(user.user_id)
    return _existing(ports, username)
