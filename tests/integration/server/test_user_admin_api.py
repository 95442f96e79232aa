"""Accounts managed by an administrator over the API (issue 17, item 11): add, reassign, reset a
password, disable, list; anyone else is refused, and each change is written under the
administrator's name. Each test runs on SQLite and on PostgreSQL (the ``client`` fixture)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from goldenhour.adapters.storage.tables import audit_log, events
from goldenhour.demo.scenario import BRIGADE, KRAMATORSK_HOSPITAL_ID, MEDICAL_COMPANY

Login = Callable[[str], dict[str, str]]
PASSWORD = "a-long-first-password"


def new_user(client: TestClient, admin: dict[str, str], **fields: Any) -> dict[str, Any]:
    body = {"username": f"medic-{uuid4().hex[:8]}", "password": PASSWORD, "role": "medic",
            "unit_id": str(MEDICAL_COMPANY), **fields}  # fmt: skip
    response = client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def log_in(client: TestClient, username: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    ).status_code


def test_an_administrator_adds_a_user_who_can_then_log_in(client: TestClient, login: Login) -> None:
    admin = login("admin")
    user = new_user(client, admin)
    assert user["role"] == "medic" and user["unit_id"] == str(MEDICAL_COMPANY)
    assert user["disabled"] is False
    assert log_in(client, user["username"], PASSWORD) == 200
    listed = client.get("/api/v1/users", headers=admin).json()["records"]
    assert user["username"] in [u["username"] for u in listed]
    assert all("password" not in key for u in listed for key in u)


def test_the_change_is_written_under_the_administrators_name_and_the_list_audited(
    client: TestClient, login: Login, seeded: Engine
) -> None:
    admin = login("admin")
    user = new_user(client, admin)
    client.get("/api/v1/users", headers=admin)
    with seeded.connect() as connection:
        written = connection.execute(
            select(events.c.kind, events.c.payload, events.c.device).where(
                events.c.stream == "user", events.c.stream_id == user["user_id"]
            )
        ).all()
        listed = connection.execute(
            select(audit_log.c.username).where(audit_log.c.action == "users_listed")
        ).all()
    assert [row.kind for row in written] == ["user_registered"]
    assert '"author": "admin"' in written[0].payload.replace('":"', '": "')
    assert ("admin",) in [tuple(row) for row in listed]


@pytest.mark.parametrize("role", ["medic", "coordinator", "facility", "analyst"])
def test_anyone_but_an_administrator_is_refused_naming_the_authorisation(
    client: TestClient, login: Login, role: str
) -> None:
    caller = login(role)
    attempts = [
        client.get("/api/v1/users", headers=caller),
        client.post("/api/v1/users", headers=caller, json={
            "username": "intruder1", "password": PASSWORD, "role": "admin",
            "unit_id": str(BRIGADE)}),
        client.post("/api/v1/users/medic/password", headers=caller, json={"password": PASSWORD}),
        client.post("/api/v1/users/medic/disable", headers=caller, json={}),
        client.put("/api/v1/users/medic/assignment", headers=caller,
                   json={"role": "admin", "unit_id": str(BRIGADE)}),
    ]  # fmt: skip
    for response in attempts:
        assert response.status_code == 403, response.text
        assert response.json()["detail"][0]["field"] == "authorization"
    assert log_in(client, "intruder1", PASSWORD) == 401
    assert log_in(client, "medic", PASSWORD) == 401  # the password was not changed


def test_a_reset_password_works_the_old_one_not_and_old_tokens_are_revoked(
    client: TestClient, login: Login
) -> None:
    admin = login("admin")
    user = new_user(client, admin)
    token = client.post(
        "/api/v1/auth/token", data={"username": user["username"], "password": PASSWORD}
    ).json()["access_token"]
    response = client.post(
        f"/api/v1/users/{user['username']}/password", headers=admin,
        json={"password": "another-long-password"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["revoked_tokens"] >= 1
    assert log_in(client, user["username"], PASSWORD) == 401
    assert log_in(client, user["username"], "another-long-password") == 200
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401


def test_a_disabled_user_cannot_log_in_and_is_listed_as_disabled(
    client: TestClient, login: Login
) -> None:
    admin = login("admin")
    user = new_user(client, admin)
    response = client.post(
        f"/api/v1/users/{user['username']}/disable", headers=admin, json={"reason": "left"}
    )
    assert response.status_code == 200, response.text
    assert log_in(client, user["username"], PASSWORD) == 401
    listed = client.get("/api/v1/users", headers=admin).json()["records"]
    assert [u["disabled"] for u in listed if u["username"] == user["username"]] == [True]


def test_a_reassigned_user_logs_in_with_the_new_role_unit_and_facility(
    client: TestClient, login: Login
) -> None:
    admin = login("admin")
    user = new_user(client, admin)
    response = client.put(
        f"/api/v1/users/{user['username']}/assignment", headers=admin,
        json={"role": "facility", "unit_id": str(BRIGADE),
              "facility_id": str(KRAMATORSK_HOSPITAL_ID)},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    token = client.post(
        "/api/v1/auth/token", data={"username": user["username"], "password": PASSWORD}
    ).json()["access_token"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert (me["role"], me["unit_id"], me["facility_id"]) == (
        "facility",
        str(BRIGADE),
        str(KRAMATORSK_HOSPITAL_ID),
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "short"}, "password"),
        ({"username": "medic"}, "username"),
        ({"role": "facility"}, "facility_id"),
        ({"unit_id": str(uuid4())}, "unit_id"),
        ({"role": "pilot"}, "role"),
    ],
)
def test_a_bad_new_account_is_refused_naming_the_field(
    client: TestClient, login: Login, change: dict[str, str], field: str
) -> None:
    body = {"username": f"medic-{uuid4().hex[:8]}", "password": PASSWORD, "role": "medic",
            "unit_id": str(MEDICAL_COMPANY), **change}  # fmt: skip
    response = client.post("/api/v1/users", json=body, headers=login("admin"))
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"][0]["field"]


def test_an_administrator_cannot_disable_or_demote_themselves(
    client: TestClient, login: Login
) -> None:
    admin = login("admin")
    disabled = client.post("/api/v1/users/admin/disable", headers=admin, json={})
    demoted = client.put(
        "/api/v1/users/admin/assignment", headers=admin,
        json={"role": "medic", "unit_id": str(BRIGADE)},
    )  # fmt: skip
    assert [disabled.status_code, demoted.status_code] == [422, 422]
    assert client.get("/api/v1/auth/me", headers=admin).status_code == 200
