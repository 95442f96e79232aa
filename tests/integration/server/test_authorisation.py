"""The authorisation matrix: every endpoint, every role, a record in scope and one outside it.

The world is the demo scenario plus a second company under a second battalion of the brigade,
whose medic has a casualty, a request and a pickup point there; the administrator gave that
battalion a vehicle, a threat area, a facility and a mission to Dnipro. The coordinator sent the
demo request (the company's three casualties) to Kramatorsk, the demo facility user's hospital.

"in" is the company's record (the demo casualty, request, pickup point, the battalion's
ambulance and shelling area, the mission to Kramatorsk); "out" is the other battalion's. A record
outside one's scope answers 404, never 403, and every casualty read or write that was allowed
leaves exactly one entry in the audit chain, naming the user, the action and the casualty.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID, uuid4, uuid5

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, or_, select

from goldenhour.adapters.passwords import hash_password
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.tables import audit_log, events, rejected_events
from goldenhour.api.app import create_app
from goldenhour.cli.wiring import seed_demo
from goldenhour.config import Settings
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID, PICKUP_SITE, demo_id
from goldenhour.demo.scenario import (
    BATTALION,
    BRIGADE,
    COMPANY,
    KRAMATORSK_HOSPITAL_ID,
    MEDICAL_COMPANY,
)
from goldenhour.domain.casualty.events import CasualtyRegistered, NoteAdded, TourniquetApplied
from goldenhour.domain.casualty.vocabulary import Limb
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent
from goldenhour.domain.geo.position import Position
from goldenhour.domain.operations.events import (
    EvacuationRequestFiled,
    FacilityRegistered,
    MissionAssigned,
    PointRegistered,
    ThreatAreaDrawn,
    VehicleRegistered,
    VehicleStatusChanged,
)
from goldenhour.domain.operations.vocabulary import (
    Capability,
    FacilityRole,
    PointKind,
    Role,
    ThreatKind,
    UnitKind,
    VehicleKind,
    VehicleStatus,
)
from goldenhour.domain.triage.categories import Precedence
from goldenhour.services import admin

from postgres import create_database

PASSWORD = "authorisation-matrix-password"
_E = TypeVar("_E", bound=DomainEvent)
_NAMES = UUID("3d5c7a8e-0f5b-4c61-9a0e-6a7b1c2d3e4f")


def other(name: str) -> UUID:
    """Return the stable id of a record of the other battalion."""
    return uuid5(_NAMES, name)


OTHER_BATTALION, OTHER_COMPANY = other("unit/battalion"), other("unit/company")
SIVERSK = Position(lat=48.8600, lon=38.1000)

#: The two records of each kind: the company's (in), the other battalion's (out).
RECORDS: dict[str, dict[str, UUID]] = {
    "casualty": {"in": DEMO_CASUALTY_ID, "out": other("casualty")},
    "request": {"in": demo_id("request/bilohorivka-1"), "out": other("request")},
    "mission": {"in": other("mission/kramatorsk"), "out": other("mission/dnipro")},
    "vehicle": {"in": demo_id("vehicle/kalyna"), "out": other("vehicle")},
    "threat": {"in": demo_id("threat/village"), "out": other("threat")},
    "point": {"in": demo_id("point/pickup"), "out": other("point")},
    "unit": {"in": COMPANY, "out": OTHER_COMPANY},
    "facility": {"in": KRAMATORSK_HOSPITAL_ID, "out": other("facility")},
}

ROLES = ("medic", "coordinator", "facility", "analyst", "admin")

# --- The matrix -------------------------------------------------------------------------------
# One casualty's record: the status for the company's casualty, then the other battalion's.
#                                  medic      coordinator facility   analyst    admin
RECORD_READS: dict[str, tuple[str, ...]] = {
    "":             ("200 404", "200 404", "200 404", "404 404", "200 200"),
    "/tourniquets": ("200 404", "200 404", "200 404", "404 404", "200 200"),
    "/nine-line":   ("200 404", "200 404", "200 404", "404 404", "200 200"),
    "/mist":        ("200 404", "200 404", "200 404", "404 404", "200 200"),
    "/fhir":        ("200 404", "200 404", "200 404", "404 404", "200 200"),
}  # fmt: skip
#: The audit action each casualty read is recorded as.
READ_ACTIONS = {
    "": "read",
    "/tourniquets": "read_tourniquets",
    "/nine-line": "read_nine_line",
    "/mist": "read_mist",
    "/fhir": "read_fhir",
}

# Lists (always 200 with a token): which of the two records each role finds in the answer.
#                                                    medic  coordinator facility analyst admin
LISTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("/api/v1/casualties", "casualty"):   ("in",   "in",   "in",   "none", "both"),
    ("/api/v1/events", "casualty"):       ("in",   "in",   "in",   "none", "both"),
    ("/api/v1/map", "casualty"):          ("in",   "in",   "in",   "none", "both"),
    ("/api/v1/requests", "request"):      ("in",   "in",   "in",   "none", "both"),
    ("/api/v1/missions", "mission"):      ("in",   "in",   "in",   "none", "both"),
    ("/api/v1/vehicles", "vehicle"):      ("in",   "in",   "both", "both", "both"),
    ("/api/v1/threats", "threat"):        ("in",   "in",   "both", "both", "both"),
    ("/api/v1/points", "point"):          ("in",   "in",   "both", "both", "both"),
    ("/api/v1/units", "unit"):            ("both", "both", "both", "both", "both"),
    ("/api/v1/facilities", "facility"):   ("both", "both", "both", "both", "both"),
}  # fmt: skip
#: The audit action of each list that can carry casualty records.
LIST_ACTIONS = {"/api/v1/casualties": "list", "/api/v1/events": "sync", "/api/v1/map": "map"}

# Writes (POST /api/v1/events answers 200 with an outcome per event): company's, other's casualty.
WRITES: dict[str, dict[str, tuple[str, str]]] = {
    "note_added": {
        "medic": ("accepted", "not_found"),
        "coordinator": ("accepted", "not_found"),
        "facility": ("accepted", "not_found"),
        "analyst": ("forbidden", "forbidden"),
        "admin": ("accepted", "accepted"),
    },
    "tourniquet_applied": {
        "medic": ("accepted", "not_found"),
        "coordinator": ("accepted", "not_found"),
        "facility": ("accepted", "not_found"),
        "analyst": ("forbidden", "forbidden"),
        "admin": ("accepted", "accepted"),
    },
}

# Endpoints without a record: every role with a token gets 200.
NO_RECORD = [
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/auth/device-token"),
    ("GET", "/api/v1/auth/device-tokens"),
    ("POST", "/api/v1/stream/ticket"),
    ("GET", "/api/v1/health"),
]

# Without a token, or with a made-up one, every endpoint but the health check answers 401.
EVERY_ENDPOINT = [
    *[("GET", f"/api/v1/casualties/{{casualty}}{suffix}") for suffix in RECORD_READS],
    *[("GET", path) for path, _ in LISTS],
    ("POST", "/api/v1/events"),
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/auth/device-token"),
    ("GET", "/api/v1/auth/device-tokens"),
    ("POST", "/api/v1/stream/ticket"),
    ("GET", "/api/v1/stream"),
    ("GET", "/api/v1/plan"),
]

# The plan (GET /api/v1/plan) is for those who dispatch: the status per role, and whether the
# other battalion's casualty (waiting, like the company's) is planned for in it.
#            medic        coordinator  facility     analyst      admin
PLAN = dict(zip(ROLES, (("403", False), ("200", False), ("403", False), ("403", False),
                        ("200", True)), strict=True))  # fmt: skip


def _cells(row: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    pairs = (cell.split() for cell in row)
    return {
        role: (int(inside), int(outside))
        for role, (inside, outside) in zip(ROLES, pairs, strict=True)
    }


RECORD_CASES = [
    pytest.param(suffix, role, scope, status, int(status == 200),
                 id=f"{suffix or '/'}-{role}-{scope}")
    for suffix, row in RECORD_READS.items()
    for role, statuses in _cells(row).items()
    for scope, status in zip(("in", "out"), statuses, strict=True)
]  # fmt: skip
LIST_CASES = [
    pytest.param(path, stream, role, scope, cell in ("both", scope), id=f"{path}-{role}-{scope}")
    for (path, stream), row in LISTS.items()
    for role, cell in zip(ROLES, row, strict=True)
    for scope in ("in", "out")
]  # fmt: skip
CASUALTY_LIST_CASES = [case for case in LIST_CASES if case.values[0] in LIST_ACTIONS]
WRITE_CASES = [
    pytest.param(kind, role, scope, outcome, int(outcome == "accepted"),
                 id=f"{kind}-{role}-{scope}")
    for kind, row in WRITES.items()
    for role, outcomes in row.items()
    for scope, outcome in zip(("in", "out"), outcomes, strict=True)
]  # fmt: skip


# --- The world --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class World:
    """The running app on the seeded database, and a bearer header for each user."""

    app: FastAPI
    client: TestClient
    engine: Engine
    headers: dict[str, dict[str, str]]


def make(cls: type[_E], /, **fields: Any) -> dict[str, Any]:
    """Return the wire form of a fresh event of ``cls``, written a minute ago."""
    moment = datetime.now(UTC) - timedelta(minutes=1)
    event = cls(event_id=uuid4(), occurred_at=moment, recorded_at=moment, author="tester",
                device="test-device", **fields)  # fmt: skip
    return encode_event(event)


def post(world: World, role: str, *events: dict[str, Any]) -> list[dict[str, Any]]:
    """Post a batch as ``role`` and return the answer for each event."""
    response = world.client.post(
        "/api/v1/events", json={"events": list(events)}, headers=world.headers[role]
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def audited(engine: Engine, *, username: str, action: str, casualty: UUID) -> int:
    """Count the audit entries of ``username`` doing ``action`` on (or listing) ``casualty``."""
    named = or_(audit_log.c.target_id == str(casualty), audit_log.c.detail.contains(str(casualty)))
    query = select(func.count()).where(
        audit_log.c.username == username, audit_log.c.action == action, named
    )
    with engine.connect() as connection:
        return int(connection.execute(query.select_from(audit_log)).scalar_one())


def _other_battalions_records() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    casualty, request = RECORDS["casualty"]["out"], RECORDS["request"]["out"]
    by_medic = [
        make(CasualtyRegistered, casualty_id=casualty, position=SIVERSK),
        make(EvacuationRequestFiled, request_id=request, unit_id=OTHER_COMPANY,
             casualty_ids=(casualty,), pickup=SIVERSK, precedence=Precedence.URGENT),
        make(PointRegistered, point_id=RECORDS["point"]["out"], point_kind=PointKind.PICKUP,
             name="Other pickup", position=SIVERSK, unit_id=OTHER_COMPANY),
    ]  # fmt: skip
    by_admin = [
        make(VehicleRegistered, vehicle_id=RECORDS["vehicle"]["out"], call_sign="OTHER 1",
             vehicle_kind=VehicleKind.GROUND_AMBULANCE, unit_id=OTHER_BATTALION, litter=2,
             seated=2),
        make(ThreatAreaDrawn, area_id=RECORDS["threat"]["out"], threat_kind=ThreatKind.SHELLING,
             unit_id=OTHER_BATTALION, starts_at=datetime.now(UTC) - timedelta(hours=1),
             centre=SIVERSK, radius_m=500.0),
        make(FacilityRegistered, facility_id=RECORDS["facility"]["out"], name="Other aid post",
             role=FacilityRole.ROLE_1, capabilities=frozenset({Capability.BLOOD}),
             position=SIVERSK, unit_id=OTHER_BATTALION),
        make(MissionAssigned, mission_id=RECORDS["mission"]["out"],
             vehicle_id=RECORDS["vehicle"]["out"], request_ids=(request,),
             destination_id=demo_id("facility/dnipro"), unit_id=OTHER_BATTALION),
    ]  # fmt: skip
    return by_medic, by_admin


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """Build the world once per engine: the demo, the other battalion, the mission."""
    data_dir: Path = tmp_path_factory.mktemp("authorisation")
    url = (
        f"sqlite:///{data_dir / 'goldenhour.sqlite3'}"
        if request.param == "sqlite"
        else create_database(request.getfixturevalue("postgres_base_url"), f"authz_{uuid4().hex}")
    )
    engine = make_engine(url)
    schema.upgrade(engine)
    log = SqlEventLog(engine)
    seed_demo(log, PASSWORD)
    now = datetime.now(UTC)
    admin.register_unit(log, name="2nd battalion", kind=UnitKind.BATTALION, parent_id=BRIGADE,
                        unit_id=OTHER_BATTALION, now=now)  # fmt: skip
    admin.register_unit(log, name="4th company", kind=UnitKind.COMPANY, parent_id=OTHER_BATTALION,
                        unit_id=OTHER_COMPANY, now=now)  # fmt: skip
    admin.add_user(log, username="other-medic", password_hash=hash_password(PASSWORD),
                   role=Role.MEDIC, unit_id=OTHER_COMPANY, now=now)  # fmt: skip
    app = create_app(Settings(database_url=url, data_dir=data_dir, demo_password=PASSWORD))
    with TestClient(app) as client:
        headers = {
            username: {"Authorization": "Bearer " + client.post(
                "/api/v1/auth/token", data={"username": username, "password": PASSWORD}
            ).json()["access_token"]}
            for username in (*ROLES, "other-medic")
        }  # fmt: skip
        built = World(app=app, client=client, engine=engine, headers=headers)
        by_medic, by_admin = _other_battalions_records()
        mission = make(MissionAssigned, mission_id=RECORDS["mission"]["in"],
                       vehicle_id=RECORDS["vehicle"]["in"], request_ids=(RECORDS["request"]["in"],),
                       destination_id=KRAMATORSK_HOSPITAL_ID, unit_id=BATTALION)  # fmt: skip
        answers = [
            *post(built, "other-medic", *by_medic),
            *post(built, "admin", *by_admin),
            *post(built, "coordinator", mission),
        ]
        assert {answer["outcome"] for answer in answers} == {"accepted"}, answers
        yield built
    engine.dispose()


#: How to read the ids of the records out of each list's answer.
LISTED: dict[str, Callable[[dict[str, Any]], set[str]]] = {
    "/api/v1/casualties": lambda body: {card["casualty_id"] for card in body["casualties"]},
    "/api/v1/events": lambda body: {event["stream_id"] for event in body["events"]},
    "/api/v1/map": lambda body: {f["properties"]["id"] for f in body["casualties"]["features"]},
    **{path: lambda body: {record["id"] for record in body["records"]}
       for path, _ in LISTS if path not in LIST_ACTIONS},
}  # fmt: skip
#: The event each write case posts on a casualty.
WRITE_EVENTS: dict[str, Callable[[UUID], dict[str, Any]]] = {
    "note_added": lambda casualty: make(NoteAdded, casualty_id=casualty, text="dressing checked"),
    "tourniquet_applied": lambda casualty: make(
        TourniquetApplied, casualty_id=casualty, limb=Limb.RIGHT_ARM, location="high and tight"
    ),
}


async def _open_stream(
    app: FastAPI, headers: dict[str, str], query: bytes
) -> tuple[int, dict[str, str]]:
    """Open the live stream, read up to its first event (or its end), then hang up."""
    first_event = asyncio.Event()
    sent: list[dict[str, Any]] = []
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await first_event.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        body = message.get("body", b"")
        if message["type"] == "http.response.body" and (b"id: " in body or not message.get(
                "more_body", False)):  # fmt: skip
            first_event.set()

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": "/api/v1/stream", "raw_path": b"/api/v1/stream",
        "query_string": query, "root_path": "", "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
    }  # fmt: skip
    await asyncio.wait_for(app(scope, receive, send), timeout=30)
    start = sent[0]
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}


def open_stream(
    app: FastAPI, headers: dict[str, str], query: bytes = b""
) -> tuple[int, dict[str, str]]:
    """Return the status and headers of the live stream, read briefly."""
    # A thread of its own: Playwright's sync API (tests/e2e) may leave an event loop set on the
    # main thread, where asyncio.run refuses to start another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _open_stream(app, headers, query)).result()


# --- The tests --------------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "role", "scope", "status", "entries"), RECORD_CASES)
def test_a_casualty_record_answers_each_role_as_the_matrix_says(
    world: World, suffix: str, role: str, scope: str, status: int, entries: int
) -> None:
    casualty = RECORDS["casualty"][scope]
    action = READ_ACTIONS[suffix]
    before = audited(world.engine, username=role, action=action, casualty=casualty)
    response = world.client.get(
        f"/api/v1/casualties/{casualty}{suffix}", headers=world.headers[role]
    )
    assert response.status_code == status, response.text
    assert (
        audited(world.engine, username=role, action=action, casualty=casualty) == before + entries
    )


@pytest.mark.parametrize(("path", "stream", "role", "scope", "shown"), LIST_CASES)
def test_a_list_shows_each_role_only_the_records_in_its_scope(
    world: World, path: str, stream: str, role: str, scope: str, shown: bool
) -> None:
    response = world.client.get(path, params={"limit": 1000}, headers=world.headers[role])
    assert response.status_code == 200, response.text
    assert (str(RECORDS[stream][scope]) in LISTED[path](response.json())) is shown


@pytest.mark.parametrize(("path", "stream", "role", "scope", "shown"), CASUALTY_LIST_CASES)
def test_a_list_that_shows_a_casualty_records_it_in_the_audit_chain(
    world: World, path: str, stream: str, role: str, scope: str, shown: bool
) -> None:
    casualty, action = RECORDS[stream][scope], LIST_ACTIONS[path]
    before = audited(world.engine, username=role, action=action, casualty=casualty)
    world.client.get(path, params={"limit": 1000}, headers=world.headers[role])
    assert audited(world.engine, username=role, action=action, casualty=casualty) == before + shown


@pytest.mark.parametrize(("kind", "role", "scope", "outcome", "entries"), WRITE_CASES)
def test_a_write_to_a_casualty_is_answered_per_role_and_scope(
    world: World, kind: str, role: str, scope: str, outcome: str, entries: int
) -> None:
    casualty = RECORDS["casualty"][scope]
    before = audited(world.engine, username=role, action="write", casualty=casualty)
    [answer] = post(world, role, WRITE_EVENTS[kind](casualty))
    assert answer["outcome"] == outcome
    assert (
        audited(world.engine, username=role, action="write", casualty=casualty) == before + entries
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), NO_RECORD)
def test_an_endpoint_without_a_record_answers_every_role(
    world: World, method: str, path: str, role: str
) -> None:
    body = {"device": f"{role}-tablet", "password": PASSWORD}  # a device token needs it
    response = world.client.request(method, path, json=body, headers=world.headers[role])
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("role", ROLES)
def test_who_am_i_names_the_callers_role_and_unit(world: World, role: str) -> None:
    me = world.client.get("/api/v1/auth/me", headers=world.headers[role]).json()
    assert (me["username"], me["role"]) == (role, role)
    assert me["unit_id"] in {str(COMPANY), str(BATTALION), str(MEDICAL_COMPANY), str(BRIGADE)}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_open_the_live_stream(world: World, role: str) -> None:
    status, headers = open_stream(world.app, world.headers[role])
    assert status == 200
    assert headers["content-type"].startswith("text/event-stream")


@pytest.mark.parametrize(
    ("role", "entries"),
    [("medic", 1), ("coordinator", 1), ("facility", 1), ("analyst", 0), ("admin", 1)],
)
def test_the_live_stream_records_the_casualties_it_sends_in_the_audit_chain(
    world: World, role: str, entries: int
) -> None:
    before = audited(world.engine, username=role, action="stream", casualty=DEMO_CASUALTY_ID)
    open_stream(world.app, world.headers[role])
    after = audited(world.engine, username=role, action="stream", casualty=DEMO_CASUALTY_ID)
    assert after == before + entries


@pytest.mark.parametrize("role", ROLES)
def test_the_plan_answers_each_role_as_the_matrix_says(world: World, role: str) -> None:
    status, shows_other = PLAN[role]
    response = world.client.get("/api/v1/plan", headers=world.headers[role])
    assert str(response.status_code) == status, response.text
    assert (str(RECORDS["casualty"]["out"]) in response.text) is shows_other


@pytest.mark.parametrize("token", [None, "made-up-token"])
@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_every_endpoint_refuses_a_caller_without_a_valid_token(
    world: World, method: str, path: str, token: str | None
) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = world.client.request(
        method, path.format(casualty=DEMO_CASUALTY_ID), json={"events": [{}], "device": "x"},
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("token", [None, "made-up-token"])
def test_the_live_stream_refuses_a_caller_without_a_valid_token(
    world: World, token: str | None
) -> None:
    status, _ = open_stream(world.app, {"Authorization": f"Bearer {token}"} if token else {})
    assert status == 401


def test_a_facility_sees_a_casualty_only_once_a_mission_sends_it_there(world: World) -> None:
    casualty, request = uuid4(), uuid4()
    registered = make(CasualtyRegistered, casualty_id=casualty, position=PICKUP_SITE)
    filed = make(EvacuationRequestFiled, request_id=request, unit_id=COMPANY,
                 casualty_ids=(casualty,), pickup=PICKUP_SITE,
                 precedence=Precedence.URGENT)  # fmt: skip
    mission = make(MissionAssigned, mission_id=uuid4(), vehicle_id=demo_id("vehicle/kalyna-22"),
                   request_ids=(request,), destination_id=KRAMATORSK_HOSPITAL_ID,
                   unit_id=BATTALION)  # fmt: skip
    post(world, "medic", registered, filed)
    path = f"/api/v1/casualties/{casualty}"
    before = world.client.get(path, headers=world.headers["facility"])
    [sent] = post(world, "coordinator", mission)
    after = world.client.get(path, headers=world.headers["facility"])
    assert (before.status_code, sent["outcome"], after.status_code) == (404, "accepted", 200)
    assert after.json()["card"]["casualty_id"] == str(casualty)


def test_the_live_stream_refuses_a_cursor_beyond_the_log(world: World) -> None:
    status, _ = open_stream(world.app, world.headers["medic"], b"after=9223372036854775808")
    assert status == 422


def test_a_mission_cannot_send_another_battalions_casualties_to_a_facility(world: World) -> None:
    mission = make(MissionAssigned, mission_id=uuid4(), vehicle_id=demo_id("vehicle/kalyna-22"),
                   request_ids=(RECORDS["request"]["out"],),
                   destination_id=KRAMATORSK_HOSPITAL_ID, unit_id=BATTALION)  # fmt: skip
    [sent] = post(world, "coordinator", mission)
    path = f"/api/v1/casualties/{RECORDS['casualty']['out']}"
    assert (sent["outcome"], sent["field"]) == ("not_found", "request_ids[0]")
    assert world.client.get(path, headers=world.headers["facility"]).status_code == 404


def rejected(engine: Engine) -> int:
    """Count the refused events kept for review."""
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(rejected_events)).scalar_one()
        )


def _mission(**changes: Any) -> dict[str, Any]:
    """Return a mission of the coordinator's battalion, every record it names in scope."""
    fields: dict[str, Any] = {
        "mission_id": uuid4(), "vehicle_id": demo_id("vehicle/kalyna-22"),
        "request_ids": (RECORDS["request"]["in"],), "destination_id": KRAMATORSK_HOSPITAL_ID,
        "unit_id": BATTALION,
    }  # fmt: skip
    return make(MissionAssigned, **{**fields, **changes})


#: A record named in a field of an event: who sends the event, which kind of record it names (the
#: other battalion's, or one that does not exist), in which field, and the event naming it.
REFERENCES: dict[str, tuple[str, str, str, Callable[[UUID], dict[str, Any]]]] = {
    "request-in-a-mission": ("coordinator", "request", "request_ids[1]", lambda r: _mission(
        request_ids=(RECORDS["request"]["in"], r))),
    "vehicle-in-a-mission": ("coordinator", "vehicle", "vehicle_id",
                             lambda v: _mission(vehicle_id=v)),
    "point-as-a-missions-destination": ("coordinator", "point", "destination_id",
                                        lambda p: _mission(destination_id=p)),
    "casualty-in-a-request": ("medic", "casualty", "casualty_ids[0]", lambda c: make(
        EvacuationRequestFiled, request_id=uuid4(), unit_id=COMPANY, casualty_ids=(c,),
        pickup=PICKUP_SITE, precedence=Precedence.URGENT,
    )),
}  # fmt: skip


@pytest.mark.parametrize("reference", REFERENCES)
def test_a_record_named_outside_the_callers_scope_is_not_found_like_an_absent_one(
    world: World, reference: str
) -> None:
    role, stream, field, event = REFERENCES[reference]
    out, absent = RECORDS[stream]["out"], uuid4()
    before = rejected(world.engine)
    [outside] = post(world, role, event(out))
    [missing] = post(world, role, event(absent))
    for answer, named in ((outside, out), (missing, absent)):
        assert (answer["outcome"], answer["field"]) == ("not_found", field), answer
        assert str(named) in answer["reason"]
    # The same words for both: the answer does not tell that the other battalion's record exists.
    assert outside["reason"].replace(str(out), "X") == missing["reason"].replace(str(absent), "X")
    # An answer about access, not data with something wrong in it: nothing is kept for review.
    assert rejected(world.engine) == before


def test_a_correction_of_another_battalions_record_is_refused_like_one_of_nothing(
    world: World,
) -> None:
    with world.engine.connect() as connection:
        elsewhere = UUID(str(connection.execute(
            select(events.c.event_id).where(events.c.stream_id == str(RECORDS["vehicle"]["out"]))
        ).scalars().first()))  # fmt: skip
    reasons = []
    for corrected in (elsewhere, uuid4()):
        [answer] = post(world, "coordinator", make(
            VehicleStatusChanged, vehicle_id=RECORDS["vehicle"]["in"],
            status=VehicleStatus.UNAVAILABLE, supersedes=corrected,
        ))  # fmt: skip
        assert (answer["outcome"], answer["field"]) == ("invalid", "supersedes"), answer
        reasons.append(answer["reason"].replace(str(corrected), "X"))
    # Only an event of the same vehicle can be corrected; one of another is not told apart.
    assert reasons[0] == reasons[1]


def test_a_mission_naming_a_request_filed_later_in_the_batch_is_accepted(world: World) -> None:
    casualty, request = uuid4(), uuid4()
    registered = make(CasualtyRegistered, casualty_id=casualty, position=PICKUP_SITE)
    filed = make(EvacuationRequestFiled, request_id=request, unit_id=BATTALION,
                 casualty_ids=(casualty,), pickup=PICKUP_SITE,
                 precedence=Precedence.URGENT)  # fmt: skip
    mission = _mission(request_ids=(request,))
    answers = post(world, "coordinator", mission, registered, filed)
    assert [answer["outcome"] for answer in answers] == ["accepted"] * 3, answers
