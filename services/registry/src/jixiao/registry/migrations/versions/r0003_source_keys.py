"""The data feeds' signing keys: the public key of each, the source it signs
for ("*" for a relay key), who created it and when, and its revocation.

Revision ID: r0003
Revises: r0002
"""
import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_source_keys",
        sa.Column("key_id", sa.String(64), primary_key=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("public_key", sa.LargeBinary(32), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(200), nullable=False),
        sa.Column("revoked_reason", sa.Text, nullable=False),
    )
    op.create_index("ix_registry_source_keys_source", "registry_source_keys", ["source"])


def downgrade() -> None:
    op.drop_index("ix_registry_source_keys_source", table_name="registry_source_keys")
    op.drop_table("registry_source_keys")
