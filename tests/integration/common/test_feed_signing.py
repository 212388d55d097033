"""How feeds sign (jixiao_sdk.signing): the SDK's MetricPublisher, the
`jixiao feed sign` filter for kcat and `jixiao feed send`, on the real broker.
Each record's `jixiao-signature` header verifies against the key's public
half over b"jixiao-event-v1\\x00" + record key + b"\\x00" + record value."""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from helpers.cli import run_jixiao
from helpers.topic_reader import read_records
from jixiao.common import event_codec
from jixiao_sdk.publisher import MetricPublisher
from jixiao_sdk.signing import (
    HEADER,
    KeyFileError,
    SignatureFormatError,
    SigningKey,
    parse_header,
    signed_bytes,
    verify,
)

EVENT = {"event_id": "feed-1", "source": "stats_bureau", "unit_id": "U-R01", "metric_code": "fixed_asset_investment",
         "value": 28.23, "measurement_unit": "CNY_100M", "period": "2026-03", "attributes": {"channel": "月报"}}


@pytest.fixture(scope="module")
def key_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "stats_bureau.key"
    path.write_text(SigningKey.generate("stats_bureau", "k-test-stats").to_text(), encoding="utf-8")
    return path


def verifies(key: SigningKey, record_key: bytes | None, value: bytes, header: bytes) -> bool:
    parsed = parse_header(header)
    return parsed.key_id == key.key_id and verify(key.public_key(), parsed.signature, record_key, value)


def test_the_signed_bytes_and_the_header_format():
    assert signed_bytes(b"U-R01", b"{}") == b"jixiao-event-v1\x00U-R01\x00{}"
    assert signed_bytes(None, b"{}") == signed_bytes(b"", b"{}") == b"jixiao-event-v1\x00\x00{}"
    key = SigningKey.generate("stats_bureau", "k-1")
    header = key.sign(b"U-R01", b"{}")
    assert header.startswith(b"v1;key=k-1;sig=") and len(base64.b64decode(header.split(b"sig=")[1])) == 64
    assert verifies(key, b"U-R01", b"{}", header) and not verifies(key, b"U-R02", b"{}", header)
    for bad, problem in ((b"v1;key=k-1;sig=***", "sig is not base64"), (b"v1;sig=AAAA", "lacks key"),
                         (b"v1;key=k-1;key=k-2;sig=AAAA", "malformed"), (b"nonsense", "version 'nonsense'"),
                         (b"v1;key=a b;sig=AAAA", "is not a key id")):
        with pytest.raises(SignatureFormatError, match=problem):
            parse_header(bad)


def test_a_key_file_round_trips_and_a_bad_one_is_named_without_its_content(tmp_path, key_file):
    key = SigningKey.from_file(key_file)
    assert (key.key_id, key.source) == ("k-test-stats", "stats_bureau")
    assert SigningKey.from_text(key.to_text()).public_key() == key.public_key()
    assert repr(key) == "SigningKey(key_id='k-test-stats', source='stats_bureau')"
    secret = json.loads(key.to_text())["private_key"]
    for text, problem in (("{", "not JSON"), ('{"format": "x"}', "not a jixiao.feed-key/v1 key file"),
                          (key.to_text().replace(secret, secret[:-4] + "!!!!"), "private_key is not base64"),
                          (key.to_text().replace(secret, base64.b64encode(b"short").decode()), "private_key is 5 bytes")):
        with pytest.raises(KeyFileError, match=problem) as raised:
            SigningKey.from_text(text, "stats.key")
        assert secret[:12] not in str(raised.value)
    with pytest.raises(KeyFileError, match="No such file"):
        SigningKey.from_file(tmp_path / "missing.key")


def test_the_sdk_publisher_signs_every_record(broker, key_file):
    topic = f"signed-{uuid.uuid4().hex[:8]}"
    key = SigningKey.from_file(key_file)
    with MetricPublisher(broker.bootstrap, topic=topic, signing_key=str(key_file)) as feed:
        feed.publish(EVENT)
        feed.publish({**EVENT, "event_id": "feed-2", "unit_id": "U-R02"}, headers=[(HEADER, b"forged")])
        with pytest.raises(ValueError, match="event source 'finance_bureau' is not the signing key's source 'stats_bureau'"):
            feed.publish({**EVENT, "source": "finance_bureau"})
    records = read_records(broker.bootstrap, topic, 2)
    assert len(records) == 2
    for message in records:
        headers = dict(message.headers)
        assert [name for name, _ in message.headers].count(HEADER) == 1, "a caller's header is replaced, not added"
        assert verifies(key, message.key, message.value, headers[HEADER])
        assert event_codec.decode(message.value, event_codec.JSON).source == "stats_bureau"


def test_the_sdk_core_does_not_import_cryptography():
    code = ("import sys, jixiao_sdk, jixiao_sdk.testing, jixiao_sdk.publisher\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'cryptography'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stderr


def feed(*args: str, stdin: bytes) -> subprocess.CompletedProcess:
    """`jixiao feed ARGS`, in this process; standard output and error as bytes."""
    return run_jixiao("feed", *args, stdin=stdin, text=False)


def feed_process(*args: str, stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jixiao.cli", "feed", *args], input=stdin, capture_output=True,
                          timeout=120)


def test_jixiao_feed_sign_gives_kcat_the_key_and_signature_of_each_line(key_file):
    """The real `python -m jixiao.cli` (the other `jixiao feed` tests call it in this process),
    as kcat's loop runs it: bytes in, exactly these bytes out, exit status 0."""
    key = SigningKey.from_file(key_file)
    lines = [json.dumps(EVENT, ensure_ascii=False), "", json.dumps({**EVENT, "event_id": "feed-2", "unit_id": "U-R02"})]
    done = feed_process("sign", "--key-file", str(key_file), stdin="\n".join(lines).encode("utf-8") + b"\r\n")
    assert done.returncode == 0, done.stderr
    out = [line.split(b"\t") for line in done.stdout.splitlines()]
    assert [(k, v) for k, _, v in out] == [(b"U-R01", lines[0].encode("utf-8")), (b"U-R02", lines[2].encode())]
    assert all(verifies(key, k, v, s) for k, s, v in out)
    assert json.loads(key_file.read_text())["private_key"].encode() not in done.stdout + done.stderr


@pytest.mark.parametrize("line, problem", [
    ("{not json", "line 2: invalid MetricEvent JSON"),
    (json.dumps({**EVENT, "source": "finance_bureau"}), "line 2: source 'finance_bureau' is not the key's source 'stats_bureau'"),
    (json.dumps({**EVENT, "unit_id": ""}), "line 2: unit_id is required"),
    ('{"event_id":\t"x"}', "line 2: contains a tab"),
])
def test_jixiao_feed_sign_names_a_bad_line(key_file, line, problem):
    done = feed("sign", "--key-file", str(key_file), stdin=(json.dumps(EVENT) + "\n" + line + "\n").encode())
    assert done.returncode == 1 and problem in done.stderr.decode() and "nothing after it was signed" in done.stderr.decode()
    assert len(done.stdout.splitlines()) == 1


def test_jixiao_feed_without_a_usable_key_file_says_so(tmp_path):
    (tmp_path / "bad.key").write_text("{}", encoding="utf-8")
    done = feed("sign", "--key-file", str(tmp_path / "bad.key"), stdin=b"")
    assert done.returncode == 2 and b"not a jixiao.feed-key/v1 key file" in done.stderr


def test_jixiao_feed_send_signs_and_sends(broker, key_file):
    topic = f"sent-{uuid.uuid4().hex[:8]}"
    key = SigningKey.from_file(key_file)
    lines = [json.dumps({**EVENT, "event_id": f"feed-{n}"}, ensure_ascii=False) for n in range(3)]
    done = feed("send", "--key-file", str(key_file), "-b", broker.bootstrap, "-t", topic,
                stdin="\n".join(lines).encode("utf-8"))
    assert done.returncode == 0 and f"sent 3 signed events to {topic}" in done.stderr.decode(), done.stderr
    records = read_records(broker.bootstrap, topic, 3)
    assert sorted(m.value.decode("utf-8") for m in records) == sorted(lines)
    for message in records:
        headers = dict(message.headers)
        assert headers["content-type"] == b"application/json" and message.key == b"U-R01"
        assert verifies(key, message.key, message.value, headers[HEADER])


@pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat is not installed (make test installs the Debian package)")
def test_the_kcat_loop_of_the_feeds_guide_sends_signed_records(broker, key_file, tmp_path):
    """docs/feeds.md, "With kcat": the loop as documented, run by bash."""
    guide = (Path(__file__).resolve().parents[3] / "docs" / "feeds.md").read_text(encoding="utf-8")
    loop = guide.split("<!-- kcat loop -->\n```sh\n", 1)[1].split("```", 1)[0]
    topic = f"kcat-{uuid.uuid4().hex[:8]}"
    events = tmp_path / "events.jsonl"
    lines = [json.dumps({**EVENT, "event_id": f"kcat-{n}", "unit_id": f"U-R0{n + 1}"}, ensure_ascii=False) for n in range(3)]
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "BOOTSTRAP": broker.bootstrap,
           "TOPIC": topic, "KEY_FILE": str(key_file), "EVENTS": str(events)}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", loop], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    key = SigningKey.from_file(key_file)
    records = read_records(broker.bootstrap, topic, 3)
    assert sorted(m.value.decode("utf-8") for m in records) == sorted(lines)
    for message in records:
        assert verifies(key, message.key, message.value, dict(message.headers)[HEADER])
        assert message.key == json.loads(message.value)["unit_id"].encode()
