"""Forbid TRUNCATE of the event log and the audit chain on PostgreSQL.

Row-level triggers (revision 0001) stop UPDATE and DELETE, but TRUNCATE fires only
statement-level triggers. SQLite has no TRUNCATE (its DELETE without WHERE is caught already).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 22:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("events", "audit_log")


def upgrade() -> None:
    """Apply this revision."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION goldenhour_append_only()"
        )


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
