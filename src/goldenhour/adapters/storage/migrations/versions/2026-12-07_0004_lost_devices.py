"""A device token revoked because its phone was reported lost (``lost``).

Such a token is refused like any revoked one, but with its own reason, ``device reported lost``,
which tells the phone to wipe its store at its next contact.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("lost", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("lost")
