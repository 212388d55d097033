"""Each service's Alembic history creates exactly the tables its code uses."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from jixiao.common import storage
from jixiao.registry import bootstrap as registry
from jixiao.registry.adapters.sql_schema import metadata as registry_metadata
from jixiao.scoring import bootstrap as scoring
from jixiao.scoring.adapters.sql_schema import metadata as scoring_metadata


@pytest.mark.parametrize("service, metadata", [(registry, registry_metadata), (scoring, scoring_metadata)],
                         ids=["registry", "scoring"])
def test_migrations_match_the_tables(database_url, service, metadata):
    engine = storage.make_engine(database_url)
    storage.upgrade(engine, service.MIGRATIONS, service.VERSION_TABLE)
    storage.upgrade(engine, service.MIGRATIONS, service.VERSION_TABLE)  # idempotent
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": service.VERSION_TABLE})
        differences = [d for d in compare_metadata(context, metadata) if not _is_other_service_table(d, metadata)]
    assert differences == []


def _is_other_service_table(difference, metadata) -> bool:
    return difference[0] == "remove_table" and difference[1].name not in metadata.tables


def test_scheme_versions_published_before_r0004_keep_an_empty_publisher_and_reason(database_url):
    """r0004 adds who published a scheme version and why: rows published before it migrate
    with "" for both (the registry did not record them), and keep everything else."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    from jixiao.registry.adapters.repository import RegistryRepository

    engine = storage.make_engine(database_url)
    storage.upgrade(engine, registry.MIGRATIONS, registry.VERSION_TABLE, revision="r0003")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO registry_scheme_versions (code, version, year, status, digest, author, reason, document_json,"
            " created_at, published_at) VALUES ('old-2026', 1, 2026, 'published', 'sha256:old', '考核办', '年初发布',"
            " '{}', :at, :at)"), {"at": datetime(2026, 1, 2, tzinfo=UTC)})
    storage.upgrade(engine, registry.MIGRATIONS, registry.VERSION_TABLE)
    [old] = RegistryRepository(engine).list_schemes("old-2026")
    assert (old.status, old.author, old.reason, old.published_by, old.publication_reason) == (
        "published", "考核办", "年初发布", "", "")
    assert old.published_at == datetime(2026, 1, 2, tzinfo=UTC)


def test_migrate_command(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "jixiao.cli", "migrate"], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.count("is at the latest schema") == 2
    bad = subprocess.run([sys.executable, "-m", "jixiao.cli", "migrate", "scoring"], capture_output=True, text=True,
                         env={**env, "JIXIAO_SCORING_DATABASE_URL": "nonsense"})
    assert bad.returncode == 2 and bad.stderr.startswith("jixiao migrate: error: JIXIAO_SCORING_DATABASE_URL")


def test_a_migration_that_fails_half_way_on_sqlite_leaves_nothing_behind(tmp_path, monkeypatch):
    """SQLite: the first migration is one transaction, so a crash in its middle leaves no
    half-made schema that the next start would trip over ("table … already exists")."""
    from sqlalchemy import inspect

    engine = storage.make_engine(f"sqlite:///{tmp_path / 'scoring.db'}", setting="test")
    real = storage.command.upgrade

    def crash_after_the_tables(config, revision):
        real(config, revision)
        raise RuntimeError("killed")

    monkeypatch.setattr(storage.command, "upgrade", crash_after_the_tables)
    with pytest.raises(RuntimeError, match="killed"):
        storage.upgrade(engine, scoring.MIGRATIONS, scoring.VERSION_TABLE)
    assert inspect(engine).get_table_names() == []
    monkeypatch.undo()
    storage.upgrade(engine, scoring.MIGRATIONS, scoring.VERSION_TABLE)
    assert "scoring_events" in inspect(engine).get_table_names()
