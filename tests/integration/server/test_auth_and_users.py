"""Logging in, tokens and user accounts: the rate limit, expiry, disabling, the schema check.

Each test runs on SQLite and on PostgreSQL; the ``goldenhour`` commands run as an operator would
run them, in a subprocess, against the same database as the server. The seeded database is
shared by the tests of one engine; each test gets a fresh app, so a fresh login limiter.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from goldenhour.adapters.passwords import hash_password
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.schema import SchemaMismatchError
from goldenhour.adapters.storage.tokens import issue_token, redeem_stream_ticket
from goldenhour.api.app import create_app
from goldenhour.cli.wiring import seed_demo
from goldenhour.config import Settings
from goldenhour.demo.scenario import DEMO_USERS, KRAMATORSK_HOSPITAL_ID, MEDICAL_COMPANY
from goldenhour.domain.operations.vocabulary import Role
from goldenhour.services import admin

from cli_runner import GOLDENHOUR
from cli_runner import goldenhour_process as goldenhour
from postgres import create_database

PASSWORD = "auth-and-users-password"
NEW_PASSWORD = "a-long-new-password"
MEDIC = next(user for user in DEMO_USERS if user.username == "medic")


@dataclass(frozen=True, slots=True, kw_only=True)
class Database:
    """The seeded database of one engine, shared by the tests of that engine."""

    url: str
    settings: Settings
    engine: Engine


@dataclass(frozen=True, slots=True, kw_only=True)
class Operator:
    """What an operator's session of ``goldenhour users`` commands printed."""

    added: subprocess.CompletedProcess[str]
    disabled: subprocess.CompletedProcess[str]
    listed_json: subprocess.CompletedProcess[str]
    listed_text: subprocess.CompletedProcess[str]


def goldenhour_with_password(password: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``goldenhour ARGS`` with ``GOLDENHOUR_NEW_PASSWORD`` set, as an operator would."""
    return subprocess.run(
        [str(GOLDENHOUR), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100", "NO_COLOR": "1", "LANG": "C.UTF-8",
             "GOLDENHOUR_NEW_PASSWORD": password},
    )  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """Seed the demo once per engine."""
    data_dir = tmp_path_factory.mktemp("auth")
    url = (
        f"sqlite:///{data_dir / 'goldenhour.sqlite3'}"
        if request.param == "sqlite"
        else create_database(request.getfixturevalue("postgres_base_url"), f"auth_{uuid4().hex}")
    )
    engine = make_engine(url)
    schema.upgrade(engine)
    seed_demo(SqlEventLog(engine), PASSWORD)
    yield Database(url=url, settings=Settings(database_url=url, data_dir=data_dir), engine=engine)
    engine.dispose()


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    """Return a client of a fresh app (with a fresh login limiter) on the shared database."""
    with TestClient(create_app(database.settings)) as test_client:
        yield test_client


@pytest.fixture
def newcomer(database: Database) -> str:
    """Add a medic of this test's own, so that disabling them touches no other test."""
    username = f"medic-{uuid4().hex[:8]}"
    admin.add_user(SqlEventLog(database.engine), username=username,
                   password_hash=hash_password(PASSWORD), role=Role.MEDIC,
                   unit_id=MEDIC.unit_id, now=datetime.now(UTC))  # fmt: skip
    return username


@pytest.fixture(scope="module")
def operator(database: Database) -> Operator:
    """Add a surgeon, disable the analyst and list the users, with the commands."""
    url = database.url
    return Operator(
        added=goldenhour_with_password(
            NEW_PASSWORD, "users", "add", "surgeon", "--role", "facility",
            "--unit", str(MEDICAL_COMPANY), "--facility", str(KRAMATORSK_HOSPITAL_ID),
            "--database-url", url,
        ),
        disabled=goldenhour("users", "disable", "analyst", "--database-url", url),
        listed_json=goldenhour("users", "list", "--json", "--database-url", url),
        listed_text=goldenhour("users", "list", "--database-url", url),
    )  # fmt: skip


def log_in(client: TestClient, username: str, password: str) -> int:
    """Try to log in and return the status code."""
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    return response.status_code


def bearer(client: TestClient, username: str) -> dict[str, str]:
    """Log in and return the bearer header."""
    response = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


# --- The login rate limit ---------------------------------------------------------------------


def test_the_sixth_failed_login_is_refused_with_retry_after(client: TestClient) -> None:
    failures = [log_in(client, "medic", "wrong password") for _ in range(5)]
    response = client.post(
        "/api/v1/auth/token", data={"username": "medic", "password": "wrong password"}
    )
    assert failures == [401] * 5
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0


def test_the_right_password_waits_out_the_limit_too(client: TestClient) -> None:
    failures = [log_in(client, "medic", "wrong password") for _ in range(5)]
    assert (failures, log_in(client, "medic", PASSWORD)) == ([401] * 5, 429)


def test_the_limit_counts_per_user_name(client: TestClient) -> None:
    failures = [log_in(client, "medic", "wrong password") for _ in range(6)]
    assert (failures[-1], log_in(client, "coordinator", PASSWORD)) == (429, 200)


# --- Tokens -----------------------------------------------------------------------------------


def test_a_disabled_users_token_stops_working_and_they_cannot_log_in(
    client: TestClient, database: Database, newcomer: str
) -> None:
    headers = bearer(client, newcomer)
    before = client.get("/api/v1/auth/me", headers=headers).status_code
    result = goldenhour("users", "disable", newcomer, "--reason", "left the unit",
                        "--database-url", database.url)  # fmt: skip
    after = client.get("/api/v1/auth/me", headers=headers)
    assert (before, result.returncode) == (200, 0), result.stderr
    assert f"disabled {newcomer}; revoked 1 tokens" in result.stdout
    assert (after.status_code, after.headers["www-authenticate"]) == (401, "Bearer")
    assert log_in(client, newcomer, PASSWORD) == 401


def test_an_expired_token_is_refused(client: TestClient, database: Database) -> None:
    token, _ = issue_token(
        database.engine, user_id=MEDIC.user_id, kind="bearer", device="phone",
        ttl=timedelta(minutes=5), now=datetime.now(UTC) - timedelta(minutes=6),
    )  # fmt: skip
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_a_token_within_its_lifetime_is_accepted(client: TestClient, database: Database) -> None:
    token, _ = issue_token(
        database.engine, user_id=MEDIC.user_id, kind="device", device="phone",
        ttl=timedelta(minutes=5), now=datetime.now(UTC) - timedelta(minutes=4),
    )  # fmt: skip
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()["device"]) == (200, "phone")


@pytest.mark.parametrize(
    ("username", "client_id", "status"),
    [("med\x00ic", "phone", 401), ("medic", "pho\x00ne", 200), ("medic", "p" * 300, 200)],
)
def test_a_nul_or_an_overlong_name_at_login_is_answered_not_a_server_error(
    client: TestClient, username: str, client_id: str, status: int
) -> None:
    response = client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": PASSWORD, "client_id": client_id},
    )
    assert response.status_code == status


@pytest.mark.parametrize("device", ["tab\x00let", "t" * 128])
def test_a_device_token_is_issued_whatever_the_device_name(client: TestClient, device: str) -> None:
    response = client.post(
        "/api/v1/auth/device-token",
        json={"device": device, "password": PASSWORD},
        headers=bearer(client, "medic"),
    )
    assert response.status_code == 200


# --- The schema check -------------------------------------------------------------------------


def test_the_server_refuses_to_start_on_an_empty_database(database_url: str) -> None:
    with pytest.raises(SchemaMismatchError, match="Run: goldenhour db upgrade") as refused:
        create_app(Settings(database_url=database_url))
    assert refused.value.found is None


def test_the_server_refuses_to_start_on_a_schema_it_does_not_know(
    settings: Settings, engine: Engine
) -> None:
    with engine.connect().execution_options(writer=True) as connection, connection.begin():
        connection.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(SchemaMismatchError, match="Run: goldenhour db upgrade") as refused:
        create_app(settings)
    assert refused.value.found == "from_the_future"


def test_serve_on_an_empty_data_directory_exits_2_naming_db_upgrade(tmp_path: Path) -> None:
    result = goldenhour("serve", "--data-dir", str(tmp_path / "empty"), "--port", "1")
    assert result.returncode == 2
    assert "has no Golden Hour schema" in result.stderr
    assert "goldenhour db upgrade" in result.stderr


def test_serve_on_an_empty_database_exits_2_naming_db_upgrade(database_url: str) -> None:
    result = goldenhour("serve", "--database-url", database_url, "--port", "1")
    assert result.returncode == 2
    assert "goldenhour db upgrade" in result.stderr


# --- goldenhour users -------------------------------------------------------------------------


def test_users_add_takes_the_password_from_the_environment(
    operator: Operator, client: TestClient
) -> None:
    assert operator.added.returncode == 0, operator.added.stderr
    assert operator.added.stdout.startswith("added surgeon (facility) as ")
    assert log_in(client, "surgeon", NEW_PASSWORD) == 200


def test_users_list_gives_each_users_role_unit_facility_and_state(operator: Operator) -> None:
    users = {user["username"]: user for user in json.loads(operator.listed_json.stdout)}
    surgeon = users["surgeon"]
    assert (surgeon["role"], surgeon["unit_id"], surgeon["facility_id"]) == (
        "facility", str(MEDICAL_COMPANY), str(KRAMATORSK_HOSPITAL_ID)
    )  # fmt: skip
    assert (users["analyst"]["disabled"], users["medic"]["disabled"]) == (True, False)


def test_users_list_marks_a_disabled_user_in_its_text(operator: Operator) -> None:
    marked = {line.split()[0] for line in operator.listed_text.stdout.splitlines()
              if line.endswith("(disabled)")}  # fmt: skip
    assert "analyst" in marked
    assert "medic" not in marked


def test_a_disabled_user_is_refused_at_login(operator: Operator, client: TestClient) -> None:
    assert (operator.disabled.returncode, log_in(client, "analyst", PASSWORD)) == (0, 401)


def test_users_add_refuses_a_short_password(database: Database) -> None:
    result = goldenhour_with_password(
        "short", "users", "add", "nurse", "--role", "facility", "--unit", str(MEDICAL_COMPANY),
        "--database-url", database.url,
    )  # fmt: skip
    assert result.returncode == 2
    assert "at least 10 characters" in result.stderr


def test_users_add_refuses_a_name_that_is_taken(database: Database) -> None:
    result = goldenhour_with_password(
        NEW_PASSWORD, "users", "add", "medic", "--role", "medic", "--unit", str(MEDICAL_COMPANY),
        "--database-url", database.url,
    )  # fmt: skip
    assert result.returncode == 2
    assert "'medic' is taken" in result.stderr


# --- Device tokens: minted only against a password, listed and revoked -----------------------


def device_token(
    client: TestClient, headers: dict[str, str], **body: str
) -> tuple[int, dict[str, Any]]:
    """Ask for a device token; return the status and the answer."""
    response = client.post("/api/v1/auth/device-token", json={"device": "phone-9", **body},
                           headers=headers)  # fmt: skip
    return response.status_code, response.json()


def as_bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_device_token_is_issued_only_against_the_password_given_now(client: TestClient) -> None:
    shift = bearer(client, "medic")
    without = device_token(client, shift)
    wrong = device_token(client, shift, password="not the password")
    status, issued = device_token(client, shift, password=PASSWORD)
    me = client.get("/api/v1/auth/me", headers=as_bearer(issued["access_token"]))
    assert (without[0], without[1]["detail"][0]["field"]) == (401, "password")
    assert (wrong[0], wrong[1]["detail"]) == (
        401,
        [{"field": "password", "reason": "wrong password"}],
    )
    assert (status, me.json()["device"]) == (200, "phone-9")


def test_a_device_token_cannot_mint_another_even_with_the_password(client: TestClient) -> None:
    _, issued = device_token(client, bearer(client, "medic"), password=PASSWORD)
    status, answer = device_token(client, as_bearer(issued["access_token"]), password=PASSWORD)
    assert (status, answer["detail"][0]["field"]) == (403, "authorization")


def test_wrong_passwords_for_a_device_token_count_towards_the_login_limit(
    client: TestClient,
) -> None:
    shift = bearer(client, "medic")
    wrong = [device_token(client, shift, password="guess")[0] for _ in range(5)]
    status, answer = device_token(client, shift, password=PASSWORD)
    assert (wrong, status, answer["detail"][0]["field"]) == ([401] * 5, 429, "password")


def test_an_administrator_issues_a_device_token_for_a_user_without_their_password(
    client: TestClient, newcomer: str
) -> None:
    status, issued = device_token(client, bearer(client, "admin"), username=newcomer)
    me = client.get("/api/v1/auth/me", headers=as_bearer(issued["access_token"]))
    assert (status, issued["username"], me.json()["username"]) == (200, newcomer, newcomer)


def test_a_medic_cannot_issue_a_device_token_for_another_user(
    client: TestClient, newcomer: str
) -> None:
    status, answer = device_token(client, bearer(client, "medic"), username=newcomer,
                                  password=PASSWORD)  # fmt: skip
    assert (status, answer["detail"][0]["field"]) == (403, "username")


def test_a_user_lists_and_revokes_their_device_tokens_and_a_revoked_one_stops_working(
    client: TestClient, newcomer: str
) -> None:
    shift = bearer(client, newcomer)
    kept = device_token(client, shift, password=PASSWORD)[1]["access_token"]
    lost = device_token(client, shift, password=PASSWORD, device="lost-phone")[1]["access_token"]
    listed = client.get("/api/v1/auth/device-tokens", headers=shift).json()["records"]
    lost_id = next(r["token_id"] for r in listed if r["device"] == "lost-phone")
    revoked = client.delete(f"/api/v1/auth/device-tokens/{lost_id}", headers=shift)
    after = client.get("/api/v1/auth/device-tokens", headers=shift).json()["records"]
    assert sorted(r["device"] for r in listed) == ["lost-phone", "phone-9"]
    assert all(kept not in json.dumps(r) and lost not in json.dumps(r) for r in listed)
    assert revoked.status_code == 204
    assert client.get("/api/v1/auth/me", headers=as_bearer(lost)).status_code == 401
    assert client.get("/api/v1/auth/me", headers=as_bearer(kept)).status_code == 200
    assert {r["device"]: r["revoked"] for r in after} == {"lost-phone": True, "phone-9": False}


def test_another_medic_can_neither_list_nor_revoke_someones_device_token(
    client: TestClient, newcomer: str
) -> None:
    shift = bearer(client, newcomer)
    token = device_token(client, shift, password=PASSWORD)[1]["access_token"]
    token_id = client.get("/api/v1/auth/device-tokens", headers=shift).json()["records"][0][
        "token_id"
    ]
    medic = bearer(client, "medic")
    listed = client.get("/api/v1/auth/device-tokens", params={"username": newcomer},
                        headers=medic)  # fmt: skip
    revoked = client.delete(f"/api/v1/auth/device-tokens/{token_id}", headers=medic)
    assert (listed.status_code, revoked.status_code) == (403, 404)
    assert client.get("/api/v1/auth/me", headers=as_bearer(token)).status_code == 200


def test_an_administrator_lists_and_revokes_a_users_device_token(
    client: TestClient, newcomer: str
) -> None:
    token = device_token(client, bearer(client, newcomer), password=PASSWORD)[1]["access_token"]
    chief = bearer(client, "admin")
    listed = client.get("/api/v1/auth/device-tokens", params={"username": newcomer},
                        headers=chief).json()["records"]  # fmt: skip
    revoked = client.delete(f"/api/v1/auth/device-tokens/{listed[0]['token_id']}", headers=chief)
    assert ([r["username"] for r in listed], revoked.status_code) == ([newcomer], 204)
    assert client.get("/api/v1/auth/me", headers=as_bearer(token)).status_code == 401


def test_users_tokens_and_revoke_token_cut_off_a_lost_phone_from_the_command_line(
    client: TestClient, database: Database, newcomer: str
) -> None:
    shift = bearer(client, newcomer)
    token = device_token(client, shift, password=PASSWORD, device="lost-phone")[1]["access_token"]
    listed = goldenhour("users", "tokens", newcomer, "--json", "--database-url", database.url)
    records = json.loads(listed.stdout)
    revoked = goldenhour("users", "revoke-token", records[0]["token_id"],
                         "--database-url", database.url)  # fmt: skip
    assert [r["device"] for r in records] == ["lost-phone"], listed.stderr
    assert (revoked.returncode, revoked.stdout) == (0, "revoked the token of device lost-phone\n")
    assert client.get("/api/v1/auth/me", headers=as_bearer(token)).status_code == 401


# --- Stream tickets ---------------------------------------------------------------------------


def test_a_stream_ticket_is_spent_by_its_first_use_and_is_no_bearer_token(
    client: TestClient, database: Database
) -> None:
    issued = client.post("/api/v1/stream/ticket", headers=bearer(client, "medic"))
    ticket = issued.json()["ticket"]
    as_token = client.get("/api/v1/auth/me", headers=as_bearer(ticket))
    first = redeem_stream_ticket(database.engine, ticket, now=datetime.now(UTC))
    second = redeem_stream_ticket(database.engine, ticket, now=datetime.now(UTC))
    assert (issued.status_code, as_token.status_code) == (200, 401)
    assert first is not None and first.principal.username == "medic"
    assert second is None


def test_a_stream_ticket_used_after_its_lifetime_opens_nothing(
    client: TestClient, database: Database
) -> None:
    ticket = client.post("/api/v1/stream/ticket", headers=bearer(client, "medic")).json()["ticket"]
    late = datetime.now(UTC) + timedelta(seconds=database.settings.stream_ticket_seconds + 1)
    assert redeem_stream_ticket(database.engine, ticket, now=late) is None


def test_a_token_in_the_stream_url_is_refused(client: TestClient) -> None:
    token = bearer(client, "medic")["Authorization"].removeprefix("Bearer ")
    response = client.get("/api/v1/stream", params={"access_token": token})
    assert (response.status_code, response.json()["detail"][0]["field"]) == (401, "access_token")


# --- A phone reported lost: revoked with the reason, told to wipe itself ------------------------


def test_a_device_token_revoked_as_lost_is_answered_with_a_wipe_signal_and_listed_as_lost(
    client: TestClient, newcomer: str
) -> None:
    shift = bearer(client, newcomer)
    lost = device_token(client, shift, password=PASSWORD, device="lost-phone")[1]["access_token"]
    plain = device_token(client, shift, password=PASSWORD, device="old-phone")[1]["access_token"]
    listed = client.get("/api/v1/auth/device-tokens", headers=shift).json()["records"]
    ids = {r["device"]: r["token_id"] for r in listed}
    reported = client.delete(f"/api/v1/auth/device-tokens/{ids['lost-phone']}",
                             params={"lost": "true"}, headers=shift)  # fmt: skip
    retired = client.delete(f"/api/v1/auth/device-tokens/{ids['old-phone']}", headers=shift)
    after = client.get("/api/v1/auth/device-tokens", headers=shift).json()["records"]
    lost_answer = client.get("/api/v1/auth/me", headers=as_bearer(lost))
    plain_answer = client.get("/api/v1/auth/me", headers=as_bearer(plain))
    assert (reported.status_code, retired.status_code) == (204, 204)
    assert lost_answer.status_code == 401
    assert lost_answer.json()["detail"] == [
        {"field": "authorization", "reason": "device reported lost", "code": "device_lost"}
    ]
    # An ordinary revocation says nothing about wiping: only a phone reported lost is told to.
    assert plain_answer.status_code == 401
    assert "code" not in plain_answer.json()["detail"][0]
    assert {r["device"]: (r["revoked"], r["lost"]) for r in after} == {
        "lost-phone": (True, True),
        "old-phone": (True, False),
    }


def test_revoke_token_lost_reports_a_phone_lost_from_the_command_line(
    client: TestClient, database: Database, newcomer: str
) -> None:
    shift = bearer(client, newcomer)
    token = device_token(client, shift, password=PASSWORD, device="lost-phone")[1]["access_token"]
    listed = goldenhour("users", "tokens", newcomer, "--json", "--database-url", database.url)
    token_id = json.loads(listed.stdout)[0]["token_id"]
    revoked = goldenhour("users", "revoke-token", token_id, "--lost",
                         "--database-url", database.url)  # fmt: skip
    again = goldenhour("users", "tokens", newcomer, "--json", "--database-url", database.url)
    answer = client.get("/api/v1/auth/me", headers=as_bearer(token))
    assert (revoked.returncode, revoked.stdout) == (
        0,
        "revoked the token of device lost-phone"
        " (reported lost: it wipes itself at its next contact)\n",
    ), revoked.stderr
    assert json.loads(again.stdout)[0]["lost"] is True
    assert answer.json()["detail"][0]["code"] == "device_lost"
