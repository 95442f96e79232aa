"""The FastAPI application, built by ``create_app(settings)``; nothing is built at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from goldenhour import __version__
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.api.errors import install_error_handlers
from goldenhour.api.limits import BodySizeLimit
from goldenhour.api.routes import auth, casualties, events, picture, stream
from goldenhour.api.state import AppState, LoginLimiter
from goldenhour.config import Settings

DESCRIPTION = """
Golden Hour's server: one append-only event log for casualty cards and the operational
picture, synced by devices that are offline for hours, authorised by role and unit, audited.

Log in with `POST /api/v1/auth/token` (OAuth2 password flow) and send the bearer token.
Records outside the caller's scope answer 404. Every refusal names the field and why.
"""


def create_app(settings: Settings) -> FastAPI:
    """Build the app for ``settings``; refuse to start on a database schema it does not know."""
    engine = make_engine(settings.resolved_database_url())
    try:
        schema.require_current(engine)
    except schema.SchemaMismatchError:
        engine.dispose()
        raise

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Golden Hour",
        version=__version__,
        description=DESCRIPTION,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
    )
    app.state.goldenhour = AppState(
        settings=settings,
        engine=engine,
        log=SqlEventLog(engine),
        limiter=LoginLimiter(
            attempts=settings.login_attempts, window_seconds=settings.login_window_seconds
        ),
    )
    install_error_handlers(app)
    for module in (auth, events, casualties, picture, stream):
        app.include_router(module.router)

    @app.get("/api/v1/health", tags=["health"])
    def health() -> dict[str, str]:
        """Say the server is up and which schema it runs on."""
        return {"status": "ok", "schema": schema.head_revision(), "version": __version__}

    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app
