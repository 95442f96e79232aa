"""``goldenhour db`` on a SQLite file: the schema created, its status, projections rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import goldenhour


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'goldenhour.db'}"


def test_status_of_a_new_database_says_it_has_no_schema_and_reads_no_log(tmp_path: Path) -> None:
    result = goldenhour("db", "status", "--database-url", _url(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["schema"], report["up_to_date"], report["last_seq"]) == (None, False, None)
    assert report["expected"]


def test_upgrade_creates_the_schema_and_status_then_reads_the_empty_log(tmp_path: Path) -> None:
    upgraded = goldenhour("db", "upgrade", "--database-url", _url(tmp_path), "--json")
    assert upgraded.returncode == 0, upgraded.stderr
    change = json.loads(upgraded.stdout)
    assert change["from"] is None
    status = goldenhour("db", "status", "--database-url", _url(tmp_path))
    assert status.stdout == f"schema {change['to']} (this version needs {change['to']}); log at 0\n"
    again = goldenhour("db", "upgrade", "--database-url", _url(tmp_path))
    assert again.stdout == f"schema {change['to']} -> {change['to']}\n"


def test_rebuild_replays_the_log_on_a_current_schema(tmp_path: Path) -> None:
    assert goldenhour("db", "upgrade", "--database-url", _url(tmp_path)).returncode == 0
    result = goldenhour("db", "rebuild", "--database-url", _url(tmp_path))
    assert (result.returncode, result.stdout) == (0, "rebuilt projections from 0 events\n")


def test_rebuild_refuses_a_database_without_the_current_schema(tmp_path: Path) -> None:
    result = goldenhour("db", "rebuild", "--database-url", _url(tmp_path), "--json")
    assert result.returncode != 0
    assert "schema" in result.stderr.lower()
    assert result.stdout == ""
