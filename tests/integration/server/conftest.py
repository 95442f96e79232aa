"""Fixtures for the storage and API tests: each runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from demo_login import DEMO_PASSWORD
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.api.app import create_app
from goldenhour.cli.wiring import seed_demo
from goldenhour.config import Settings

from postgres import create_database, postgres_cluster


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    """Start one throw-away PostgreSQL cluster for the whole test session."""
    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a fresh, empty database: a SQLite file, or a new database in the cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'goldenhour.sqlite3'}"
    base: str = request.getfixturevalue("postgres_base_url")
    return create_database(base, f"test_{uuid4().hex[:16]}")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Return settings for a server on the fresh database."""
    # No wall-clock deadline on the live plan: the same situation gives the same plan on a
    # loaded machine too (the deadline itself is tested in tests/unit/planning/test_deadline.py).
    return Settings(
        database_url=database_url, data_dir=tmp_path, demo_password=DEMO_PASSWORD,
        plan_deadline_ms=None,
    )  # fmt: skip


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """Return an engine on the database with the current schema."""
    created = make_engine(settings.resolved_database_url())
    schema.upgrade(created)
    yield created
    created.dispose()


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """Return the engine after the demo scenario and users were loaded."""
    seed_demo(SqlEventLog(engine), DEMO_PASSWORD)
    return engine


@pytest.fixture
def client(settings: Settings, seeded: Engine) -> Iterator[TestClient]:
    """Return a client of the app on the seeded database."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def login(client: TestClient) -> Callable[[str], dict[str, str]]:
    """Return a function that logs a demo user in and gives the request headers."""

    def headers(username: str) -> dict[str, str]:
        response = client.post(
            "/api/v1/auth/token",
            data={
                "username": username,
                "password": DEMO_PASSWORD,
                "client_id": f"{username}-device",
            },
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return headers
