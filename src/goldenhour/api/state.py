"""What the app holds while it runs: settings, engine, event log, notifier, read audit, limiter."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from sqlalchemy import Engine

from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.config import Settings
from goldenhour.services.audit import ReadAudit


class LogNotifier:
    """Wakes live-update streams when events are appended (from any thread of this process).

    Streams also poll, so events written by another process are delivered too, only later.
    """

    def __init__(self) -> None:
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._lock = threading.Lock()

    def subscribe(self) -> asyncio.Event:
        """Return an event that is set at the next append; call from the event loop."""
        waiter = asyncio.Event()
        with self._lock:
            self._waiters.add((asyncio.get_running_loop(), waiter))
        return waiter

    def unsubscribe(self, waiter: asyncio.Event) -> None:
        """Stop waking ``waiter``."""
        with self._lock:
            self._waiters = {(loop, w) for loop, w in self._waiters if w is not waiter}

    def notify(self) -> None:
        """Wake every subscriber; safe to call from worker threads."""
        with self._lock:
            waiters = list(self._waiters)
        for loop, waiter in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(waiter.set)


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
class AppState:
    """Everything the routes share."""

    settings: Settings
    engine: Engine
    log: SqlEventLog
    notifier: LogNotifier = field(default_factory=LogNotifier)
    limiter: LoginLimiter = field(
        default_factory=lambda: LoginLimiter(attempts=5, window_seconds=300)
    )
    audits: ReadAudit = field(init=False)

    def __post_init__(self) -> None:
        self.audits = ReadAudit(self.log)
