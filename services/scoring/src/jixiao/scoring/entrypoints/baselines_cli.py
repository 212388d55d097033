"""`jixiao baselines`: a year's stored figures as the `baselines` section of the next scheme.

    jixiao baselines --year 2025 [--metrics fixed_asset_investment,general_budget_revenue] [--output FILE]

Reads scoring's database (JIXIAO_SCORING_DATABASE_URL, or scoring.db in JIXIAO_DATA_DIR)
and prints YAML (`baselines:` and its entries, `domain/baselines.py` states the rule) to
paste into next year's scheme, where validation checks it as usual. Exits 2 with one line
on a bad setting or figures that cannot make one baseline.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml
from sqlalchemy.exc import SQLAlchemyError

from jixiao.common import storage
from jixiao.common.config import ConfigError
from jixiao_sdk.periods import PeriodError, parse_period

from ..adapters.repository import ScoringRepository
from ..config import scoring_database_url
from ..domain.baselines import baselines_from_figures
from ..service_layer.baselines_export import stored_figures


def add_commands(commands) -> None:
    command = commands.add_parser("baselines", help="a year's stored figures as the baselines section of the next scheme")
    command.add_argument("--year", required=True, help="the year whose figures become baselines, e.g. 2025")
    command.add_argument("--metrics", default="", help="comma-separated metric codes (default: every metric)")
    command.add_argument("--output", type=Path, help="write the YAML to this file instead of standard output")
    command.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    try:
        year = parse_period(str(options.year))
        if year.kind != "year":
            raise PeriodError("is not a year")
        engine = storage.make_engine(scoring_database_url(os.environ), setting="JIXIAO_SCORING_DATABASE_URL")
    except PeriodError as exc:
        print(f"jixiao baselines: error: --year {options.year!r}: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"jixiao baselines: error: {exc}", file=sys.stderr)
        return 2
    metrics = [m.strip() for m in options.metrics.split(",") if m.strip()] or None
    try:
        year, figures = stored_figures(ScoringRepository(engine), year, metrics)
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", exc)).splitlines()[0]
        print(f"jixiao baselines: error: cannot read stored events ({first}); is JIXIAO_SCORING_DATABASE_URL "
              "the scoring service's database?", file=sys.stderr)
        return 2
    try:
        entries = baselines_from_figures(figures)
    except ValueError as exc:
        print(f"jixiao baselines: error: {exc}", file=sys.stderr)
        return 2
    text = (f"# Baselines from the figures stored for {year.text} ({len(figures)} figures, {len(entries)} entries)\n"
            + yaml.safe_dump({"baselines": entries}, allow_unicode=True, sort_keys=False, default_flow_style=None, width=120))
    if options.output:
        options.output.write_text(text, encoding="utf-8")
        print(f"wrote {len(entries)} baselines to {options.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
