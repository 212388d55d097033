"""Assessment teams scoring on site: rounds, teams, rosters, assigned units, assessors' entries
and points, closings, and the round's history (append-only).

Revision ID: s0010
Revises: s0009
"""
import sqlalchemy as sa
from alembic import op

revision = "s0010"
down_revision = "s0009"
branch_labels = None
depends_on = None

_ROUND = ("scheme_code", "indicator_code", "period")


def _key(*more: sa.Column) -> list[sa.Column]:
    return [sa.Column("scheme_code", sa.String(100), primary_key=True),
            sa.Column("indicator_code", sa.String(128), primary_key=True),
            sa.Column("period", sa.String(16), primary_key=True), *more]


def upgrade() -> None:
    op.create_table(
        "scoring_assessment_rounds", *_key(),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("locked_by", sa.String(255), nullable=False),
        sa.Column("locked_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "scoring_assessment_teams", *_key(sa.Column("team_code", sa.String(64), primary_key=True)),
        sa.Column("name", sa.String(255), nullable=False),
    )
    op.create_table(
        "scoring_assessment_members",
        *_key(sa.Column("team_code", sa.String(64), primary_key=True),
              sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False)),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("assessor", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("joined_at", sa.String(40), nullable=False),
        sa.Column("left_at", sa.String(40), nullable=False),
        sa.Column("replaced_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_table(
        "scoring_assessment_units", *_key(sa.Column("unit_id", sa.String(128), primary_key=True)),
        sa.Column("team_code", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "scoring_assessment_entries",
        *_key(sa.Column("unit_id", sa.String(128), primary_key=True),
              sa.Column("assessor", sa.String(64), primary_key=True)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("saved_at", sa.String(40), nullable=False),
        sa.Column("submitted_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "scoring_assessment_scores",
        *_key(sa.Column("unit_id", sa.String(128), primary_key=True),
              sa.Column("assessor", sa.String(64), primary_key=True),
              sa.Column("item", sa.String(128), primary_key=True)),
        sa.Column("points", sa.Float, nullable=False),
        sa.Column("basis", sa.Text, nullable=False),
    )
    op.create_table(
        "scoring_assessment_closings",
        *_key(sa.Column("unit_id", sa.String(128), primary_key=True),
              sa.Column("closing", sa.Integer, primary_key=True, autoincrement=False)),
        sa.Column("closed_by", sa.String(255), nullable=False),
        sa.Column("closed_at", sa.String(40), nullable=False),
        sa.Column("counted_json", sa.Text, nullable=False),
    )
    op.create_table(
        "scoring_assessment_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scheme_code", sa.String(100), nullable=False),
        sa.Column("indicator_code", sa.String(128), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("team_code", sa.String(64), nullable=False),
        sa.Column("unit_id", sa.String(128), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_scoring_assessment_history_round", "scoring_assessment_history", list(_ROUND))


def downgrade() -> None:
    op.drop_index("ix_scoring_assessment_history_round", table_name="scoring_assessment_history")
    for table in ("history", "closings", "scores", "entries", "units", "members", "teams", "rounds"):
        op.drop_table(f"scoring_assessment_{table}")
