"""What-if simulations asked: who asked what, when (the audit trail of simulations).

Revision ID: s0013
Revises: s0012
"""
import sqlalchemy as sa
from alembic import op

revision = "s0013"
down_revision = "s0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_simulations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scheme_code", sa.String(100), nullable=False),
        sa.Column("scheme_version", sa.Integer, nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("changes_json", sa.Text, nullable=False),
        sa.Column("differences", sa.Integer, nullable=False),
        sa.Column("elapsed_ms", sa.Float, nullable=False),
        sa.Column("asked_by", sa.String(255), nullable=False),
        sa.Column("asked_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_scoring_simulations_scheme", "scoring_simulations", ["scheme_code", "id"])


def downgrade() -> None:
    op.drop_index("ix_scoring_simulations_scheme", table_name="scoring_simulations")
    op.drop_table("scoring_simulations")
