"""Schemathesis against the OpenAPI schema: no request makes a 5xx, every answer fits the schema.

Every operation but the live stream (it never ends) is fuzzed with schema-valid and, where it
takes input, schema-invalid requests, as the coordinator and as the administrator, on SQLite and
on PostgreSQL, with every check Schemathesis runs by default: among them that each status the
server gives is one the schema documents for the operation (``status_code_conformance``), with
the body, content type and headers documented for it.

One check is left out, and only where the schema cannot say the rule:
``positive_data_acceptance`` (a schema-valid request must not be refused) on the casualty list,
the 9-line, the registry and the user administration (a name must be free or exist, a unit
exist, a password be 10 characters long, and only an administrator is answered). A ``bbox`` must
have west <= east and south <= north within ±180/±90, a 9-line's ``frequency`` and ``call_sign``
follow line 2's grammar (a positive number with an optional unit; printable characters), and the
registry's ``until`` must come after its ``since``: JSON Schema has no way to state these, so a
request that fits the schema can still be refused, with a 422 naming the parameter. The check
stays on for every other operation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import Case, GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from goldenhour.adapters.storage import schema as db_schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.api.app import create_app
from goldenhour.cli.wiring import seed_demo
from goldenhour.config import Settings
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID

from postgres import create_database

DEMO_PASSWORD = "fuzz-demo-password"
EXAMPLES_PER_OPERATION = 30

#: Logging in needs no token: fuzzed once per engine, not once per user (each try hashes).
LOGIN = ("POST", "/api/v1/auth/token")
#: Operations that take parameters or a body: fuzzed with valid and with invalid requests.
WITH_INPUT = [
    ("POST", "/api/v1/auth/device-token"),
    ("GET", "/api/v1/auth/device-tokens"),
    ("DELETE", "/api/v1/auth/device-tokens/{token_id}"),
    ("POST", "/api/v1/events"),
    ("GET", "/api/v1/events"),
    ("GET", "/api/v1/casualties"),
    ("GET", "/api/v1/casualties/{casualty_id}"),
    ("GET", "/api/v1/casualties/{casualty_id}/tourniquets"),
    ("GET", "/api/v1/casualties/{casualty_id}/nine-line"),
    ("GET", "/api/v1/casualties/{casualty_id}/mist"),
    ("GET", "/api/v1/casualties/{casualty_id}/fhir"),
    ("POST", "/api/v1/sms/gateway"),
    ("GET", "/api/v1/plan/eta"),
    ("GET", "/api/v1/registry/summary"),
    ("GET", "/api/v1/registry/export"),
    ("POST", "/api/v1/users"),
    ("PUT", "/api/v1/users/{username}/assignment"),
    ("POST", "/api/v1/users/{username}/password"),
    ("POST", "/api/v1/users/{username}/disable"),
    # The picture and the operational lists page with a cursor (issue 19).
    ("GET", "/api/v1/map"),
    ("GET", "/api/v1/facilities"),
    ("GET", "/api/v1/vehicles"),
    ("GET", "/api/v1/requests"),
    ("GET", "/api/v1/missions"),
    ("GET", "/api/v1/units"),
    ("GET", "/api/v1/threats"),
    ("GET", "/api/v1/points"),
]
#: Operations without input: only valid requests exist for them.
WITHOUT_INPUT = [
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/stream/ticket"),
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/plan"),
    ("GET", "/api/v1/users"),
    ("GET", "/api/v1/nodes/links"),
]
#: Streams forever, so a generated request never gets a whole response to check.
NOT_FUZZED = [("GET", "/api/v1/stream")]
#: Operations whose parameters obey a rule JSON Schema cannot state (see the module docstring).
RULES_BEYOND_THE_SCHEMA = {
    ("GET", "/api/v1/casualties"),
    ("GET", "/api/v1/map"),
    ("GET", "/api/v1/casualties/{casualty_id}/nine-line"),
    ("GET", "/api/v1/registry/summary"),
    ("GET", "/api/v1/registry/export"),
    # A user name must be free (or, in a path, exist), a unit exist, a password be 10 long;
    # the coordinator is refused all of these.
    ("GET", "/api/v1/users"),
    ("POST", "/api/v1/users"),
    ("PUT", "/api/v1/users/{username}/assignment"),
    ("POST", "/api/v1/users/{username}/password"),
    ("POST", "/api/v1/users/{username}/disable"),
}
#: Casualty paths also fuzzed on the demo casualty, so the found-and-allowed answers are checked.
ON_THE_DEMO_CASUALTY = [path for method, path in WITH_INPUT if "{casualty_id}" in path]

FUZZED = [
    *[(method, path, GenerationMode.POSITIVE) for method, path in WITH_INPUT + WITHOUT_INPUT],
    *[(method, path, GenerationMode.NEGATIVE) for method, path in WITH_INPUT],
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """Return the app on a database seeded with the demo scenario, once per engine."""
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    url = (
        f"sqlite:///{data_dir / 'goldenhour.sqlite3'}"
        if request.param == "sqlite"
        else create_database(request.getfixturevalue("postgres_base_url"), f"fuzz_{uuid4().hex}")
    )
    engine = make_engine(url)
    db_schema.upgrade(engine)
    seed_demo(SqlEventLog(engine), DEMO_PASSWORD)
    engine.dispose()
    return create_app(
        Settings(
            database_url=url,
            data_dir=data_dir,
            demo_password=DEMO_PASSWORD,
            sms_gateway_secret="fuzz-gateway-key",
        )  # fmt: skip
    )


@pytest.fixture(scope="module")
def api_schema(app: FastAPI) -> OpenApiSchema:
    """Return the app's OpenAPI schema, loaded by Schemathesis from the app itself."""
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module", params=["coordinator", "admin"])
def auth(request: pytest.FixtureRequest, app: FastAPI) -> dict[str, str]:
    """Return the bearer header of a demo user who may write and read a lot."""
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/auth/token", data={"username": request.param, "password": DEMO_PASSWORD}
        )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def run(strategy: Any, auth: dict[str, str], operation: tuple[str, str]) -> None:
    """Call the app with each generated request and check the answer against the schema."""
    excluded = [positive_data_acceptance] if operation in RULES_BEYOND_THE_SCHEMA else []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=strategy)
    def call(case: Case) -> None:
        case.call_and_validate(headers=auth, excluded_checks=excluded)

    call()


def test_every_operation_but_the_stream_is_fuzzed(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    documented = {(method.upper(), path) for path, item in paths.items() for method in item}
    assert documented == {LOGIN, *WITH_INPUT, *WITHOUT_INPUT, *NOT_FUZZED}
    assert RULES_BEYOND_THE_SCHEMA <= {*WITH_INPUT, *WITHOUT_INPUT}


#: Operations anyone may call: no token, so no 401 for a missing one.
OPEN = {LOGIN, ("GET", "/api/v1/health")}


def test_every_refusal_is_documented_with_the_one_error_body(app: FastAPI) -> None:
    document = app.openapi()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            if (method.upper(), path) not in OPEN:
                assert "401" in responses, (method, path)
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/Problem"}, (method, path, code)
    problem = document["components"]["schemas"]["ProblemItem"]
    assert set(problem["required"]) == {"field", "reason"}
    assert "HTTPValidationError" not in document["components"]["schemas"]


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path", "mode"), FUZZED)
def test_no_generated_request_gets_a_server_error_or_an_answer_outside_the_schema(
    api_schema: OpenApiSchema, auth: dict[str, str], method: str, path: str, mode: GenerationMode
) -> None:
    run(api_schema[path][method].as_strategy(generation_mode=mode), auth, (method, path))


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_login_gets_a_server_error_or_an_answer_outside_the_schema(
    api_schema: OpenApiSchema, mode: GenerationMode
) -> None:
    method, path = LOGIN
    run(api_schema[path][method].as_strategy(generation_mode=mode), {}, LOGIN)


@pytest.mark.slow
@pytest.mark.parametrize("path", ON_THE_DEMO_CASUALTY)
def test_the_demo_casualtys_records_answer_within_the_schema_whatever_the_query(
    api_schema: OpenApiSchema, auth: dict[str, str], path: str
) -> None:
    operation = api_schema[path]["GET"]
    strategy = operation.as_strategy(path_parameters={"casualty_id": str(DEMO_CASUALTY_ID)})
    run(strategy, auth, ("GET", path))


def _note(**changes: Any) -> dict[str, Any]:
    moment = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    note = {
        "kind": "note_added", "event_id": str(uuid4()), "casualty_id": str(DEMO_CASUALTY_ID),
        "occurred_at": moment, "recorded_at": moment, "author": "medic", "device": "phone",
        "text": "dressing checked",
    }  # fmt: skip
    return {**note, **changes}


#: Requests the fuzzer once answered with a 500, and what they get now. (A device name holding
#: NUL is in test_auth_and_users.py: a device token needs the password, and the fuzzer's wrong
#: passwords lock these users out for the rest of the module.)
FOUND = [
    pytest.param("GET", "/api/v1/events", {"params": {"after": 2**63}}, 422,
                 id="cursor-past-int64"),
    pytest.param("GET", "/api/v1/casualties", {"params": {"updated_since": 2**63}}, 422,
                 id="updated-since-past-int64"),
    pytest.param("POST", "/api/v1/events", {"json": {"events": [_note(device="pho\x00ne")]}}, 200,
                 id="nul-in-an-events-device"),
    pytest.param("POST", "/api/v1/events", {"json": {"events": [_note(device="p" * 300)]}}, 200,
                 id="events-device-longer-than-its-column"),
    pytest.param("POST", "/api/v1/events", {"json": {"events": [_note(event_id="\x00")]}}, 200,
                 id="nul-event-id-kept-for-review"),
    pytest.param("POST", "/api/v1/events", {"json": {"events": [_note(**{"no\x00te": 1})]}},
                 200, id="nul-unknown-field-kept-for-review"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "request_", "status"), FOUND)
def test_requests_that_once_broke_the_server_are_answered(
    app: FastAPI, auth: dict[str, str], method: str, path: str, request_: dict[str, Any],
    status: int,
) -> None:  # fmt: skip
    with TestClient(app) as client:
        response = client.request(method, path, headers=auth, **request_)
    assert response.status_code == status, response.text
