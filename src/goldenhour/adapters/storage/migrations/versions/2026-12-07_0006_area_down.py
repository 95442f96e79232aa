"""Forward and rear nodes (issue 15): what the rear sent each forward node of its area.

``node_area_cursor`` is how far in the rear's log the area router went for each forward node;
``node_area_records`` the casualties, requests and missions sent to each in full, whose later
events go down to it wherever they were written.

Revision ID: 0006_area_down
Revises: 0005_outbox
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_area_down"
down_revision: str | None = "0005_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "node_area_cursor",
        sa.Column("node", sa.String(64), nullable=False),
        sa.Column("after_seq", _SEQ, nullable=False),
        sa.PrimaryKeyConstraint("node", name="pk_node_area_cursor"),
    )
    op.create_table(
        "node_area_records",
        sa.Column("node", sa.String(64), nullable=False),
        sa.Column("stream", sa.String(16), nullable=False),
        sa.Column("stream_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("node", "stream", "stream_id", name="pk_node_area_records"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("node_area_records")
    op.drop_table("node_area_cursor")
