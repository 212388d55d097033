"""Sub-year periods as an evaluation office means them: year-to-date figures
against the prorated plan (序时进度), only what is assessed in a period counts
in its total, missing results are shown, and last year's same span is the
comparison."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.order_independence import assert_order_independent
from helpers.small_scheme import SMALL_SCHEME, Awards, Invested, Rating
from jixiao.common import event_codec
from jixiao.common.errors import NotFound
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.persons import PersonRule
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.domain.scheme_view import SchemeView
from jixiao.scoring.domain.totals import Breakdown, IndicatorOutcome, IndicatorScale, basis_note, unit_total
from jixiao_sdk import IndicatorHost, IndicatorSpec

SCHEME = {
    **SMALL_SCHEME,
    "scheme": {**SMALL_SCHEME["scheme"], "missing_results": "excluded"},
    "sources": [{"code": "stats", "metrics": ["amount", "rating"]}, {"code": "office", "metrics": ["award"]}],
    "dimensions": [
        {"code": "work", "name": {"zh": "工作实绩", "en": "Work"}, "weight": 0.6},
        {"code": "survey", "name": {"zh": "民评", "en": "Survey"}, "weight": 0.4, "assessed_in": ["year"]},
        {"code": "bonus", "name": {"zh": "加分", "en": "Bonus"}, "weight": 0, "additive": True},
    ],
    "indicators": [{"code": "invested"}, {"code": "rating"}, {"code": "awards"}],
    "assignments": [
        {"category": "district", "dimension": "work", "indicator": "invested", "weight": 1.0, "max_points": 100},
        {"category": "district", "dimension": "survey", "indicator": "rating", "weight": 1.0, "max_points": 100},
        {"category": "district", "dimension": "bonus", "indicator": "awards", "weight": 1.0, "max_points": 3},
    ],
    "targets": [
        {"unit": "U1", "indicator": "invested", "value": 100.0,
         "milestones": [{"period": "2026-03", "share": 0.2}, {"period": "2026-06", "share": 0.45},
                        {"period": "2026-09", "share": 0.7}, {"period": "2026-12", "share": 1.0}]},
        {"unit": "U2", "indicator": "invested", "value": 200.0},
    ],
    "baselines": [{"unit": "U1", "metric": "amount", "period": f"2025-{m:02d}", "value": 5.0} for m in range(1, 13)],
}


def host() -> IndicatorHost:
    return IndicatorHost.from_plugins([Invested(), Rating(), Awards()], timeout_s=None)


def record(event_id: str, metric: str, value: float, period: str, unit: str = "U1", source: str = "stats") -> IncomingRecord:
    data = {"event_id": event_id, "source": source, "unit_id": unit, "metric_code": metric, "value": value, "period": period}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


def scored(tmp_path, scheme=SCHEME):
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host())
    service.adopt_scheme(scheme, 1, "sha256:test")
    return service


def result(service, code: str, period: str, unit: str = "U1") -> dict:
    return next(r for r in service.unit_score("test-2026", unit, period)[3] if r["indicator_code"] == code)


MONTHLY = [record(f"m{m}", "amount", 6.0, f"2026-{m:02d}") for m in range(1, 10)]


def test_a_quarter_of_a_year_to_date_indicator_is_the_year_so_far_against_the_plan_due(tmp_path):
    service = scored(tmp_path)
    Invested.seen.clear()
    service.ingest(MONTHLY)
    q3 = result(service, "invested", "2026-Q3")
    assert q3["raw_value"] == pytest.approx(54.0)  # January to September, not July to September alone
    assert q3["achievement"] == pytest.approx(54.0 / 70.0)  # the milestone: 70% of the plan due by September
    assert json.loads(q3["evidence_json"]) == [f"m{m}" for m in range(1, 10)]
    given = next(i for i in reversed(Invested.seen) if i.as_of_period == "2026-Q3")
    assert given.period == "2026" and given.elapsed_share == pytest.approx(273 / 365)
    assert sum(o.value for o in given.baseline) == pytest.approx(45.0)  # Jan–Sep 2025 from the scheme's baselines
    assert result(service, "invested", "2026-02")["raw_value"] == pytest.approx(12.0)
    # The year is scored on its own, as before: the whole year's figures so far.
    year = result(service, "invested", "2026")
    assert year["raw_value"] == pytest.approx(54.0) and "2026:" in year["explanation"]


def test_the_scheme_may_assess_an_indicator_on_the_period_alone(tmp_path):
    scheme = {**SCHEME, "indicators": [{"code": "invested", "period_basis": "period_alone"}, {"code": "rating"},
                                       {"code": "awards"}]}
    service = scored(tmp_path, scheme)
    service.ingest(MONTHLY)
    assert result(service, "invested", "2026-Q3")["raw_value"] == pytest.approx(18.0)


def test_a_late_figure_changes_every_later_year_to_date_period(tmp_path):
    service = scored(tmp_path)
    service.ingest(MONTHLY)
    service.ingest([record("late", "amount", 10.0, "2026-02")])
    assert result(service, "invested", "2026-02")["raw_value"] == pytest.approx(22.0)
    assert result(service, "invested", "2026-Q3")["raw_value"] == pytest.approx(64.0)
    assert result(service, "invested", "2026-08")["raw_value"] == pytest.approx(58.0)


def test_a_period_without_figures_of_its_own_has_no_year_to_date_result(tmp_path):
    service = scored(tmp_path)
    service.ingest([record("jan", "amount", 6.0, "2026-01"), record("mar-award", "award", 1, "2026-03", source="office")])
    assert result(service, "invested", "2026-01")["raw_value"] == 6.0
    # March has figures (an award) but no investment of its own: the year so far still stands.
    assert result(service, "invested", "2026-03")["raw_value"] == 6.0
    with pytest.raises(NotFound):  # February: nothing reported by the unit at all
        service.unit_score("test-2026", "U1", "2026-02")


def test_a_quarter_counts_only_what_is_assessed_in_it(tmp_path):
    service = scored(tmp_path)
    service.ingest([*MONTHLY, record("r1", "rating", 80, "2026-09-20"), record("r2", "rating", 60, "2026-12-10")])
    _, score, _, _ = service.unit_score("test-2026", "U1", "2026-Q3")
    q3 = result(service, "invested", "2026-Q3")
    breakdown = Breakdown.parse(score["dimensions_json"])
    assert score["total"] == pytest.approx(q3["points"])  # work results alone: the survey is held at year end
    assert breakdown.assessed == {"work": True, "survey": False, "bonus": True}
    assert breakdown.weights["work"] == pytest.approx(1.0)
    note = basis_note(service.scheme("test-2026").dimensions, breakdown)
    assert note.startswith("本期总分计入工作实绩、加分（民评本期不考核），权重按比例归一 / This period's total counts Work, Bonus")
    _, year, _, _ = service.unit_score("test-2026", "U1", "2026")
    assert year["total"] == pytest.approx(0.6 * result(service, "invested", "2026")["points"] + 0.4 * 70)


def test_a_missing_result_is_listed_and_counts_as_the_scheme_says():
    view = SchemeView(SCHEME, 1)
    scales = {"invested": IndicatorScale("score", 0, 100), "rating": IndicatorScale("score", 0, 100),
              "awards": IndicatorScale("bonus", 0, 2)}
    outcomes = {"invested": IndicatorOutcome("ok", 80.0), "awards": IndicatorOutcome("ok", 2.0)}
    excluded = unit_total(view, "U1", outcomes, scales, "year")
    assert [(m.indicator, m.counted_as) for m in excluded.missing] == [("rating", "excluded")]
    assert excluded.total == pytest.approx(80.0 + 3.0)  # the survey left out, work results reweighted to 1
    assert excluded.partial
    zero_scheme = {**SCHEME, "scheme": {**SCHEME["scheme"], "missing_results": "zero"}}
    zero = unit_total(SchemeView(zero_scheme, 1), "U1", outcomes, scales, "year")
    assert zero.total == pytest.approx(0.6 * 80.0 + 3.0) and zero.missing[0].reason.startswith("本期无数据")
    failed = unit_total(SchemeView(zero_scheme, 1), "U1", {**outcomes, "rating": IndicatorOutcome("failed", 0.0, reason="no target")},
                        scales, "year")
    assert failed.missing[0].reason == "no target"


def test_totals_of_a_scheme_assessed_in_every_period_are_unchanged():
    scheme = {**SCHEME, "scheme": SMALL_SCHEME["scheme"],
              "dimensions": [{**d, "assessed_in": ["month", "quarter", "year"]} if d["code"] == "survey" else d
                             for d in SCHEME["dimensions"]]}
    view = SchemeView(scheme, 1)
    scales = {"invested": IndicatorScale("score", 0, 100), "rating": IndicatorScale("score", 0, 100)}
    outcomes = {"invested": IndicatorOutcome("ok", 83.3), "rating": IndicatorOutcome("ok", 71.9)}
    total = unit_total(view, "U1", outcomes, scales, "quarter")
    assert total.total == 0.6 * (1.0 * 83.3) + 0.4 * (1.0 * 71.9)  # exactly the old arithmetic
    assert not total.partial and not total.missing


def test_a_leaders_weights_follow_the_stage():
    rule = PersonRule(0.6, 0.4, "rating", "excluded")
    assert rule.weights(False, True).personal == 0.0
    assert rule.total(70.0, 90.0, rule.weights(False, True)) == 70.0
    assert rule.total(70.0, 90.0, rule.weights(True, True)) == pytest.approx(78.0)
    assert rule.weights(True, False).note.startswith("本期无个人评价，不计入")
    assert PersonRule(0.6, 0.4, "rating", "zero").weights(True, False).personal == 0.4


EVENT = st.tuples(st.sampled_from(["amount", "rating", "award"]), st.integers(0, 100),
                  st.sampled_from(["2026-01", "2026-02-11", "2026-03", "2026-05", "2026-Q3", "2026-11-30", "2026"]),
                  st.sampled_from(["U1", "U2"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(EVENT, min_size=1, max_size=12), batch=st.integers(1, 5))
def test_year_to_date_results_do_not_depend_on_event_order_or_batching(tmp_path_factory, events, batch):
    records = [record(f"e{i}", metric, value if metric != "award" else 1, period, unit,
                      "office" if metric == "award" else "stats")
               for i, (metric, value, period, unit) in enumerate(events)]
    assert_order_independent(host, SCHEME, records, batch, tmp_path_factory.mktemp("ytd"))


def test_a_leaders_total_is_explained_by_its_unit_part_and_its_personal_part():
    rule = PersonRule(0.6, 0.4, "rating", "excluded")
    assert rule.explain(85.2, 78.0, rule.weights(True, True)) == (
        "总分=单位得分85.20×0.6+个人评价78.00×0.4=82.32 / total = unit 85.20 × 0.6 + personal 78.00 × 0.4 = 82.32")
    assert rule.explain(85.2, 0.0, rule.weights(False, False)).startswith(
        "总分=单位得分85.20 / total = the unit's 85.20; 本期不考核个人评价")


def test_a_locked_year_to_date_quarter_is_reproduced_and_later_figures_leave_it_alone(tmp_path):
    from jixiao.common.auth import Principal
    from jixiao.scoring.service_layer.period_review import PeriodReview

    service = scored(tmp_path)
    desk = PeriodReview(service)
    service.ingest(MONTHLY)
    desk.act("lock", "test-2026", "2026-Q3", Principal("考核办", "office"))
    before = result(service, "invested", "2026-Q3")
    service.ingest([record("oct", "amount", 9.0, "2026-10")])
    assert result(service, "invested", "2026-Q3") == before
    assert result(service, "invested", "2026-Q4")["raw_value"] == pytest.approx(63.0)
    found = desk.recheck("test-2026", "2026-Q3")
    assert found.identical and not found.differences


def test_a_figure_that_would_change_a_locked_later_year_to_date_period_is_late(tmp_path):
    from jixiao.common.auth import Principal
    from jixiao.scoring.service_layer.period_review import PeriodReview

    service = scored(tmp_path)
    desk = PeriodReview(service)
    service.ingest(MONTHLY)
    desk.act("lock", "test-2026", "2026-03", Principal("考核办", "office"))
    outcome = service.ingest([record("q1", "amount", 10.0, "2026-Q1"), record("feb", "amount", 1.0, "2026-02-10"),
                              record("apr", "amount", 2.0, "2026-04")])
    assert [r.reason.split(" is closed")[0] for r in outcome.rejected] == ["period: 2026-03", "period: 2026-03"]
    assert outcome.stored == 1  # April comes after the locked March
    assert desk.recheck("test-2026", "2026-03").identical
    # A figure of an indicator assessed on the period alone is not held back by a later lock.
    assert not service.ingest([record("award", "award", 1, "2026-02-11", source="office")]).rejected


def test_an_indicator_not_assessed_in_a_quarter_leaves_its_dimensions_other_weights_renormalised():
    scheme = {**SCHEME, "scheme": SMALL_SCHEME["scheme"],
              "indicators": [{"code": "invested"}, {"code": "rating", "assessed_in": ["year"]}, {"code": "awards"}],
              "dimensions": [{"code": "work", "name": {"zh": "工作实绩", "en": "Work"}, "weight": 1.0},
                             {"code": "bonus", "name": {"zh": "加分", "en": "Bonus"}, "weight": 0, "additive": True}],
              "assignments": [
                  {"category": "district", "dimension": "work", "indicator": "invested", "weight": 0.5, "max_points": 100},
                  {"category": "district", "dimension": "work", "indicator": "rating", "weight": 0.5, "max_points": 100},
              ]}
    view = SchemeView(scheme, 1)
    scales = {"invested": IndicatorScale("score", 0, 100), "rating": IndicatorScale("score", 0, 100)}
    quarter = unit_total(view, "U1", {"invested": IndicatorOutcome("ok", 100.0)}, scales, "quarter")
    assert quarter.total == pytest.approx(100.0) and quarter.not_assessed == ("rating",) and quarter.partial
    assert not quarter.missing
    breakdown = Breakdown.parse(quarter.breakdown_json())
    assert "1项指标本期不考核" in basis_note(view.dimensions, breakdown)
    year = unit_total(view, "U1", {"invested": IndicatorOutcome("ok", 100.0), "rating": IndicatorOutcome("ok", 60.0)},
                      scales, "year")
    assert year.total == pytest.approx(80.0) and not year.partial


def test_the_year_of_a_year_to_date_indicator_is_never_rolled_up_from_its_quarters(tmp_path):
    mean_basis = IndicatorSpec(code="invested", name_zh="投资", name_en="Invested", version="1.0", owner="test",
                               input_metrics=("amount",), min_points=0, max_points=100, period_basis="year_to_date",
                               rollup="mean", formula="as Invested")

    class MeanInvested(Invested):
        spec = mean_basis

    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}",
                            IndicatorHost.from_plugins([MeanInvested(), Rating(), Awards()], timeout_s=None))
    service.adopt_scheme(SCHEME, 1, "sha256:test")
    service.ingest(MONTHLY)
    year = result(service, "invested", "2026")
    assert year["raw_value"] == pytest.approx(54.0) and not year["explanation"].startswith("平均")


def test_a_completeness_check_is_reused_until_events_change(tmp_path):
    service = scored(tmp_path, {**SCHEME, "metrics": [{"code": "amount", "expected": "month"}]})
    service.ingest([record("jan", "amount", 6.0, "2026-01"), record("mar", "amount", 6.0, "2026-03"),
                    record("feb2", "amount", 6.0, "2026-02", unit="U2")])
    scheme = service.scheme("test-2026")
    first = service.completeness_of(scheme, "2026-Q1")
    assert service.completeness_of(scheme, "2026-Q1") is first  # every ranking of the period asks
    assert first.gaps_by_unit().get("U1") == 1  # February
    service.ingest([record("feb", "amount", 6.0, "2026-02")])
    assert "U1" not in service.completeness_of(scheme, "2026-Q1").gaps_by_unit()
