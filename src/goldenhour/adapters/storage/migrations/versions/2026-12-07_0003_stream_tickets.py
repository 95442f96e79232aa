"""Stream tickets: a token may name the token it was issued against (``parent_hash``).

A stream ticket is single-use and lives seconds; the stream it opens keeps checking the bearer or
device token the ticket was issued against, so revoking that token, disabling its user or its
expiry ends the stream. The index on ``user_id`` serves the listing of a user's device tokens.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("parent_hash", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_tokens_user_id"), "tokens", ["user_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_tokens_user_id"), table_name="tokens")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("parent_hash")
