"""Review of periods (states and their audit trail) and self-evaluations.

Revision ID: s0004
Revises: s0003
"""
import sqlalchemy as sa
from alembic import op

revision = "s0004"
down_revision = "s0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_period_states",
        sa.Column("scheme_code", sa.String(100), primary_key=True),
        sa.Column("period", sa.String(16), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("locked_by", sa.String(255), nullable=False),
        sa.Column("locked_at", sa.String(40), nullable=False),
        sa.Column("approved_by", sa.String(255), nullable=False),
        sa.Column("approved_at", sa.String(40), nullable=False),
        sa.Column("published_by", sa.String(255), nullable=False),
        sa.Column("published_at", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("result_digest", sa.String(64), nullable=False),
    )
    op.create_table(
        "scoring_period_actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scheme_code", sa.String(100), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("state_before", sa.String(16), nullable=False),
        sa.Column("state_after", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("result_digest", sa.String(64), nullable=False),
    )
    op.create_table(
        "scoring_self_evaluations",
        sa.Column("scheme_code", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(128), primary_key=True),
        sa.Column("period", sa.String(16), primary_key=True),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("submitted_by", sa.String(255), nullable=False),
        sa.Column("submitted_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scoring_self_evaluations")
    op.drop_table("scoring_period_actions")
    op.drop_table("scoring_period_states")
