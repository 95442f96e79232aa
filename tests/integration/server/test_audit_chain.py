"""The audit chain: ``goldenhour audit verify`` finds any changed, removed or reordered entry.

The chain is written through the API (a medic reads and writes the demo casualty's card), then
an attacker with access to the database drops the append-only triggers and edits the
``audit_log`` table directly. Each test works on its own copy of that database.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.audit import verify_chain
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.tables import audit_log
from goldenhour.api.app import create_app
from goldenhour.cli.wiring import seed_demo
from goldenhour.config import Settings
from goldenhour.demo.bilohorivka import DEMO_CASUALTY_ID

from cli_runner import goldenhour_process as goldenhour
from postgres import create_database

PASSWORD = "audit-chain-password"
#: The reads and the write that make the chain, in order.
READS = ["", "/tourniquets", "/nine-line", "/mist"]

#: What an attacker who dropped the triggers runs, per engine.
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"],
    "postgresql": ["DROP TRIGGER audit_log_append_only ON audit_log"],
}
#: The columns of an entry other than its place in the chain.
CONTENT = ("at", "user_id", "username", "role", "unit_id", "device", "action", "target_kind",
           "target_id", "detail", "prev_hash", "hash")  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class Chain:
    """A database whose audit chain was written through the API, and its number of entries."""

    engine_name: str
    url: str
    entries: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Copy:
    """A copy of that database for one test to change."""

    engine_name: str
    url: str
    engine: Engine
    entries: int


def _write_chain(url: str, data_dir: Path) -> None:
    engine = make_engine(url)
    schema.upgrade(engine)
    seed_demo(SqlEventLog(engine), PASSWORD)
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url, data_dir=data_dir))) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": "medic", "password": PASSWORD}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for suffix in READS:
            client.get(f"/api/v1/casualties/{DEMO_CASUALTY_ID}{suffix}", headers=headers)
        client.get("/api/v1/casualties", headers=headers)
        moment = datetime.now(UTC).isoformat()
        note = {
            "kind": "note_added", "event_id": str(uuid4()), "casualty_id": str(DEMO_CASUALTY_ID),
            "occurred_at": moment, "recorded_at": moment, "author": "medic", "device": "phone",
            "text": "dressing checked",
        }  # fmt: skip
        client.post("/api/v1/events", json={"events": [note]}, headers=headers)


def _count(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        entries = int(connection.execute(select(func.count()).select_from(audit_log)).scalar_one())
    engine.dispose()
    return entries


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def chain(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Chain:
    """Write a chain through the API once per engine."""
    data_dir = tmp_path_factory.mktemp("audit")
    url = (
        f"sqlite:///{data_dir / 'goldenhour.sqlite3'}"
        if request.param == "sqlite"
        else create_database(request.getfixturevalue("postgres_base_url"), f"audit_{uuid4().hex}")
    )
    _write_chain(url, data_dir)
    return Chain(engine_name=request.param, url=url, entries=_count(url))


def _copy_sqlite(chain: Chain, tmp_path: Path) -> str:
    target = tmp_path / "copy.sqlite3"
    with sqlite3.connect(chain.url.removeprefix("sqlite:///")) as source, sqlite3.connect(
        target
    ) as copy:  # fmt: skip
        source.backup(copy)
    return f"sqlite:///{target}"


def _copy_postgresql(chain: Chain, _tmp_path: Path) -> str:
    base, name = chain.url.rsplit("/", 1)
    copy = f"copy_{uuid4().hex}"
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return f"{base}/{copy}"


COPIERS = {"sqlite": _copy_sqlite, "postgresql": _copy_postgresql}


@pytest.fixture
def copy(chain: Chain, tmp_path: Path) -> Iterator[Copy]:
    """Return a fresh copy of the chain's database for this test alone."""
    url = COPIERS[chain.engine_name](chain, tmp_path)
    engine = make_engine(url)
    yield Copy(engine_name=chain.engine_name, url=url, engine=engine, entries=chain.entries)
    engine.dispose()


def tamper(copy: Copy, *statements: str, **parameters: Any) -> None:
    """Drop the append-only triggers, then run ``statements``, as an attacker would."""
    with copy.engine.connect().execution_options(writer=True) as connection, connection.begin():
        for statement in [*DROP_TRIGGERS[copy.engine_name], *statements]:
            connection.execute(text(statement), parameters)


def swap(copy: Copy, first: int, second: int) -> None:
    """Swap the contents of two entries, leaving each one's seq where it was."""
    query = select(audit_log).where(audit_log.c.seq.in_([first, second]))
    with copy.engine.connect() as connection:
        rows = {row.seq: row._asdict() for row in connection.execute(query)}
    assignments = ", ".join(f"{column} = :{column}_{{other}}" for column in CONTENT)
    values = {f"{column}_{seq}": rows[seq][column] for seq in (first, second) for column in CONTENT}
    tamper(
        copy,
        f"UPDATE audit_log SET {assignments.format(other=second)} WHERE seq = {first}",
        f"UPDATE audit_log SET {assignments.format(other=first)} WHERE seq = {second}",
        **values,
    )


def verify(copy: Copy, *options: str) -> Any:
    """Run ``goldenhour audit verify`` on the copy."""
    return goldenhour("audit", "verify", "--database-url", copy.url, *options)


def first_bad(copy: Copy) -> int | None:
    """Verify the copy's chain in-process, as the command does, and return the first bad entry."""
    with copy.engine.connect() as connection:
        return verify_chain(connection).first_bad_seq


def test_the_api_leaves_an_entry_for_each_read_and_write_of_a_card(chain: Chain) -> None:
    assert chain.entries >= len(READS) + 2


def test_an_untouched_chain_verifies_with_its_number_of_entries(copy: Copy) -> None:
    result = verify(copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"audit chain intact: {copy.entries} entries"


def test_a_changed_field_is_found_and_named_by_its_entry(copy: Copy) -> None:
    tamper(copy, "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 3")
    result = verify(copy)
    assert result.returncode == 2
    assert "audit chain broken at entry 3: entry 3 was changed" in result.stderr


@pytest.mark.parametrize("column", CONTENT)
def test_a_change_to_any_field_breaks_the_chain_at_that_entry(copy: Copy, column: str) -> None:
    tamper(copy, f"UPDATE audit_log SET {column} = :value WHERE seq = 3", value="0")
    assert first_bad(copy) == 3


def test_a_removed_entry_in_the_middle_is_found_and_named(copy: Copy) -> None:
    tamper(copy, "DELETE FROM audit_log WHERE seq = 3")
    result = verify(copy)
    assert result.returncode == 2
    assert "audit chain broken at entry 3: entry 3 is missing (next is 4)" in result.stderr


def test_a_removed_first_entry_breaks_the_chain_at_the_first_entry(copy: Copy) -> None:
    tamper(copy, "DELETE FROM audit_log WHERE seq = 1")
    assert first_bad(copy) == 1


def test_two_swapped_entries_are_found_at_the_first_of_them(copy: Copy) -> None:
    swap(copy, 2, 4)
    result = verify(copy)
    assert result.returncode == 2
    assert "audit chain broken at entry 2: entry 2 does not follow entry 1" in result.stderr


def test_a_broken_chain_is_reported_in_json_too(copy: Copy) -> None:
    tamper(copy, "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 5")
    result = verify(copy, "--json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert (report["intact"], report["first_bad_seq"]) == (False, 5)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 2",
        "UPDATE events SET payload = '{}' WHERE seq = 2",
        "DELETE FROM events WHERE seq = 2",
    ],
)
def test_the_database_refuses_to_change_the_log_or_the_chain(copy: Copy, statement: str) -> None:
    with (
        pytest.raises(DBAPIError, match="append-only"),
        copy.engine.connect().execution_options(writer=True) as connection,
        connection.begin(),
    ):
        connection.execute(text(statement))
    assert first_bad(copy) is None
