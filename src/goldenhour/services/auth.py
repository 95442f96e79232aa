"""Log in: a user name and password for a bearer token, with failed tries limited.

A wrong password, an unknown user and a disabled one get the same refusal, in the same time
(the password is checked against a dummy hash when the name is unknown), so neither the answer
nor its timing reveals which names exist.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from goldenhour.domain.errors import GoldenHourError
from goldenhour.domain.ports import PasswordCheck, TokenIssuer, UserAccount, UserAccounts

__all__ = ["Authenticator", "LoginLimiter", "LoginLocked", "LoginRefused", "Session"]


class LoginRefused(GoldenHourError, PermissionError):
    """Wrong user name or password, or a disabled user (not told apart)."""


class LoginLocked(GoldenHourError, PermissionError):
    """Too many failed logins for this user name (from this address): ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many failed logins; retry in {retry_after} s")


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    """A granted login: the token, when it expires, and whose it is."""

    token: str
    expires_at: datetime
    user: UserAccount


class LoginLimiter:
    """Counts failed logins in a sliding window, per user name and address and per user name.

    The first limit stops one guesser quickly without locking the user out from elsewhere; the
    second, looser one stops a guesser who changes (or forges) their address each try.
    """

    def __init__(
        self, *, attempts: int, window_seconds: float, account_attempts: int | None = None
    ) -> None:
        self.attempts, self.window = attempts, window_seconds
        self.account_attempts = account_attempts if account_attempts is not None else 4 * attempts
        self._failures: dict[tuple[str, str | None], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str | None], now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, username: str, address: str) -> int:
        """Return seconds to wait before another try, or 0 if a login may be tried now."""
        now = time.monotonic()
        with self._lock:
            waits = [
                failures[0] + self.window - now
                for failures, limit in (
                    (self._recent((username, address), now), self.attempts),
                    (self._recent((username, None), now), self.account_attempts),
                )
                if len(failures) >= limit
            ]
        return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, username: str, address: str) -> None:
        """Record a failed login."""
        now = time.monotonic()
        with self._lock:
            self._recent((username, address), now).append(now)
            self._recent((username, None), now).append(now)

    def succeeded(self, username: str, address: str) -> None:
        """Forget the failures of a user name and address after a good login."""
        with self._lock:
            self._failures.pop((username, address), None)


@dataclass(slots=True, kw_only=True)
class Authenticator:
    """Logs users in over the users, password and token ports, counting failures in ``limiter``."""

    accounts: UserAccounts
    passwords: PasswordCheck
    tokens: TokenIssuer
    limiter: LoginLimiter
    bearer_ttl: timedelta

    def login(
        self, *, username: str, password: str, address: str, device: str, now: datetime
    ) -> Session:
        """Return a bearer token for ``username`` if ``password`` is theirs and they may act.

        Raises ``LoginLocked`` while the limiter holds this name (and address), and
        ``LoginRefused`` for a wrong password, an unknown name or a disabled user alike.
        """
        wait = self.limiter.retry_after(username, address)
        if wait:
            raise LoginLocked(wait)
        user = self.accounts.by_name(username)
        if user is None or user.disabled or not self.passwords.verify(user.password_hash, password):
            # Spend the hashing time even for an unknown user, so timing does not reveal names.
            if user is None:
                self.passwords.verify(None, password)
            self.limiter.failed(username, address)
            raise LoginRefused("wrong user name or password")
        self.limiter.succeeded(username, address)
        token, expires = self.tokens.issue(
            user_id=user.user_id, kind="bearer", device=device, ttl=self.bearer_ttl, now=now
        )
        return Session(token=token, expires_at=expires, user=user)
