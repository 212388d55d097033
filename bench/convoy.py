"""Rescoring beside a busy thread: the interpreter lock's convoy, and what the
services' switch interval (services/common/src/jixiao/common/interpreter.py) does to it.

    .venv/bin/python bench/convoy.py [--units 25] [--rounds 2] [--database sqlite|postgresql]

Scoring's rescorer reads and writes through a database driver that lets go
of the interpreter lock for every step of a statement; when another thread
of the process is busy (the consumer parsing records, a gRPC worker
answering the office), every time the rescorer wants the lock back it waits
until that thread is made to give it up: Python's switch interval, 5 ms by
default.

For each configuration, in this process and a fresh scratch database: the
synthetic province at its smallest scale (bench/province.py, 100 units) is
adopted, every unit's reports of January to March are stored and scored,
then --rounds times two new events for each of the first --units units are
stored and the time to rescore them is taken. Configurations: Python's
default interval (5 ms) and the services' (JIXIAO_SWITCH_INTERVAL_MS's
default), each alone and beside one thread running Python in a loop.

Prints one JSON object: milliseconds per unit rescored in each configuration
and `busy_vs_alone` ratios at both intervals (1.0 = no convoy).
"""
from __future__ import annotations

import argparse
import contextlib
import itertools
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml
from benchkit import DATABASE_KINDS, emit, log, scratch_database
from load import province_workload

from jixiao.common import event_codec
from jixiao.common.interpreter import DEFAULT_MS
from jixiao.registry.domain.scheme import digest
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao_sdk import IndicatorHost

PYTHON_DEFAULT_MS = 5.0
EVENTS_PER_UNIT = 2


def records(events: list[dict]) -> list[IncomingRecord]:
    headers = {event_codec.CONTENT_TYPE_HEADER: event_codec.PROTOBUF.encode()}
    return [IncomingRecord(value=event_codec.encode(event_codec.from_dict(data)), headers=headers, offset=offset)
            for offset, data in enumerate(events)]


class Busy:
    """A thread running Python in a loop, as a consumer parsing records would."""

    def __init__(self):
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._spin, daemon=True)

    def _spin(self) -> None:
        total = 0
        while not self.stop.is_set():
            for number in range(1000):
                total += number

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def ms_per_unit(database_url: str, units: int, rounds: int, busy: bool) -> float:
    workload = province_workload(0.01)
    document = yaml.safe_load(workload.scheme_text)
    chosen = {unit["id"] for unit in document["units"][:units]}
    service = build_service(database_url, IndicatorHost.discover())
    try:
        service.adopt_scheme(document, 1, digest(document))
        service.store(records([event for event in workload.before if event["unit_id"] in chosen]))
        service.rescore_pending()
        stream = (event for event in workload.stream() if event["unit_id"] in chosen)
        seconds = 0.0
        with Busy() if busy else contextlib.nullcontext():
            for _ in range(rounds):
                service.store(records(list(itertools.islice(stream, units * EVENTS_PER_UNIT))))
                started = time.perf_counter()
                service.rescore_pending()
                seconds += time.perf_counter() - started
        return seconds * 1000 / (units * rounds)
    finally:
        service.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=25, help="units rescored per round (at most 100)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of two new events per unit")
    parser.add_argument("--database", choices=DATABASE_KINDS, default="sqlite", help="kind of scratch database")
    options = parser.parse_args(argv)
    before = sys.getswitchinterval()
    figures: dict[str, dict[str, float]] = {}
    try:
        for interval_ms in (PYTHON_DEFAULT_MS, DEFAULT_MS):
            sys.setswitchinterval(interval_ms / 1000)
            for busy in (False, True):
                name = "beside_a_busy_thread" if busy else "alone"
                with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp, \
                        scratch_database(options.database, Path(tmp), "convoy") as url:
                    value = ms_per_unit(url, options.units, options.rounds, busy)
                log(f"switch interval {interval_ms:g} ms, {name.replace('_', ' ')}: {value:.1f} ms per unit")
                figures.setdefault(f"{interval_ms:g}_ms", {})[f"{name}_ms_per_unit"] = round(value, 1)
    finally:
        sys.setswitchinterval(before)
    for values in figures.values():
        values["busy_vs_alone"] = round(values["beside_a_busy_thread_ms_per_unit"] / values["alone_ms_per_unit"], 1)
    emit({"benchmark": "convoy", "database": options.database, "units": options.units, "rounds": options.rounds,
          "switch_interval": figures})
    return 0


if __name__ == "__main__":
    sys.exit(main())
