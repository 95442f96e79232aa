"""A head noted outside the database catches a chain cut off at the end; TRUNCATE is refused."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine

from cli_runner import goldenhour_process as goldenhour
from postgres import create_database


def _drop_audit_triggers(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))


def test_a_cut_off_tail_is_caught_by_the_head_noted_before(seeded: Engine) -> None:
    url = seeded.url.render_as_string(hide_password=False)
    noted = goldenhour("audit", "head", "--database-url", url)
    assert noted.returncode == 0, noted.stderr
    head = noted.stdout.strip()
    seq = int(head.split(":")[0])
    assert seq > 0
    _drop_audit_triggers(seeded)
    with seeded.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = :seq"), {"seq": seq})
    plain = goldenhour("audit", "verify", "--database-url", url)
    assert plain.returncode == 0, plain.stderr
    checked = goldenhour("audit", "verify", "--database-url", url, "--expect-head", head)
    assert checked.returncode == 2
    assert f"entry {seq}" in checked.stderr and "cut off or rewritten" in checked.stderr


def test_truncating_the_log_or_the_audit_chain_is_refused_on_postgresql(
    postgres_base_url: str,
) -> None:
    engine = make_engine(create_database(postgres_base_url, f"test_{uuid4().hex[:16]}"))
    schema.upgrade(engine)
    try:
        for table in ("events", "audit_log"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {table} CASCADE"))
    finally:
        engine.dispose()
