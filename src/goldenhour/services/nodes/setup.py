"""``goldenhour node init``: make this database a forward or rear node."""

from __future__ import annotations

from datetime import datetime

from goldenhour.domain.errors import GoldenHourError
from goldenhour.domain.nodes import NodeRole, check_node_name
from goldenhour.services.nodes.ports import NodeStore

__all__ = ["NodeAlreadySet", "init_node"]


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
