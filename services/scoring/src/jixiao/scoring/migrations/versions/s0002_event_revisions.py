"""Event revisions: which event corrects which (the audit record of a revision).

Revision ID: s0002
Revises: s0001
"""
import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_event_revisions",
        sa.Column("original_id", sa.String(128), primary_key=True),
        sa.Column("revision_id", sa.String(128), nullable=False, unique=True),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("reported_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scoring_event_revisions")
