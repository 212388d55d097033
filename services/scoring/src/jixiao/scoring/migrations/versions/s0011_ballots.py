"""Democratic evaluation ballots: codes (keyed hashes), ballots, the last counts, the audit trail.

Revision ID: s0011
Revises: s0010
"""
import sqlalchemy as sa
from alembic import op

revision = "s0011"
down_revision = "s0010"
branch_labels = None
depends_on = None

_ROUND = ("scheme_code", "indicator_code", "period", "unit_id")


def _round(primary_key: bool = False) -> list[sa.Column]:
    return [sa.Column("scheme_code", sa.String(100), primary_key=primary_key, nullable=False),
            sa.Column("indicator_code", sa.String(128), primary_key=primary_key, nullable=False),
            sa.Column("period", sa.String(16), primary_key=primary_key, nullable=False),
            sa.Column("unit_id", sa.String(128), primary_key=primary_key, nullable=False),
            sa.Column("rater_group", sa.String(128), primary_key=primary_key, nullable=False)]


def upgrade() -> None:
    op.create_table(
        "scoring_ballot_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        *_round(),
        sa.Column("state", sa.String(8), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_scoring_ballot_codes_round", "scoring_ballot_codes", [*_ROUND, "rater_group"])
    op.create_table(
        "scoring_ballots",
        sa.Column("ballot_id", sa.String(32), primary_key=True),
        *_round(),
        sa.Column("ratings_json", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_scoring_ballots_round", "scoring_ballots", [*_ROUND, "rater_group"])
    op.create_table(
        "scoring_ballot_counts",
        *_round(primary_key=True),
        sa.Column("ballots", sa.Integer, nullable=False),
        sa.Column("issued", sa.Integer, nullable=False),
    )
    op.create_table(
        "scoring_ballot_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        *_round(),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_index("ix_scoring_ballot_audit_round", "scoring_ballot_audit", list(_ROUND))


def downgrade() -> None:
    op.drop_index("ix_scoring_ballot_audit_round", table_name="scoring_ballot_audit")
    op.drop_table("scoring_ballot_audit")
    op.drop_table("scoring_ballot_counts")
    op.drop_index("ix_scoring_ballots_round", table_name="scoring_ballots")
    op.drop_table("scoring_ballots")
    op.drop_index("ix_scoring_ballot_codes_round", table_name="scoring_ballot_codes")
    op.drop_table("scoring_ballot_codes")
