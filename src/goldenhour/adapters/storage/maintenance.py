"""The SQL database as ``services.maintenance`` sees it: schema revisions, log, projections."""

from __future__ import annotations

from sqlalchemy import Engine

from goldenhour.adapters.storage import schema
from goldenhour.adapters.storage.event_log import SqlEventLog
from goldenhour.adapters.storage.projector import rebuild

__all__ = ["SqlMaintenance"]


class SqlMaintenance:
    """Maintenance tasks on one SQLite or PostgreSQL database (``services.maintenance.Store``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def current_revision(self) -> str | None:
        """Return the schema revision the database is at, ``None`` when it has none."""
        return schema.current_revision(self.engine)

    def head_revision(self) -> str:
        """Return the newest schema revision this code knows."""
        return schema.head_revision()

    def upgrade(self) -> str:
        """Bring the schema up to the newest revision and return it."""
        return schema.upgrade(self.engine)

    def require_current(self) -> None:
        """Raise ``SchemaMismatchError`` unless the schema is at the newest revision."""
        schema.require_current(self.engine)

    def last_seq(self) -> int:
        """Return the sequence number of the log's last event (0 for an empty log)."""
        return SqlEventLog(self.engine).last_seq()

    def rebuild_projections(self) -> int:
        """Empty every projection, replay the log into it and return the events replayed."""
        # The log's own write transaction: on PostgreSQL it holds the writers' advisory lock, so
        # a rebuild never interleaves with batches a running server is appending.
        with SqlEventLog(self.engine).writer() as writer:
            return rebuild(writer.connection)
