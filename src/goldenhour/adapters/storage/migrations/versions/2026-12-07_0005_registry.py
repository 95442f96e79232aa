"""The trauma registry: ``registry_rows``, ``registry_chain`` and ``registry_keys``.

One row per casualty with what the registry's figures need (docs/registry.md), the request,
pickup and handover times the operational log adds, and the export's stable random key per
casualty. The rows are a projection: after this upgrade, ``goldenhour db rebuild`` fills them
from the log.

Revision ID: 0005_registry
Revises: 0004
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_registry"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UUID = sa.String(length=36)
_TIME = sa.String(length=40)
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "registry_rows",
        sa.Column("casualty_id", _UUID, nullable=False),
        sa.Column("unit_id", _UUID, nullable=True),
        sa.Column("area", sa.String(length=16), nullable=True),
        sa.Column("population", sa.String(length=16), nullable=True),
        sa.Column("battle_loss", sa.Boolean(), nullable=True),
        sa.Column("injured_at", _TIME, nullable=True),
        sa.Column("first_event_at", _TIME, nullable=True),
        sa.Column("reference_at", _TIME, nullable=True),
        sa.Column("mechanisms", sa.Text(), nullable=False),
        sa.Column("regions", sa.Text(), nullable=False),
        sa.Column("triage_system", sa.String(length=16), nullable=True),
        sa.Column("triage_category", sa.String(length=16), nullable=True),
        sa.Column("precedence", sa.String(length=1), nullable=True),
        sa.Column("tourniquet_count", sa.Integer(), nullable=False),
        sa.Column("tourniquet_on_at", _TIME, nullable=True),
        sa.Column("tourniquet_off_at", _TIME, nullable=True),
        sa.Column("tourniquet_minutes", sa.Float(), nullable=True),
        sa.Column("tourniquets_open", sa.Integer(), nullable=False),
        sa.Column("drug_classes", sa.Text(), nullable=False),
        sa.Column("txa", sa.Boolean(), nullable=False),
        sa.Column("blood_units", sa.Integer(), nullable=False),
        sa.Column("blood_at", _TIME, nullable=True),
        sa.Column("requested_at", _TIME, nullable=True),
        sa.Column("picked_up_at", _TIME, nullable=True),
        sa.Column("arrived_at", _TIME, nullable=True),
        sa.Column("surgery_at", _TIME, nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("outcome_at", _TIME, nullable=True),
        sa.Column("newest_input_at", _TIME, nullable=True),
        # What the row brings to the figures (figures.row_facts), typed for counting in SQL.
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("reference_day", sa.String(length=10), nullable=True),
        sa.Column("triage_cell", sa.String(length=16), nullable=False),
        sa.Column("tourniquet_cell", sa.String(length=16), nullable=True),
        sa.Column("tourniquet_over_2h", sa.Boolean(), nullable=False),
        sa.Column("injury_to_tourniquet_minutes", sa.Float(), nullable=True),
        sa.Column("injury_to_request_minutes", sa.Float(), nullable=True),
        sa.Column("request_to_pickup_minutes", sa.Float(), nullable=True),
        sa.Column("pickup_to_facility_minutes", sa.Float(), nullable=True),
        sa.Column("facility_to_surgery_minutes", sa.Float(), nullable=True),
        sa.Column("injury_to_facility_minutes", sa.Float(), nullable=True),
        sa.Column("updated_seq", _SEQ, nullable=False),
        sa.PrimaryKeyConstraint("casualty_id", name=op.f("pk_registry_rows")),
    )
    op.create_index(op.f("ix_registry_rows_reference_at"), "registry_rows", ["reference_at"])
    op.create_table(
        "registry_chain",
        sa.Column("casualty_id", _UUID, nullable=False),
        sa.Column("requested_at", _TIME, nullable=True),
        sa.Column("picked_up_at", _TIME, nullable=True),
        sa.Column("arrived_at", _TIME, nullable=True),
        sa.PrimaryKeyConstraint("casualty_id", name=op.f("pk_registry_chain")),
    )
    op.create_table(
        "registry_keys",
        sa.Column("casualty_id", _UUID, nullable=False),
        sa.Column("export_key", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("casualty_id", name=op.f("pk_registry_keys")),
        sa.UniqueConstraint("export_key", name=op.f("uq_registry_keys_export_key")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("registry_keys")
    op.drop_table("registry_chain")
    op.drop_index(op.f("ix_registry_rows_reference_at"), table_name="registry_rows")
    op.drop_table("registry_rows")
