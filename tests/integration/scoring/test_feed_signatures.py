"""Scoring counts an event only when its source's key signed its record
(domain/feed_signatures.py, injected into ScoringService as `feed_verifier`):
each way a record can fail names what failed in its dead letter, and nothing
of it is stored. Also: a replay (an event id again with other content) is a
dead letter, an exact redelivery a duplicate; and the scoring process takes
the keys from the registry's catalogue at each poll."""
from __future__ import annotations

import base64
import queue
import threading

import pytest

from helpers.small_scheme import small_service
from jixiao.common import event_codec
from jixiao.common.config import ConfigError
from jixiao.scoring import bootstrap
from jixiao.scoring.adapters.registry_client import Catalogue, CatalogueFeed
from jixiao.scoring.config import feed_signatures
from jixiao.scoring.domain.feed_signatures import FeedVerifier, SourceKey
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.v1 import registry_pb2
from jixiao_sdk.signing import HEADER, SigningKey

STATS = SigningKey.generate("stats", "k-stats-1")
STATS_NEXT = SigningKey.generate("stats", "k-stats-2")  # a rotation: both active for a while
OFFICE = SigningKey.generate("office", "k-office-1")
RELAY = SigningKey.generate("*", "k-relay-1")
IMPOSTOR = SigningKey.generate("stats", "k-stats-1")  # another private key under a registered key's id


def registered(key: SigningKey, revoked_at: str = "") -> SourceKey:
    return SourceKey(key.key_id, key.source, key.public_key(), revoked_at)


KEYS = [registered(k) for k in (STATS, STATS_NEXT, OFFICE, RELAY)]


def record(event_id: str, key: SigningKey | None = STATS, *, signature: bytes | None = None, offset: int = 0,
           **fields) -> IncomingRecord:
    data = {"event_id": event_id, "source": "stats", "unit_id": "U1", "metric_code": "amount", "value": 10.0,
            "period": "2026-03", **fields}
    value, record_key = event_codec.encode(event_codec.from_dict(data)), data["unit_id"].encode()
    headers = {"content-type": event_codec.PROTOBUF.encode()}
    if signature is not None:
        headers[HEADER] = signature
    elif key is not None:
        headers[HEADER] = key.sign(record_key, value)
    return IncomingRecord(value=value, headers=headers, topic="t", offset=offset, key=record_key)


@pytest.fixture
def verifier() -> FeedVerifier:
    return FeedVerifier(KEYS)


@pytest.fixture
def service(database_url, verifier):
    service = small_service(database_url, feed_verifier=verifier)
    yield service
    service.engine.dispose()


def test_a_record_signed_by_its_sources_key_counts(service):
    outcome = service.ingest([record("e1"), record("e2", OFFICE, source="office", metric_code="award", value=1.0)])
    assert (outcome.stored, outcome.rejected) == (2, ())
    assert service.unit_score("test-2026", "U1", "2026-03")[1]["total"] == pytest.approx(11.5)  # 10 of 100, and an award


@pytest.mark.parametrize("make, reason", [
    (lambda: record("e1", None), "signature: the record has no jixiao-signature header"),
    (lambda: record("e1", signature=b"v1;key=k-stats-1;sig=not*base64!"), "signature: header jixiao-signature: sig is not base64"),
    (lambda: record("e1", signature=b"v1;key=k-stats-1"), "signature: header jixiao-signature lacks sig"),
    (lambda: record("e1", signature=b"v1;key=k-stats-1;sig=" + base64.b64encode(b"short")),
     "signature: header jixiao-signature: sig is 5 bytes, not the 64 of an Ed25519 signature"),
    (lambda: record("e1", signature=b"v2;key=k-stats-1;sig=AAAA"), "signature: header jixiao-signature has version 'v2'"),
    (lambda: record("e1", signature="v1;key=钥匙;sig=AAAA".encode()), "signature: header jixiao-signature is not ASCII"),
    (lambda: record("e1", signature=b"v1;key=k-123;sig=" + base64.b64encode(bytes(64))),
     "signature: key k-123 is not a signing key the registry lists"),
    (lambda: record("e1", OFFICE), "signature: key k-office-1 belongs to source office, not stats"),
    (lambda: record("e1", IMPOSTOR), "signature: does not verify with key k-stats-1 of source stats"),
], ids=["unsigned", "not-base64", "malformed", "short", "version", "not-ascii", "unknown-key", "other-source",
        "wrong-signature"])
def test_a_record_that_is_not_signed_by_its_source_is_a_dead_letter_naming_what_failed(service, make, reason):
    outcome = service.ingest([make()])
    [rejected] = outcome.rejected
    assert rejected.reason.startswith(reason), rejected.reason
    assert rejected.code == "signature"
    assert outcome.stored == 0 and service.ingest_counts()["events_stored"] == 0


def test_a_record_changed_after_signing_does_not_verify(service):
    signed = record("e1")
    changed = IncomingRecord(value=event_codec.encode(event_codec.from_dict(
        {"event_id": "e1", "source": "stats", "unit_id": "U1", "metric_code": "amount", "value": 99.0, "period": "2026-03"})),
        headers=signed.headers, key=signed.key)
    moved = IncomingRecord(value=signed.value, headers=signed.headers, key=b"U2")  # the record key is signed too
    outcome = service.ingest([changed, moved])
    assert [r.reason.split(" (")[0] for r in outcome.rejected] == ["signature: does not verify with key k-stats-1 of source stats"] * 2
    assert service.ingest_counts()["events_stored"] == 0


def test_a_revoked_key_stops_counting_at_once_and_the_other_keys_go_on(service, verifier):
    assert service.ingest([record("e1", STATS), record("e2", STATS_NEXT)]).stored == 2  # rotation: both verify
    verifier.use_keys([registered(STATS, revoked_at="2026-04-01T08:00:00Z"), *KEYS[1:]])
    outcome = service.ingest([record("e3", STATS), record("e4", STATS_NEXT)])
    assert outcome.stored == 1
    assert [r.reason for r in outcome.rejected] == ["signature: key k-stats-1 of source stats was revoked at 2026-04-01T08:00:00Z"]
    verifier.use_keys([k for k in KEYS if k.key_id != STATS_NEXT.key_id])  # gone from the registry's list altogether
    [gone] = service.ingest([record("e5", STATS_NEXT)]).rejected
    assert gone.reason == "signature: key k-stats-2 is not a signing key the registry lists"


def test_a_relay_key_signs_for_any_source(service):
    outcome = service.ingest([record("e1", RELAY), record("e2", RELAY, source="office", metric_code="award", value=1.0)])
    assert (outcome.stored, outcome.rejected) == (2, ())


def test_without_a_verifier_nothing_is_checked(database_url):
    service = small_service(database_url)
    try:
        assert service.ingest([record("e1", None)]).stored == 1
    finally:
        service.engine.dispose()


def test_a_replay_with_other_content_is_a_dead_letter_and_an_exact_redelivery_a_duplicate(service):
    """A replay — the same event id with other content, even properly signed — does not count and
    says why; the same record again is a harmless duplicate, so is the same event re-reported later
    (another reported_at, another Kafka position)."""
    assert service.ingest([record("e1", value=40.0)]).stored == 1
    outcome = service.ingest([record("e1", value=40.0, offset=5),
                              record("e1", value=40.0, reported_at="2026-04-05T09:00:00+08:00", offset=6),
                              record("e1", STATS_NEXT, value=99.0, offset=7),
                              record("e1", value=40.0, unit_id="U2", offset=8),
                              record("e1", value=40.0, attributes={"note": "again"}, offset=9)])
    assert outcome.duplicates == 2
    assert [(r.record.offset, r.reason.split(";")[0]) for r in outcome.rejected] == [
        (7, "event_id: e1 is already stored with another value ('40.0', not '99.0')"),
        (8, "event_id: e1 is already stored with another unit_id ('U1', not 'U2')"),
        (9, "event_id: e1 is already stored with other attributes")]
    assert all(r.code == "replay" for r in outcome.rejected)
    assert service.ingest_counts() == {"events_stored": 1, "duplicates": 2, "rejected": 3, "pending_rescores": 0}
    assert service.unit_score("test-2026", "U1", "2026-03")[1]["total"] == pytest.approx(40.0)
    # in one batch: the first of an id is stored, the same content again a duplicate, other content a dead letter
    outcome = service.ingest([record("e2", value=1.0), record("e2", value=1.0), record("e2", value=2.0, offset=3)])
    assert (outcome.stored, outcome.duplicates, [r.record.offset for r in outcome.rejected]) == (1, 1, [3])


def test_the_setting_is_required_unless_turned_off():
    assert feed_signatures({}) == "required"
    assert feed_signatures({"JIXIAO_FEED_SIGNATURES": "OFF"}) == "off"
    with pytest.raises(ConfigError, match="JIXIAO_FEED_SIGNATURES='maybe' is neither 'required' nor 'off'"):
        feed_signatures({"JIXIAO_FEED_SIGNATURES": "maybe"})


def test_the_catalogue_lists_every_key_with_its_revocation():
    class Registry:
        address = "test"

        def published_versions(self):
            return {}

        def active_plugins(self):
            return []

        def call(self, method, request):
            assert method == "ListSourceKeys"
            revoked = registry_pb2.SourceKey(key_id="k-old", source="stats", public_key=STATS.public_key())
            revoked.revoked_at.FromJsonString("2026-04-01T08:00:00Z")
            return registry_pb2.ListSourceKeysResponse(keys=[
                registry_pb2.SourceKey(key_id="k-stats-2", source="stats", public_key=STATS_NEXT.public_key()), revoked])

    feed = CatalogueFeed.__new__(CatalogueFeed)
    feed.client, feed.source_keys = Registry(), True
    assert feed.look({}).source_keys == (SourceKey("k-stats-2", "stats", STATS_NEXT.public_key()),
                                         SourceKey("k-old", "stats", STATS.public_key(), "2026-04-01T08:00:00Z"))
    feed.source_keys = False  # signatures off: the keys are not asked for
    assert feed.look({}).source_keys is None


def test_the_scoring_process_takes_the_keys_of_each_catalogue(database_url):
    process = bootstrap.ScoringProcess.__new__(bootstrap.ScoringProcess)
    process.service = small_service(database_url, feed_verifier=FeedVerifier())
    process.pending, process.catalogue_seen = queue.Queue(), threading.Event()
    try:
        assert process.service.ingest([record("e1")]).rejected[0].reason.startswith("signature: key k-stats-1 is not")
        process.pending.put(Catalogue((), process.service.active, {}, (registered(STATS),)))
        process._apply_changes()
        assert process.service.ingest([record("e2")]).stored == 1
        process.pending.put(Catalogue((), process.service.active, {}, (registered(STATS, "2026-04-01T08:00:00Z"),)))
        process._apply_changes()
        assert "was revoked" in process.service.ingest([record("e3")]).rejected[0].reason
    finally:
        process.service.engine.dispose()
