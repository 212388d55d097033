"""The lifecycle of plug-in versions: who registered each and changed its
status, when and why (append-only).

Revision ID: r0002
Revises: r0001
"""
import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_plugin_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("previous_status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_registry_plugin_events_name", "registry_plugin_events", ["name"])


def downgrade() -> None:
    op.drop_index("ix_registry_plugin_events_name", table_name="registry_plugin_events")
    op.drop_table("registry_plugin_events")
