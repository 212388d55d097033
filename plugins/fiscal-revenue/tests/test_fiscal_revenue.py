"""fiscal_revenue: the blend of target achievement and growth."""

import jixiao_indicator_fiscal_revenue as plugin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao_sdk import FrozenMap, IndicatorHost, IndicatorResult
from jixiao_sdk.helpers import year_to_date_span
from jixiao_sdk.testing import IndicatorTestKit

CODE = "fiscal_revenue"
MONTHS = [12.0, 11.5, 12.5, 13.0, 12.8, 12.7, 12.6, 13.1, 12.9, 13.2, 13.4, 13.3]  # 153.0


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def test_target_met_and_growth_blend(kit):
    events = kit.monthly("general_budget_revenue", MONTHS, unit="CNY_100M")
    result = kit.evaluate(CODE, events, target=150.0, params={"last_year_value": 141.0})
    assert result.raw_value == pytest.approx(153.0)
    assert result.components["target_credit"] == 1.0
    assert result.components["growth"] == pytest.approx(153 / 141 - 1)
    assert result.points == pytest.approx(100 * (0.7 + 0.3 * (153 / 141 - 1) / 0.10))
    assert "完成率102.0%，同比增长8.5%" in result.explanation
    assert "+8.5% YoY" in result.explanation


def test_growth_beyond_full_credit_and_decline(kit):
    high = kit.evaluate(CODE, kit.monthly("general_budget_revenue", [160.0]), target=150.0,
                        params={"last_year_value": 141.0})
    assert high.points == 100.0
    down = kit.evaluate(CODE, kit.monthly("general_budget_revenue", [135.0]), target=150.0,
                        params={"last_year_value": 141.0})
    assert down.components["growth_credit"] == 0.0
    assert down.points == pytest.approx(70.0 * 0.9)
    assert "同比下降4.3%" in down.explanation


def test_without_last_year_only_target_counts(kit):
    result = kit.evaluate(CODE, kit.monthly("general_budget_revenue", [120.0]), target=150.0)
    assert result.points == pytest.approx(80.0)
    assert "scored on the target only" in result.explanation


def test_custom_weights(kit):
    result = kit.evaluate(CODE, kit.monthly("general_budget_revenue", [150.0]), target=150.0,
                          params={"last_year_value": 150.0, "target_weight": 0.5})
    assert result.points == pytest.approx(50.0)


def test_bad_parameters_are_reported(kit):
    assert kit.check_target(CODE, 150.0, params={"target_weight": 1.5}) == (
        "target_weight must be within [0, 1], got 1.5",)
    failed = kit.evaluate(CODE, [], target=None, params={"last_year_value": 1.0}, expect_ok=False)
    assert failed.reason == "target: the target needs the revenue target as its value"


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-fiscal-revenue==0.2.1"


@settings(max_examples=50, deadline=None)
@given(amounts=st.lists(st.floats(0, 50), max_size=12), target=st.floats(0.1, 500),
       last=st.floats(0.1, 500), elapsed=st.floats(0, 1))
def test_points_always_within_range(amounts, target, last, elapsed):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, kit.monthly("general_budget_revenue", amounts), target=target,
                          params={"last_year_value": last}, elapsed_share=elapsed)
    assert 0.0 <= result.points <= 100.0


# --- Declared parameters, year to date and like-for-like growth -----------------------------

def test_declares_its_parameters_and_is_year_to_date(kit):
    spec = kit.spec(CODE)
    assert spec.parameter_names == ("last_year_value", "target_weight", "growth_zero", "growth_full")
    assert spec.period_basis == "year_to_date"
    assert kit.check_target(CODE, 150.0, params={"growth_target": 0.05}) == (
        "unknown target parameter 'growth_target'; fiscal_revenue reads last_year_value,"
        " target_weight, growth_zero, growth_full",)


def test_the_year_is_scored_exactly_as_before(kit):
    """Pinned from version 1.0.0: the same inputs give the same result, to the character."""
    events = kit.monthly("general_budget_revenue", MONTHS, unit="CNY_100M")
    result = kit.evaluate(CODE, events, target=160.0, params={"last_year_value": 145.0})
    assert result == IndicatorResult(
        indicator_code=CODE, raw_value=153.0, achievement=0.95625, points=83.48922413793106,
        explanation=(
            "一般公共预算收入153.00亿元，目标160.00亿元，完成率95.6%，同比增长5.5%；"
            "得分=100×(0.70×0.956+0.30×0.552) / revenue 153.00 against a target of 160.00"
            " (CNY 100M), 95.6%, +5.5% YoY; points = 100 x (0.70 x target 0.956 + 0.30 x"
            " growth 0.552)"),
        evidence=tuple(e.event_id for e in events),
        components=FrozenMap({"actual": 153.0, "due": 160.0, "growth": 0.05517241379310356,
                              "growth_credit": 0.5517241379310356, "target": 160.0,
                              "target_credit": 0.95625}),
        provider="jixiao-indicator-fiscal-revenue==0.2.1",
    )


def test_a_quarter_alone_is_not_compared_with_the_whole_of_last_year(kit):
    # Version 1.0.0 said "同比下降53.4%" here and scored 0 for growth.
    events = [kit.event("general_budget_revenue", 13.0, period="2026-07"),
              kit.event("general_budget_revenue", 14.0, period="2026-09")]
    result = kit.evaluate(CODE, events, target=61.1, params={"last_year_value": 58.0},
                          period="2026-Q3")
    assert "同比" not in result.explanation and "YoY" not in result.explanation
    assert "growth" not in result.components
    assert result.points == pytest.approx(100 * 27.0 / 61.1)  # the target part alone
    assert result.explanation.endswith(
        "；无上年同期数，不计增长，仅按目标完成率计分 / revenue 27.00 against a target of 61.10"
        " (CNY 100M), 44.2%; no figure for the same span last year, so growth is not scored:"
        " points on the target only")


def _q3(kit, amount, **kwargs):
    events = [kit.event("general_budget_revenue", amount, period="2026-09")]
    return kit.evaluate(CODE, events, target=61.1, period="2026", as_of_period="2026-Q3",
                        elapsed_share=0.75, **kwargs)


def test_year_to_date_without_a_baseline_scores_the_target_alone(kit):
    result = _q3(kit, 41.0, params={"last_year_value": 58.0})
    assert result.explanation == (
        "1–9月累计完成一般公共预算收入41.00亿元，占年度目标67.1%，序时进度75.0%，落后7.9个百分点；"
        "按序时进度应完成45.83亿元，完成率89.5%；无上年同期数，不计增长，仅按目标完成率计分，"
        "得分=100×0.895=89.47"
        " / Jan–Sep: collected 41.00 (CNY 100M) of revenue, 67.1% of the annual target against"
        " 75.0% due by schedule, 7.9 points behind; 45.83 due by schedule, 89.5% of it collected;"
        " no figure for the same span last year, so growth is not scored: points on the target"
        " only, points = 100 x 0.895 = 89.47"
    )
    assert result.points == pytest.approx(100 * 41.0 / (61.1 * 0.75))


def test_year_to_date_growth_against_last_years_same_months(kit):
    baseline = kit.monthly("general_budget_revenue", [4.0] * 9, year="2025")  # 36 亿元
    result = _q3(kit, 41.0, params={"last_year_value": 58.0}, baseline=baseline)
    growth = 41.0 / 36.0 - 1
    assert result.components["growth"] == pytest.approx(growth)
    assert result.components["growth_credit"] == 1.0
    assert result.points == pytest.approx(100 * (0.7 * 41.0 / 45.825 + 0.3))
    assert "落后7.9个百分点；按序时进度应完成45.83亿元，完成率89.5%，同比增长13.9%（上年同期36.00亿元）；" \
        in result.explanation
    assert "+13.9% YoY (same span last year: 36.00); points = 100 x (0.70 x target 0.895" \
        in result.explanation


def test_a_baseline_in_other_money_units_is_converted(kit):
    baseline = [kit.event("general_budget_revenue", 360_000.0, period="2025-06", unit="CNY_10K")]
    result = _q3(kit, 41.0, baseline=baseline)
    assert result.components["last_year_same_span"] == pytest.approx(36.0)


@settings(max_examples=50, deadline=None)
@given(amounts=st.lists(st.floats(0, 50), max_size=9), last=st.lists(st.floats(0, 50), max_size=9),
       target=st.floats(0.1, 500), as_of=st.sampled_from(["2026-01", "2026-Q2", "2026-08", "2026-Q3", "2026-Q4"]),
       elapsed=st.floats(0, 1), last_year_value=st.none() | st.floats(0.1, 500))
def test_year_to_date_points_always_within_range(amounts, last, target, as_of, elapsed, last_year_value):
    kit = IndicatorTestKit(plugin)
    params = {} if last_year_value is None else {"last_year_value": last_year_value}
    result = kit.evaluate(CODE, kit.monthly("general_budget_revenue", amounts), target=target, params=params,
                          period="2026", as_of_period=as_of, elapsed_share=elapsed,
                          baseline=kit.monthly("general_budget_revenue", last, year="2025"))
    assert 0.0 <= result.points <= 100.0
    assert result.explanation.startswith(year_to_date_span(as_of)[0])
