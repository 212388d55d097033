"""The thin path over real sockets: an event published with kafka-python
(protobuf) and one published by kcat (JSON), each signed with its source's
key, is consumed by scoring, stored exactly once, scored, and visible in the
gateway's JSON API.

The tests share their module's platform (conftest.py): each reports figures for
a district no other test here reports for (U-R01 in March, U-R02 in March, U-R03
in March, U-R04 in January, U-R05 in April and May; investment counts year to
date, so two tests on one district would see each other's figures), and counts
what it changed from what it read before."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from kafka import KafkaProducer

from helpers import eventually
from helpers.topic_reader import read_records
from jixiao.common import event_codec

SCHEME = "jiangchuan-2026"


def investment_event(unit_id: str, value: float, period: str = "2026-03") -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "source": "stats_bureau",
        "unit_id": unit_id,
        "metric_code": "fixed_asset_investment",
        "value": value,
        "measurement_unit": "CNY_100M",
        "period": period,
        "reported_at": "2026-04-05T09:00:00+08:00",
        "evidence_ref": "stats://2026/03/fai",
    }


def publish(bootstrap: str, topic: str, values: list[bytes], content_type: str | None = event_codec.PROTOBUF,
            keys=None) -> None:
    """Sends the values, each signed with its source's key from `keys` (helpers.FeedKeys; unsigned without)."""
    producer = KafkaProducer(bootstrap_servers=bootstrap.split(","))
    headers = [("content-type", content_type.encode())] if content_type else []
    for value in values:
        if keys is None:
            producer.send(topic, value=value, headers=headers)
            continue
        event = event_codec.decode(value, content_type)
        key = event.unit_id.encode()
        producer.send(topic, value=value, key=key, headers=keys.headers(event, headers, key, value))
    producer.flush()
    producer.close()


def wait_for_evidence(platform, unit_id: str, period: str, event_id: str, timeout: float = 20.0) -> dict:
    answers: list[dict] = [{}]

    def visible() -> dict | None:
        status, answers[0] = platform.get(f"/api/v1/schemes/{SCHEME}/units/{unit_id}?period={period}")
        results = answers[0]["indicators"] if status == 200 else []
        return next((r for r in results if event_id in r["evidence_event_ids"]), None)

    try:
        return eventually(visible, timeout, f"event {event_id} visible for {unit_id} {period}")
    except AssertionError as error:
        raise AssertionError(f"{error}; last answer: {answers[0]}") from None


def test_kafka_python_protobuf_event_reaches_the_gateway_once(platform):
    topic = platform.topics["JIXIAO_METRICS_TOPIC"]
    _, before = platform.get("/api/v1/ingest")
    event = event_codec.from_dict(investment_event("U-R01", 28.23))
    started = time.monotonic()
    publish(platform.bootstrap, topic, [event_codec.encode(event)], keys=platform.keys)
    result = wait_for_evidence(platform, "U-R01", "2026-03", event.event_id)
    print(f"publish-to-visible: {time.monotonic() - started:.2f} s")
    assert result["indicator_code"] == "investment_completion"
    assert result["status"] == "ok"
    assert result["raw_value"] == pytest.approx(28.23)
    assert result["plugin_version"].startswith("jixiao-indicator-investment-completion==")
    _, quarter = platform.get(f"/api/v1/schemes/{SCHEME}/units/U-R01?period=2026-Q1")
    assert quarter["total"] > 0

    # The same event again (a feed retrying) is not stored twice.
    publish(platform.bootstrap, topic, [event_codec.encode(event)], keys=platform.keys)
    status = eventually(lambda: (lambda s: s if s["duplicates"] >= before["duplicates"] + 1 else None)(
        platform.get("/api/v1/ingest")[1]), 20, "the duplicate counted")
    # unapproved_plugins empty: every installed build is the one the registry recorded.
    assert status == {"events_stored": before["events_stored"] + 1, "duplicates": before["duplicates"] + 1,
                      "rejected": before["rejected"], "pending_rescores": 0, "unapproved_plugins": []}
    status, stored = platform.get(f"/api/v1/events/{event.event_id}")
    assert status == 200 and stored["value"] == pytest.approx(28.23) and stored["superseded_by"] == ""
    assert stored["kafka_topic"] == topic and stored["evidence_ref"] == "stats://2026/03/fai"
    assert platform.get("/api/v1/events/no-such-event")[0] == 404
    _, again = platform.get(f"/api/v1/schemes/{SCHEME}/units/U-R01?period=2026-03")
    assert [r["raw_value"] for r in again["indicators"] if r["indicator_code"] == "investment_completion"] == [pytest.approx(28.23)]


@pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat is not installed (make test installs the Debian package)")
def test_kcat_json_event_reaches_the_gateway(platform):
    """As docs/feeds.md shows a kcat user: `jixiao feed sign` gives the record key and the
    signature of each JSON line, and kcat sends the line with them."""
    data = investment_event("U-R02", 12.5)
    line = json.dumps(data, ensure_ascii=False)
    key_file = platform.keys.folder / "stats_bureau.key"
    signed = subprocess.run([sys.executable, "-m", "jixiao.cli", "feed", "sign", "--key-file", str(key_file)],
                            input=(line + "\n").encode("utf-8"), capture_output=True, check=True, timeout=60).stdout
    key, signature, value = signed.rstrip(b"\n").split(b"\t")
    assert (key, value) == (b"U-R02", line.encode("utf-8"))
    subprocess.run(
        ["kcat", "-P", "-b", platform.bootstrap, "-t", platform.topics["JIXIAO_METRICS_TOPIC"],
         "-H", "content-type=application/json", "-H", f"jixiao-signature={signature.decode()}", "-k", key.decode()],
        input=value, check=True, timeout=30,
    )
    result = wait_for_evidence(platform, "U-R02", "2026-03", data["event_id"])
    assert result["raw_value"] == pytest.approx(12.5)


def test_garbage_goes_to_the_dead_letter_topic_and_the_consumer_goes_on(platform):
    topic = platform.topics["JIXIAO_METRICS_TOPIC"]
    good = event_codec.from_dict(investment_event("U-R03", 7.0))
    # This test's own garbage (the suffix changes neither reason): the dead letters it looks for
    # among those the module's other tests may have caused.
    mark = uuid.uuid4().hex.encode()
    garbage = {b"\x00\x01\x02 this is not an event " + mark, b"{broken json " + mark}
    publish(platform.bootstrap, topic, sorted(garbage), content_type=None)
    publish(platform.bootstrap, topic, [event_codec.encode(good)], keys=platform.keys)
    wait_for_evidence(platform, "U-R03", "2026-03", good.event_id)

    # scoring dead-letters a record before it commits the ones after it: both are on the topic now
    letters = [m for m in read_records(platform.bootstrap, platform.topics["JIXIAO_DEAD_LETTER_TOPIC"])
               if m.value in garbage]
    reasons = sorted(dict(m.headers)["jixiao-dlq-reason"].decode() for m in letters)
    assert len(reasons) == 2, f"dead letters of this test: {reasons}"
    assert reasons[0].startswith("invalid MetricEvent JSON")
    assert reasons[1] == "neither protobuf MetricEvent nor JSON"
    assert {m.value for m in letters} == garbage
    assert all(dict(m.headers)["jixiao-dlq-topic"].decode() == topic for m in letters)


def test_api_errors_are_json_with_a_code(platform):
    status, body = platform.get(f"/api/v1/schemes/{SCHEME}/rankings?period=2026")
    assert status == 400 and body["error"]["code"] == "invalid_argument" and "category" in body["error"]["message"]
    status, body = platform.get(f"/api/v1/schemes/{SCHEME}/rankings?category=district_county&period=2026-13")
    assert status == 400 and "period" in body["error"]["message"]
    status, body = platform.get("/api/v1/schemes/nope/rankings?category=x&period=2026")
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = platform.get("/api/v1/no-such-thing")
    assert status == 404 and body["error"]["code"] == "not_found"


def test_grades_through_the_gateway(platform):
    # The module's other tests report district figures only: no department's score changes.
    status, body = platform.get(f"/api/v1/schemes/{SCHEME}/grades/departments?period=2026")
    assert status == 200 and body["method"] == "ratio" and len(body["entries"]) == 99 and body["graded"]
    # No department has a score yet: all 99 count 0 points, one tie across every boundary, which
    # no identifier decides: no grades until the office resolves it, and the places to decide
    [tie] = body["ties"]
    assert (len(tie["ids"]), tie["grades"], tie["slots"], tie["resolved"]) == (99, [1, 2, 3], [18, 75, 6], False)
    assert body["counts"] == [] and all(e["tie_pending"] and e["grade"] == 0 and e["rank"] == 1 for e in body["entries"])
    status, body = platform.get(f"/api/v1/schemes/{SCHEME}/grades/nope?period=2026")
    assert status == 400 and "grading_code" in body["error"]["message"]


def test_progress_through_the_gateway(platform):
    topic = platform.topics["JIXIAO_METRICS_TOPIC"]
    event = event_codec.from_dict(investment_event("U-R04", 10.0, period="2026-01"))
    publish(platform.bootstrap, topic, [event_codec.encode(event)], keys=platform.keys)
    wait_for_evidence(platform, "U-R04", "2026-01", event.event_id)
    status, body = platform.get(f"/api/v1/schemes/{SCHEME}/progress?period=2026-06&warnings=1")
    assert status == 200 and body["as_of"] == "2026-06-30"
    lagging = {(e["unit_id"], e["indicator_code"]) for e in body["entries"]}
    assert ("U-R04", "investment_completion") in lagging and all(e["warning"] for e in body["entries"])


def test_bulletin_and_deltas_through_the_gateway(platform):
    topic = platform.topics["JIXIAO_METRICS_TOPIC"]
    first = event_codec.from_dict(investment_event("U-R05", 20.0, period="2026-04"))
    second = event_codec.from_dict(investment_event("U-R05", 30.0, period="2026-05"))
    publish(platform.bootstrap, topic, [event_codec.encode(first), event_codec.encode(second)], keys=platform.keys)
    wait_for_evidence(platform, "U-R05", "2026-05", second.event_id)
    # U-R05 leads both months' rankings: no other test here reports for April or May, and a
    # district has a total only for a period it reported figures in.
    status, unit = platform.get(f"/api/v1/schemes/{SCHEME}/units/U-R05?period=2026-05")
    assert status == 200 and unit["previous_period"] == "2026-04" and "vs_previous" in unit
    status, body = platform.get(f"/api/v1/schemes/{SCHEME}/bulletins/2026-05")
    assert status == 200 and body["previous_period"] == "2026-04"
    districts = next(c for c in body["categories"] if c["category"] == "district_county")
    assert districts["ranking"][0]["unit_id"] == "U-R05" and districts["ranking"][0]["previous_rank"] == 1
