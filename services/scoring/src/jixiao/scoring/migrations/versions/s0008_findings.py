"""The anomaly checks' findings (疑点) and the office's marks on them (append-only).

Revision ID: s0008
Revises: s0007
"""
import sqlalchemy as sa
from alembic import op

revision = "s0008"
down_revision = "s0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_findings",
        sa.Column("scheme_code", sa.String(100), primary_key=True),
        sa.Column("finding_key", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("period_to", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("unit_id", sa.String(128), nullable=False),
        sa.Column("other_unit_id", sa.String(128), nullable=False),
        sa.Column("metric_code", sa.String(128), nullable=False),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("message_zh", sa.Text, nullable=False),
        sa.Column("message_en", sa.Text, nullable=False),
        sa.Column("evidence_json", sa.Text, nullable=False),
        sa.Column("numbers_json", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("marked_by", sa.String(255), nullable=False),
        sa.Column("marked_at", sa.String(40), nullable=False),
        sa.Column("first_found_at", sa.String(40), nullable=False),
        sa.Column("last_found_at", sa.String(40), nullable=False),
        sa.Column("found_now", sa.Boolean, nullable=False),
    )
    op.create_table(
        "scoring_finding_marks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scheme_code", sa.String(100), nullable=False),
        sa.Column("finding_key", sa.String(64), nullable=False),
        sa.Column("state_before", sa.String(16), nullable=False),
        sa.Column("state_after", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_index("ix_scoring_finding_marks_finding", "scoring_finding_marks", ["scheme_code", "finding_key"])


def downgrade() -> None:
    op.drop_index("ix_scoring_finding_marks_finding", table_name="scoring_finding_marks")
    op.drop_table("scoring_finding_marks")
    op.drop_table("scoring_findings")
