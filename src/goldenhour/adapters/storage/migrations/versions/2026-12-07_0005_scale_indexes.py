"""Indexes for the orders and filters the reads use, so a page costs the same at any size.

The casualty list reads the newest changes first (``updated_seq``), of one status or precedence,
or in a viewport (``lon``, ``lat``); the operational lists read a stream in order of change.
Without these, a page of 50 cards was a scan and a sort of every card (issue 19).

Revision ID: 0005_scale_indexes
Revises: 0005_registry
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_scale_indexes"
down_revision: str | None = "0005_registry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (
    ("ix_casualty_cards_updated", "casualty_cards", ["updated_seq", "scope_unit"]),
    ("ix_casualty_cards_status", "casualty_cards", ["status", "updated_seq", "scope_unit"]),
    ("ix_casualty_cards_precedence", "casualty_cards", ["precedence", "updated_seq"]),
    ("ix_casualty_cards_position", "casualty_cards", ["lon", "lat"]),
    ("ix_streams_updated", "streams", ["stream", "updated_seq"]),
)


def upgrade() -> None:
    """Apply this revision."""
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    """Revert this revision."""
    for name, table, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
