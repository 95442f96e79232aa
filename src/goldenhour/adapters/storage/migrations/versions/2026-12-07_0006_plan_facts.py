"""What the live plan reads without folding: each waiting casualty's facts, each record's status.

``casualty_cards.evacuation`` holds the facts an evacuation plan needs of a casualty still
waiting for a vehicle (``domain.medevac.waiting``), written with the card whenever it changes;
``streams.status`` holds a record's status from its state, so that the plan reads only the open
requests and the active missions, in SQL (issue 19). The upgrade fills both for the rows
written before it; ``goldenhour db rebuild`` writes them as it replays the log.

Revision ID: 0006_plan_facts
Revises: 0006_area_down
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_plan_facts"
down_revision: str | None = "0006_area_down"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    from goldenhour.adapters.storage.projector import fill_plan_facts

    op.add_column("casualty_cards", sa.Column("evacuation", sa.Text(), nullable=True))
    op.add_column("streams", sa.Column("status", sa.String(length=32), nullable=True))
    op.create_index("ix_streams_status", "streams", ["stream", "status", "updated_seq"])
    fill_plan_facts(op.get_bind())


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_streams_status", table_name="streams")
    with op.batch_alter_table("streams") as batch:
        batch.drop_column("status")
    with op.batch_alter_table("casualty_cards") as batch:
        batch.drop_column("evacuation")
