"""Fixtures for the TAK tests: a fresh taky per test, one Golden Hour server, the bridge."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tak_servers import BridgeProcess, GoldenHour, TakClient, Taky


@pytest.fixture
def taky(tmp_path: Path) -> Iterator[Taky]:
    """Start a fresh taky for one test."""
    server = Taky(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def tak_client(taky: Taky) -> Iterator[Callable[..., TakClient]]:
    """Return a function that connects identified TAK clients to the test's taky."""
    clients: list[TakClient] = []

    def connect(uid: str, callsign: str | None = None) -> TakClient:
        client = TakClient(taky.port, uid=uid, callsign=callsign)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def golden_hour(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GoldenHour]:
    """Start one demo Golden Hour server for the TAK tests (every test uses fresh uids)."""
    server = GoldenHour(tmp_path_factory.mktemp("goldenhour"))
    yield server
    server.process.stop()


@pytest.fixture
def bridge(taky: Taky, golden_hour: GoldenHour, tmp_path: Path) -> Iterator[BridgeProcess]:
    """Start the bridge between the test's taky and the Golden Hour server."""
    process = BridgeProcess(taky=taky, server=golden_hour, directory=tmp_path)
    process.start()
    yield process
    process.stop()
    if os.environ.get("TAK_TEST_LOGS"):
        print(process.tail())
