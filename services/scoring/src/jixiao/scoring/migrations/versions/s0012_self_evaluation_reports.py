"""Self-evaluations per indicator, every submission kept, and work reports (述职报告), every version kept.

Revision ID: s0012
Revises: s0011
"""
import sqlalchemy as sa
from alembic import op

revision = "s0012"
down_revision = "s0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_self_scores",
        sa.Column("scheme_code", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(128), primary_key=True),
        sa.Column("period", sa.String(16), primary_key=True),
        sa.Column("indicator_code", sa.String(128), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("basis", sa.Text, nullable=False),
    )
    op.create_table(
        "scoring_self_evaluation_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scheme_code", sa.String(100), nullable=False),
        sa.Column("unit_id", sa.String(128), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("scores_json", sa.Text, nullable=False),
        sa.Column("submitted_by", sa.String(255), nullable=False),
        sa.Column("submitted_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_scoring_self_evaluation_history_unit", "scoring_self_evaluation_history",
                    ["scheme_code", "unit_id", "period"])
    op.create_table(
        "scoring_work_reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scheme_code", sa.String(100), nullable=False),
        sa.Column("unit_id", sa.String(128), nullable=False),
        sa.Column("person_id", sa.String(128), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(128), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_by", sa.String(255), nullable=False),
        sa.Column("uploaded_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_scoring_work_reports_unit", "scoring_work_reports", ["scheme_code", "unit_id", "period"])


def downgrade() -> None:
    op.drop_index("ix_scoring_work_reports_unit", table_name="scoring_work_reports")
    op.drop_table("scoring_work_reports")
    op.drop_table("scoring_self_scores")
    op.drop_index("ix_scoring_self_evaluation_history_unit", table_name="scoring_self_evaluation_history")
    op.drop_table("scoring_self_evaluation_history")
