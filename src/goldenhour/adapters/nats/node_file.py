"""The node's settings file (``<data dir>/node/node.json``), readable by its owner only."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from goldenhour.adapters.nats.config import LeafCredentials, NatsConfig, TlsFiles
from goldenhour.domain.errors import ValidationError
from goldenhour.domain.nodes import LeafAccount, NodeRole, NodeSettings

__all__ = ["NodeFiles", "nats_config"]


class NodeFiles:
    """The node's directory: its settings, its nats-server's configuration, store and log."""

    def __init__(self, data_dir: Path) -> None:
        self.directory = data_dir / "node"
        self.path = self.directory / "node.json"

    def load(self) -> NodeSettings | None:
        """Return the node's settings, or ``None`` when the data directory is not a node's."""
        if not self.path.is_file():
            return None
        raw: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        try:
            return NodeSettings(
                **{
                    **raw,
                    "role": NodeRole(raw["role"]),
                    "account": LeafAccount(**raw["account"]) if raw.get("account") else None,
                    "forwards": tuple(LeafAccount(**f) for f in raw.get("forwards", ())),
                }
            )
        except (TypeError, ValueError, KeyError) as error:
            raise ValidationError("node.json", f"unreadable node settings: {error}") from error

    def save(self, settings: NodeSettings) -> Path:
        """Write the settings (they hold leaf passwords: mode 0600); return the file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        body = asdict(settings)
        body["role"] = settings.role.value
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(body, file, indent=2)
        return self.path


def nats_config(settings: NodeSettings, files: NodeFiles) -> NatsConfig:
    """Return the nats-server configuration a node's settings call for."""
    tls = None
    if settings.tls_cert and settings.tls_key and settings.tls_ca:
        tls = TlsFiles(
            cert_file=Path(settings.tls_cert), key_file=Path(settings.tls_key),
            ca_file=Path(settings.tls_ca),
        )  # fmt: skip
    rear = settings.role is NodeRole.REAR
    return NatsConfig(
        name=settings.name, store_dir=files.directory / "jetstream", host=settings.host,
        client_port=settings.client_port, monitor_port=settings.monitor_port,
        leaf_listen=(settings.leaf_host, settings.leaf_port) if rear else None,
        forward_nodes=tuple(
            LeafCredentials(user=f.node, password=f.password) for f in settings.forwards
        ),
        hub_url=None if rear else settings.hub,
        credentials=(
            LeafCredentials(user=settings.account.node, password=settings.account.password)
            if settings.account is not None else None
        ),
        tls=tls,
    )  # fmt: skip
