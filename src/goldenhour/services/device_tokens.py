"""Device tokens: long-lived tokens for phones that sync offline, issued, listed and revoked.

Each is authorised here (a user manages their own, an administrator anyone's; only a login
token, with the password given now, issues one) and each issue and revocation is audited. The
routes of ``/api/v1/auth/device-token(s)`` parse, call these and answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from goldenhour.domain.access import Principal
from goldenhour.domain.errors import GoldenHourError
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.domain.ports import (
    AuditRecorder,
    DeviceToken,
    PasswordCheck,
    TokenStore,
    UserAccount,
    UserAccounts,
)
from goldenhour.services.audit import read_entry
from goldenhour.services.auth import LoginLimiter

__all__ = [
    "DeviceTokenRefusal",
    "DeviceTokens",
    "IssuedDeviceToken",
    "NoSuchDeviceToken",
    "NoSuchUser",
    "NotPermitted",
    "PasswordLocked",
    "PasswordRefused",
]


class DeviceTokenRefusal(GoldenHourError, PermissionError):
    """A device token request refused: ``field`` names what was wrong and ``reason`` why."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


class PasswordRefused(DeviceTokenRefusal):
    """The caller's password is missing or wrong."""


class PasswordLocked(DeviceTokenRefusal):
    """Too many wrong passwords for this user: ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__("password", f"too many wrong passwords; retry in {retry_after} s")


class NotPermitted(DeviceTokenRefusal):
    """The caller may not do this (a device token issuing, another user's tokens)."""


class NoSuchUser(DeviceTokenRefusal, LookupError):
    """No user of that name, or a disabled one."""


class NoSuchDeviceToken(DeviceTokenRefusal, LookupError):
    """No such device token, or one the caller may not manage (not told apart)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedDeviceToken:
    """A device token just issued: the secret, when it expires, and whose it is."""

    token: str
    expires_at: datetime
    user: UserAccount


@dataclass(slots=True, kw_only=True)
class DeviceTokens:
    """Device tokens over the users, password, token and audit ports."""

    accounts: UserAccounts
    passwords: PasswordCheck
    tokens: TokenStore
    limiter: LoginLimiter
    audits: AuditRecorder
    ttl: timedelta

    def issue(
        self, caller: Principal, *, by_login_token: bool, username: str | None,
        password: str | None, device: str, address: str, now: datetime,
    ) -> IssuedDeviceToken:  # fmt: skip
        """Issue a device token to the caller, or (an administrator) to ``username``; audited.

        Only from a login (bearer) token; for oneself only against the password given now,
        wrong ones counted with failed logins. Raises a ``DeviceTokenRefusal`` otherwise.
        """
        if not by_login_token:
            raise NotPermitted(
                "authorization",
                "a device token cannot issue device tokens; log in with the password",
            )
        user = self._managed_user(caller, username)
        if user.user_id == caller.user_id:
            self._check_password(user, password, address)
        token, expires = self.tokens.issue(
            user_id=user.user_id, kind="device", device=device, ttl=self.ttl, now=now
        )
        token_id = self.tokens.token_id(token)
        # The device as the token's record keeps it (cut and made storable), as its revocation
        # names it.
        stored = self.tokens.find_device_token(token_id)
        self._audit(
            caller, user.user_id, "device_token_issued",
            f"{token_id} {stored.device if stored else device[:128]}", now,
        )  # fmt: skip
        return IssuedDeviceToken(token=token, expires_at=expires, user=user)

    def listed(
        self, caller: Principal, *, username: str | None, now: datetime
    ) -> tuple[UserAccount, list[DeviceToken]]:
        """Return the user named (the caller by default) and their device tokens."""
        user = self._managed_user(caller, username)
        return user, self.tokens.list_device_tokens(user.user_id, now=now)

    def revoke(self, caller: Principal, token_id: str, *, lost: bool, now: datetime) -> None:
        """Revoke a device token of the caller's (any user's, for an administrator); audited.

        ``lost``: the phone was reported lost, and is told so at its next contact.
        """
        found = self.tokens.find_device_token(token_id)
        if found is None or (found.user_id != caller.user_id and caller.role is not Role.ADMIN):
            raise NoSuchDeviceToken("token_id", f"no device token {token_id[:8]}")
        self.tokens.revoke(token_id, lost=lost)
        self._audit(
            caller, found.user_id, "device_token_revoked",
            f"{token_id} {found.device}" + (" reported lost" if lost else ""), now,
        )  # fmt: skip

    def _managed_user(self, caller: Principal, username: str | None) -> UserAccount:
        name = username if username is not None else caller.username
        if name != caller.username and caller.role is not Role.ADMIN:
            raise NotPermitted("username", "only an administrator may name another user")
        user = self.accounts.by_name(name)
        if user is None or user.disabled:
            raise NoSuchUser("username", f"no user {name!r}")
        return user

    def _check_password(self, user: UserAccount, password: str | None, address: str) -> None:
        if password is None:
            raise PasswordRefused("password", "give your password to get a device token")
        wait = self.limiter.retry_after(user.username, address)
        if wait:
            raise PasswordLocked(wait)
        if not self.passwords.verify(user.password_hash, password):
            self.limiter.failed(user.username, address)
            raise PasswordRefused("password", "wrong password")

    def _audit(
        self, caller: Principal, user_id: UUID, action: str, detail: str, now: datetime
    ) -> None:
        self.audits.record(
            read_entry(
                caller,
                target_kind="user",
                target_id=str(user_id),
                action=action,
                detail=detail,
                at=now,
            )  # fmt: skip
        )
