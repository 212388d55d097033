"""Crash recovery: a real scoring process (`python -m jixiao.scoring`) is
killed with SIGKILL at random points while it consumes a real topic (the
embedded mock cluster), restarted each time, and finally left to finish.
Every stored event row, revision, indicator result, unit and person score
must then equal, row for row, those of an uninterrupted run of the same
records (built in this process with `ScoringService.ingest`), and the
dead-letter topic must hold every record the uninterrupted run rejected,
with the same reason (a dead letter may be repeated, none may be missing).

The stream is the demo city's events with faults mixed in (repeats,
revisions before and after their original, JSON and protobuf, garbage,
refused events; helpers/reliability_kit.faulty_stream). Kills land at random:
one while the process starts (imports, migrations, joining the group), the
others when a random share of the events is stored, the last while the
stored changes are still being rescored.

Sizes: JIXIAO_CRASH_EVENTS (default 3,000 for the suite), JIXIAO_CRASH_KILLS
(default 5), JIXIAO_CRASH_SEED (default random; the seed is in every failure
message so a failure can be replayed), JIXIAO_CRASH_REPORT (a file to write
the kills and timings to, as JSON). The 100,000-event run of RELIABILITY.md:

    JIXIAO_CRASH_EVENTS=100000 .venv/bin/pytest tests/e2e/reliability/test_crash_recovery.py -o timeout=0

(about 5 minutes on SQLite and 8 on PostgreSQL on the 2-core development machine).
"""
from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
from pathlib import Path

import pytest

from helpers import ServiceProcess, free_port, make_feed_keys, make_tokens, postgres_database
from helpers.reliability_kit import (
    differences,
    faulty_stream,
    progress,
    publish,
    read_topic,
    reference_run,
    snapshot,
    start_registry,
    stored_count,
)
from jixiao.common.readiness import grpc_serving, wait_for
from jixiao.scoring.adapters.kafka_consumer import ORIGIN_HEADERS, REASON_HEADER

EVENTS = int(os.environ.get("JIXIAO_CRASH_EVENTS", "3000"))
KILLS = int(os.environ.get("JIXIAO_CRASH_KILLS", "5"))
SEED = int(os.environ.get("JIXIAO_CRASH_SEED") or random.SystemRandom().randrange(1 << 31))
POLL_SECONDS = 0.02
BACKLOG = 30_000  # records published but not yet stored, at most


def dead_letters(bootstrap: str, topic: str) -> list[tuple[int, int, str]]:
    """(origin partition, origin offset, reason) of every record on the dead-letter topic."""
    found = []
    for record in read_topic(bootstrap, topic):
        found.append((int(record.headers[ORIGIN_HEADERS[1]]), int(record.headers[ORIGIN_HEADERS[2]]),
                      record.headers[REASON_HEADER].decode("utf-8")))
    return found


class Scorer:
    """The scoring process under test, started again after every kill."""

    def __init__(self, env: dict[str, str], folder: Path):
        self.env, self.folder = env, folder
        self.runs: list[ServiceProcess] = []
        self.process: ServiceProcess | None = None
        self.started = 0.0
        self.address = ""

    def start(self) -> None:
        port = free_port()
        self.address = f"127.0.0.1:{port}"
        self.process = ServiceProcess("jixiao.scoring", {**self.env, "JIXIAO_SCORING_PORT": str(port)}, self.folder)
        self.runs.append(self.process)
        self.started = time.monotonic()

    def kill(self) -> None:
        assert self.process.alive(), f"scoring died by itself:\n{self.process.stderr()}"
        self.process.stop(signal.SIGKILL)

    def logs(self) -> str:
        return "\n".join(f"--- run {i + 1} ---\n{run.stderr()}" for i, run in enumerate(self.runs))


def crash_and_restart(scorer: Scorer, url: str, expected: int, rng: random.Random) -> list[dict]:
    """Kills the process KILLS times at random points, restarting it after each; returns what each kill hit."""
    storing = sorted(rng.uniform(0.05, 0.95) * expected for _ in range(max(0, KILLS - 2)))
    plan = ["startup"] + [f"stored>={int(t)}" for t in storing] + (["rescoring"] if KILLS > 1 else [])
    kills = []
    scorer.start()
    for step in plan[:KILLS]:
        if step == "startup":
            time.sleep(rng.uniform(0.2, 4.0))
        else:
            goal = expected if step == "rescoring" else float(step.split(">=")[1])
            wait_for(lambda goal=goal: progress(url)[0] >= goal, 300, POLL_SECONDS, still_alive=scorer.process.alive)
            assert scorer.process.alive(), f"scoring died by itself (seed {SEED}):\n{scorer.logs()}"
            time.sleep(rng.uniform(0.0, 0.1 if step != "rescoring" else 0.3))
        stored, pending = progress(url)
        kills.append({"plan": step, "after_s": round(time.monotonic() - scorer.started, 2), "stored": stored,
                      "pending": pending, "serving": grpc_serving(scorer.address, timeout=0.2)})
        scorer.kill()
        scorer.start()
    return kills


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_sigkill_at_random_points_changes_nothing(broker, topics, tmp_path, database):
    rng = random.Random(SEED)
    timings = {}
    stream = faulty_stream(EVENTS, rng)
    stored_expected = stored_count(stream)
    with postgres_database() if database == "postgresql" else _sqlite(tmp_path) as url:
        if url is None:
            pytest.skip("no PostgreSQL server answers at 127.0.0.1:5432 (set JIXIAO_TEST_POSTGRES_URL to use another)")
        tokens = make_tokens(tmp_path)
        env = {**topics, "JIXIAO_DATA_DIR": str(tmp_path / "data"), "JIXIAO_KAFKA_BOOTSTRAP": broker.bootstrap,
               "JIXIAO_KAFKA_API_VERSION": "3.0", "JIXIAO_TOKENS_FILE": str(tokens.file),
               "JIXIAO_SERVICE_TOKEN": tokens.reader, "JIXIAO_SCORING_DATABASE_URL": url,
               "JIXIAO_SCHEME_POLL_SECONDS": "0.5",
               # a loaded machine must not turn a slow plug-in call into a failed result
               "JIXIAO_PLUGIN_TIMEOUT_SECONDS": "120"}
        registry, registry_address = start_registry(env, tokens, tmp_path)
        keys = make_feed_keys(registry_address, tokens.office, tmp_path)  # the feeds sign, as feeds do
        scorer = Scorer({**env, "JIXIAO_REGISTRY_ADDR": registry_address}, tmp_path)
        publisher = Publisher(broker.bootstrap, topics["JIXIAO_METRICS_TOPIC"], stream, url, keys.signer)
        try:
            began = time.monotonic()
            publisher.start()
            kills = crash_and_restart(scorer, url, stored_expected, rng)
            publisher.join(timeout=600)
            assert publisher.delivered is not None, f"publishing failed: {publisher.error!r}"
            wait_for(lambda: progress(url) == (stored_expected, 0), 120 + EVENTS / 100, still_alive=scorer.process.alive)
            assert scorer.process.alive(), f"scoring died by itself (seed {SEED}):\n{scorer.logs()}"
            timings["crash_run_s"] = round(time.monotonic() - began, 1)
            found = snapshot(url)
            letters = dead_letters(broker.bootstrap, topics["JIXIAO_DEAD_LETTER_TOPIC"])
            assert scorer.process.stop() == 0, scorer.logs()
        finally:
            publisher.stop.set()
            if scorer.process and scorer.process.alive():
                scorer.process.stop(signal.SIGKILL)
            registry.stop()
    began = time.monotonic()
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    rejected = reference_run(reference_url, publisher.delivered)
    expected = snapshot(reference_url)
    timings["reference_s"] = round(time.monotonic() - began, 1)
    report = {"seed": SEED, "events": EVENTS, "records": len(stream), "stored": stored_expected,
              "rejected": len(rejected), "dead_letters": len(letters), "database": database, "kills": kills, **timings}
    print(json.dumps(report))
    if os.environ.get("JIXIAO_CRASH_REPORT"):
        Path(os.environ["JIXIAO_CRASH_REPORT"]).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    context = f"seed {SEED} (JIXIAO_CRASH_SEED={SEED} replays it); kills: {kills}"
    assert len(expected["scoring_events"]) == stored_expected, context
    assert not differences(expected, found), f"{context}\n" + "\n".join(differences(expected, found))
    # Every record the uninterrupted run rejected is on the dead-letter topic with its reason, and
    # nothing else is; a record redelivered after a kill may be dead-lettered twice.
    assert set(letters) == rejected, f"{context}: dead letters differ: " \
        f"missing {sorted(rejected - set(letters))[:5]}, unexpected {sorted(set(letters) - rejected)[:5]}"
    # The kills hit work in progress: at most one (the startup kill) found nothing left to do.
    idle = [k for k in kills if k["stored"] == stored_expected and k["pending"] == 0]
    assert len(idle) <= 1, f"{context}: kills that found no work: {idle}"
    assert "Traceback" not in scorer.logs(), scorer.logs()


class Publisher(threading.Thread):
    """Publishes the stream while scoring runs, never more than BACKLOG records
    ahead of what is stored: the embedded broker keeps only 5 MiB per
    partition, and a longer backlog would lose its oldest records."""

    def __init__(self, bootstrap: str, topic: str, stream, url: str, signer=None):
        super().__init__(name="publisher", daemon=True)
        self.bootstrap, self.topic, self.stream, self.url = bootstrap, topic, stream, url
        self.signer = signer
        self.delivered = None
        self.error: BaseException | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            self.delivered = publish(self.bootstrap, self.topic, self.stream, before_chunk=self._wait, signer=self.signer)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc

    def _wait(self, sent: int) -> None:
        while not self.stop.is_set() and sent - max(0, progress(self.url)[0]) > BACKLOG:
            time.sleep(0.2)


class _sqlite:
    """The embedded default: a SQLite file (a context manager like postgres_database)."""

    def __init__(self, folder: Path):
        self.url = f"sqlite:///{folder / 'scoring.db'}"

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *exc) -> None:
        return None
