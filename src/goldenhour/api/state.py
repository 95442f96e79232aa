"""What the app holds while it runs: settings, engine, event log, notifier, read audit, limiter."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine

from goldenhour.config import Settings
from goldenhour.domain.ports import EventLog, RecordReader, TokenStore
from goldenhour.services.audit import ReadAudit
from goldenhour.services.auth import Authenticator, LoginLimiter
from goldenhour.services.device_tokens import DeviceTokens
from goldenhour.services.handoff import BundleCodec
from goldenhour.services.nodes.links import LinkWatch
from goldenhour.services.registry import RegistryStore
from goldenhour.services.sms import SmsCodec
from goldenhour.services.users import UserAdmin


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


@dataclass(slots=True, kw_only=True)
class AppState:
    """Everything the routes share: the services, and the ports they run on (see ``app``)."""

    settings: Settings
    engine: Engine
    log: EventLog
    records: RecordReader
    tokens: TokenStore
    auth: Authenticator
    registry: RegistryStore
    users: UserAdmin
    #: The FHIR bundles of ``GET /casualties/{id}/fhir`` and the SMS text of the SMS webhook.
    bundles: BundleCodec
    sms: SmsCodec
    notifier: LogNotifier = field(default_factory=LogNotifier)
    #: The links to the other nodes, while the server runs as a node (issue 15).
    node_links: LinkWatch | None = None
    audits: ReadAudit = field(init=False)
    device_tokens: DeviceTokens = field(init=False)

    def __post_init__(self) -> None:
        self.audits = ReadAudit(self.log)
        self.device_tokens = DeviceTokens(
            accounts=self.auth.accounts, passwords=self.auth.passwords, tokens=self.tokens,
            limiter=self.auth.limiter, audits=self.audits,
            ttl=timedelta(days=self.settings.device_token_ttl_days),
        )  # fmt: skip

    @property
    def limiter(self) -> LoginLimiter:
        """Return the failed-login counter the logins and device-token requests share."""
        return self.auth.limiter
