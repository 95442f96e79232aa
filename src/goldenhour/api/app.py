"""The FastAPI application, built by ``create_app(settings)``; nothing is built at import."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import Scope

from goldenhour import __version__
from goldenhour.adapters.fhir.codec import FhirBundles
from goldenhour.adapters.nats.monitor import MonitorProbe
from goldenhour.adapters.nats.node_file import NodeFiles, nats_config
from goldenhour.adapters.nats.process import NatsServer
from goldenhour.adapters.nats.streams import NodeFeed, StreamPublisher, connect, ensure_stream
from goldenhour.adapters.passwords import Argon2Passwords
from goldenhour.adapters.radio.sms_events import SmsRequests
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog, StorageError
from goldenhour.adapters.storage.nodes import SqlNodeStore
from goldenhour.adapters.storage.queries import SqlRecords, SqlUserAccounts
from goldenhour.adapters.storage.registry import SqlRegistry
from goldenhour.adapters.storage.tokens import SqlTokens
from goldenhour.api.errors import install_error_handlers
from goldenhour.api.headers import SecurityHeaders, install_docs
from goldenhour.api.limits import BodySizeLimit, single_valued_query
from goldenhour.api.routes import (
    auth,
    casualties,
    events,
    fhir,
    nodes,
    picture,
    plan,
    registry,
    sms,
    stream,
    users,
)
from goldenhour.api.state import AppState
from goldenhour.config import Settings
from goldenhour.domain.nodes import DOWN_STREAMS, NodeRole, NodeSettings, stream_name
from goldenhour.services.auth import Authenticator, LoginLimiter
from goldenhour.services.nodes import IngestReport, ingest_from_node, ingest_from_rear
from goldenhour.services.nodes.links import LinkWatch, run_link_watch
from goldenhour.services.nodes.runtime import run_area_router, run_ingest, run_publisher
from goldenhour.services.users import UserAdmin

#: The web app as ``scripts/web-build`` leaves it, beside the package in a source checkout.
WEB_DIST = Path(__file__).resolve().parents[3] / "web" / "dist"
#: Files a browser must check for a new version on every load; the rest have hashed names.
_NO_CACHE = frozenset({"sw.js", "index.html", "manifest.webmanifest"})

_log = logging.getLogger(__name__)


class WebApp(StaticFiles):
    """The built web app: its files, and ``index.html`` for any other path but the API's."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """Serve a file, or the app's page for a client-side route."""
        try:
            response = await super().get_response(path, scope)
        except StarletteHTTPException as error:
            if error.status_code != 404 or path.split("/", 1)[0] == "api":
                raise
            path = "index.html"
            response = await super().get_response(path, scope)
        name = "index.html" if path in ("", ".") else path
        if name in _NO_CACHE:
            response.headers["Cache-Control"] = "no-cache"
        if name == "sw.js":
            response.headers["Service-Worker-Allowed"] = "/"
        return response


DESCRIPTION = """
Golden Hour's server: one append-only event log for casualty cards and the operational
picture, synced by devices that are offline for hours, authorised by role and unit, audited.

Log in with `POST /api/v1/auth/token` (OAuth2 password flow) and send the bearer token.
Records outside the caller's scope answer 404. Every refusal names the field and why, in one
body: `{"detail": [{"field": ..., "reason": ...}]}`. Each operation lists the statuses it
answers; besides those, any request whose body is over the server's limit answers 413.
"""


def _state(settings: Settings, engine: Engine) -> AppState:
    """Build the services the routes call, on the SQL adapters (the API's one wiring)."""
    limiter = LoginLimiter(
        attempts=settings.login_attempts,
        window_seconds=settings.login_window_seconds,
        account_attempts=settings.login_account_attempts,
    )
    tokens = SqlTokens(engine)
    auth = Authenticator(
        accounts=SqlUserAccounts(engine), passwords=Argon2Passwords(), tokens=tokens,
        limiter=limiter, bearer_ttl=timedelta(minutes=settings.token_ttl_minutes),
    )  # fmt: skip
    log = SqlEventLog(engine)
    user_admin = UserAdmin(
        log=log, users=SqlUserAccounts(engine), tokens=tokens, passwords=Argon2Passwords()
    )
    return AppState(
        settings=settings, engine=engine, log=log, records=SqlRecords(engine), tokens=tokens,
        auth=auth, registry=SqlRegistry(engine), users=user_admin, bundles=FhirBundles(),
        sms=SmsRequests(),
    )  # fmt: skip


@asynccontextmanager
async def _node(
    settings: Settings, engine: Engine, node: NodeSettings, state: AppState
) -> AsyncIterator[None]:
    """Run the node's nats-server as a child, its outbox publisher and (rear) its ingest.

    The node's links are watched for the views (``state.node_links``).
    """
    files = NodeFiles(settings.data_dir)
    server = NatsServer(
        nats_config(node, files), config_path=files.directory / "nats-server.conf",
        log_path=files.directory / "nats-server.log",
    )  # fmt: skip
    await asyncio.to_thread(server.start)
    store = SqlNodeStore(engine)
    stop = asyncio.Event()
    client = await connect(server.url, name=f"goldenhour-{node.name}")
    tasks: list[asyncio.Task[None]] = []
    try:
        await ensure_stream(client, node.name)
        publisher = StreamPublisher(client, node.name)
        tasks.append(asyncio.create_task(run_publisher(store, publisher, stop=stop)))
        peers = (
            [forward.node for forward in node.forwards]
            if node.role is NodeRole.REAR else [node.rear]
        )  # fmt: skip
        state.node_links = LinkWatch(
            node=node.name, role=node.role, peers=peers, stream=stream_name(node.name),
            probe=MonitorProbe(f"http://{node.host}:{node.monitor_port}"), store=store,
        )  # fmt: skip
        tasks.append(asyncio.create_task(run_link_watch(state.node_links, stop=stop)))
        skew = timedelta(minutes=settings.clock_skew_minutes)
        for forward in node.forwards if node.role is NodeRole.REAR else ():
            log = SqlEventLog(engine, origin=forward.node)

            def ingest(
                messages: list[bytes], *, name: str = forward.node, log: SqlEventLog = log
            ) -> IngestReport:
                return ingest_from_node(
                    log, store, messages, node=name, now=datetime.now(UTC), max_skew=skew
                )

            feed = NodeFeed(client, source=forward.node, consumer=node.name)
            tasks.append(asyncio.create_task(run_ingest(feed, ingest, stop=stop)))
        if node.role is NodeRole.REAR and node.forwards:
            forwards = [forward.node for forward in node.forwards]
            tasks.append(
                asyncio.create_task(run_area_router(store, publisher, forwards, stop=stop))
            )
        if node.role is NodeRole.FORWARD:
            down_log = SqlEventLog(engine, origin=node.rear)

            def ingest_down(messages: list[bytes]) -> IngestReport:
                return ingest_from_rear(
                    down_log, messages, rear=node.rear, now=datetime.now(UTC), max_skew=skew
                )

            down = NodeFeed(
                client, source=node.rear, consumer=node.name, streams=DOWN_STREAMS, area=node.name
            )
            tasks.append(asyncio.create_task(run_ingest(down, ingest_down, stop=stop)))
        yield
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await client.close()
        await asyncio.to_thread(server.stop)
        state.node_links = None


#: The API's routers, in the order they are mounted.
_ROUTES = (auth, events, casualties, picture, stream, fhir, plan, sms, registry, users, nodes)


def openapi_document() -> dict[str, Any]:
    """Return the API's OpenAPI schema, built from its routes alone: no database, no server.

    ``scripts/web-types`` writes the web app's TypeScript types from it.
    """
    app = FastAPI(
        title="Golden Hour", version=__version__, description=DESCRIPTION,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
        dependencies=[Depends(single_valued_query)],
    )  # fmt: skip
    install_error_handlers(app)
    for module in _ROUTES:
        app.include_router(module.router)
    return app.openapi()


def create_app(settings: Settings, *, web_dist: Path | None = WEB_DIST) -> FastAPI:
    """Build the app for ``settings``; refuse to start on a database schema it does not know.

    The web app in ``web_dist`` is served at ``/`` when it has been built (``scripts/web-build``).
    """
    engine = make_engine(settings.resolved_database_url())
    try:
        schema.require_current(engine)
    except schema.SchemaMismatchError:
        engine.dispose()
        raise

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        node = NodeFiles(settings.data_dir).load()
        if node is None:
            yield
        else:
            async with _node(settings, engine, node, _app.state.goldenhour):
                yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Golden Hour",
        version=__version__,
        description=DESCRIPTION,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
        dependencies=[Depends(single_valued_query)],
        openapi_url="/openapi.json" if settings.docs_served() else None,
        docs_url=None,
        redoc_url=None,
    )
    if settings.docs_served():
        install_docs(app)
    app.state.goldenhour = _state(settings, engine)
    install_error_handlers(app, storage_fault=StorageError)
    for module in _ROUTES:
        app.include_router(module.router)

    @app.get("/api/v1/health", tags=["health"])
    def health() -> dict[str, str]:
        """Say the server is up and which schema it runs on."""
        return {"status": "ok", "schema": schema.head_revision(), "version": __version__}

    if web_dist is not None and (web_dist / "index.html").is_file():
        # Mounted last, so that every API route above wins over the app's files.
        app.mount("/", WebApp(directory=web_dist, html=True), name="web")
    elif web_dist is not None:
        _log.info("web app not built (no %s); run scripts/web-build to serve it", web_dist)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    # Added last, so outermost: the 413 of the size limit gets the headers too.
    app.add_middleware(SecurityHeaders)
    return app
