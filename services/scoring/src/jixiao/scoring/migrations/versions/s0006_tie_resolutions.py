"""The office's resolutions of ties at grade boundaries (append-only).

Revision ID: s0006
Revises: s0005
"""
import sqlalchemy as sa
from alembic import op

revision = "s0006"
down_revision = "s0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_tie_resolutions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scheme_code", sa.String(100), nullable=False),
        sa.Column("grading_code", sa.String(100), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("tied_ids_json", sa.Text, nullable=False),
        sa.Column("order_json", sa.Text, nullable=False),
        sa.Column("grades_json", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_index("ix_scoring_tie_resolutions_rule_period", "scoring_tie_resolutions",
                    ["scheme_code", "grading_code", "period"])


def downgrade() -> None:
    op.drop_index("ix_scoring_tie_resolutions_rule_period", table_name="scoring_tie_resolutions")
    op.drop_table("scoring_tie_resolutions")
