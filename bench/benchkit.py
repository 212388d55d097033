"""Shared pieces of the benchmarks: scratch databases, child services,
event rows for bulk loading, and output on stdout/stderr.

Every benchmark prints exactly one JSON object on stdout and its progress
on stderr; everything it creates (temporary folders, PostgreSQL databases,
processes) is removed before it exits.
"""
from __future__ import annotations

import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from jixiao_sdk.periods import parse_period

POSTGRES_ADMIN_URL = os.environ.get("JIXIAO_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CHINA_STANDARD_TIME = timezone(timedelta(hours=8))
DATABASE_KINDS = ("sqlite", "postgresql")
LOAD_AT_START = os.getloadavg()[0]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def emit(result: dict) -> None:
    """The benchmark's one JSON object, on stdout, with the machine's size and
    load (other work on the machine slows a benchmark down)."""
    machine = {"cpus": os.cpu_count(), "loadavg_1m_at_start": round(LOAD_AT_START, 2),
               "loadavg_1m_at_end": round(os.getloadavg()[0], 2)}
    print(json.dumps({**result, "machine": machine}, ensure_ascii=False), flush=True)


def memory_mib(pid: int | str, field: str) -> float | None:
    """A memory figure of /proc/<pid>/status in MiB — `VmRSS` (resident now) or
    `VmHWM` (peak resident) — or None once the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next((round(int(line.split()[1]) / 1024, 1) for line in status.splitlines()
                 if line.startswith(f"{field}:")), None)


def peak_rss_mib() -> float:
    """This process's peak resident set size so far, in MiB: VmHWM of
    /proc/self/status. Not ru_maxrss: Linux carries that over from the parent
    into a forked-and-exec'd child, so a child would report its parent's peak."""
    peak = memory_mib("self", "VmHWM")
    if peak is None:
        raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")
    return peak


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


@contextmanager
def scratch_database(kind: str, folder: Path, name: str = "scoring") -> Iterator[str]:
    """A SQLAlchemy URL of an empty database: a SQLite file in `folder`, or a
    new database on the PostgreSQL server of JIXIAO_BENCH_POSTGRES_URL,
    dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    database = f"jixiao_bench_{name}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    try:
        yield admin.url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    """A free port below the ephemeral range (the mock broker and clients take ephemeral ones)."""
    low, _ = (int(n) for n in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    for _ in range(200):
        port = random.randrange(20000, min(low, 32768))
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found below the ephemeral range")


class Child:
    """A platform process (`python -m <module>`) with its own environment; stderr to a file."""

    def __init__(self, module: str, env: dict[str, str], folder: Path):
        self.module = module
        self.log_path = folder / f"{module.replace('.', '_')}-{uuid.uuid4().hex[:6]}.log"
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([sys.executable, "-m", module], env={**os.environ, **env},
                                        stdout=subprocess.DEVNULL, stderr=self._log, stdin=subprocess.DEVNULL)

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, check, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                break
            if check():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.module} did not become ready; its log:\n{self.log_tail()}")

    def peak_rss_mib(self) -> float | None:
        """The process's peak resident set size (VmHWM) in MiB, while it runs."""
        return memory_mib(self.process.pid, "VmHWM")

    def log_tail(self, lines: int = 20) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then SIGKILL after `timeout`; returns the exit status."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._log.close()
        return code


@contextmanager
def children() -> Iterator[list[Child]]:
    """A list to start Child processes into; all are stopped, last started first, on exit."""
    started: list[Child] = []
    try:
        yield started
    finally:
        for child in reversed(started):
            child.stop()


def _timestamp(text: str) -> str:
    """An ISO-8601 time as scoring stores it: China Standard Time."""
    return datetime.fromisoformat(text).astimezone(CHINA_STANDARD_TIME).isoformat() if text else ""


def event_row(event: dict, offset: int, topic: str = "bench.bulk") -> dict:
    """The scoring_events row scoring would store for a MetricEvent dict
    (the same columns and forms as ScoringService ingest), for bulk loads."""
    period = parse_period(event["period"])
    attributes = event.get("attributes") or {}
    return {
        "event_id": event["event_id"],
        "source": event["source"],
        "unit_id": event["unit_id"],
        "person_id": event.get("person_id", ""),
        "metric_code": event["metric_code"],
        "value": float(event["value"]),
        "measurement_unit": event.get("measurement_unit", ""),
        "period": period.text,
        "period_start": period.start,
        "period_end": period.end,
        "observed_at": _timestamp(event.get("observed_at", "")),
        "reported_at": _timestamp(event.get("reported_at", "")),
        "revision_of": event.get("revision_of", ""),
        "evidence_ref": event.get("evidence_ref", ""),
        "attributes_json": json.dumps(dict(sorted(attributes.items())), ensure_ascii=False),
        "kafka_topic": topic,
        "kafka_partition": 0,
        "kafka_offset": offset,
    }
