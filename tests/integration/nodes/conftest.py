"""Fixtures of the partition tests: a rear node (SQLite or PostgreSQL) and a forward node."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

# The projection snapshot the storage tests compare rebuilds with.
sys.path.insert(0, str(Path(__file__).parent.parent / "server"))

from harness import Pair  # noqa: E402

from goldenhour.bench.throwaway_postgres import (  # noqa: E402
    create_database,
    postgres_cluster,
)


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    """Start one throw-away PostgreSQL cluster for the partition tests."""
    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def rear_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a fresh database for the rear node: a SQLite file or a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rear.sqlite3'}"
    base: str = request.getfixturevalue("postgres_base_url")
    return create_database(base, f"rear_{uuid4().hex[:16]}")


@pytest.fixture
def pair(tmp_path: Path, rear_url: str) -> Iterator[Pair]:
    """Return a rear and a forward node joined through a relay, their loops running."""
    created = Pair(tmp_path, rear_url=rear_url)
    try:
        created.start_loops()
        yield created
    finally:
        created.close()
