"""``goldenhour node``: make this server a forward or rear node, and see its link."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from typing import Annotated

import typer

from goldenhour.cli.output import print_json, print_text
from goldenhour.cli.server_options import DatabaseUrl, DataDir
from goldenhour.domain.nodes import LeafAccount, NodeRole, NodeSettings, stream_name

node_app = typer.Typer(
    help="Forward and rear nodes: the record carried across cut links over NATS JetStream.",
    no_args_is_help=True,
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@node_app.command("init")
def init(
    role: Annotated[NodeRole, typer.Option(help="forward (near the front) or rear (the hub).")],
    name: Annotated[str, typer.Option(help="The node's name, also its JetStream domain.")],
    hub: Annotated[
        str | None, typer.Option(help="Forward: the rear's leaf address, host:port.")
    ] = None,
    rear: Annotated[
        str, typer.Option(help="Forward: the rear node's name (its JetStream domain).")
    ] = "rear",
    leaf_password_env: Annotated[
        str,
        typer.Option(help="Forward: the environment variable holding its password at the rear."),
    ] = "GOLDENHOUR_LEAF_PASSWORD",
    forward: Annotated[
        list[str] | None,
        typer.Option(help="Rear: a forward node allowed to link (repeat for each)."),
    ] = None,
    client_port: Annotated[int, typer.Option(help="The nats-server's client port.")] = 4222,
    monitor_port: Annotated[int, typer.Option(help="The nats-server's HTTP monitor port.")] = 8222,
    leaf_port: Annotated[int, typer.Option(help="Rear: the leaf listener's port.")] = 7422,
    leaf_host: Annotated[str, typer.Option(help="Rear: the leaf listener's address.")] = "0.0.0.0",
    tls_cert: Annotated[str | None, typer.Option(help="Leaf link TLS: this node's cert.")] = None,
    tls_key: Annotated[str | None, typer.Option(help="Leaf link TLS: this node's key.")] = None,
    tls_ca: Annotated[str | None, typer.Option(help="Leaf link TLS: the CA of the other.")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: Json = False,
) -> None:
    """Make this database and data directory a forward or rear node."""
    from goldenhour.cli.wiring import node_files, node_store
    from goldenhour.services.nodes.setup import configure_node

    account = None
    if role is NodeRole.FORWARD:
        account = LeafAccount(node=name, password=os.environ.get(leaf_password_env, ""))
    # Each forward node gets a fresh password at the rear, kept in the rear's node.json.
    forwards = tuple(
        LeafAccount(node=node, password=secrets.token_urlsafe(24)) for node in forward or ()
    )
    settings = NodeSettings(
        name=name, role=role, rear=rear, client_port=client_port, monitor_port=monitor_port,
        leaf_host=leaf_host, leaf_port=leaf_port, hub=hub, account=account, forwards=forwards,
        tls_cert=tls_cert, tls_key=tls_key, tls_ca=tls_ca,
    )  # fmt: skip
    path, queued = configure_node(
        node_store(data_dir, database_url), node_files(data_dir, database_url), settings,
        now=datetime.now(UTC),
    )  # fmt: skip
    if as_json:
        print_json({"node": name, "role": role.value, "settings": str(path), "queued": queued})
        return
    print_text(f"{role.value} node {name}: settings in {path}; {queued} events queued to send")
    if forwards:
        print_text(
            "Each forward node's leaf password is in that file (readable by you only); give it "
            "to the node's operator, and add an account named node-<name> (role admin) here."
        )


@node_app.command("status")
def status(
    data_dir: DataDir = None, database_url: DatabaseUrl = None, as_json: Json = False
) -> None:
    """Print the link (up or down), events waiting, lag in events and seconds, last contact."""
    from goldenhour.cli.wiring import link_probe, node_files, node_store
    from goldenhour.services.nodes.status import node_status

    settings = node_files(data_dir, database_url).load()
    if settings is None:
        raise typer.BadParameter("this data directory is not a node's: run goldenhour node init")
    probe = link_probe(f"http://{settings.host}:{settings.monitor_port}")
    found = node_status(
        node_store(data_dir, database_url), probe, stream=stream_name(settings.name),
        now=datetime.now(UTC),
    )  # fmt: skip
    report = {
        "node": settings.name,
        "role": settings.role.value,
        "nats": "up" if found.nats_up else "down",
        "link": "up" if found.link_up else "down",
        "links": [{"peer": link.peer, "rtt": link.rtt} for link in found.links],
        "outbox_events": found.outbox_events,
        "outbox_lag_seconds": found.outbox_lag_seconds,
        "peers": [
            {
                "consumer": peer.consumer,
                "lag_events": peer.lag_events,
                "lag_seconds": peer.lag_seconds,
                "last_contact": peer.last_contact.isoformat() if peer.last_contact else None,
            }
            for peer in found.peers
        ],
        "received_from": {
            node: {
                "events": got.events,
                "last_contact": got.last_received_at.isoformat() if got.last_received_at else None,
            }
            for node, got in found.received_from.items()
        },
    }
    if as_json:
        print_json(report)
        return
    print_text(
        f"{settings.role.value} node {settings.name}: nats-server {report['nats']}, "
        f"link {report['link']}"
    )
    lag = found.outbox_lag_seconds
    print_text(
        f"  waiting to leave: {found.outbox_events} events"
        + (f" (oldest {lag:.0f} s)" if lag is not None else "")
    )
    for peer in found.peers:
        contact = peer.last_contact.isoformat() if peer.last_contact else "never"
        print_text(
            f"  pulled by {peer.consumer}: {peer.lag_events} events behind, last contact {contact}"
        )
    for node, got in sorted(found.received_from.items()):
        last = got.last_received_at.isoformat() if got.last_received_at else "never"
        print_text(f"  received from {node}: {got.events} events, the last at {last}")
