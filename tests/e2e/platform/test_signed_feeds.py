"""Feeds prove who they are, over Kafka: on the running platform (registry,
scoring with its default JIXIAO_FEED_SIGNATURES=required, gateway), a record
signed with its source's key is scored, while a forged one — signed with
another source's key, unsigned, with a header that is not base64, or naming a
key the registry does not know — goes to the dead-letter topic with the
reason and nothing of it is stored. Keys rotate without downtime, and a
revoked key stops counting once scoring has polled the registry."""
from __future__ import annotations

import uuid

import pytest
from kafka import KafkaProducer

from helpers import eventually
from helpers.topic_reader import read_records
from jixiao.common import event_codec
from jixiao.common.readiness import wait_for
from jixiao.registry.client import RegistryClient
from jixiao.v1 import registry_pb2 as pb
from jixiao_sdk.signing import HEADER, SigningKey

SCHEME = "jiangchuan-2026"
CONTENT_TYPE = ("content-type", event_codec.PROTOBUF.encode())


def investment(unit_id: str, value: float) -> dict:
    return {"event_id": f"signed-{uuid.uuid4().hex[:12]}", "source": "stats_bureau", "unit_id": unit_id,
            "metric_code": "fixed_asset_investment", "value": value, "measurement_unit": "CNY_100M", "period": "2026-03"}


def send(platform, data: dict, signature: bytes | None = None, key: SigningKey | None = None) -> None:
    """Sends one event, signed by `key`, or with the header `signature` as given, or unsigned."""
    value, record_key = event_codec.encode(event_codec.from_dict(data)), data["unit_id"].encode()
    headers = [CONTENT_TYPE]
    if key is not None:
        headers.append(key.header(record_key, value))
    elif signature is not None:
        headers.append((HEADER, signature))
    producer = KafkaProducer(bootstrap_servers=platform.bootstrap.split(","))
    producer.send(platform.topics["JIXIAO_METRICS_TOPIC"], value=value, key=record_key, headers=headers)
    producer.flush()
    producer.close()


def stored(platform, event_id: str) -> bool:
    return platform.get(f"/api/v1/events/{event_id}")[0] == 200


class DeadLetters:
    """The dead-letter topic read from its start (no consumer group): reason by event id."""

    def __init__(self, platform):
        self.platform = platform
        self.reasons: dict[str, str] = {}

    def reason(self, event_id: str, timeout: float = 30.0) -> str:
        def found():
            for message in read_records(self.platform.bootstrap, self.platform.topics["JIXIAO_DEAD_LETTER_TOPIC"]):
                event = event_codec.decode(message.value, event_codec.PROTOBUF)
                self.reasons[event.event_id] = dict(message.headers)["jixiao-dlq-reason"].decode()
            return self.reasons.get(event_id)
        return eventually(found, timeout, f"a dead letter for {event_id}")


def test_a_forged_record_is_a_dead_letter_and_a_signed_one_is_scored(platform):
    stats, finance = (platform.keys.signer.key_for(s) for s in ("stats_bureau", "finance_bureau"))
    # U-R01: on the module's platform no other test reports for it, so its results are this test's
    good, other_source, unsigned, not_base64, unknown = (investment("U-R01", v) for v in (28.23, 99.0, 98.0, 97.0, 96.0))
    _, before = platform.get("/api/v1/ingest")  # the module's platform: count what this test adds
    send(platform, other_source, key=finance)  # a finance key claiming a statistics figure
    send(platform, unsigned)
    send(platform, not_base64, signature=f"v1;key={stats.key_id};sig=%%%not-base64%%%".encode())
    send(platform, unknown, key=SigningKey.generate("stats_bureau", "k-nobody-knows"))
    send(platform, good, key=stats)
    eventually(lambda: stored(platform, good["event_id"]), 30, "the signed event stored")
    letters = DeadLetters(platform)
    assert letters.reason(other_source["event_id"]) == (
        f"signature: key {finance.key_id} belongs to source finance_bureau, not stats_bureau")
    assert letters.reason(unsigned["event_id"]).startswith("signature: the record has no jixiao-signature header")
    assert letters.reason(not_base64["event_id"]) == "signature: header jixiao-signature: sig is not base64"
    assert letters.reason(unknown["event_id"]) == "signature: key k-nobody-knows is not a signing key the registry lists"
    for forged in (other_source, unsigned, not_base64, unknown):
        assert not stored(platform, forged["event_id"])
    status, unit = platform.get(f"/api/v1/schemes/{SCHEME}/units/U-R01?period=2026-03")
    [investment_result] = [r for r in unit["indicators"] if r["indicator_code"] == "investment_completion"]
    assert investment_result["evidence_event_ids"] == [good["event_id"]] and investment_result["raw_value"] == 28.23
    _, ingest = platform.get("/api/v1/ingest")
    assert (ingest["events_stored"], ingest["rejected"]) == (before["events_stored"] + 1, before["rejected"] + 4)


def lands(platform, key: SigningKey, unit_id: str, timeout: float = 5.0) -> bool:
    """Sends an event signed by `key`: True once it is stored, False when it is not within `timeout`."""
    event = investment(unit_id, 5.0)
    send(platform, event, key=key)
    return wait_for(lambda: stored(platform, event["event_id"]), timeout, interval=0.2)


@pytest.mark.fresh_platform  # revokes the stats_bureau key the module's other tests sign with
def test_keys_rotate_without_downtime_and_a_revoked_key_stops_counting(platform):
    old = platform.keys.signer.key_for("stats_bureau")
    with RegistryClient(platform.registry_address, platform.tokens.office) as office:
        new = SigningKey.from_text(office.call("CreateSourceKey", pb.CreateSourceKeyRequest(source="stats_bureau")).key_file)
        # scoring learns of the new key at its next poll of the registry (every 0.5 s here)
        eventually(lambda: lands(platform, new, "U-R02"), 60, "an event signed with the new key stored")
        assert lands(platform, old, "U-R02", 30), "both keys count while the feed switches"
        office.call("RevokeSourceKey", pb.RevokeSourceKeyRequest(key_id=old.key_id, reason="轮换 rotated"))
    letters = DeadLetters(platform)

    def refused() -> str | None:
        event = investment("U-R03", 1.0)
        send(platform, event, key=old)
        if wait_for(lambda: stored(platform, event["event_id"]), 3.0, interval=0.2):
            return None  # scoring had not polled the registry since the revocation
        return letters.reason(event["event_id"])
    reason = eventually(refused, 60, "an event signed with the revoked key dead-lettered")
    assert reason.startswith(f"signature: key {old.key_id} of source stats_bureau was revoked at ")
    assert lands(platform, new, "U-R04", 30)
