"""Real servers for the TAK tests: taky, Golden Hour and the bridge, each in a subprocess.

taky 0.10 keeps every marker until its stale time and replays it to each client that
identifies itself, so every test gets a fresh taky and fresh uids. taky imports
``pkg_resources`` only to read its own version, and setuptools is not in the lock file: the
fixture puts a two-line shim on taky's ``PYTHONPATH``.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import httpx

from goldenhour.adapters.cot import CotEvent, decode_cot

from postgres import free_port

BIN = Path(sys.executable).parent
DEMO_PASSWORD = "tak-test-password"
#: No single wait in these tests may take longer than this.
PATIENCE = 30.0
_PKG_RESOURCES_SHIM = (
    '"""taky 0.10 reads its version through pkg_resources; setuptools is not installed."""\n'
    "from importlib.metadata import PackageNotFoundError as DistributionNotFound\n"
    "from importlib.metadata import distribution as get_distribution\n"
)
_TAKY_CONF = """[taky]
bind_ip = 127.0.0.1
root_dir = .
[cot_server]
port = {port}
[dp_server]
upload_path = ./dp-user
[ssl]
enabled = false
"""


def wait_for(check: Callable[[], Any], *, what: str, timeout: float = PATIENCE) -> Any:
    """Call ``check`` until it returns something truthy; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Process:
    """A subprocess with its output in a log file, stopped by its own PID."""

    def __init__(self, command: list[str], *, cwd: Path, log: Path, env: dict[str, str]) -> None:
        self.log_path = log
        self._log: IO[bytes] = log.open("ab")
        self.popen = subprocess.Popen(
            command, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT, env=env
        )

    def alive(self) -> bool:
        """Tell whether the process still runs."""
        return self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the process with ``sig`` (SIGKILL after 10 s) and close its log."""
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()

    def tail(self) -> str:
        """Return the end of the process's output."""
        return self.log_path.read_text(errors="replace")[-4000:]


class Taky:
    """A taky 0.10 server in its own directory, on a port that survives a restart."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.root = root
        self.process: Process | None = None
        self.starts = 0

    def start(self) -> None:
        """Start a fresh taky (nothing stored) and wait for its CoT port."""
        self.starts += 1
        directory = self.root / f"taky-{self.starts}"
        (directory / "shim").mkdir(parents=True)
        (directory / "shim" / "pkg_resources.py").write_text(_PKG_RESOURCES_SHIM)
        (directory / "taky.conf").write_text(_TAKY_CONF.format(port=self.port))
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": str(directory / "shim")}
        self.process = Process(
            [str(BIN / "taky"), "-c", "taky.conf"],
            cwd=directory, log=directory / "taky.log", env=env,
        )  # fmt: skip
        wait_for(lambda: self._ready(), what=f"taky on port {self.port}", timeout=15)

    def _ready(self) -> bool:
        assert self.process is not None
        if not self.process.alive():
            raise RuntimeError(f"taky exited:\n{self.process.tail()}")
        return _port_open(self.port)

    def kill(self) -> None:
        """Kill taky with SIGKILL, as a crash or power cut would."""
        if self.process is not None:
            self.process.stop(signal.SIGKILL)
            self.process = None


class TakClient:
    """A bare TAK client: CoT XML over TCP, events split at their ``</event>`` end tag."""

    def __init__(self, port: int, *, uid: str, callsign: str | None = None) -> None:
        self.uid = uid
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.settimeout(0.2)
        self._buffer = b""
        self.received: list[bytes] = []
        self.send(sa_event(uid, callsign or uid))

    def send(self, data: bytes) -> None:
        """Send CoT bytes as they are."""
        self.sock.sendall(data)

    def _read(self) -> None:
        try:
            chunk = self.sock.recv(65536)
        except TimeoutError:
            return
        if not chunk:
            raise ConnectionError("the TAK server closed the connection")
        self._buffer += chunk
        while b"</event>" in self._buffer:
            frame, _, self._buffer = self._buffer.partition(b"</event>")
            self.received.append(frame[frame.find(b"<event") :] + b"</event>")

    def events(self) -> list[CotEvent]:
        """Return every event received so far, decoded."""
        return [decode_cot(frame) for frame in self.received]

    def wait_for_event(
        self, check: Callable[[CotEvent], bool], *, what: str, timeout: float = PATIENCE
    ) -> CotEvent:
        """Read until an event for which ``check`` holds arrives (the latest such one)."""

        def found() -> CotEvent | None:
            self._read()
            matches = [event for event in self.events() if check(event)]
            return matches[-1] if matches else None

        event: CotEvent = wait_for(found, what=what, timeout=timeout)
        return event

    def close(self) -> None:
        """Close the connection."""
        self.sock.close()


def sa_event(uid: str, callsign: str) -> bytes:
    """Return an SA event that makes taky treat the sender as an identified TAK user."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    stale = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 600))
    return (
        f'<event version="2.0" uid="{uid}" type="a-f-G-U-C" how="h-e" time="{now}" '
        f'start="{now}" stale="{stale}"><point lat="48.9" lon="38.2" hae="0" ce="10" le="10"/>'
        f'<detail><takv device="test" platform="pytest" os="linux" version="1"/>'
        f'<contact callsign="{callsign}" endpoint="*:-1:stcp"/>'
        f'<__group name="Cyan" role="Team Member"/></detail></event>'
    ).encode()


class GoldenHour:
    """``goldenhour serve --demo`` in a subprocess, with logins for the demo users."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "GOLDENHOUR_DEMO_PASSWORD": DEMO_PASSWORD,
            "GOLDENHOUR_DEMO_DRIVER": "0",  # the demo as seeded, without its live run
        }
        self.process = Process(
            [str(BIN / "goldenhour"), "serve", "--demo", "--data-dir", str(data_dir),
             "--port", str(self.port)],
            cwd=data_dir, log=data_dir / "server.log", env=env,
        )  # fmt: skip
        wait_for(self._healthy, what="the Golden Hour server", timeout=90)
        self._tokens: dict[str, str] = {}

    def _healthy(self) -> bool:
        if not self.process.alive():
            raise RuntimeError(f"the server exited:\n{self.process.tail()}")
        try:
            return httpx.get(f"{self.url}/api/v1/health", timeout=1.0).status_code == 200
        except httpx.TransportError:
            return False

    def login(self, username: str) -> dict[str, Any]:
        """Log a demo user in; return the token answer."""
        response = httpx.post(
            f"{self.url}/api/v1/auth/token",
            data={"username": username, "password": DEMO_PASSWORD, "client_id": "pytest"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        self._tokens[username] = body["access_token"]
        return body

    def get(self, username: str, path: str, **params: Any) -> Any:
        """GET an API path as a demo user and return the JSON answer."""
        if username not in self._tokens:
            self.login(username)
        response = httpx.get(
            self.url + path,
            params=params,
            headers={"Authorization": f"Bearer {self._tokens[username]}"},
            timeout=10.0,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def post_events(self, username: str, events: list[dict[str, Any]]) -> dict[str, Any]:
        """POST a batch as a demo user; every event must be accepted."""
        if username not in self._tokens:
            self.login(username)
        response = httpx.post(
            f"{self.url}/api/v1/events",
            json={"events": events},
            headers={"Authorization": f"Bearer {self._tokens[username]}"},
            timeout=10.0,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["accepted"] == len(events), body
        return body

    def request(self, request_id: UUID) -> dict[str, Any] | None:
        """Return a request as the coordinator sees it, or ``None`` while there is none."""
        records = self.get("coordinator", "/api/v1/requests")["records"]
        return next((r for r in records if r.get("request_id") == str(request_id)), None)

    def log_after(self, username: str, cursor: int) -> list[dict[str, Any]]:
        """Return every event after ``cursor`` a demo user may see."""
        found: list[dict[str, Any]] = []
        while True:
            page = self.get(username, "/api/v1/events", after=cursor, limit=1000)
            found += page["events"]
            cursor = int(page["next_cursor"])
            if not page["has_more"]:
                return found

    def cursor(self, username: str) -> int:
        """Return the end of the log as a demo user sees it."""
        events = self.log_after(username, 0)
        return max((int(e["seq"]) for e in events), default=0)


class BridgeProcess:
    """``goldenhour tak bridge`` in a subprocess, logged in as the demo coordinator."""

    def __init__(self, *, taky: Taky, server: GoldenHour, directory: Path) -> None:
        self.state_file = directory / "bridge-state.json"
        self.taky, self.server, self.directory = taky, server, directory
        self.process: Process | None = None

    def start(self) -> None:
        """Start the bridge (it resumes from its state file)."""
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "BRIDGE_PASSWORD": DEMO_PASSWORD}
        self.process = Process(
            [str(BIN / "goldenhour"), "tak", "bridge", "--tak-host", "127.0.0.1",
             "--tak-port", str(self.taky.port), "--server", self.server.url,
             "--username", "coordinator", "--password-env", "BRIDGE_PASSWORD",
             "--state-file", str(self.state_file), "--poll-seconds", "0.2",
             "--retry-max-seconds", "0.5"],
            cwd=self.directory, log=self.directory / "bridge.log", env=env,
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the bridge with SIGTERM (it saves its state and exits)."""
        if self.process is not None:
            self.process.stop()
            self.process = None

    def tail(self) -> str:
        """Return the end of the bridge's log."""
        return (self.directory / "bridge.log").read_text(errors="replace")[-4000:]


#: The uid of the bridge's own SA event (``goldenhour.bridges.tak.link.bridge_sa``).
BRIDGE_UID = "goldenhour.bridge.tak-bridge"
