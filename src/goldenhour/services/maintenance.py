"""Database maintenance: bring the schema up to date, say where it stands, rebuild projections.

The command line's ``goldenhour db`` calls these; the store they run on is built by the wiring
(``adapters.storage.maintenance.SqlMaintenance``), so the commands never open a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["SchemaChange", "SchemaStatus", "Store", "rebuild_projections", "schema_status",
           "upgrade_schema"]  # fmt: skip


class Store(Protocol):
    """The database a maintenance task runs on: its schema, its log, its projections."""

    def current_revision(self) -> str | None:
        """Return the schema revision the database is at, ``None`` when it has none."""
        ...

    def head_revision(self) -> str:
        """Return the newest schema revision this code knows."""
        ...

    def upgrade(self) -> str:
        """Bring the schema up to the newest revision and return it."""
        ...

    def require_current(self) -> None:
        """Raise ``SchemaMismatchError`` unless the schema is at the newest revision."""
        ...

    def last_seq(self) -> int:
        """Return the sequence number of the log's last event (0 for an empty log)."""
        ...

    def rebuild_projections(self) -> int:
        """Empty every projection, replay the log into it and return the events replayed."""
        ...


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """What an upgrade did: the revision before (``None``: no schema) and after."""

    before: str | None
    after: str


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """Where the database stands; ``last_seq`` is known only on a current schema."""

    current: str | None
    expected: str
    last_seq: int | None

    @property
    def up_to_date(self) -> bool:
        """Say whether the schema is at the revision this code needs."""
        return self.current == self.expected


def upgrade_schema(store: Store) -> SchemaChange:
    """Create the schema, or bring it up to the newest revision."""
    before = store.current_revision()
    return SchemaChange(before=before, after=store.upgrade())


def schema_status(store: Store) -> SchemaStatus:
    """Return the schema revision, the one this code needs, and the log's length when current.

    The log is not read on another revision: its tables may not be the ones this code knows.
    """
    current, expected = store.current_revision(), store.head_revision()
    last_seq = store.last_seq() if current == expected else None
    return SchemaStatus(current=current, expected=expected, last_seq=last_seq)


def rebuild_projections(store: Store) -> int:
    """Rebuild every projection from the log on a current schema; return the events replayed."""
    store.require_current()
    return store.rebuild_projections()
