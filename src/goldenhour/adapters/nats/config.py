"""``nats-server`` configuration files for a forward node (a leaf) and a rear node (the hub)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

__all__ = ["LeafCredentials", "NatsConfig", "TlsFiles", "render"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsFiles:
    """Certificate, key and the CA that signs the other side's, for the leaf link."""

    cert_file: Path
    key_file: Path
    ca_file: Path


@dataclass(frozen=True, slots=True, kw_only=True)
class LeafCredentials:
    """A forward node's user and password on the rear hub's leaf listener."""

    user: str
    password: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NatsConfig:
    """What a node's ``nats-server`` needs: ports, its JetStream domain, and its leaf link.

    A rear node has ``leaf_listen`` (host, port) and the forward nodes' credentials; a forward
    node has ``hub_url`` (``host:port`` of the rear's leaf listener) and its own credentials.
    """

    name: str
    store_dir: Path
    host: str = "127.0.0.1"
    client_port: int
    monitor_port: int
    leaf_listen: tuple[str, int] | None = None
    forward_nodes: tuple[LeafCredentials, ...] = ()
    hub_url: str | None = None
    credentials: LeafCredentials | None = None
    tls: TlsFiles | None = None


def _quoted(value: str | Path) -> str:
    # JSON strings are valid NATS configuration strings (the format accepts JSON).
    return json.dumps(str(value))


def _tls(tls: TlsFiles, *, verify: bool) -> str:
    lines = [
        f"cert_file: {_quoted(tls.cert_file)}",
        f"key_file: {_quoted(tls.key_file)}",
        f"ca_file: {_quoted(tls.ca_file)}",
    ]
    if verify:
        lines.append("verify: true")
    return "tls {" + ", ".join(lines) + "}"


def render(config: NatsConfig) -> str:
    """Return the configuration file's text.

    The hub's leaf listener has ``no_advertise: true``: without it the hub tells each leaf its
    other addresses, and a leaf whose link goes through a relay or a tunnel reconnects around
    it (measured, issue 15). Leaf links retry every second.
    """
    lines = [
        f"server_name: {_quoted(config.name)}",
        f"listen: {_quoted(f'{config.host}:{config.client_port}')}",
        f"http: {_quoted(f'{config.host}:{config.monitor_port}')}",
        "jetstream {",
        f"  store_dir: {_quoted(config.store_dir)}",
        f"  domain: {_quoted(config.name)}",
        "}",
    ]
    if config.leaf_listen is not None:
        host, port = config.leaf_listen
        users = ", ".join(
            f"{{user: {_quoted(c.user)}, password: {_quoted(c.password)}}}"
            for c in config.forward_nodes
        )
        lines += [
            "leafnodes {",
            f"  listen: {_quoted(f'{host}:{port}')}",
            "  no_advertise: true",
        ]
        if users:
            lines.append(f"  authorization {{ users = [{users}] }}")
        if config.tls is not None:
            lines.append("  " + _tls(config.tls, verify=True))
        lines.append("}")
    if config.hub_url is not None:
        scheme = "tls" if config.tls is not None else "nats-leaf"
        url = f"{scheme}://{config.hub_url}"
        if config.credentials is not None:
            url = (
                f"{scheme}://{quote(config.credentials.user, safe='')}:"
                f"{quote(config.credentials.password, safe='')}"
                f"@{config.hub_url}"
            )
        remote = f"url: {_quoted(url)}"
        if config.tls is not None:
            remote += ", " + _tls(config.tls, verify=False)
        lines += ["leafnodes {", '  reconnect: "1s"', f"  remotes = [ {{ {remote} }} ]", "}"]
    return "\n".join(lines) + "\n"
