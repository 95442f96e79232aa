"""Run ``goldenhour serve --demo`` as a real server process on a free port, for one test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from postgres import free_port

GOLDENHOUR = Path(sys.executable).parent / "goldenhour"


@dataclass(frozen=True, slots=True)
class Live:
    """A running server: its base URL, its database, the demo users' password and its log."""

    url: str
    database_url: str
    password: str
    log: Path


@contextmanager
def live_server(
    *, database_url: str, password: str, directory: Path, env: dict[str, str] | None = None
) -> Iterator[Live]:
    """Run the demo server on ``database_url`` (settings from ``env`` too) until the block ends.

    Everything the server prints (its access log too) goes to ``directory / "server.log"``.
    """
    port = free_port()
    log = directory / "server.log"
    output = log.open("wb")
    process = subprocess.Popen(
        [str(GOLDENHOUR), "serve", "--demo", "--data-dir", str(directory / "data"),
         "--database-url", database_url, "--port", str(port)],
        # The demo's weeks of history (the registry's past) would add seconds to each start
        # and nothing these tests look at; tests/integration/server/test_demo_history.py
        # covers it.
        env={"GOLDENHOUR_DEMO_HISTORY_WEEKS": "0", **os.environ,
             "GOLDENHOUR_DEMO_PASSWORD": password, **(env or {})},
        stdout=output, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield Live(url=url, database_url=database_url, password=password, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer within 90 s:\n{log.read_text()}")
