"""``goldenhour node init``: make this database a forward or rear node."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from goldenhour.domain.errors import GoldenHourError, ValidationError
from goldenhour.domain.nodes import NodeRole, NodeSettings, check_node_name
from goldenhour.services.nodes.ports import NodeStore

__all__ = ["NodeAlreadySet", "NodeFiles", "configure_node", "init_node"]


class NodeAlreadySet(GoldenHourError, ValueError):
    """The database is already a node (under this or another name)."""


def init_node(store: NodeStore, *, name: str, role: NodeRole, now: datetime) -> int:
    """Make the database node ``name``; return how many events it queued for its stream.

    Events accepted before are queued too, so the rear receives the whole record.
    """
    check_node_name(name)
    existing = store.identity()
    if existing is not None:
        if existing.name == name and existing.role is role:
            return 0
        raise NodeAlreadySet(
            f"this database is already the {existing.role.value} node {existing.name!r}"
        )
    return store.make_node(name=name, role=role, now=now)


class NodeFiles(Protocol):
    """Where a node keeps its settings (they hold leaf passwords)."""

    def load(self) -> NodeSettings | None:
        """Return the node's settings, or ``None`` when there are none."""

    def save(self, settings: NodeSettings) -> Path:
        """Write the node's settings; return where."""


def configure_node(
    store: NodeStore, files: NodeFiles, settings: NodeSettings, *, now: datetime
) -> tuple[Path, int]:
    """Make the database the node ``settings`` name and write its settings.

    Returns the settings file and how many events were queued for the node's stream. A forward
    node needs the rear's leaf address and its account there; a rear node lists its forwards.
    """
    if settings.role is NodeRole.FORWARD:
        if not settings.hub:
            raise ValidationError("hub", "a forward node needs the rear's leaf address host:port")
        if settings.account is None or not settings.account.password:
            raise ValidationError("leaf_password", "a forward node needs its password at the rear")
    for forward in settings.forwards:
        check_node_name(forward.node)
    queued = init_node(store, name=settings.name, role=settings.role, now=now)
    return files.save(settings), queued
