"""Who published a scheme version and why, beside when: versions published before
keep "" for both (the registry did not record them).

Revision ID: r0004
Revises: r0003
"""
import sqlalchemy as sa
from alembic import op

revision = "r0004"
down_revision = "r0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registry_scheme_versions") as table:
        table.add_column(sa.Column("published_by", sa.String(200), nullable=False, server_default=""))
        table.add_column(sa.Column("publication_reason", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("registry_scheme_versions") as table:
        table.drop_column("publication_reason")
        table.drop_column("published_by")
