"""A leader's own deductions (work-style violations) beside the personal evaluation.

Revision ID: s0007
Revises: s0006
"""
import sqlalchemy as sa
from alembic import op

revision = "s0007"
down_revision = "s0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scoring_person_scores") as table:
        table.add_column(sa.Column("deduction_points", sa.Float, nullable=False, server_default="0"))
        table.add_column(sa.Column("deduction_explanation", sa.Text, nullable=False, server_default=""))
        table.add_column(sa.Column("deduction_evidence_json", sa.Text, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("scoring_person_scores") as table:
        table.drop_column("deduction_evidence_json")
        table.drop_column("deduction_explanation")
        table.drop_column("deduction_points")
