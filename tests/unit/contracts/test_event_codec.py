"""The topic accepts binary protobuf and canonical proto3 JSON; anything else is a clear EventError."""
import math

import pytest

from jixiao.common import event_codec
from jixiao.common.event_codec import EventError

VALID = {
    "event_id": "e-1",
    "source": "stats_bureau",
    "unit_id": "U-R01",
    "metric_code": "fixed_asset_investment",
    "value": 23.5,
    "measurement_unit": "CNY_100M",
    "period": "2026-03",
    "observed_at": "2026-03-31T00:00:00+08:00",
    "attributes": {"note": "月报"},
}


def test_protobuf_and_json_forms_decode_to_the_same_event():
    event = event_codec.from_dict(VALID)
    from_proto = event_codec.decode(event_codec.encode(event), event_codec.PROTOBUF)
    from_json = event_codec.decode(event_codec.encode(event, event_codec.JSON))
    assert from_proto == from_json == event
    assert from_json.attributes["note"] == "月报"


def test_json_is_recognised_without_a_content_type_header():
    text = b'{"eventId": "e-2", "source": "s", "unitId": "u", "metricCode": "m", "value": 1, "period": "2026"}'
    assert event_codec.decode(text).event_id == "e-2"


@pytest.mark.parametrize("value, reason", [
    (b"", "empty record value"),
    (b"hello world", "neither protobuf MetricEvent nor JSON"),
    (b"\xff\xfe\x00garbage", "neither protobuf MetricEvent nor JSON"),
    (b"{not json", "invalid MetricEvent JSON"),
    (b'{"eventId": "x", "colour": "red"}', "invalid MetricEvent JSON"),
])
def test_garbage_is_rejected_with_a_reason(value, reason):
    with pytest.raises(EventError, match=reason):
        event_codec.decode(value)


@pytest.mark.parametrize("field", ["event_id", "source", "unit_id", "metric_code"])
def test_missing_required_field_is_named(field):
    event = event_codec.from_dict({**VALID, field: ""})
    with pytest.raises(EventError, match=f"{field} is required"):
        event_codec.decode(event_codec.encode(event))


def test_non_finite_value_and_bad_period_are_rejected():
    event = event_codec.from_dict(VALID)
    event.value = math.nan
    with pytest.raises(EventError, match="finite"):
        event_codec.decode(event_codec.encode(event))
    with pytest.raises(EventError, match="finite"):
        event_codec.decode(event_codec.encode(event, event_codec.JSON))
    with pytest.raises(EventError, match="period"):
        event_codec.decode(event_codec.encode(event_codec.from_dict({**VALID, "period": "2026-13"})))


def test_period_defaults_to_the_day_observed_in_china_standard_time():
    data = {k: v for k, v in VALID.items() if k != "period"}
    event = event_codec.from_dict({**data, "observed_at": "2026-03-31T17:00:00Z"})
    assert event_codec.period_of(event) == "2026-04-01"
