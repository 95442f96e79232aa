"""``goldenhour serve``: the server; with ``--demo``, the Bilohorivka scenario and demo logins."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from goldenhour.cli import wiring
from goldenhour.cli.output import print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir, settings_from
from goldenhour.config import Settings
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID
from goldenhour.demo.scenario import DEMO_USERS


def _demo_password(settings: Settings) -> tuple[str, bool]:
    """Return the demo password and whether it was generated (kept in the data directory)."""
    if settings.demo_password:
        return settings.demo_password, False
    stored = settings.data_dir / "demo-password.txt"
    if stored.exists():
        return stored.read_text(encoding="utf-8").strip(), True
    password = secrets.token_urlsafe(12)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.touch(mode=0o600)
    stored.write_text(password + "\n", encoding="utf-8")
    return password, True


def serve_command(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on [default: 127.0.0.1].")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on [default: 8000].")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Create the schema if needed and load the demo scenario.")
    ] = False,
) -> None:
    """Run the Golden Hour server (FastAPI on uvicorn)."""
    import uvicorn

    from goldenhour.api.app import create_app
    from goldenhour.api.logs import uvicorn_log_config

    settings = settings_from(data_dir, database_url, host=host, port=port)
    if demo and settings.api_docs is None:
        settings = settings.model_copy(update={"api_docs": True})
    if demo:
        password, generated = _demo_password(settings)
        wiring.seed_demo_database(settings, password)
        url = f"http://{settings.host}:{settings.port}"
        print_text(f"Golden Hour demo: {url}  (API docs: {url}/docs)")
        # The password is never printed: what a server prints is kept in logs (docs/security.md).
        print_text("Demo logins, one per role, all with the same password:")
        for user in DEMO_USERS:
            print_text(f"  {user.username:<12} ({user.role.value})")
        if generated:
            where = settings.data_dir / "demo-password.txt"
            print_text(f"The password was generated and is kept in {where} (readable by you only).")
        else:
            print_text("The password is the one in GOLDENHOUR_DEMO_PASSWORD.")
        print_text(f"The wounded man near Bilohorivka is casualty {DEMO_CASUALTY_ID}.")
    app = create_app(settings)
    if demo and settings.demo_driver:
        from goldenhour.cli.demo_driver import start_demo_driver

        state = app.state.goldenhour
        start_demo_driver(state.log, state.notifier.notify)
        print_text(
            "Live run: Sloviansk hospital diverting; KALYNA 22 bringing two wounded to Kramatorsk"
            " (arrival alert on its board; GOLDENHOUR_DEMO_DRIVER=0 turns it off)."
        )
    # Proxy headers (X-Forwarded-For) are believed only from the addresses named in the settings:
    # uvicorn's own default believes any local process, which would let a client on this host
    # pick its address for the login limit.
    uvicorn.run(
        app, host=settings.host, port=settings.port, log_level="info",
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
        log_config=uvicorn_log_config(), server_header=False,
    )  # fmt: skip
