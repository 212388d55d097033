"""Changes stored but not yet rescored: ingest stores and commits, a rescorer
follows, coalescing many events of a unit into one rescoring.

Revision ID: s0005
Revises: s0004
"""
import sqlalchemy as sa
from alembic import op

revision = "s0005"
down_revision = "s0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_pending_rescores",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scheme_code", sa.String(100), nullable=False),
        sa.Column("unit_id", sa.String(128), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("metric_code", sa.String(128), nullable=False),
        sa.Column("person_id", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scoring_pending_rescores")
