"""A throw-away PostgreSQL cluster on a free port, for tests and benchmarks (never for data).

It runs the server binaries of Debian's ``postgresql`` package as they are installed
(``/usr/lib/postgresql/<version>/bin``), with trust authentication on 127.0.0.1 only and no
fsync at ``initdb``; the cluster and its directory are deleted when the block ends::

    with postgres_cluster() as base_url:
        url = create_database(base_url, "bench")   # postgresql+psycopg://postgres@127.0.0.1:P/bench
"""

from __future__ import annotations

import glob
import os
import random
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from goldenhour.domain.errors import GoldenHourError

__all__ = ["PostgresUnavailableError", "create_database", "free_port", "postgres_cluster"]


class PostgresUnavailableError(GoldenHourError, RuntimeError):
    """The PostgreSQL server binaries are not installed, so no cluster can be started."""


def _bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise PostgresUnavailableError(
            "PostgreSQL is not installed: run ./scripts/bootstrap --test "
            "(it runs apt-get install postgresql)"
        )
    return Path(found[-1]).parent


#: Listening ports are drawn below Linux's ephemeral range (32768-60999): a port the kernel
#: handed out for "any free port" is one it may hand the next outgoing connection too, and a
#: busy test run (two workers and the nodes' suite) lost a nats-server to that race.
_LISTEN_PORTS = range(20_000, 32_768)


def free_port() -> int:
    """Return a TCP port that was free on 127.0.0.1 a moment ago."""
    for _ in range(50):
        port = random.choice(_LISTEN_PORTS)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; as root, run it as the postgres system user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """Start a new cluster on a free port and yield its base URL; stop and delete it after.

    Raises ``PostgresUnavailableError`` when the server binaries are missing, and
    ``subprocess.CalledProcessError`` when ``initdb`` or ``pg_ctl start`` fails.
    """
    binaries = _bin()
    workdir = Path(tempfile.mkdtemp(prefix="goldenhour-pg-"))
    data, port = workdir / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
    try:
        subprocess.run(
            _as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
                          "-A", "trust", "--no-sync", "-E", "UTF8"]),
            check=True, capture_output=True,
        )  # fmt: skip
        # A test session makes a database (and an engine with its pool) per test; 100 clients,
        # the default, ran out in the full run once its integration tests grew (issue 16-19).
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={workdir}"
            " -c max_connections=400"
        )
        subprocess.run(
            _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(workdir / "pg.log"),
                          "-w", "-o", options, "start"]),
            check=True, capture_output=True,
        )  # fmt: skip
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres(
                [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            ),
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(workdir, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    """Create a database in the cluster at ``base_url`` and return its URL."""
    import psycopg
    from psycopg import sql

    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{base_url}/{name}"
