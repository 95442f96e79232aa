"""A node's nats-server that cannot start says why, in the error the operator reads."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from goldenhour.adapters.nats.config import NatsConfig
from goldenhour.adapters.nats.process import NatsServer
from goldenhour.bench.throwaway_postgres import free_port
from goldenhour.domain.nodes import NodeLinkError


def test_a_taken_client_port_is_named_in_the_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))
        taken.listen(1)
        port = int(taken.getsockname()[1])
        server = NatsServer(
            NatsConfig(
                name="fwd", store_dir=tmp_path / "js", client_port=port, monitor_port=free_port()
            ),
            config_path=tmp_path / "fwd.conf",
            log_path=tmp_path / "fwd.log",
        )
        with pytest.raises(NodeLinkError) as raised:
            server.start()
    message = str(raised.value)
    assert "address already in use" in message.lower(), message
    assert str(tmp_path / "fwd.log") in message


def test_a_server_that_starts_is_reached_on_its_client_port(tmp_path: Path) -> None:
    server = NatsServer(
        NatsConfig(
            name="fwd", store_dir=tmp_path / "js", client_port=free_port(), monitor_port=free_port()
        ),
        config_path=tmp_path / "fwd.conf",
        log_path=tmp_path / "fwd.log",
    )
    server.start()
    try:
        with socket.create_connection(("127.0.0.1", server.config.client_port), 2) as client:
            assert client.recv(4).startswith(b"INFO")
    finally:
        server.stop()
    assert server.last_words() != "no log"
