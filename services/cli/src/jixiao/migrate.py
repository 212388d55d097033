"""`jixiao migrate`: brings the services' databases to the installed code's schema.

Each service also migrates its own tables at start-up; running this once
before a rollout (a Kubernetes Job) keeps replicas from racing each other
and shows a failed migration as one failed command. It reads the same
variables as the services (JIXIAO_REGISTRY_DATABASE_URL,
JIXIAO_SCORING_DATABASE_URL, JIXIAO_DATA_DIR) and exits 2 with one line on
a bad setting.
"""
from __future__ import annotations

import argparse
import os
import sys

from jixiao.common import storage
from jixiao.common.config import ConfigError, database_url


def add_commands(commands) -> None:
    migrate = commands.add_parser("migrate", help="migrate the registry's and scoring's databases to this version")
    migrate.add_argument("services", nargs="*", metavar="SERVICE", help="registry and/or scoring (default: both)")
    migrate.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    from jixiao.registry import bootstrap as registry
    from jixiao.scoring import bootstrap as scoring

    targets = {
        "registry": ("JIXIAO_REGISTRY_DATABASE_URL", "registry.db", registry.MIGRATIONS, registry.VERSION_TABLE),
        "scoring": ("JIXIAO_SCORING_DATABASE_URL", "scoring.db", scoring.MIGRATIONS, scoring.VERSION_TABLE),
    }
    unknown = [name for name in options.services if name not in targets]
    if unknown:
        print(f"jixiao migrate: error: unknown service {', '.join(unknown)}; choose registry or scoring", file=sys.stderr)
        return 2
    try:
        for name in options.services or targets:
            setting, sqlite_file, migrations, version_table = targets[name]
            engine = storage.make_engine(database_url(os.environ, setting, sqlite_file), setting=setting)
            storage.upgrade(engine, migrations, version_table)
            print(f"{name}: {engine.url.render_as_string(hide_password=True)} is at the latest schema")
            engine.dispose()
    except ConfigError as exc:
        print(f"jixiao migrate: error: {exc}", file=sys.stderr)
        return 2
    return 0
