"""Settings: one validated object, built by the entrypoints (CLI, create_app), passed down."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from goldenhour.domain.casualty.limits import EARLIEST_EVENT_DATE


class Settings(BaseSettings):
    """Golden Hour's settings, from arguments or ``GOLDENHOUR_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="GOLDENHOUR_", extra="forbid", frozen=True)

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Path("goldenhour-data")
    #: SQLAlchemy URL; the default is one SQLite file in ``data_dir``.
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    #: Bearer tokens from the password flow expire after this many minutes (a shift).
    token_ttl_minutes: int = Field(default=12 * 60, ge=1)
    #: Device tokens keep a phone syncing while it is offline for days.
    device_token_ttl_days: int = Field(default=30, ge=1)
    #: Largest request body accepted, in bytes.
    max_body_bytes: int = Field(default=2_000_000, ge=1024)
    #: Most events in one sync batch.
    max_batch_events: int = Field(default=1000, ge=1)
    #: How far a device's clock may run ahead of the server's.
    clock_skew_minutes: float = Field(default=5.0, ge=0)
    #: Arriving events dated before this are refused (a device whose clock was never set).
    earliest_event_date: AwareDatetime = EARLIEST_EVENT_DATE
    #: Failed logins allowed per user name and address within the window.
    login_attempts: int = Field(default=5, ge=1)
    #: Failed logins allowed per user name from all addresses together within the window, so a
    #: guesser who changes address (or forges one) is still stopped.
    login_account_attempts: int = Field(default=20, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    #: Addresses (or networks, e.g. ``10.0.0.0/8``) of reverse proxies whose ``X-Forwarded-For``
    #: and ``X-Forwarded-Proto`` headers are believed; none by default, so the address the login
    #: limit counts is the one the connection came from. Comma-separated in the environment.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    #: A live stream re-checks its token and user at least this often (and before each delivery).
    stream_recheck_seconds: float = Field(default=30.0, gt=0, le=30)
    #: A stream ticket (``POST /api/v1/stream/ticket``) must be used within this many seconds.
    stream_ticket_seconds: int = Field(default=30, ge=1, le=300)
    #: Serve ``/docs`` and ``/openapi.json``; unset means on in development, off in production.
    api_docs: bool | None = None
    #: Radio net filled into line 2 of a 9-line built on the server, unless a request names one.
    radio_frequency: str = "38.900 MHZ"
    radio_call_sign: str = "GOLDEN HOUR"
    #: Shared signing key of the Android SMS gateway's webhooks (Settings > Webhooks > Signing
    #: Key); the SMS webhook answers 503 until it is set.
    sms_gateway_secret: str | None = None
    #: Who an SMS speaks for: the sender's number, as the gateway gives it, to a user name
    #: (JSON in ``GOLDENHOUR_SMS_SENDERS``, e.g. ``{"+380501234567": "medic"}``).
    sms_senders: dict[str, str] = Field(default_factory=dict)
    #: How far the gateway's signing time may be from the server's clock (replays are refused).
    sms_signature_tolerance_seconds: int = Field(default=300, ge=1)
    #: The floor on the priority of immediate casualties in the live plan (a medical
    #: director's setting, docs/planning.md): an hour sooner to care is worth at least this
    #: many expected survivors for each of them. 0 lets the plan defer those with little chance.
    plan_immediate_floor: float = Field(default=0.0, ge=0.0, le=1.0)
    #: The live plan's wall-clock budget (ms): the best plan found by then is answered. Unset
    #: (``None``), only the solver's deterministic limit applies: the same situation always gives
    #: the same plan, whatever the machine's load (what the API tests rely on).
    plan_deadline_ms: float | None = Field(default=200.0, gt=0.0)
    #: Password of the demo users; a random one is generated and printed when unset.
    demo_password: str | None = None
    #: Weeks of past casualties ``serve --demo`` writes for the registry (0: none; issue 16).
    demo_history_weeks: int = Field(default=4, ge=0, le=52)
    #: Whether ``serve --demo`` plays the live run (a facility diverting, a crew moving through
    #: its states, an arrival alert; ``goldenhour.demo.run``). Tests turn it off.
    demo_driver: bool = True

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        for entry in value if isinstance(value, (tuple, list)) else ():
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network") from None
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and self.demo_password is not None:
            raise ValueError("GOLDENHOUR_DEMO_PASSWORD must not be set in production")
        return self

    def docs_served(self) -> bool:
        """Return whether ``/docs`` and ``/openapi.json`` are served."""
        return self.api_docs if self.api_docs is not None else self.environment == "development"

    def resolved_database_url(self) -> str:
        """Return the database URL: the given one, or the SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'goldenhour.sqlite3').resolve()}"
