"""Events, schemes in use, indicator results, unit scores and counters.

Revision ID: s0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_events",
        sa.Column("event_id", sa.String(128), primary_key=True),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("unit_id", sa.String(128), nullable=False),
        sa.Column("person_id", sa.String(128), nullable=False),
        sa.Column("metric_code", sa.String(128), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("measurement_unit", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("observed_at", sa.String(40), nullable=False),
        sa.Column("reported_at", sa.String(40), nullable=False),
        sa.Column("revision_of", sa.String(128), nullable=False),
        sa.Column("evidence_ref", sa.Text, nullable=False),
        sa.Column("attributes_json", sa.Text, nullable=False),
        sa.Column("kafka_topic", sa.String(255), nullable=False),
        sa.Column("kafka_partition", sa.Integer, nullable=False),
        sa.Column("kafka_offset", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_scoring_events_unit_metric_start", "scoring_events", ["unit_id", "metric_code", "period_start"])
    op.create_table(
        "scoring_schemes",
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(100), nullable=False),
        sa.Column("document_json", sa.Text, nullable=False),
    )
    op.create_table(
        "scoring_indicator_results",
        sa.Column("scheme_code", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(128), primary_key=True),
        sa.Column("period", sa.String(16), primary_key=True),
        sa.Column("indicator_code", sa.String(128), primary_key=True),
        sa.Column("scheme_version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("raw_value", sa.Float, nullable=True),
        sa.Column("achievement", sa.Float, nullable=True),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("evidence_json", sa.Text, nullable=False),
        sa.Column("plugin_version", sa.String(255), nullable=False),
        sa.Column("veto_cap", sa.Integer, nullable=True),
        sa.Column("veto_reason", sa.Text, nullable=False),
    )
    op.create_table(
        "scoring_unit_scores",
        sa.Column("scheme_code", sa.String(100), primary_key=True),
        sa.Column("unit_id", sa.String(128), primary_key=True),
        sa.Column("period", sa.String(16), primary_key=True),
        sa.Column("scheme_version", sa.Integer, nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("dimensions_json", sa.Text, nullable=False),
        sa.Column("veto_cap", sa.Integer, nullable=True),
    )
    op.create_index("ix_scoring_unit_scores_ranking", "scoring_unit_scores", ["scheme_code", "category", "period", "total"])
    op.create_table(
        "scoring_counters",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in ("scoring_counters", "scoring_unit_scores", "scoring_indicator_results", "scoring_schemes", "scoring_events"):
        op.drop_table(table)
