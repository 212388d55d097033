"""Responsible departments' score sheets: versions, their rows, their history (append-only).

Revision ID: s0009
Revises: s0008
"""
import sqlalchemy as sa
from alembic import op

revision = "s0009"
down_revision = "s0008"
branch_labels = None
depends_on = None

_SHEET = ("scheme_code", "indicator_code", "period")


def _key() -> list[sa.Column]:
    return [sa.Column("scheme_code", sa.String(100), primary_key=True),
            sa.Column("indicator_code", sa.String(128), primary_key=True),
            sa.Column("period", sa.String(16), primary_key=True),
            sa.Column("version", sa.Integer, primary_key=True, autoincrement=False)]


def upgrade() -> None:
    op.create_table(
        "scoring_sheet_versions",
        *_key(),
        sa.Column("department", sa.String(128), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("signed_by", sa.String(255), nullable=False),
        sa.Column("signed_at", sa.String(40), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("review_comment", sa.Text, nullable=False),
        sa.Column("reviewed_by", sa.String(255), nullable=False),
        sa.Column("reviewed_at", sa.String(40), nullable=False),
        sa.Column("correction_reason", sa.Text, nullable=False),
    )
    op.create_table(
        "scoring_sheet_rows",
        *_key(),
        sa.Column("unit_id", sa.String(128), primary_key=True),
        sa.Column("item", sa.String(128), primary_key=True),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("basis", sa.Text, nullable=False),
        sa.Column("evidence_ref", sa.Text, nullable=False),
    )
    op.create_table(
        "scoring_sheet_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scheme_code", sa.String(100), nullable=False),
        sa.Column("indicator_code", sa.String(128), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_scoring_sheet_history_sheet", "scoring_sheet_history", list(_SHEET))


def downgrade() -> None:
    op.drop_index("ix_scoring_sheet_history_sheet", table_name="scoring_sheet_history")
    op.drop_table("scoring_sheet_history")
    op.drop_table("scoring_sheet_rows")
    op.drop_table("scoring_sheet_versions")
