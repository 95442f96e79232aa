"""``goldenhour node init`` and ``node status``, and servers running their own nats-server."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient
from harness import wait_for
from relay import Relay
from sqlalchemy import Engine, select

from goldenhour.adapters.passwords import hash_password
from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.engine import make_engine
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.nodes import SqlNodeStore
from goldenhour.adapters.storage.queries import SqlUserAccounts
from goldenhour.adapters.storage.tables import audit_log, events
from goldenhour.api.app import create_app
from goldenhour.bench.throwaway_postgres import free_port
from goldenhour.config import Settings
from goldenhour.domain.casualty.events import CasualtyRegistered
from goldenhour.domain.codec import encode_event
from goldenhour.domain.operations.vocabulary import Role, UnitKind
from goldenhour.services.admin import add_user, register_unit

from builders import make
from cli_runner import goldenhour

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 0.2):
            return True
    except OSError:
        return False


def _status(data_dir: Path) -> dict[str, object]:
    result = goldenhour("node", "status", "--json", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_two_servers_started_as_nodes_carry_forward_events_to_the_rear(tmp_path: Path) -> None:
    """Rear and forward made nodes by the CLI; their servers start nats-server and replicate."""
    rear_dir, forward_dir = tmp_path / "rear", tmp_path / "forward"
    engines = {}
    for data_dir in (rear_dir, forward_dir):
        engines[data_dir] = make_engine(Settings(data_dir=data_dir).resolved_database_url())
        schema.upgrade(engines[data_dir])
    brigade = register_unit(
        SqlEventLog(engines[rear_dir]), name="Brigade", kind=UnitKind.BRIGADE, parent_id=None,
        now=NOW,
    )  # fmt: skip
    add_user(
        SqlEventLog(engines[rear_dir]), username="node-fwd1", password_hash="unused",
        role=Role.ADMIN, unit_id=brigade, now=NOW,
    )  # fmt: skip
    # Written before the forward became a node: queued by node init all the same.
    before = register_unit(
        SqlEventLog(engines[forward_dir]), name="Stabilisation point", kind=UnitKind.COMPANY,
        parent_id=None, now=NOW,
    )  # fmt: skip

    leaf, rear_client, rear_monitor = free_port(), free_port(), free_port()
    made = goldenhour(
        "node", "init", "--role", "rear", "--name", "rear", "--forward", "fwd1",
        "--client-port", str(rear_client), "--monitor-port", str(rear_monitor),
        "--leaf-port", str(leaf), "--leaf-host", "127.0.0.1", "--data-dir", str(rear_dir), "--json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    rear_settings = json.loads((rear_dir / "node" / "node.json").read_text())
    assert (rear_dir / "node" / "node.json").stat().st_mode & 0o077 == 0
    password = rear_settings["forwards"][0]["password"]
    forward_client, forward_monitor = free_port(), free_port()
    made = goldenhour(
        "node", "init", "--role", "forward", "--name", "fwd1", "--hub", f"127.0.0.1:{leaf}",
        "--client-port", str(forward_client), "--monitor-port", str(forward_monitor),
        "--data-dir", str(forward_dir), "--json", env={"GOLDENHOUR_LEAF_PASSWORD": password},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["queued"] == 1

    rear_app = create_app(Settings(data_dir=rear_dir), web_dist=None)
    forward_app = create_app(Settings(data_dir=forward_dir), web_dist=None)
    with TestClient(rear_app), TestClient(forward_app):
        assert _listening(rear_client) and _listening(forward_client)
        during = register_unit(
            SqlEventLog(engines[forward_dir]), name="Aid post", kind=UnitKind.PLATOON,
            parent_id=before, now=NOW,
        )  # fmt: skip

        def rear_holds() -> bool:
            with engines[rear_dir].connect() as connection:
                ids = set(connection.execute(select(events.c.event_id)).scalars())
            return set(_unit_events(engines[forward_dir])) <= ids

        started = time.monotonic()
        wait_for(rear_holds, timeout=20)
        print(f"forward events at the rear {time.monotonic() - started:.2f} s after start")
        wait_for(lambda: _status(forward_dir)["link"] == "up", timeout=10)
        forward_status = _status(forward_dir)
        assert forward_status["nats"] == "up"
        assert forward_status["outbox_events"] == 0
        wait_for(lambda: _status(forward_dir)["peers"][0]["lag_events"] == 0, timeout=10)  # type: ignore[index]
        rear_status = _status(rear_dir)
        assert rear_status["link"] == "up"
        assert rear_status["received_from"]["fwd1"]["events"] == 2  # type: ignore[index]
        assert during is not None
    # Each server stopped its own nats-server when it stopped.
    assert not _listening(rear_client) and not _listening(forward_client)
    down = _status(forward_dir)
    assert (down["nats"], down["link"]) == ("down", "down")
    for engine in engines.values():
        engine.dispose()


def _unit_events(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(events.c.event_id)).scalars())


def test_node_init_names_what_is_missing_and_changes_nothing(tmp_path: Path) -> None:
    """A forward node without the rear's address, or a bad name, is refused naming the field."""
    engine = make_engine(Settings(data_dir=tmp_path).resolved_database_url())
    schema.upgrade(engine)
    no_hub = goldenhour(
        "node", "init", "--role", "forward", "--name", "fwd1", "--data-dir", str(tmp_path),
        env={"GOLDENHOUR_LEAF_PASSWORD": "secret"},
    )  # fmt: skip
    bad_name = goldenhour(
        "node", "init", "--role", "rear", "--name", "Rear.1", "--data-dir", str(tmp_path)
    )
    assert no_hub.returncode == 2 and "hub" in no_hub.stderr
    assert bad_name.returncode == 2 and "name" in bad_name.stderr
    assert not (tmp_path / "node" / "node.json").exists()
    assert SqlNodeStore(engine).identity() is None
    engine.dispose()


def _login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": PASSWORD, "client_id": f"{username}-device"},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@dataclass
class Nodes:
    """A rear and a forward server started as nodes, the leaf link through a relay."""

    rear: TestClient
    forward: TestClient
    relay: Relay
    rear_engine: Engine
    forward_engine: Engine


@contextmanager
def _two_servers(tmp_path: Path) -> Iterator[Nodes]:
    """Make two data directories nodes with the CLI and run their servers until the block ends.

    The rear has a brigade with a coordinator and a medic (they come down to the forward node)
    and the forward node's account; the forward's leaf link runs through a relay.
    """
    rear_dir, forward_dir = tmp_path / "rear", tmp_path / "forward"
    engines = {}
    for data_dir in (rear_dir, forward_dir):
        engines[data_dir] = make_engine(Settings(data_dir=data_dir).resolved_database_url())
        schema.upgrade(engines[data_dir])
    rear_log = SqlEventLog(engines[rear_dir])
    brigade = register_unit(
        rear_log, name="Brigade", kind=UnitKind.BRIGADE, parent_id=None, now=NOW
    )
    for username, role in (("node-fwd1", Role.ADMIN), ("coordinator", Role.COORDINATOR),
                           ("medic", Role.MEDIC)):  # fmt: skip
        add_user(
            rear_log, username=username, password_hash=hash_password(PASSWORD), role=role,
            unit_id=brigade, now=NOW,
        )  # fmt: skip
    leaf, relay_port = free_port(), free_port()
    relay = Relay(relay_port, leaf)
    made = goldenhour(
        "node", "init", "--role", "rear", "--name", "rear", "--forward", "fwd1",
        "--client-port", str(free_port()), "--monitor-port", str(free_port()),
        "--leaf-port", str(leaf), "--leaf-host", "127.0.0.1", "--data-dir", str(rear_dir),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    password = json.loads((rear_dir / "node" / "node.json").read_text())["forwards"][0]["password"]
    made = goldenhour(
        "node", "init", "--role", "forward", "--name", "fwd1", "--hub", f"127.0.0.1:{relay_port}",
        "--client-port", str(free_port()), "--monitor-port", str(free_port()),
        "--data-dir", str(forward_dir), env={"GOLDENHOUR_LEAF_PASSWORD": password},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    rear_app = create_app(Settings(data_dir=rear_dir), web_dist=None)
    forward_app = create_app(Settings(data_dir=forward_dir), web_dist=None)
    try:
        with TestClient(rear_app) as rear, TestClient(forward_app) as forward:
            forward_users = SqlUserAccounts(engines[forward_dir])
            wait_for(lambda: forward_users.by_name("medic") is not None, timeout=30)
            yield Nodes(
                rear=rear, forward=forward, relay=relay, rear_engine=engines[rear_dir],
                forward_engine=engines[forward_dir],
            )  # fmt: skip
    finally:
        relay.cut()
        for engine in engines.values():
            engine.dispose()


def test_the_views_are_told_each_nodes_link_and_the_age_of_its_data_across_a_cut(
    tmp_path: Path,
) -> None:
    """GET /api/v1/nodes/links on both servers: up, then down with its data ageing, then up."""
    with _two_servers(tmp_path) as nodes:
        rear, forward, relay = nodes.rear, nodes.forward, nodes.relay
        at = {"rear": _login(rear, "coordinator"), "forward": _login(forward, "coordinator")}

        def link(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
            response = client.get("/api/v1/nodes/links", headers=headers)
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            [peer] = body["peers"]
            return {**peer, "node_name": body["node"], "role": body["role"]}

        wait_for(lambda: link(forward, at["forward"])["link_up"], timeout=15)
        wait_for(lambda: link(rear, at["rear"])["link_up"], timeout=15)
        up = link(forward, at["forward"])
        assert (up["node_name"], up["role"], up["node"]) == ("fwd1", "forward", "rear")
        assert up["data_age_seconds"] == 0 and up["last_contact"] is not None
        assert link(rear, at["rear"])["node"] == "fwd1"

        relay.cut()
        wait_for(lambda: not link(forward, at["forward"])["link_up"], timeout=15)
        wait_for(lambda: not link(rear, at["rear"])["link_up"], timeout=15)
        time.sleep(1.5)
        down = link(forward, at["forward"])
        print(f"links: forward sees the cut, data {down['data_age_seconds']:.1f} s old")
        assert down["data_age_seconds"] >= 1.5 and down["last_contact"] is not None
        assert link(rear, at["rear"])["data_age_seconds"] >= 1.5

        # A medic's view shows no links: refused, and the refusal is audited as reads are.
        refused = forward.get("/api/v1/nodes/links", headers=_login(forward, "medic"))
        assert refused.status_code == 403
        assert refused.json()["detail"][0]["field"] == "role"
        with nodes.forward_engine.connect() as connection:
            audited = set(
                connection.execute(
                    select(audit_log.c.username, audit_log.c.action).where(
                        audit_log.c.target_kind == "node_links"
                    )
                ).all()
            )
        assert {("coordinator", "read"), ("medic", "denied_read")} <= audited

        relay.restore()
        wait_for(lambda: link(forward, at["forward"])["link_up"], timeout=20)
        assert link(forward, at["forward"])["data_age_seconds"] == 0


def test_a_server_that_is_no_node_answers_no_links(tmp_path: Path) -> None:
    """Without ``node init`` the links are empty (the views show no strip)."""
    engine = make_engine(Settings(data_dir=tmp_path).resolved_database_url())
    schema.upgrade(engine)
    unit = register_unit(
        SqlEventLog(engine), name="Brigade", kind=UnitKind.BRIGADE, parent_id=None, now=NOW
    )
    add_user(
        SqlEventLog(engine), username="coordinator", password_hash=hash_password(PASSWORD),
        role=Role.COORDINATOR, unit_id=unit, now=NOW,
    )  # fmt: skip
    with TestClient(create_app(Settings(data_dir=tmp_path), web_dist=None)) as client:
        response = client.get("/api/v1/nodes/links", headers=_login(client, "coordinator"))
    assert response.json() == {
        "node": None, "role": None, "nats_up": False, "checked_at": None, "peers": [],
    }  # fmt: skip
    engine.dispose()


def test_phones_syncing_to_the_forward_node_during_a_cut_reach_the_rear_at_relink(
    tmp_path: Path,
) -> None:
    """A medic's phone posts to the forward server over HTTP while its link is cut; at relink
    the rear holds every event, once, and the medic's phone pages them back from the forward."""
    with _two_servers(tmp_path) as nodes:
        medic = _login(nodes.forward, "medic")
        nodes.relay.cut()
        written: list[str] = []
        for _ in range(3):
            batch = [
                encode_event(
                    make(CasualtyRegistered, casualty_id=uuid4(), device="medic-device",
                         occurred_at=datetime.now(UTC), recorded_at=datetime.now(UTC))
                )
                for _ in range(10)
            ]  # fmt: skip
            answer = nodes.forward.post("/api/v1/events", json={"events": batch}, headers=medic)
            assert answer.status_code == 200 and answer.json()["accepted"] == 10, answer.text
            written += [r["event_id"] for r in answer.json()["results"]]
        time.sleep(1)
        assert not set(written) & set(_unit_events(nodes.rear_engine))  # the cut holds
        # The phone reads its own writes back from the forward node during the cut.
        page = nodes.forward.get("/api/v1/events", params={"limit": 1000}, headers=medic).json()
        assert set(written) <= {e["event"]["event_id"] for e in page["events"]}
        nodes.relay.restore()
        relinked = time.monotonic()
        wait_for(lambda: set(written) <= set(_unit_events(nodes.rear_engine)), timeout=30)
        print(f"phones: {len(written)} events at the rear {time.monotonic() - relinked:.2f} s"
              " after relink")  # fmt: skip
        at_rear = _unit_events(nodes.rear_engine)
        assert len(at_rear) == len(set(at_rear))
