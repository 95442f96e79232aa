"""Database engines: SQLite with WAL and full fsync by default, PostgreSQL for real deployments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["column_text", "is_sqlite", "make_engine", "storable_text"]


def column_text(value: str, *, max_length: int) -> str:
    """Return ``value`` fit for a plain text column on every engine: NUL written ``\\x00``, cut.

    PostgreSQL text cannot hold NUL and its ``VARCHAR(n)`` refuses longer text, where SQLite
    takes both: without this, input from a device would fail only on PostgreSQL, with a 500.
    A lone surrogate (a JavaScript string cut inside an emoji) is not UTF-8 on either engine:
    it is written ``\\ud83d``. Events keep their exact text in the JSON payload; these columns
    are copies or notes.
    """
    return storable_text(value).replace("\x00", "\\x00")[:max_length]


def storable_text(value: str) -> str:
    """Return ``value`` with each lone surrogate written as its escape (``\\ud800``).

    Only surrogates change: they are the one thing a Python string holds that no database
    driver can encode. Inside JSON text the escape is JSON's own, so the JSON reads back the same.
    """
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def is_sqlite(engine: Engine) -> bool:
    """Tell whether ``engine`` is SQLite."""
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; SQLite files get WAL, ``synchronous=FULL`` and a busy timeout.

    ``synchronous=FULL`` makes every acknowledged commit survive a crash or power loss (WAL alone
    with NORMAL may lose the last transactions on power loss). The directory is created.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling is switched off: a writer starts with BEGIN
        # IMMEDIATE (asked for with the "writer" execution option) so two writers queue
        # instead of deadlocking on a lock upgrade; readers use a plain deferred BEGIN.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    writer = connection.get_execution_options().get("writer", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")
