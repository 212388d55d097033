"""Person scores: a leader's total from the unit's and the personal evaluation.

Revision ID: s0003
Revises: s0002
"""
import sqlalchemy as sa
from alembic import op

revision = "s0003"
down_revision = "s0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_person_scores",
        sa.Column("scheme_code", sa.String(100), primary_key=True),
        sa.Column("person_id", sa.String(128), primary_key=True),
        sa.Column("period", sa.String(16), primary_key=True),
        sa.Column("unit_id", sa.String(128), nullable=False),
        sa.Column("scheme_version", sa.Integer, nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("unit_total", sa.Float, nullable=False),
        sa.Column("personal_points", sa.Float, nullable=False),
        sa.Column("personal_status", sa.String(16), nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("evidence_json", sa.Text, nullable=False),
        sa.Column("plugin_version", sa.String(255), nullable=False),
        sa.Column("veto_cap", sa.Integer, nullable=True),
        sa.Column("veto_reason", sa.Text, nullable=False),
    )
    op.create_index("ix_scoring_person_scores_unit", "scoring_person_scores", ["scheme_code", "unit_id", "period"])


def downgrade() -> None:
    op.drop_table("scoring_person_scores")
