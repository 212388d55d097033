"""Two scoring processes sharing the topic's partitions (and a PostgreSQL
database) give exactly the scores of one process fed the same events.

The wait is on the number of distinct stored events, not on counters: a
rebalance redelivers records, and redeliveries count as duplicates before
every event has arrived."""
from __future__ import annotations

import pytest
from kafka import KafkaProducer
from sqlalchemy import create_engine, func, select

from helpers import DEMO_SCHEME, ServiceProcess, free_port, make_feed_keys, make_tokens, postgres_database
from jixiao.common import event_codec
from jixiao.common.readiness import grpc_serving, wait_for
from jixiao.embedded.demo_feed import demo_event_dicts
from jixiao.registry.client import RegistryClient
from jixiao.registry.domain.scheme import digest, parse_document
from jixiao.registry.entrypoints.setup_command import bootstrap
from jixiao.scoring.adapters.sql_schema import events as events_table
from jixiao.scoring.adapters.sql_schema import pending_rescores, unit_scores
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao_sdk import IndicatorHost

EVENTS = 2000  # every unit's first months: enough for both processes to store and rescore the same units


def stored(url: str) -> int:
    """Events stored, or -1 while changes still wait for their rescore."""
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(events_table)).scalar_one()
        pending = connection.execute(select(func.count()).select_from(pending_rescores)).scalar_one()
    engine.dispose()
    return count if not pending else -1


def scores(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(unit_scores.c.unit_id, unit_scores.c.period, unit_scores.c.total,
                                         unit_scores.c.dimensions_json)).all()
    engine.dispose()
    return {(r.unit_id, r.period): (r.total, r.dimensions_json) for r in rows}


def test_two_processes_score_like_one(broker, topics, tmp_path):
    with postgres_database() as url:
        if url is None:
            pytest.skip("no PostgreSQL server answers at 127.0.0.1:5432: several scoring processes need PostgreSQL")
        tokens = make_tokens(tmp_path)
        registry_port = free_port()
        env = {**topics, "JIXIAO_DATA_DIR": str(tmp_path / "data"), "JIXIAO_KAFKA_BOOTSTRAP": broker.bootstrap,
               "JIXIAO_TOKENS_FILE": str(tokens.file), "JIXIAO_SERVICE_TOKEN": tokens.reader,
               "JIXIAO_REGISTRY_ADDR": f"127.0.0.1:{registry_port}", "JIXIAO_SCORING_DATABASE_URL": url,
               "JIXIAO_SCHEME_POLL_SECONDS": "0.5", "JIXIAO_CONSUMER_BATCH": "300",
               "JIXIAO_KAFKA_API_VERSION": "3.0",
               # a loaded CI machine must not turn a slow plug-in call into a failed result
               "JIXIAO_PLUGIN_TIMEOUT_SECONDS": "60"}
        registry = ServiceProcess("jixiao.registry", {**env, "JIXIAO_REGISTRY_PORT": str(registry_port)}, tmp_path)
        registry.wait_ready(lambda: grpc_serving(f"127.0.0.1:{registry_port}"))
        with RegistryClient(f"127.0.0.1:{registry_port}", tokens.office) as office:
            bootstrap(office, DEMO_SCHEME.read_text(encoding="utf-8"), lambda text: None)
        keys = make_feed_keys(f"127.0.0.1:{registry_port}", tokens.office, tmp_path)
        events = demo_event_dicts()[:EVENTS]
        reference_url = f"sqlite:///{tmp_path / 'one.db'}"
        one = build_service(reference_url, IndicatorHost.discover(timeout_s=None))
        document = parse_document(DEMO_SCHEME.read_text(encoding="utf-8"))
        one.adopt_scheme(document, 1, digest(document))
        one.ingest([IncomingRecord(event_codec.encode(event_codec.from_dict(e)), {}) for e in events])
        expected = stored(reference_url)
        ports = [free_port(), free_port()]
        scorers = [ServiceProcess("jixiao.scoring", {**env, "JIXIAO_SCORING_PORT": str(port)}, tmp_path) for port in ports]
        try:
            for scorer, port in zip(scorers, ports, strict=True):
                scorer.wait_ready(lambda port=port: grpc_serving(f"127.0.0.1:{port}"), timeout=60)
            producer = KafkaProducer(bootstrap_servers=broker.bootstrap.split(","))
            for data in events:  # no key: a unit's events spread over every partition (signed as keyless records)
                value = event_codec.encode(event_codec.from_dict(data))
                producer.send(topics["JIXIAO_METRICS_TOPIC"], value, headers=keys.headers(data, key=b"", value=value))
            producer.flush()
            producer.close()
            # Two processes sharing two cores with the suite's other workers: 4,000 events took
            # 60 s in a quiet run and over 200 s in a CI run on a loaded machine.
            wait_for(lambda: stored(url) >= expected, 200, interval=0.5)
            assert stored(url) == expected, "events stored, or -1 while rescores are pending"
        finally:
            for scorer in scorers:
                assert scorer.stop() == 0, scorer.stderr()
                assert "Traceback" not in scorer.stderr(), scorer.stderr()
            registry.stop()

        shared = scores(url)
        assert len(shared) > 100
        assert shared == scores(reference_url)
