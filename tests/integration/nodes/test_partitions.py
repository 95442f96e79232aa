"""Partition tests (issue 15): real nats-servers, a leaf link through a relay the test cuts.

After every cut, both sides must hold the same record: the rear holds each event the forward
node accepted, exactly once; the forward's outbox is empty; on both, the projections equal a
rebuild from the log and the audit chain verifies.
"""

from __future__ import annotations

import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from harness import Pair, wait_for
from sqlalchemy import select

from goldenhour.adapters.nats.config import TlsFiles
from goldenhour.adapters.nats.monitor import MonitorProbe
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.queries import SqlUserAccounts
from goldenhour.adapters.storage.tables import events
from goldenhour.bench.throwaway_postgres import create_database
from goldenhour.domain.operations.vocabulary import UnitKind
from goldenhour.services.admin import disable_user, register_unit


def test_events_written_on_a_forward_node_reach_the_rear_once(pair: Pair) -> None:
    """Events accepted on the forward node are ingested at the rear, each once, as the node's."""
    written = set(pair.write_forward(20))
    pair.wait_until_rear_holds(written, timeout=15)
    pair.check_converged()
    assert pair.rear.store.received_from()["fwd1"].events == 20


def test_a_one_second_cut_with_writes_on_both_sides_loses_and_doubles_nothing(pair: Pair) -> None:
    """Cut for 1 s while both sides write; after relink the rear holds every forward event."""
    before = set(pair.write_forward(5))
    pair.wait_until_rear_holds(before, timeout=15)
    pair.relay.cut()
    during = set(pair.write_forward(30))
    rear_during = set(pair.write_rear(10))
    time.sleep(1)
    # The relay carries the only link: nothing written during the cut went round it.
    assert not during & set(pair.rear.event_ids())
    pair.relay.restore()
    resumed = pair.wait_until_rear_holds(before | during, timeout=30)
    print(f"1 s cut: rear held every forward event {resumed:.2f} s after relink")
    assert rear_during <= set(pair.rear.event_ids())
    pair.check_converged()


@pytest.mark.slow
def test_a_thirty_second_cut_resumes_within_seconds_of_relink(pair: Pair) -> None:
    """Cut for 30 s while both sides write: the direct pull resumes within seconds of relink."""
    pair.wait_until_rear_holds(set(pair.write_forward(5)), timeout=15)
    pair.relay.cut()
    during: set[str] = set()
    rear_during: set[str] = set()
    for _ in range(30):
        during |= set(pair.write_forward(10))
        rear_during |= set(pair.write_rear(2))
        time.sleep(1)
    pair.relay.restore()
    resumed = pair.wait_until_rear_holds(during, timeout=60)
    print(f"30 s cut: rear held every forward event {resumed:.2f} s after relink")
    assert resumed < 10, f"resumed {resumed:.1f} s after relink"
    assert rear_during <= set(pair.rear.event_ids())
    pair.check_converged()


def test_killing_the_forward_nats_server_mid_publish_loses_and_doubles_nothing(
    pair: Pair,
) -> None:
    """``kill -9`` of the forward's nats-server while its outbox drains; restart; nothing lost."""
    pair.wait_until_rear_holds(set(pair.write_forward(5)), timeout=15)
    written: set[str] = set()
    for _ in range(5):
        written |= set(pair.write_forward(200))
    wait_for(lambda: pair.forward.outbox_size() < 1000, timeout=15)
    pair.forward.nats.kill()
    left = pair.forward.outbox_size()
    written |= set(pair.write_forward(50))  # accepted while the stream is down: kept queued
    assert pair.forward.outbox_size() >= 50
    pair.forward.nats.start()
    pair.wait_until_rear_holds(written, timeout=60)
    print(f"kill -9 with {left} events still queued: all reached the rear once")
    pair.check_converged()


def test_a_forward_node_with_the_wrong_leaf_password_is_refused(tmp_path: Path) -> None:
    """The hub's leaf listener is authenticated: a wrong password gets no link, no events."""
    pair = Pair(tmp_path, rear_url=f"sqlite:///{tmp_path / 'rear.sqlite3'}",
                forward_password="not-the-password")  # fmt: skip
    try:
        pair.start_loops(wait_for_down=False)
        unit = register_unit(
            SqlEventLog(pair.forward.engine), name="Aid post", kind=UnitKind.PLATOON,
            parent_id=None, now=datetime.now(UTC),
        )  # fmt: skip
        time.sleep(3)
        probe = MonitorProbe(f"http://127.0.0.1:{pair.forward.nats.config.monitor_port}")
        assert probe.leaf_links() == []
        assert pair.forward.outbox_size() == 0  # stored in the forward's own stream meanwhile
        with pair.rear.engine.connect() as connection:
            units_at_rear = set(connection.execute(select(events.c.stream_id)).scalars())
        assert str(unit) not in units_at_rear
        assert not pair.forward.store.received_from()  # nothing came down either
    finally:
        pair.close()


def test_disabling_a_node_account_at_the_rear_stops_its_ingest(pair: Pair) -> None:
    """The rear ingests as node-<name>: once that account is disabled, nothing more is stored."""
    pair.wait_until_rear_holds(set(pair.write_forward(3)), timeout=15)
    disable_user(
        SqlEventLog(pair.rear.engine), user_id=pair.node_account, reason="node captured",
        now=datetime.now(UTC),
    )  # fmt: skip
    written = set(pair.write_forward(5))
    time.sleep(2)
    assert not written & set(pair.rear.event_ids())


def test_killing_the_hub_mid_ingest_loses_and_doubles_nothing(pair: Pair) -> None:
    """``kill -9`` of the rear's nats-server while the rear pulls; restart; nothing lost."""
    pair.wait_until_rear_holds(set(pair.write_forward(5)), timeout=15)
    written: set[str] = set()
    for _ in range(5):
        written |= set(pair.write_forward(200))
    wait_for(lambda: len(written & set(pair.rear.event_ids())) > 0, timeout=15)
    pair.rear.nats.kill()
    held = len(written & set(pair.rear.event_ids()))
    written |= set(pair.write_forward(50))  # the forward goes on while the hub is gone
    pair.rear.nats.start()
    resumed = pair.wait_until_rear_holds(written, timeout=60)
    print(f"hub kill -9 with {held} of {len(written)} at the rear: all there {resumed:.2f} s on")
    pair.check_converged()


def _certificates(directory: Path) -> tuple[TlsFiles, TlsFiles]:
    """Make a CA and a certificate for each side of the leaf link (127.0.0.1), with openssl."""

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=golden-hour-test-ca")  # fmt: skip
    (directory / "ext.cnf").write_text(
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n"
    )
    files = []
    for side in ("rear", "fwd1"):
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{side}.key", "-out",
            f"{side}.csr", "-subj", f"/CN={side}")  # fmt: skip
        run("x509", "-req", "-in", f"{side}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", f"{side}.pem", "-days", "2",
            "-extfile", "ext.cnf")  # fmt: skip
        files.append(
            TlsFiles(
                cert_file=directory / f"{side}.pem",
                key_file=directory / f"{side}.key",
                ca_file=directory / "ca.pem",
            )  # fmt: skip
        )
    return files[0], files[1]


def test_the_leaf_link_runs_over_tls_through_a_cut(tmp_path: Path) -> None:
    """With certificates on both sides the link is TLS, verified both ways, and survives a cut."""
    certificates = tmp_path / "tls"
    certificates.mkdir()
    pair = Pair(tmp_path, rear_url=f"sqlite:///{tmp_path / 'rear.sqlite3'}",
                tls=_certificates(certificates))  # fmt: skip
    try:
        pair.start_loops()
        pair.wait_until_rear_holds(set(pair.write_forward(5)), timeout=15)
        pair.relay.cut()
        during = set(pair.write_forward(10))
        time.sleep(1)
        pair.relay.restore()
        pair.wait_until_rear_holds(during, timeout=30)
        # The hub refuses a leaf without TLS and a certificate its CA signed: the events came.
        leaf = httpx.get(
            f"http://127.0.0.1:{pair.rear.nats.config.monitor_port}/varz", timeout=60
        ).json()
        assert (leaf["leaf"]["tls_required"], leaf["leaf"]["tls_verify"]) == (True, True)
        pair.check_converged()
    finally:
        pair.close()


def test_a_user_disabled_at_the_rear_during_a_cut_is_disabled_forward_at_relink(
    pair: Pair,
) -> None:
    """Down replication: the rear disables a user while cut off; the link carries it forward."""
    forward_users = SqlUserAccounts(pair.forward.engine)
    medic = forward_users.by_name("medic2")
    assert medic is not None and not medic.disabled
    pair.relay.cut()
    disable_user(
        SqlEventLog(pair.rear.engine), user_id=pair.world.other_medic.user_id,
        reason="phone captured", now=datetime.now(UTC),
    )  # fmt: skip
    time.sleep(1)
    assert not forward_users.by_name("medic2").disabled  # type: ignore[union-attr]
    pair.relay.restore()
    wait_for(lambda: forward_users.by_name("medic2").disabled, timeout=15)  # type: ignore[union-attr]
    pair.check_converged()


@pytest.mark.slow
def test_three_forward_nodes_cut_at_once_one_of_them_down_for_the_whole_cut(
    tmp_path: Path,
) -> None:
    """Three links cut together; fwd2's nats-server is down throughout; all converge after."""
    pair = Pair(tmp_path, rear_url=f"sqlite:///{tmp_path / 'rear.sqlite3'}",
                forwards=("fwd1", "fwd2", "fwd3"))  # fmt: skip
    try:
        pair.start_loops()
        for relay in pair.relays.values():
            relay.cut()
        pair.forwards["fwd2"].nats.kill()
        written: set[str] = set()
        for _ in range(5):
            for name in pair.forwards:
                written |= set(pair.write_forward(20, node=name))
            pair.write_rear(5)
            time.sleep(1)
        assert pair.forwards["fwd2"].outbox_size() >= 100  # kept while its stream was down
        pair.forwards["fwd2"].nats.start()
        for relay in pair.relays.values():
            relay.restore()
        resumed = pair.wait_until_rear_holds(written, timeout=60)
        print(f"three forward nodes: all {len(written)} events at the rear {resumed:.2f} s on")
        pair.check_converged()
        assert {n: r.events for n, r in pair.rear.store.received_from().items()} == {
            "fwd1": 100, "fwd2": 100, "fwd3": 100,
        }  # fmt: skip
    finally:
        pair.close()


@pytest.mark.slow
def test_a_five_minute_cut_with_ten_thousand_events_forward(
    tmp_path: Path, postgres_base_url: str
) -> None:
    """Issue 15's cut: 5 min, 10,000 events on the forward node, the rear writing too."""
    pair = Pair(tmp_path, rear_url=create_database(postgres_base_url, f"rear_{uuid4().hex[:12]}"))
    try:
        pair.start_loops()
        pair.relay.cut()
        written: set[str] = set()
        ends = time.monotonic() + 300
        for _ in range(100):  # 100 batches of 100, spread over the 5 minutes
            written |= set(pair.write_forward(100))
            pair.write_rear(2)
            time.sleep(max(0.0, min(3.0, ends - time.monotonic())))
        time.sleep(max(0.0, ends - time.monotonic()))
        pair.relay.restore()
        resumed = pair.wait_until_rear_holds(written, timeout=300)
        print(f"5 min cut, {len(written)} events forward: all at the rear {resumed:.2f} s on")
        pair.check_converged()
    finally:
        pair.close()
