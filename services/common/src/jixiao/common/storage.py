"""SQL storage shared by the services: engines, migrations, idempotent inserts.

SQLite (a file under the data directory) is the embedded default and
PostgreSQL the production store; the same code and migrations serve both.
Each service owns its tables and its own Alembic migration history (with
its own version table), so the services can share one PostgreSQL database
or use one each.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from . import telemetry
from .config import ConfigError, hide_password


def make_engine(url: str, *, setting: str = "database URL") -> Engine:
    """Creates an engine and checks that the database answers. With tracing
    on, the statements it runs for a gRPC call are spans of that call."""
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise ConfigError(f"{setting}: cannot use {hide_password(url)!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(f"{setting}: cannot connect to {engine.url.render_as_string(hide_password=True)}: {reason}") from None
    telemetry.trace_statements(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, connection_record):  # noqa: ARG001 - SQLAlchemy event signature
    # WAL lets the gRPC readers see committed data while the consumer writes;
    # the busy timeout makes writers wait for each other instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(migrations_dir: Path, version_table: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.attributes["version_table"] = version_table
    return config


def upgrade(engine: Engine, migrations_dir: Path, version_table: str, revision: str = "head") -> None:
    """Brings the service's tables to `revision` (idempotent)."""
    config = alembic_config(migrations_dir, version_table)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Replicas starting together migrate one at a time; the others
            # then find the schema at head. (SQLite serialises writers itself.)
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": version_table})
        elif connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
            # Python's sqlite3 opens a transaction only before INSERT, UPDATE or DELETE, so
            # CREATE TABLE would commit at once: a crash in the middle of the first migration
            # left some tables and no version, and the next start failed ("table … already
            # exists"). One explicit transaction makes the migration all or nothing; the
            # commit at the end of the block ends it.
            connection.exec_driver_sql("BEGIN")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def insert_ignoring_duplicates(table: Table, engine: Engine):
    """An INSERT that skips rows whose primary key is already stored."""
    if engine.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()
