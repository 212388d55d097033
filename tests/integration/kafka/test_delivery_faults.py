"""Delivery faults and their defined outcomes (RELIABILITY.md, "Delivery faults").

Kafka delivers at least once and orders records only inside a partition.
These tests feed scoring what that allows — repeats, any interleaving of
partitions, revisions before their original, a commit lost to a rebalance,
events after a period lock — and check the outcome RELIABILITY.md promises.
Tests elsewhere cover the simple cases (tests/integration/scoring/test_ingest.py,
test_review.py, tests/e2e/platform/test_two_scoring_processes.py); these add any
order and batching, a lost commit on the real broker, and the dead letters
of late events.
"""
from __future__ import annotations

import threading
import time
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import CommitFailedError

from helpers.reliability_kit import read_topic
from helpers.small_scheme import small_service
from jixiao.common import event_codec, kafka
from jixiao.common.auth import Principal
from jixiao.scoring.adapters.kafka_consumer import CODE_HEADER, ORIGIN_HEADERS, REASON_HEADER, MetricsConsumer
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer.period_review import PeriodReview

SCHEME = "test-2026"
OFFICE = Principal("考核办", "office")
PERIODS = ["2026-01", "2026-02-11", "2026-03", "2026-Q2", "2026-07", "2026-12-31", "2026"]
SOURCE_OF = {"amount": "stats", "award": "office"}


def service_at(url: str):
    return small_service(url)


def record(event_id: str, *, unit: str = "U1", metric: str = "amount", value: float = 10.0, period: str = "2026-03",
           source: str | None = None, revision_of: str = "", partition: int | None = None, offset: int = 0) -> IncomingRecord:
    data = {"event_id": event_id, "source": source or SOURCE_OF[metric], "unit_id": unit, "metric_code": metric,
            "value": value, "period": period, "revision_of": revision_of}
    # A record's place in the log is its own: a repeated delivery carries the same one.
    partition = zlib.crc32(event_id.encode()) % 4 if partition is None else partition
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {}, topic="metrics", partition=partition,
                          offset=offset or zlib.crc32(event_id.encode()))


def rows(service) -> dict[str, list[tuple]]:
    with service.engine.connect() as connection:
        return {table: [tuple(r) for r in connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]
                for table in ("scoring_events", "scoring_event_revisions", "scoring_indicator_results",
                              "scoring_unit_scores")}


# -- any order, any batching ------------------------------------------------------------

ORIGINAL = st.tuples(st.sampled_from(["U1", "U2"]), st.sampled_from(["amount", "award"]), st.integers(0, 60),
                     st.sampled_from(PERIODS))
REVISION = st.tuples(st.integers(0, 60), st.sampled_from(PERIODS))


@st.composite
def deliveries(draw):
    """A feed's records — originals, chains of same-source revisions (a revision
    may move the figure to another period), repeats — and two deliveries of
    them: in the order sent, and in any other order, each in any batches."""
    sent = []
    for i, (unit, metric, value, period) in enumerate(draw(st.lists(ORIGINAL, min_size=1, max_size=8))):
        sent.append(record(f"e{i}", unit=unit, metric=metric, value=value, period=period))
        previous = f"e{i}"
        for j, (new_value, new_period) in enumerate(draw(st.lists(REVISION, max_size=2))):
            sent.append(record(f"e{i}r{j}", unit=unit, metric=metric, value=new_value, period=new_period,
                               revision_of=previous))
            previous = f"e{i}r{j}"
    repeats = draw(st.lists(st.sampled_from(sent), max_size=4))
    shuffled = draw(st.permutations(sent + repeats))
    return sent, shuffled, draw(st.integers(1, 6)), draw(st.integers(1, 6))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=deliveries())
def test_any_order_and_batching_of_repeats_and_revisions_stores_and_scores_the_same(tmp_path_factory, case):
    """Scores depend on the set of records only: not on how partitions interleave,
    on repeats, on batching, nor on whether a revision came before its original."""
    sent, shuffled, batch_a, batch_b = case
    folder = tmp_path_factory.mktemp("order")
    in_order, any_order = service_at(f"sqlite:///{folder / 'a.db'}"), service_at(f"sqlite:///{folder / 'b.db'}")
    for start in range(0, len(sent), batch_a):
        in_order.ingest(sent[start:start + batch_a])
    for start in range(0, len(shuffled), batch_b):  # stored batch by batch, rescored behind in one go
        any_order.store(shuffled[start:start + batch_b])
    any_order.rescore_pending()
    assert rows(any_order) == rows(in_order)
    counts = any_order.ingest_counts()
    assert (counts["events_stored"], counts["rejected"], counts["pending_rescores"]) == (len(sent), 0, 0)
    assert counts["duplicates"] == len(shuffled) - len(sent)
    for service in (in_order, any_order):
        service.engine.dispose()


# -- defined outcomes of the single cases ---------------------------------------------------

@pytest.fixture
def service(tmp_path):
    service = service_at(f"sqlite:///{tmp_path / 'scoring.db'}")
    yield service
    service.engine.dispose()


def total(service, unit: str = "U1", period: str = "2026") -> float | None:
    try:
        return service.unit_score(SCHEME, unit, period)[1]["total"]
    except Exception:  # noqa: BLE001 - NotFound: no score
        return None


def test_an_event_id_seen_again_with_other_content_is_a_dead_letter_and_the_first_stays(service):
    """An event id names one event: the same id with other content (a replay, or a feed re-using an id
    to correct a figure, which takes a revision) is a dead letter saying so; the first stays, and the
    same event again — in the same batch too — is still just a duplicate."""
    service.ingest([record("e1", value=40.0)])
    outcome = service.ingest([record("e1", value=99.0, period="2026-05", offset=7), record("e1", value=40.0, offset=8)])
    assert (outcome.stored, outcome.duplicates) == (0, 1)
    [rejected] = outcome.rejected
    assert rejected.record.offset == 7
    assert rejected.reason.startswith("event_id: e1 is already stored with another value ('40.0', not '99.0')")
    assert "revision_of" in rejected.reason
    stored, _ = service.event("e1")
    assert (stored["value"], stored["period"]) == (40.0, "2026-03")
    assert total(service) == pytest.approx(40.0)


def test_a_second_revision_of_one_original_is_rejected_and_the_first_arrival_wins(service):
    """Two revisions of the same original: whichever is delivered first wins, the other is a dead letter."""
    service.ingest([record("e1", value=40.0)])
    outcome = service.ingest([record("r2", value=60.0, revision_of="e1"), record("r1", value=50.0, revision_of="e1")])
    assert [r.reason for r in outcome.rejected] == ["revision_of: event e1 is already revised by r2; revise that event instead"]
    assert total(service) == pytest.approx(60.0)


def _scores_after(url: str, records: list[IncomingRecord]) -> tuple:
    service = service_at(url)
    rejected = [r.reason for batch in records for r in service.ingest([batch]).rejected]
    found = (total(service, "U1"), total(service, "U2"), rejected)
    service.engine.dispose()
    return found


@pytest.mark.parametrize("revision", [
    record("x1", metric="award", source="office", value=1.0, revision_of="e1"),   # another source (and metric)
    record("x1", unit="U2", value=100.0, revision_of="e1"),                       # another unit
], ids=["another-source", "another-unit"])
def test_a_revision_before_its_original_meets_the_same_checks_as_after_it(tmp_path, revision):
    """In order, such a revision is a dead letter and the original counts. Delivered
    first (another partition, a feed's clock), it must not erase the original."""
    original = record("e1", value=40.0)
    after = _scores_after(f"sqlite:///{tmp_path / 'after.db'}", [original, revision])
    assert after[:2] == (pytest.approx(40.0), None) and len(after[2]) == 1
    before = _scores_after(f"sqlite:///{tmp_path / 'before.db'}", [revision, original])
    assert before[:2] == after[:2]


# -- on the real broker: a lost commit, late events ---------------------------------------

class LostCommits:
    """A kafka-python consumer whose commits fail as they do when the group
    rebalanced meanwhile (the partitions went to another member)."""

    def __init__(self, consumer):
        self._consumer = consumer
        self.failed = 0

    def __getattr__(self, name):
        return getattr(self._consumer, name)

    def commit(self, *args, **kwargs):
        self.failed += 1
        raise CommitFailedError("simulated: the group rebalanced before the commit")


class Member:
    """A MetricsConsumer of the scoring service in a thread, counting the records it handled."""

    def __init__(self, consumer, bootstrap: str, dead_letter_topic: str, service):
        self.handled = 0
        self.service = service
        self.stop = threading.Event()
        self.runner = MetricsConsumer(consumer, kafka.producer(bootstrap), dead_letter_topic, self._handle,
                                      max_records=40)
        self.thread = threading.Thread(target=self.runner.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def _handle(self, records):
        outcome = self.service.ingest(records)
        self.handled += len(records)
        return outcome

    def until(self, count: int, timeout: float = 60.0, settle: float = 0.0) -> int:
        deadline = time.monotonic() + timeout
        while self.handled < count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(settle)
        self.stop.set()
        self.thread.join(timeout=30)
        return self.handled


def test_a_lost_commit_means_redelivery_which_changes_nothing_and_late_events_are_dead_letters(
        broker, topics, service):
    topic, dead, group = topics["JIXIAO_METRICS_TOPIC"], topics["JIXIAO_DEAD_LETTER_TOPIC"], topics["JIXIAO_CONSUMER_GROUP"]
    sent = [record(f"e{i}", unit=f"U{1 + i % 2}", value=float(i % 7), period=f"2026-{1 + i % 6:02d}") for i in range(160)]
    sent += [record("e0r", value=3.0, revision_of="e0"), record("e2r", value=4.0, period="2026-04", revision_of="e2")]
    producer = kafka.producer(broker.bootstrap)
    for r in sent:  # no key: spread over the partitions
        producer.send(topic, value=r.value)
    producer.flush()

    # The first member stores everything, but none of its commits goes through.
    first = LostCommits(kafka.consumer(broker.bootstrap, topic, group, (3, 0)))
    assert Member(first, broker.bootstrap, dead, service).until(len(sent)) == len(sent)
    assert first.failed > 0
    before = rows(service)
    counts = service.ingest_counts()
    assert (counts["events_stored"], counts["duplicates"], counts["pending_rescores"]) == (len(sent), 0, 0)

    # The member that gets the partitions next reads them again from the start: all duplicates.
    second = Member(kafka.consumer(broker.bootstrap, topic, group, (3, 0)), broker.bootstrap, dead, service)
    wait_until(lambda: second.handled >= len(sent))
    assert rows(service) == before
    assert service.ingest_counts()["duplicates"] == len(sent)

    # The office locks the first quarter; then a late figure for February and an on-time one for May arrive.
    PeriodReview(service).act("lock", SCHEME, "2026-Q1", OFFICE, "数据已齐")
    for r in (record("late", value=50.0, period="2026-02-27"), record("on-time", value=5.0, period="2026-05")):
        producer.send(topic, value=r.value, key=b"U1")
    producer.flush()
    producer.close()
    assert second.until(len(sent) + 2, settle=0.5) == len(sent) + 2
    assert service.event("on-time")[0]["value"] == 5.0
    with pytest.raises(Exception, match="not stored"):
        service.event("late")
    [letter] = read_topic(broker.bootstrap, dead)
    reason = letter.headers[REASON_HEADER].decode()
    assert reason.startswith("period: 2026-02 is closed for review") and "reopen" in reason
    assert letter.headers[CODE_HEADER] == b"period_closed"
    assert event_codec.decode(letter.value).event_id == "late"
    assert letter.headers[ORIGIN_HEADERS[0]].decode() == topic and int(letter.headers[ORIGIN_HEADERS[1]]) in range(4)
    # The second member's commits held: the group's committed offsets are the ends of the partitions.
    check = KafkaConsumer(bootstrap_servers=broker.bootstrap.split(","), group_id=group, enable_auto_commit=False)
    partitions = [TopicPartition(topic, p) for p in sorted(check.partitions_for_topic(topic))]
    ends = check.end_offsets(partitions)
    assert {tp: check.committed(tp) for tp in partitions} == ends
    check.close()


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not reached in time"
        time.sleep(0.05)
