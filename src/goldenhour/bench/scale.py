"""``goldenhour bench scale``: the coordinator's reads at a war's worth of data (issue 19).

It fills a throw-away database (a SQLite file, or a database in a throw-away PostgreSQL cluster)
through the API's own ingest, ``POST /api/v1/events``, as a coordinator's devices would: about
8 events per casualty (a registration with a position, a tourniquet, vitals, notes, an evacuation
request), half of them on a filed request, and all but 10% handed over. Then it times the reads
a coordinator's screen makes, each the median of 5 after one warm-up, in this process (no
network): a page of 50 casualties, the web app's first page and its full load (every page),
``/map`` for a viewport, a page of requests and ``/plan``; and ``db rebuild`` once.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Annotated, Any
from uuid import uuid4

import typer
from rich.table import Table

from goldenhour.adapters.storage import projector, schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.bench.server import machine
from goldenhour.bench.throwaway_postgres import create_database, postgres_cluster
from goldenhour.cli.output import print_error, print_json, stdout_console
from goldenhour.demo.scenario import BATTALION
from goldenhour.domain.casualty.events import EvacuationRequested, HandedOver
from goldenhour.domain.casualty.vocabulary import EvacuationPosition
from goldenhour.domain.codec import encode_event
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import EvacuationRequestFiled
from goldenhour.domain.triage.categories import Precedence

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

__all__ = ["TARGETS_MS", "ScaleEngine", "ScaleFigures", "run_scale_bench", "scale_command",
           "scale_events"]  # fmt: skip

_PASSWORD = "bench-password-not-secret"
#: The coordinator's devices fill the database (the battalion's casualties: the ones they see).
_AUTHOR, _DEVICE = "coordinator", "bench-phone"
#: Events per ingest request (the server's largest batch).
_BATCH = 1000
#: Timed runs of each read, after one warm-up.
_RUNS = 5
#: The share of casualties still waiting for evacuation (the rest handed over).
_WAITING_SHARE = 0.1
#: The area the casualties are spread over, and the viewport ``/map`` is timed for (a tenth
#: of the area's width and height: about 10 km by 7 km).
_AREA = (37.0, 48.0, 38.5, 49.0)  # west, south, east, north
_VIEWPORT = (37.70, 48.45, 37.85, 48.55)
#: The targets at 100,000 casualties (issue 19), in milliseconds.
TARGETS_MS = {"page_50": 20.0, "first_page": 500.0, "full_load": 3000.0, "map_viewport": 200.0,
              "requests_page": 20.0}  # fmt: skip


class ScaleEngine(StrEnum):
    """The database to fill."""

    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


@dataclass(frozen=True, slots=True, kw_only=True)
class ScaleFigures:
    """What one database of a given size gave (times in milliseconds, medians of 5)."""

    engine: str
    casualties: int
    events: int
    waiting: int
    fill_seconds: float
    page_50: float
    first_page: float
    full_load: float
    full_load_pages: int
    map_viewport: float
    map_viewport_casualties: int
    requests_page: float
    plan: float
    plan_solve: float  # of ``plan``, the optimiser's own time as the plan reports it
    rebuild_seconds: float
    rebuild_ms_per_event: float


def scale_events(casualties: int, *, now: datetime, seed: int = 19) -> Iterator[dict[str, Any]]:
    """Yield the events of ``casualties`` casualties, casualty by casualty (about 8 each)."""
    rng = Random(seed)
    west, south, east, north = _AREA
    base = now - timedelta(hours=2)
    for index in range(casualties):
        casualty = uuid4()
        moment = base + timedelta(seconds=index % 3600)
        envelope: dict[str, Any] = {
            "occurred_at": moment.isoformat(), "recorded_at": moment.isoformat(),
            "author": _AUTHOR, "device": _DEVICE, "casualty_id": str(casualty),
        }  # fmt: skip
        position = Position(
            lat=south + rng.random() * (north - south), lon=west + rng.random() * (east - west)
        )
        yield {"kind": "casualty_registered", "event_id": str(uuid4()), **envelope,
               "position": {"lat": position.lat, "lon": position.lon}}  # fmt: skip
        yield {"kind": "tourniquet_applied", "event_id": str(uuid4()), **envelope,
               "limb": "left_leg", "category": "extremity", "location": "above the knee",
               "tourniquet_type": "CAT"}  # fmt: skip
        for pulse in (110, 104):
            yield {"kind": "vitals_recorded", "event_id": str(uuid4()), **envelope,
                   "pulse": pulse, "respiratory_rate": 22, "spo2": 95, "systolic": 105}  # fmt: skip
        yield {"kind": "note_added", "event_id": str(uuid4()), **envelope,
               "text": "reassessed"}  # fmt: skip
        request = uuid4()
        yield encode_event(
            EvacuationRequested(
                event_id=uuid4(), occurred_at=moment, recorded_at=moment, author=_AUTHOR,
                device=_DEVICE, casualty_id=casualty, request_id=request,
                precedence=Precedence.PRIORITY, position=EvacuationPosition.LITTER,
                pickup=position,
            )
        )  # fmt: skip
        if index % 2 == 0:
            yield encode_event(
                EvacuationRequestFiled(
                    event_id=uuid4(), occurred_at=moment, recorded_at=moment, author=_AUTHOR,
                    device=_DEVICE, request_id=request, unit_id=BATTALION,
                    casualty_ids=(casualty,), pickup=position, precedence=Precedence.PRIORITY,
                )
            )  # fmt: skip
        if rng.random() >= _WAITING_SHARE:
            yield encode_event(
                HandedOver(
                    event_id=uuid4(), occurred_at=moment, recorded_at=moment, author=_AUTHOR,
                    device=_DEVICE, casualty_id=casualty,
                    to_stage="Role 2, Kramatorsk",
                )
            )  # fmt: skip
        else:
            yield {"kind": "note_added", "event_id": str(uuid4()), **envelope,
                   "text": "still waiting"}  # fmt: skip


def _median_ms(read: Callable[[], object]) -> float:
    read()  # warm-up
    times = []
    for _ in range(_RUNS):
        started = time.perf_counter()
        read()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _get(client: TestClient, path: str, headers: dict[str, str]) -> Any:
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise BenchScaleError(f"GET {path}: {response.status_code} {response.text[:300]}")
    return response.json()


class BenchScaleError(RuntimeError):
    """The server under test refused the load or a read."""


def _all_pages(client: TestClient, headers: dict[str, str]) -> int:
    """Read every page of cards as the web app does (5,000 a page); return the pages."""
    pages, before = 0, ""
    while True:
        body = _get(client, f"/api/v1/casualties?limit=5000&updated_since=0{before}", headers)
        pages += 1
        if not body["more"]:
            return pages
        before = f"&before={body['next_cursor']}"


def run_scale_bench(database_url: str, workdir: Path, *, casualties: int) -> ScaleFigures:
    """Fill the (empty) database at ``database_url`` and time the reads; return the figures."""
    from fastapi.testclient import TestClient

    from goldenhour.api.app import create_app
    from goldenhour.cli.wiring import seed_demo
    from goldenhour.config import Settings

    engine = make_engine(database_url)
    schema.upgrade(engine)
    seed_demo(SqlEventLog(engine), _PASSWORD)
    settings = Settings(
        database_url=database_url, data_dir=workdir, demo_password=_PASSWORD,
        max_body_bytes=20_000_000,
    )  # fmt: skip
    with TestClient(create_app(settings, web_dist=None)) as client:
        token = client.post(
            "/api/v1/auth/token",
            data={"username": "coordinator", "password": _PASSWORD, "client_id": "bench"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        started, sent, batch = time.perf_counter(), 0, []
        for event in scale_events(casualties, now=datetime.now(UTC)):
            batch.append(event)
            if len(batch) == _BATCH:
                sent += _send(client, headers, batch)
                batch = []
        if batch:
            sent += _send(client, headers, batch)
        fill_seconds = time.perf_counter() - started
        west, south, east, north = _VIEWPORT
        viewport = f"/api/v1/map?bbox={west},{south},{east},{north}"
        solves: list[float] = []

        def read_plan() -> None:
            solves.append(float(_get(client, "/api/v1/plan", headers)["solve_ms"]))

        waiting = sum(
            len(_get(client, f"/api/v1/casualties?status={s}&limit=5000", headers)["casualties"])
            for s in ("at_point_of_injury", "awaiting_evacuation")
        )
        figures: dict[str, Any] = {
            "page_50": _median_ms(lambda: _get(client, "/api/v1/casualties?limit=50", headers)),
            "first_page": _median_ms(
                lambda: _get(client, "/api/v1/casualties?limit=5000&updated_since=0", headers)
            ),
            "full_load": _median_ms(lambda: _all_pages(client, headers)),
            "full_load_pages": _all_pages(client, headers),
            "map_viewport": _median_ms(lambda: _get(client, viewport, headers)),
            "map_viewport_casualties": len(
                _get(client, viewport, headers)["casualties"]["features"]
            ),
            "requests_page": _median_ms(lambda: _get(client, "/api/v1/requests?limit=50", headers)),
            "plan": _median_ms(read_plan),
            "plan_solve": statistics.median(solves[1:]),  # the timed runs, not the warm-up
        }
    with engine.begin() as connection:
        started = time.perf_counter()
        replayed = projector.rebuild(connection)
        rebuild_seconds = time.perf_counter() - started
    engine.dispose()
    return ScaleFigures(
        engine=engine.dialect.name, casualties=casualties, events=replayed, waiting=waiting,
        fill_seconds=fill_seconds, rebuild_seconds=rebuild_seconds,
        rebuild_ms_per_event=rebuild_seconds * 1000 / max(replayed, 1), **figures,
    )  # fmt: skip


def _send(client: TestClient, headers: dict[str, str], batch: list[dict[str, Any]]) -> int:
    response = client.post("/api/v1/events", json={"events": batch}, headers=headers)
    if response.status_code != 200 or response.json()["refused"]:
        raise BenchScaleError(f"the server refused the load: {response.text[:500]}")
    return len(batch)


@contextmanager
def _database(engine: ScaleEngine, workdir: Path) -> Iterator[str]:
    if engine is ScaleEngine.SQLITE:
        yield f"sqlite:///{workdir / 'goldenhour.sqlite3'}"
        return
    with postgres_cluster() as base:
        yield create_database(base, "goldenhour_scale")


def scale_command(
    casualties: Annotated[
        int, typer.Option("--casualties", min=1, help="Casualties to fill the database with.")
    ] = 1000,
    engine: Annotated[
        ScaleEngine, typer.Option("--engine", help="The database: a SQLite file or PostgreSQL.")
    ] = ScaleEngine.SQLITE,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Fill a throw-away database through the API and time the coordinator's reads."""
    try:
        import httpx  # noqa: F401  (the in-process client needs it)
    except ImportError:
        print_error("the scale bench needs httpx: uv sync (it is a development dependency)")
        raise typer.Exit(1) from None
    with tempfile.TemporaryDirectory(prefix="goldenhour-scale-") as tmp:
        with _database(engine, Path(tmp)) as url:
            try:
                figures = run_scale_bench(url, Path(tmp), casualties=casualties)
            except BenchScaleError as error:
                print_error(str(error))
                raise typer.Exit(1) from None
    if as_json:
        print_json({"machine": machine(), "results": asdict(figures)})
        return
    table = Table(title=f"Scale bench: {casualties:,} casualties on {figures.engine}")
    table.add_column("read (median of 5, ms)")
    table.add_column("figure", justify="right")
    table.add_column("target at 100k", justify="right")
    rows = [
        ("fill through the API (s)", f"{figures.fill_seconds:.1f} ({figures.events:,} events)", ""),
        ("casualties, a page of 50", f"{figures.page_50:.1f}", "≤ 20"),
        ("web app: first page (5,000)", f"{figures.first_page:.0f}", "≤ 500"),
        (f"web app: full load ({figures.full_load_pages} pages)", f"{figures.full_load:.0f}",
         "≤ 3,000"),
        (f"/map, a viewport ({figures.map_viewport_casualties} casualties)",
         f"{figures.map_viewport:.1f}", "≤ 200"),
        ("/requests, a page of 50", f"{figures.requests_page:.1f}", "≤ 20"),
        (f"/plan ({figures.waiting:,} waiting)", f"{figures.plan:.0f}", "deadline + 300"),
        ("/plan: of it, the optimiser", f"{figures.plan_solve:.0f}", ""),
        ("db rebuild (s)", f"{figures.rebuild_seconds:.1f} "
         f"({figures.rebuild_ms_per_event:.3f} ms/event)", "≤ 60"),
    ]  # fmt: skip
    for row in rows:
        table.add_row(*row)
    stdout_console().print(table)
