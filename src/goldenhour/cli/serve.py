"""``goldenhour serve``: the server; with ``--demo``, the Bilohorivka scenario and demo logins."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from goldenhour.adapters.passwords import hash_password, verify_password
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.queries import user_by_name
from goldenhour.cli.output import print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir, settings_from
from goldenhour.config import Settings
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID, demo_id
from goldenhour.demo.scenario import (
    BATTALION,
    BRIGADE,
    COMPANY,
    DEMO_USERS,
    picture_events,
    scenario_events,
)
from goldenhour.domain.access import Attribution, Principal
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.operations.events import RequestCancelled, UnitRegistered, UserRegistered
from goldenhour.domain.operations.vocabulary import Role, UnitKind
from goldenhour.services import admin
from goldenhour.services.sync import Outcome, submit_events

#: The demo casualty was hit this long before the first seeding, so his tourniquet clock runs.
DEMO_MINUTES_SINCE_INJURY = 40
#: Events per transaction when seeding (a month of history is about 2,400; bigger batches
#: ingest faster: one transaction, one projection pass).
_SEED_BATCH = 5000


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


def _anchor(log: SqlEventLog) -> datetime:
    # Re-running the demo rebuilds the same events from the same anchor: all duplicates.
    with log.writer() as writer:
        stored = writer.find(demo_id("event/bilohorivka-1/registered"))
    if stored is not None and stored.payload.get("injured_at"):
        return datetime.fromisoformat(stored.payload["injured_at"])
    return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=DEMO_MINUTES_SINCE_INJURY)


def seed_demo(log: SqlEventLog, password: str, *, history_weeks: int = 0) -> None:
    """Store the demo scenario and users; running it again changes nothing.

    ``history_weeks`` of past casualties (``simulation.front_history``) go in first, through
    the same ingest as a phone's, so the registry has a past (GOLDENHOUR_DEMO_HISTORY_WEEKS).
    """
    now = datetime.now(UTC)
    anchor = _anchor(log)
    picture = picture_events(anchor)
    admin.submit_as_system(log, picture, now=now)
    for user in DEMO_USERS:
        existing = user_by_name(log.engine, user.username)
        if existing is None:
            event = UserRegistered(
                event_id=demo_id(f"event/user/{user.username}"), occurred_at=now, recorded_at=now,
                author="system", device="goldenhour-cli", user_id=user.user_id,
                username=user.username, role=user.role, unit_id=user.unit_id,
                password_hash=hash_password(password), facility_id=user.facility_id,
            )  # fmt: skip
            admin.submit_as_system(log, [event], now=now)
        elif not verify_password(existing.password_hash, password):
            admin.change_password(
                log, user_id=existing.user_id, password_hash=hash_password(password), now=now
            )
    medic = Principal(
        user_id=demo_id("user/medic"), username="medic", role=Role.MEDIC, unit_id=COMPANY,
        unit_path=f"/{BRIGADE}/{BATTALION}/{COMPANY}/", device="demo-phone-01",
        attribution=Attribution.AS_GIVEN,  # the scenario names its own authors
    )  # fmt: skip
    rest = [event for event in scenario_events(anchor) if event not in picture]
    batches: list[tuple[Principal, Sequence[DomainEvent]]] = []
    if history_weeks:
        batches += _history_batches(log, anchor=anchor, now=now, weeks=history_weeks)
    for author, batch in [*batches, (medic, rest)]:
        results = submit_events(
            log, author, [encode_event(e) for e in batch], now=now, max_skew=timedelta(minutes=5)
        )
        refused = [r for r in results if r.outcome not in (Outcome.ACCEPTED, Outcome.DUPLICATE)]
        if refused:
            raise admin.AdminError(f"demo scenario refused: {refused[0]}")


def _history_batches(
    log: SqlEventLog, *, anchor: datetime, now: datetime, weeks: int
) -> list[tuple[Principal, Sequence[DomainEvent]]]:
    """Return the past weeks' casualties, in batches, with the medic of their sector.

    They belong to a sector of their own under the brigade (the brigade's analyst and admin
    see them; the demo's battalion, company and phones do not, so the live demo stays as it
    was), and their handovers name the facility's level, not a facility's record (a facility
    user would otherwise find a month of arrivals in the live queue).
    """
    from goldenhour.simulation.front_history import HISTORY_SECTOR, history_events

    sector = HISTORY_SECTOR
    unit = UnitRegistered(
        event_id=demo_id("event/unit/history-battalion"), occurred_at=anchor - timedelta(days=60),
        recorded_at=anchor - timedelta(days=60), author="system", device="goldenhour-cli",
        unit_id=sector, name="2nd battalion (past weeks)", unit_kind=UnitKind.BATTALION,
        parent_id=BRIGADE,
    )  # fmt: skip
    admin.submit_as_system(log, [unit], now=now)
    medic = Principal(
        user_id=demo_id("user/history-medic"), username="medic", role=Role.MEDIC, unit_id=sector,
        unit_path=f"/{BRIGADE}/{sector}/", device="demo-phone-01",
        attribution=Attribution.AS_GIVEN,  # the history names its own authors
    )  # fmt: skip
    # A request is closed by a coordinator of the sector, after every card and request is in.
    coordinator = replace(
        medic, user_id=demo_id("user/history-coordinator"), username="coordinator",
        role=Role.COORDINATOR, device="demo-laptop",
    )  # fmt: skip
    events = history_events(anchor=anchor, now=now, weeks=weeks)
    past = [e for e in events if not isinstance(e, RequestCancelled)]
    closings = [e for e in events if isinstance(e, RequestCancelled)]
    last = (closings or past)[-1:]
    with log.writer() as writer:  # batches commit in order: the last event stored, all are
        if last and writer.find(last[0].event_id) is not None:
            return []
    return [(medic, past[i : i + _SEED_BATCH]) for i in range(0, len(past), _SEED_BATCH)] + [
        (coordinator, closings[i : i + _SEED_BATCH]) for i in range(0, len(closings), _SEED_BATCH)
    ]


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
    engine = make_engine(settings.resolved_database_url())
    if demo:
        schema.upgrade(engine)
        password, generated = _demo_password(settings)
        seed_demo(SqlEventLog(engine), password, history_weeks=settings.demo_history_weeks)
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
    engine.dispose()
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
