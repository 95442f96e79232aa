"""Settings: one validated object, built by the entrypoints (CLI, create_app), passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    #: Failed logins allowed per user name and address within the window.
    login_attempts: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    #: Radio net filled into line 2 of a 9-line built on the server, unless a request names one.
    radio_frequency: str = "38.900 MHZ"
    radio_call_sign: str = "GOLDEN HOUR"
    #: The floor on the priority of immediate casualties in the live plan (a medical
    #: director's setting, docs/planning.md): an hour sooner to care is worth at least this
    #: many expected survivors for each of them. 0 lets the plan defer those with little chance.
    plan_immediate_floor: float = Field(default=0.0, ge=0.0, le=1.0)
    #: Password of the demo users; a random one is generated and printed when unset.
    demo_password: str | None = None

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and self.demo_password is not None:
            raise ValueError("GOLDENHOUR_DEMO_PASSWORD must not be set in production")
        return self

    def resolved_database_url(self) -> str:
        """Return the database URL: the given one, or the SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'goldenhour.sqlite3').resolve()}"
