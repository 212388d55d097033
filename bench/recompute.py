"""Full recompute: the time a scheme version takes to rescore its whole year.

    .venv/bin/python bench/recompute.py [--cases demo,province] [--events N] [--scale S]
                                        [--database sqlite|postgresql]

Two cases, each in a scratch database:
- demo: the demo city (108 units, 835 leaders) with N events (default
  1,000,000): the demo year drawn again with further seeds (distinct event
  ids, all valid against the scheme) until there are N;
- province: the synthetic province of bench/province.py (scale 1: 100
  regions, 10,000 units, 100,000 leaders, 10,000,000 events).

The events are checked against the scheme and bulk-loaded straight into
the scoring tables (this measures recompute, not ingest). Then, each in a
fresh child process: version 1 is adopted (the first full compute of the
year) and version 2, the same rules republished, is adopted (the full
recompute a new version triggers: every result replaced). Each reports wall
time, events/s, the child's CPU time and its peak resident set size
(VmHWM of /proc/self/status, the whole child process: interpreter,
plug-ins, scheme and the recompute itself). The baseline measured in the same run is reading
every event of the year from the same database through SQLAlchemy.
"""
from __future__ import annotations

import argparse
import itertools
import logging
import resource
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import province
import yaml
from benchkit import DATABASE_KINDS, emit, event_row, log, peak_rss_mib, scratch_database
from sqlalchemy import func, select

from jixiao.demo.build_city import DEFAULT_SEED
from jixiao.demo.events import demo_events
from jixiao.embedded.demo_feed import DEMO_SCHEME
from jixiao.registry.domain.scheme import digest, validate
from jixiao.scoring.adapters.sql_schema import events, indicator_results, person_scores, unit_scores
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.scheme_view import SchemeView
from jixiao.scoring.domain.validation import rejection_reason
from jixiao_sdk import IndicatorHost
from jixiao_sdk.periods import parse_period

LOAD_CHUNK = 10_000
PROGRESS_EVERY = 1_000_000
PLUGIN_TIMEOUT_SECONDS = 2.0  # the scoring service's default (JIXIAO_PLUGIN_TIMEOUT_SECONDS)


def demo_case(count: int) -> tuple[dict, Iterator[dict]]:
    """The demo city and `count` events: its year under seed 2026, 2027, … in turn."""
    document = yaml.load(DEMO_SCHEME.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    seeds = itertools.count(DEFAULT_SEED)
    stream = (event for seed in seeds for event in demo_events(document, seed))
    return document, itertools.islice(stream, count)


def province_case(scale: float) -> tuple[dict, Iterator[dict]]:
    demo = yaml.load(DEMO_SCHEME.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    document = province.province_scheme(province.regions_for(scale), demo)
    units = len(document["units"])
    return document, province.province_events(document, units * province.EVENTS_PER_UNIT)


def check_scheme(document: dict, host: IndicatorHost) -> None:
    """Refuses a document the registry would not publish with the installed plug-ins."""
    needs_target = frozenset(code for code in host.specs() if host.check_target(code, None))
    problems = validate(document, set(host.specs()), needs_target)
    if problems:
        raise SystemExit("the scheme would not be published: " + "; ".join(map(str, problems[:5])))


def valid_rows(stream: Iterable[dict], scheme: SchemeView, metrics: frozenset[str]) -> Iterator[dict]:
    """Event rows as ingest stores them; stops at the first event ingest would reject."""
    for offset, event in enumerate(stream):
        reason = rejection_reason(scheme, source=event["source"], unit_id=event["unit_id"],
                                  person_id=event["person_id"], metric_code=event["metric_code"],
                                  period=parse_period(event["period"]), known_metrics=metrics,
                                  value=event["value"], measurement_unit=event.get("measurement_unit", ""))
        if reason:
            raise SystemExit(f"event {event['event_id']} would be rejected: {reason}")
        yield event_row(event, offset)


def bulk_load(engine, rows: Iterator[dict]) -> int:
    """Inserts the rows in one transaction (COPY on PostgreSQL); returns how many."""
    if engine.dialect.name == "postgresql":
        return _copy_rows(engine, rows)
    loaded = 0
    with engine.begin() as connection:
        for chunk in iter(lambda: list(itertools.islice(rows, LOAD_CHUNK)), []):
            connection.execute(events.insert(), chunk)
            loaded = _progress(loaded, len(chunk))
    return loaded


def _copy_rows(engine, rows: Iterator[dict]) -> int:
    columns = [c.name for c in events.columns]
    raw = engine.raw_connection()
    loaded = 0
    try:
        with raw.cursor() as cursor, cursor.copy(f"COPY {events.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
                loaded = _progress(loaded, 1)
        raw.commit()
    finally:
        raw.close()
    return loaded


def _progress(loaded: int, more: int) -> int:
    if (loaded + more) // PROGRESS_EVERY > loaded // PROGRESS_EVERY:
        log(f"  loaded {loaded + more:,} events")
    return loaded + more


def read_seconds(engine, year: int) -> float:
    """Baseline: seconds to read every event row of the year, as recompute reads them."""
    period = parse_period(str(year))
    query = select(events).where(events.c.period_start >= period.start, events.c.period_end <= period.end)
    started = time.perf_counter()
    with engine.connect() as connection:
        for _ in connection.execution_options(yield_per=LOAD_CHUNK).execute(query).mappings():
            pass
    return time.perf_counter() - started


def adopt_in_child(database_url: str, document: dict, version: int) -> dict:
    """In a fresh process: adopts `document` as `version`; wall time, CPU time and peak RSS."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    service = build_service(database_url, IndicatorHost.discover(timeout_s=PLUGIN_TIMEOUT_SECONDS))
    before = resource.getrusage(resource.RUSAGE_SELF)
    rss_before = peak_rss_mib()
    started = time.perf_counter()
    service.adopt_scheme(document, version, digest(document))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": round(seconds, 2), "cpu_seconds": round(after.ru_utime + after.ru_stime
                                                                - before.ru_utime - before.ru_stime, 2),
            "peak_rss_mib_before": rss_before, "peak_rss_mib": peak_rss_mib()}


def timed_adoption(database_url: str, document: dict, version: int, count: int) -> dict:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        figures = pool.submit(adopt_in_child, database_url, document, version).result()
    return {**figures, "events_per_s": round(count / figures["seconds"], 1)}


def stored_counts(engine) -> dict:
    with engine.connect() as connection:
        count = lambda table, *where: connection.execute(  # noqa: E731 - a local shorthand
            select(func.count()).select_from(table).where(*where)).scalar_one()
        return {"indicator_results": count(indicator_results),
                "failed_results": count(indicator_results, indicator_results.c.status == "failed"),
                "unit_scores": count(unit_scores), "person_scores": count(person_scores)}


def run_case(name: str, document: dict, stream: Iterator[dict], kind: str, host: IndicatorHost) -> dict:
    check_scheme(document, host)
    scheme = SchemeView(document, 1)
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp, scratch_database(kind, Path(tmp), name) as url:
        service = build_service(url, host)  # creates the tables
        log(f"{name}: loading events into {kind}")
        started = time.perf_counter()
        count = bulk_load(service.engine, valid_rows(stream, scheme, frozenset(service.known_metrics)))
        load = time.perf_counter() - started
        log(f"{name}: {count:,} events loaded in {load:.0f} s; reading them back (baseline)")
        read = read_seconds(service.engine, scheme.year)
        log(f"{name}: read in {read:.1f} s; first full compute (version 1)")
        first = timed_adoption(url, document, 1, count)
        log(f"{name}: version 1 in {first['seconds']:.0f} s; recompute for version 2")
        second = timed_adoption(url, document, 2, count)
        log(f"{name}: version 2 in {second['seconds']:.0f} s")
        stored = stored_counts(service.engine)
        service.engine.dispose()
    return {
        "case": name, "database": kind, "events": count, "regions": len(document.get("regions", [])),
        "units": len(document["units"]), "persons": len(document.get("persons", [])),
        "load_seconds": round(load, 1), "read_events_per_s": round(count / read, 1),
        "first_compute": first, "new_version_recompute": second,
        "recompute_vs_read_ratio": round(second["events_per_s"] / (count / read), 4),
        **stored,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="demo,province", help="comma-separated: demo, province")
    parser.add_argument("--events", type=int, default=1_000_000, help="events of the demo case")
    parser.add_argument("--scale", type=float, default=1.0, help="size of the province case (1 = 10M events)")
    parser.add_argument("--database", choices=DATABASE_KINDS, default="sqlite")
    options = parser.parse_args(argv)
    host = IndicatorHost.discover(timeout_s=PLUGIN_TIMEOUT_SECONDS)
    builders = {"demo": lambda: demo_case(options.events), "province": lambda: province_case(options.scale)}
    results = []
    for name in options.cases.split(","):
        document, stream = builders[name]()
        results.append(run_case(name, document, stream, options.database, host))
    emit({"benchmark": "recompute", "cases": results, "parent_peak_rss_mib": peak_rss_mib()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
