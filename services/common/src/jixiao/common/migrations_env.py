"""The body of every service's Alembic env.py.

Migrations run on the connection the service hands over (see
storage.upgrade), or on `sqlalchemy.url` when Alembic's own command line is
used by a developer writing a new revision.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import MetaData, create_engine


def run(metadata: MetaData) -> None:
    config = context.config
    version_table = config.attributes.get("version_table") or config.get_main_option("version_table")
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _migrate(connection, metadata, version_table)
    else:
        _migrate(connection, metadata, version_table)


def _migrate(connection, metadata: MetaData, version_table: str) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=version_table,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
