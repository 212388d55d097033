"""The cache of plug-in views of stored events: bounded, oldest dropped
first, repeated texts shared, configurable; scores the same with it off."""
from __future__ import annotations

import json

import pytest

from helpers.small_scheme import small_service
from jixiao.common import event_codec
from jixiao.common.config import ConfigError
from jixiao.scoring.adapters.observation_cache import DEFAULT_CAPACITY, ObservationCache
from jixiao.scoring.config import ScoringConfig
from jixiao.scoring.domain.records import IncomingRecord


def row(number: int, **fields) -> dict:
    return {"event_id": f"e{number}", "metric_code": "".join(["amo", "unt"]), "value": float(number),
            "measurement_unit": "".join(["CNY_", "100M"]), "period": "".join(["2026-", "03"]),
            "source": "".join(["sta", "ts"]), "attributes_json": json.dumps({"".join(["chan", "nel"]): f"c{number}"}),
            **fields}


def test_a_view_is_built_once_and_holds_the_rows_fields():
    cache = ObservationCache(10)
    view = cache.view(row(1))
    assert cache.view(row(1, value=99.0)) is view  # stored events never change: the first view stays
    assert (view.event_id, view.metric_code, view.value, view.measurement_unit, view.period, view.source) == \
        ("e1", "amount", 1.0, "CNY_100M", "2026-03", "stats")
    assert dict(view.attributes) == {"channel": "c1"}


def test_at_most_capacity_views_are_kept_the_oldest_dropped_first():
    cache = ObservationCache(3)
    first = [cache.view(row(n)) for n in range(5)]
    assert len(cache) == 3
    assert cache.view(row(4)) is first[4] and cache.view(row(2)) is first[2]
    assert cache.view(row(0)) is not first[0]  # dropped, built again


def test_texts_every_event_repeats_are_shared_not_copied():
    cache = ObservationCache(10)
    a, b = cache.view(row(1)), cache.view(row(2))
    assert a.metric_code is b.metric_code and a.measurement_unit is b.measurement_unit
    assert a.period is b.period and a.source is b.source
    assert next(iter(a.attributes)) is next(iter(b.attributes))


def test_capacity_zero_keeps_nothing_and_a_forgotten_view_is_built_again():
    off = ObservationCache(0)
    assert off.view(row(1)) is not off.view(row(1)) and len(off) == 0
    cache = ObservationCache(5)
    view = cache.view(row(1))
    cache.forget("e1")
    cache.forget("never-seen")
    assert cache.view(row(1)) is not view
    with pytest.raises(ValueError, match="capacity"):
        ObservationCache(-1)


def scores(tmp_path, name: str, cache_events: int) -> list:
    service = small_service(f"sqlite:///{tmp_path / name}", cache_events=cache_events)
    for batch in range(3):  # each batch rescored: later ones read the earlier events again
        service.ingest([IncomingRecord(
            value=event_codec.encode(event_codec.from_dict(
                {"event_id": f"b{batch}-{n}", "source": "stats", "unit_id": unit, "metric_code": "amount",
                 "value": 1.0 + n, "period": f"2026-0{1 + n % 3}"})),
            headers={"content-type": event_codec.PROTOBUF.encode()}, offset=batch * 10 + n)
            for n, unit in enumerate(["U1", "U2", "U1", "U2"])])
    with service.engine.connect() as connection:
        return [tuple(r) for r in connection.exec_driver_sql(
            "SELECT unit_id, period, indicator_code, points FROM scoring_indicator_results ORDER BY 1, 2, 3")]


def test_scores_are_the_same_with_the_cache_off_or_tiny(tmp_path):
    reference = scores(tmp_path, "default.db", DEFAULT_CAPACITY)
    assert reference
    assert scores(tmp_path, "off.db", 0) == reference
    assert scores(tmp_path, "tiny.db", 2) == reference


def test_the_capacity_is_a_setting(tmp_path):
    (tmp_path / "tokens.yaml").write_text("tokens: []\n", encoding="utf-8")  # only its existence is checked here
    environ = {"JIXIAO_SERVICE_TOKEN": "t", "JIXIAO_TOKENS_FILE": str(tmp_path / "tokens.yaml")}
    assert ScoringConfig.from_env(environ).cache_events == DEFAULT_CAPACITY == 50_000
    assert ScoringConfig.from_env({**environ, "JIXIAO_SCORING_CACHE_EVENTS": "0"}).cache_events == 0
    with pytest.raises(ConfigError, match="JIXIAO_SCORING_CACHE_EVENTS"):
        ScoringConfig.from_env({**environ, "JIXIAO_SCORING_CACHE_EVENTS": "-5"})
