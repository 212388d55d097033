"""Generic indicators (通用指标) configured in a published scheme: scoring configures them
through the plug-in host from the standard plug-in jixiao-indicator-generic and scores them
from metric events like any plug-in indicator (docs/generic-indicators.md)."""
import json

import jixiao_indicator_generic
import pytest

from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao_sdk import IndicatorHost

UNITS = [{"id": f"U{i}", "name": {"zh": f"{i}区", "en": f"District {i}"}, "category": "district", "region": "R1"}
         for i in (1, 2, 3)]
SCHEME = {
    **SMALL_SCHEME,
    "units": UNITS,
    "sources": [{"code": "petitions", "metrics": ["cases_received", "cases_on_time"]},
                {"code": "safety", "metrics": ["accidents_reported"]},
                {"code": "stats", "metrics": ["amount", "revenue_growth"]}],
    "dimensions": [
        {"code": "work", "name": {"zh": "工作实绩", "en": "Work"}, "weight": 1.0},
        {"code": "deductions", "name": {"zh": "扣分", "en": "Deductions"}, "weight": 0, "additive": True},
    ],
    "indicators": [
        {"code": "on_time_rate", "name": {"zh": "按时办结率", "en": "On-time handling rate"},
         "generic": {"formula": "rate", "numerator": "cases_on_time", "denominator": "cases_received",
                     "target": 0.95}},
        {"code": "accidents", "name": {"zh": "安全事故扣分", "en": "Accident deductions"},
         "generic": {"formula": "case_points", "metric": "accidents_reported", "points_per_case": -2, "cap": 10}},
        {"code": "growth_rank", "name": {"zh": "增速排名", "en": "Growth rank"},
         "generic": {"formula": "rank_points", "metric": "revenue_growth", "points_by_rank": [60, 57, 54],
                     "otherwise": 45}},
    ],
    "assignments": [
        {"category": "district", "dimension": "work", "indicator": "on_time_rate", "weight": 0.5, "max_points": 100},
        {"category": "district", "dimension": "work", "indicator": "growth_rank", "weight": 0.5, "max_points": 100},
        {"category": "district", "dimension": "deductions", "indicator": "accidents", "weight": 1.0,
         "max_points": 10},
    ],
    "targets": [{"unit": "U2", "indicator": "on_time_rate", "value": 0.8}],
}


def record(event_id: str, source: str, metric: str, value: float, period: str, unit: str = "U1") -> IncomingRecord:
    data = {"event_id": event_id, "source": source, "unit_id": unit, "metric_code": metric, "value": value,
            "period": period}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


def results(service, unit: str, period: str) -> dict[str, dict]:
    return {r["indicator_code"]: r for r in service.unit_score("test-2026", unit, period)[3]}


@pytest.fixture
def service(tmp_path):
    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    service.adopt_scheme(SCHEME, 1, "sha256:test")
    return service


def test_a_generic_rate_and_case_points_are_scored_from_events(service):
    outcome = service.ingest([
        record("r1", "petitions", "cases_received", 40, "2026-03"),
        record("o1", "petitions", "cases_on_time", 36, "2026-03"),
        record("a1", "safety", "accidents_reported", 3, "2026-03"),
        record("r2", "petitions", "cases_received", 20, "2026-03", unit="U2"),
        record("o2", "petitions", "cases_on_time", 17, "2026-03", unit="U2"),
        record("a2", "safety", "accidents_reported", 7, "2026-03", unit="U2"),
    ])
    assert outcome.stored == 6 and not outcome.rejected
    mine = results(service, "U1", "2026-03")
    rate = mine["on_time_rate"]
    assert rate["status"] == "ok" and rate["points"] == pytest.approx(100 * 0.9 / 0.95)
    assert rate["explanation"] == (
        "按时办结率：cases_on_time 36 / cases_received 40 = 90.0%，方案目标95.0%，得分=100×min(1, 90.0%/95.0%)=94.74"
        " / On-time handling rate: cases_on_time 36 / cases_received 40 = 90.0%, the scheme's target 95.0%;"
        " points = 100 x min(1, 90.0% / 95.0%) = 94.74")
    assert sorted(json.loads(rate["evidence_json"])) == ["o1", "r1"]
    assert rate["plugin_version"].startswith("jixiao-indicator-generic==")
    accidents = mine["accidents"]
    assert accidents["points"] == -6.0
    assert accidents["explanation"].startswith("安全事故扣分：accidents_reported 3件，每件扣2.00分，扣6.00分")
    # the unit's own target overrides the scheme's; the cap holds
    theirs = results(service, "U2", "2026-03")
    assert theirs["on_time_rate"]["points"] == 100.0 and "单位目标80.0%" in theirs["on_time_rate"]["explanation"]
    assert theirs["accidents"]["points"] == -10.0
    assert "（按件应扣14.00分，最多扣10.00分）" in theirs["accidents"]["explanation"]
    # they count in the dimensions by their assignments: half of work (growth_rank has no result,
    # counted as 0 by the scheme's missing-results rule), the deduction scaled to max_points 10
    scheme, score, _, _ = service.unit_score("test-2026", "U1", "2026-03")
    assert score["total"] == pytest.approx(0.5 * 100 * 0.9 / 0.95 - 6.0)
    # the quarter sums the months
    assert results(service, "U1", "2026-Q1")["on_time_rate"]["points"] == pytest.approx(100 * 0.9 / 0.95)


def test_a_rate_whose_numerator_exceeds_the_denominator_fails_naming_both(service):
    service.ingest([record("r1", "petitions", "cases_received", 10, "2026-03"),
                    record("o1", "petitions", "cases_on_time", 12, "2026-03")])
    rate = results(service, "U1", "2026-03")["on_time_rate"]
    assert rate["status"] == "failed"
    assert rate["reason"] == ("in 2026-03, cases_on_time (12.00) exceeds cases_received (10.00);"
                              " the numerator may not exceed the denominator")


def test_rank_points_rescore_every_peer_when_one_changes(service):
    service.ingest([record("g1", "stats", "revenue_growth", 0.10, "2026-03", unit="U1"),
                    record("g2", "stats", "revenue_growth", 0.08, "2026-03", unit="U2")])
    assert results(service, "U1", "2026-03")["growth_rank"]["points"] == 100.0
    assert results(service, "U2", "2026-03")["growth_rank"]["points"] == pytest.approx(100 * 57 / 60)
    # U3 reports a better figure: U1 and U2 each drop one rank without events of their own
    service.ingest([record("g3", "stats", "revenue_growth", 0.12, "2026-03", unit="U3")])
    assert results(service, "U3", "2026-03")["growth_rank"]["points"] == 100.0
    u1 = results(service, "U1", "2026-03")["growth_rank"]
    assert u1["points"] == pytest.approx(100 * 57 / 60)
    assert "rank 2 of 3 in the peer group" in u1["explanation"]
    assert json.loads(u1["evidence_json"]) == ["g1"]  # peers' figures are never evidence
    assert results(service, "U2", "2026-03")["growth_rank"]["points"] == pytest.approx(100 * 54 / 60)
    # ties share the better rank
    service.ingest([record("g4", "stats", "revenue_growth", 0.10, "2026-03", unit="U2")])
    # (g4 is a second March figure of U2: with aggregate last the latest by event id counts)
    assert results(service, "U2", "2026-03")["growth_rank"]["points"] == pytest.approx(100 * 57 / 60)


def test_without_the_generic_plugin_a_generic_indicator_fails_clearly(tmp_path):
    host = IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    service.adopt_scheme(SCHEME, 1, "sha256:test")
    assert service.generic_problems["test-2026"]["on_time_rate"] == (
        "generic indicator 'on_time_rate' needs generic_rate, which no active plug-in provides"
        " (install and activate jixiao-indicator-generic)")
    outcome = service.ingest([record("r1", "petitions", "cases_received", 10, "2026-03")])
    assert outcome.rejected and "cases_received" in str(outcome.rejected[0])


def test_bad_settings_are_reported_not_scored(tmp_path):
    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    bad = json.loads(json.dumps(SCHEME))
    bad["indicators"][1]["generic"]["cap"] = 0
    service.adopt_scheme(bad, 1, "sha256:test")
    assert "cap: must be > 0, got 0" in service.generic_problems["test-2026"]["accidents"]
    assert "accidents" not in service.specs_of(service.scheme("test-2026"))


def test_the_unit_score_over_grpc_explains_a_generic_indicator(service, tmp_path):
    from helpers import make_tokens
    from helpers.scoring_server import scoring_over_grpc
    from jixiao.v1 import scoring_pb2 as pb

    service.ingest([record("r1", "petitions", "cases_received", 40, "2026-03"),
                    record("o1", "petitions", "cases_on_time", 38, "2026-03")])
    tokens = make_tokens(tmp_path)
    with scoring_over_grpc(service, tokens) as call:
        score = call("GetUnitScore", pb.GetUnitScoreRequest(scheme_code="test-2026", unit_id="U1", period="2026-03"),
                     tokens.office)
    rate = next(i for i in score.indicators if i.indicator_code == "on_time_rate")
    assert rate.points == pytest.approx(100.0) and rate.dimension == "work" and rate.counted
    assert rate.formula.startswith("rate = cases_on_time / cases_received; points = 100 x min(1, rate / target)")
    assert sorted(rate.evidence_event_ids) == ["o1", "r1"]
    assert rate.explanation.startswith("按时办结率：cases_on_time 38 / cases_received 40 = 95.0%")


def test_a_scheme_the_registry_published_is_scored(tmp_path):
    """The registry validates and publishes the scheme with its generic indicators once
    jixiao-indicator-generic is active; scoring scores the published document."""
    from jixiao.registry.adapters.installed_plugins import installed_plugins
    from jixiao.registry.bootstrap import build_service as build_registry

    registry = build_registry(f"sqlite:///{tmp_path / 'registry.db'}")
    for plugin in installed_plugins():
        registry.register_plugin(plugin)
        registry.set_plugin_status(plugin.name, plugin.version, "approved")
        registry.set_plugin_status(plugin.name, plugin.version, "active")
    draft = registry.submit_scheme(json.dumps(SCHEME, ensure_ascii=False), "json")
    published = registry.publish_scheme(draft.code, draft.version)
    scored = build_service(f"sqlite:///{tmp_path / 'scored.db'}",
                           IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()],
                                                      timeout_s=None))
    scored.adopt_scheme(registry.get_scheme(published.code, published.version).document, published.version,
                        published.digest)
    scored.ingest([record("a1", "safety", "accidents_reported", 1, "2026-02")])
    assert results(scored, "U1", "2026-02")["accidents"]["points"] == -2.0
