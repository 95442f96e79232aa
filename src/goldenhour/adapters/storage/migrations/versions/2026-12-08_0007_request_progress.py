"""Where a request stands, from what became of its casualties and its mission.

A request whose casualties were all handed over, or whose cards were closed (died, returned to
duty) since it was filed (``casualty_cards.delivered_at``), or whose mission reported the
hand-over, is ``handed_over``: no longer open, in the
coordinator's list and for the live plan (issue 19; before, it stayed ``requested`` forever and
the plan read it every time). ``request_casualties`` names each request's casualties, so that a
card changing finds its requests; a request's state keeps its own events' status
(``filed_status``) and its mission's (``mission_status``). The upgrade fills them for the rows
written before it; ``goldenhour db rebuild`` writes them as it replays the log.

Revision ID: 0007_request_progress
Revises: 0006_plan_facts
Create Date: 2026-12-08 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_request_progress"
down_revision: str | None = "0006_plan_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    from goldenhour.adapters.storage.projector import fill_request_progress

    op.create_table(
        "request_casualties",
        sa.Column("casualty_id", sa.String(length=36), primary_key=True),
        sa.Column("request_id", sa.String(length=36), primary_key=True),
    )
    op.create_index("ix_request_casualties_request", "request_casualties", ["request_id"])
    op.add_column("casualty_cards", sa.Column("delivered_at", sa.String(length=40), nullable=True))
    fill_request_progress(op.get_bind())


def downgrade() -> None:
    """Revert this revision (the states keep their two keys: the code before ignores them)."""
    with op.batch_alter_table("casualty_cards") as batch:
        batch.drop_column("delivered_at")
    op.drop_index("ix_request_casualties_request", table_name="request_casualties")
    op.drop_table("request_casualties")
