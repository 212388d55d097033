"""Roll-up rules across periods: sum, last, mean and max; and incremental
scoring equals scoring everything at once, whatever order events come in."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.order_independence import assert_order_independent
from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards, Rating
from jixiao.common import event_codec
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.period_rollup import ChildResult, children, combine, latest_only, rolls_up_results
from jixiao.scoring.domain.records import IncomingRecord
from jixiao_sdk import IndicatorHost, IndicatorResult, IndicatorSpec, Observation, hookimpl
from jixiao_sdk.periods import parse_period


class Stock:
    """A year-to-date figure reported monthly: points = the figure given (rule last)."""

    spec = IndicatorSpec(code="stock", name_zh="累计", name_en="Year to date", version="1.0", owner="test",
                         input_metrics=("stock",), min_points=0, max_points=100, rollup="last", formula="latest figure")

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        if spec.code != "stock":
            return None
        total = sum(o.value for o in inputs.observations)
        return IndicatorResult(indicator_code=spec.code, raw_value=total, points=min(100.0, total),
                               explanation=f"{total:g}", evidence=tuple(o.event_id for o in inputs.observations))


SCHEME = {
    **SMALL_SCHEME,
    "sources": [{"code": "stats", "metrics": ["amount", "rating", "stock"]}, {"code": "office", "metrics": ["award"]}],
    "dimensions": [{"code": "work", "name": {"zh": "工作实绩", "en": "Work"}, "weight": 1.0}],
    "indicators": [{"code": "amount_vs_plan"}, {"code": "rating"}, {"code": "stock"}],
    "assignments": [
        {"category": "district", "dimension": "work", "indicator": code, "weight": 1 / 3, "max_points": 100}
        for code in ("amount_vs_plan", "rating", "stock")
    ],
}


def host() -> IndicatorHost:
    return IndicatorHost.from_plugins([AmountVsPlan(), Awards(), Rating(), Stock()], timeout_s=None)


def record(event_id: str, metric: str, value: float, period: str, unit: str = "U1") -> IncomingRecord:
    data = {"event_id": event_id, "source": "stats", "unit_id": unit, "metric_code": metric, "value": value, "period": period}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


@pytest.fixture
def service(tmp_path):
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host())
    service.adopt_scheme(SCHEME, 1, "sha256:test")
    return service


def result(service, code: str, period: str) -> dict:
    return next(r for r in service.unit_score("test-2026", "U1", period)[3] if r["indicator_code"] == code)


def test_a_mean_rating_averages_the_months_then_the_quarters(service):
    service.ingest([record("a", "rating", 60, "2026-01"), record("b", "rating", 80, "2026-01"),
                    record("c", "rating", 100, "2026-02"), record("d", "rating", 40, "2026-04-20")])
    assert result(service, "rating", "2026-01")["points"] == 70
    quarter = result(service, "rating", "2026-Q1")
    assert quarter["points"] == 85  # (70 + 100) / 2, not the mean of the three ratings
    assert quarter["explanation"].startswith("平均 mean of 2: 2026-01 70.00、2026-02 100.00")
    assert sorted(quarter["evidence_json"].strip("[]").replace('"', "").split(", ")) == ["a", "b", "c"]
    assert result(service, "rating", "2026")["points"] == pytest.approx((85 + 40) / 2)


def test_an_annual_rating_is_scored_on_its_own_observations(service):
    service.ingest([record("a", "rating", 60, "2026-03"), record("b", "rating", 90, "2026")])
    assert result(service, "rating", "2026")["points"] == 75  # the survey for "2026" lies in no quarter


def test_a_cumulative_figure_takes_the_latest_report(service):
    service.ingest([record("a", "stock", 10, "2026-01"), record("b", "stock", 25, "2026-02"),
                    record("c", "stock", 31, "2026-03")])
    assert result(service, "stock", "2026-Q1")["points"] == 31
    assert result(service, "stock", "2026")["evidence_json"] == '["c"]'


def test_the_domain_rules():
    q1 = parse_period("2026-Q1")
    assert [p.text for p in children(q1)] == ["2026-01", "2026-02", "2026-03"]
    assert [p.text for p in children(parse_period("2026"))] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert children(parse_period("2026-03")) == ()
    assert rolls_up_results("mean", q1, ["2026-01", "2026-02-14"]) and not rolls_up_results("sum", q1, ["2026-01"])
    assert not rolls_up_results("max", q1, ["2026-01", "2026-Q1"])
    observations = [Observation(event_id=i, metric_code=m, value=1.0, period=p)
                    for i, m, p in (("a", "x", "2026-01"), ("b", "x", "2026-03"), ("c", "y", "2026-02"), ("d", "x", "2026-03"))]
    assert [o.event_id for o in latest_only(observations)] == ["b", "c", "d"]
    kids = [ChildResult("2026-01", "ok", 50, 5.0, 0.5, ("a",)), ChildResult("2026-02", "failed", 0, None, None, ()),
            ChildResult("2026-03", "ok", 70, 7.0, 0.7, ("b",), veto_cap=3, veto_reason="事故")]
    best = combine("max", kids)
    assert (best.points, best.raw_value, best.veto_cap, best.evidence) == (70, 7.0, 3, ("a", "b"))
    assert "2026-02 failed and left out" in combine("mean", kids).explanation
    assert combine("mean", kids[1:2]).status == "failed"
    # a period made by one child alone says what made that child's result
    month = combine("mean", [ChildResult("2026-12", "ok", 86.5, None, None, ("v",), explanation="官评 86.50 (12 ballots)")])
    assert month.explanation == "取自 from 2026-12: 官评 86.50 (12 ballots)"
    year = combine("max", [ChildResult("2026-Q4", "ok", 86.5, None, None, ("v",), explanation=month.explanation),
                           ChildResult("2026-Q3", "failed", 0, None, None, ())])
    assert year.explanation == "取自 from 2026-Q4 ← 2026-12: 官评 86.50 (12 ballots); 2026-Q3 failed and left out"
    assert "取自" not in combine("mean", [kids[0], kids[2]]).explanation  # several: listed, each explained below


EVENT = st.tuples(st.sampled_from(["amount", "rating", "stock"]), st.integers(0, 100),
                  st.sampled_from(["2026-01", "2026-02-11", "2026-03", "2026-05", "2026-Q3", "2026-11-30", "2026"]),
                  st.sampled_from(["U1", "U2"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(EVENT, min_size=1, max_size=12), batch=st.integers(1, 5))
def test_scoring_event_by_event_equals_scoring_all_at_once(tmp_path_factory, events, batch):
    records = [record(f"e{i}", metric, value, period, unit) for i, (metric, value, period, unit) in enumerate(events)]
    assert_order_independent(host, SCHEME, records, batch, tmp_path_factory.mktemp("equal"))
