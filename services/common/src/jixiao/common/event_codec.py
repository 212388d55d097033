"""The metric-event codec: Kafka record bytes ⇄ `jixiao.v1.MetricEvent`.

A record is binary protobuf or the canonical proto3 JSON form of the same
message. The `content-type` header decides when present
(`application/x-protobuf` or `application/json`); otherwise a value whose
first non-blank byte is `{` is read as JSON. Decoding never raises anything
but `EventError`, whose message is the reason stored with a dead letter.
"""
from __future__ import annotations

import functools
import math
from datetime import UTC, datetime, timedelta, timezone

from google.protobuf import json_format
from google.protobuf.message import DecodeError
from google.protobuf.unknown_fields import UnknownFieldSet

from jixiao.v1.metric_event_pb2 import MetricEvent
from jixiao_sdk.periods import PeriodError, day_period, parse_period

CONTENT_TYPE_HEADER = "content-type"
PROTOBUF = "application/x-protobuf"
JSON = "application/json"
CHINA_STANDARD_TIME = timezone(timedelta(hours=8))
MAX_ID_LENGTH = 128
MAX_ATTRIBUTES = 64
MAX_UNIT_LENGTH = 64
TEXT_FIELDS = ("event_id", "source", "unit_id", "person_id", "metric_code", "measurement_unit", "period", "revision_of",
               "evidence_ref")


# Why a record was refused, as a code of few values (a metric attribute, a dead-letter header):
# the message says it in words for people, the code for programs. Decoding gives the first two;
# scoring's checks against the scheme the others (jixiao.scoring.domain.records.REJECTION_CODES).
UNDECODABLE = "undecodable"  # not a MetricEvent at all
MALFORMED = "malformed"  # a MetricEvent with a field missing, too long, not finite …


class EventError(ValueError):
    """The record is not a valid MetricEvent; the message says why, `code` in one word."""

    def __init__(self, message: str, code: str = MALFORMED):
        super().__init__(message)
        self.code = code


def decode(value: bytes | None, content_type: str | None = None) -> MetricEvent:
    """Parses and checks one record value."""
    if not value:
        raise EventError("empty record value", UNDECODABLE)
    as_json = content_type == JSON if content_type in (JSON, PROTOBUF) else value.lstrip()[:1] == b"{"
    event = MetricEvent()
    if as_json:
        try:
            json_format.Parse(value.decode("utf-8"), event)
        except UnicodeDecodeError:
            raise EventError("JSON record is not UTF-8", UNDECODABLE) from None
        except json_format.ParseError as exc:
            raise EventError(f"invalid MetricEvent JSON: {exc}", UNDECODABLE) from None
    else:
        try:
            event.ParseFromString(value)
        except DecodeError:
            raise EventError("neither protobuf MetricEvent nor JSON", UNDECODABLE) from None
        if len(UnknownFieldSet(event)):
            raise EventError("neither protobuf MetricEvent nor JSON (unknown protobuf fields)", UNDECODABLE)
    check(event)
    return event


def check(event: MetricEvent) -> None:
    """Structural checks that need no scheme; raises EventError naming the field."""
    texts = {field: getattr(event, field) for field in TEXT_FIELDS}  # each protobuf field read once
    for field in ("event_id", "source", "unit_id", "metric_code"):
        text = texts[field]
        if not text.strip():
            raise EventError(f"{field} is required")
        if len(text) > MAX_ID_LENGTH:
            raise EventError(f"{field} is longer than {MAX_ID_LENGTH} characters")
    for field, limit in (("person_id", MAX_ID_LENGTH), ("revision_of", MAX_ID_LENGTH), ("measurement_unit", MAX_UNIT_LENGTH)):
        if len(texts[field]) > limit:
            raise EventError(f"{field} is longer than {limit} characters")
    if "\x00" in "".join(texts.values()):  # PostgreSQL stores no NUL character: such a batch would fail for ever
        raise EventError(f"{next(f for f, t in texts.items() if chr(0) in t)} contains a NUL character")
    if not math.isfinite(event.value):
        raise EventError("value must be a finite number")
    if texts["revision_of"] and texts["revision_of"] == texts["event_id"]:
        raise EventError("revision_of must name another event")
    if len(event.attributes) > MAX_ATTRIBUTES:
        raise EventError(f"attributes: more than {MAX_ATTRIBUTES} entries")
    if texts["period"]:
        try:
            parse_period(texts["period"])
        except PeriodError as exc:
            raise EventError(f"period: {exc}") from None
    elif not event.HasField("observed_at"):
        raise EventError("period or observed_at is required")


def period_of(event: MetricEvent) -> str:
    """The event's period, or the day of observed_at in China Standard Time."""
    if event.period:
        return event.period
    observed = event.observed_at.ToDatetime(tzinfo=UTC).astimezone(CHINA_STANDARD_TIME)
    return day_period(observed.date()).text


def encode(event: MetricEvent, content_type: str = PROTOBUF) -> bytes:
    if content_type == JSON:
        return json_format.MessageToJson(event, indent=None, ensure_ascii=False).encode("utf-8")
    return event.SerializeToString(deterministic=True)


def from_dict(data: dict) -> MetricEvent:
    """A MetricEvent from a dict of its fields (snake_case or camelCase)."""
    event = MetricEvent()
    try:
        json_format.ParseDict(data, event)
    except json_format.ParseError as exc:
        raise EventError(f"invalid MetricEvent: {exc}", UNDECODABLE) from None
    return event


def timestamp_text(ts) -> str:
    """ISO-8601 in China Standard Time, or '' for an unset timestamp."""
    return _timestamp_text(ts.seconds, ts.nanos)


# A feed's events share their reporting times: 4,096 entries catch as many as
# 65,536 on the demo stream (~0.7 of all timestamps) in ~0.6 MiB instead of ~10.
@functools.lru_cache(maxsize=4096)
def _timestamp_text(seconds: int, nanos: int) -> str:
    if not seconds and not nanos:
        return ""
    return datetime.fromtimestamp(seconds + nanos / 1e9, CHINA_STANDARD_TIME).isoformat()
