"""The bridge's state file: the mirror and its cursor, ATAK markers read, markers still to file.

Written whole to a temporary file and renamed over the old one (atomic on POSIX), so a bridge
killed at any moment finds either the previous state or the new one. A state file made for
another Golden Hour server is refused: its cursor would mean nothing there.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from goldenhour.bridges.tak.errors import BridgeStateError
from goldenhour.bridges.tak.mirror import Mirror
from goldenhour.bridges.tak.picture import Origin

__all__ = ["BridgeState", "load_state", "save_state"]

_VERSION = 1
#: Refusals kept for the operator to read in the state file (the server keeps every one).
MAX_REFUSALS = 100


@dataclass(slots=True, kw_only=True)
class BridgeState:
    """Everything the bridge needs to resume where it stopped."""

    server: str
    mirror: Mirror = field(default_factory=Mirror)
    origins: dict[UUID, Origin] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)  # CoT uid -> marker XML to file
    refusals: list[dict[str, Any]] = field(default_factory=list)


def load_state(path: Path, *, server: str) -> BridgeState:
    """Read the state file, or start afresh when there is none.

    Raises ``BridgeStateError`` when it cannot be read or belongs to another server.
    """
    if not path.exists():
        return BridgeState(server=server)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != _VERSION:
            raise BridgeStateError(str(path), f"version {data.get('version')!r} is not {_VERSION}")
        if data.get("server") != server:
            raise BridgeStateError(
                str(path), f"belongs to {data.get('server')!r}, not {server!r}: use another file"
            )
        return BridgeState(
            server=server,
            mirror=Mirror.from_json(data["mirror"]),
            origins={
                UUID(key): Origin(uid=str(value["uid"]), xml=str(value["xml"]))
                for key, value in data.get("origins", {}).items()
            },
            pending={str(k): str(v) for k, v in data.get("pending", {}).items()},
            refusals=list(data.get("refusals", []))[-MAX_REFUSALS:],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        if isinstance(error, BridgeStateError):
            raise
        raise BridgeStateError(str(path), f"cannot be read ({error})") from None


def save_state(path: Path, state: BridgeState) -> None:
    """Write the state file atomically. Raises ``BridgeStateError`` if it cannot be written."""
    data = {
        "version": _VERSION,
        "server": state.server,
        "mirror": state.mirror.to_json(),
        "origins": {
            str(key): {"uid": origin.uid, "xml": origin.xml}
            for key, origin in state.origins.items()
        },
        "pending": state.pending,
        "refusals": state.refusals[-MAX_REFUSALS:],
    }
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        raise BridgeStateError(
            str(path), f"cannot be written ({error.strerror or error})"
        ) from None
