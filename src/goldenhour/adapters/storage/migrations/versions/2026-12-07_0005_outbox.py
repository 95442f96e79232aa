"""Forward and rear nodes (issue 15): the node's identity, its outbox, and receipts from nodes.

``node_identity`` holds this database's node once ``goldenhour node init`` made it one; from
then on every accepted event gets an ``outbox`` row in the same transaction, cleared when the
node's JetStream stream acknowledged it. ``node_receipts`` records which node each event
ingested from another node came from.

Revision ID: 0005_outbox
Revises: 0005_scale_indexes
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_outbox"
down_revision: str | None = "0005_scale_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "node_identity",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_node_identity"),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", _SEQ, autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("queued_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
    )
    op.create_table(
        "node_receipts",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("node", sa.String(64), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_node_receipts"),
    )
    op.create_index("ix_node_receipts_node", "node_receipts", ["node"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_node_receipts_node", table_name="node_receipts")
    op.drop_table("node_receipts")
    op.drop_table("outbox")
    op.drop_table("node_identity")
