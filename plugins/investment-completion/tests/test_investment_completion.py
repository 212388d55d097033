"""investment_completion, tested with the seeds' figures (28.23 亿元 against a 25.2 亿元 plan)."""

import jixiao_indicator_investment_completion as plugin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao_sdk import IndicatorHost, Milestone
from jixiao_sdk.testing import IndicatorTestKit

CODE = "investment_completion"
# The transport bureau's year (000): 28.23 亿元 invested, 112% of plan, +22.7% on last year.
SEED_MONTHS = [1.50, 1.80, 2.10, 2.20, 2.40, 2.60, 2.50, 2.45, 2.60, 2.70, 2.58, 2.80]


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def test_seed_year_is_112_percent_and_capped(kit):
    events = kit.monthly("fixed_asset_investment", SEED_MONTHS, unit="CNY_100M")
    result = kit.evaluate(CODE, events, target=25.2, params={"last_year_value": 23.0})
    assert result.raw_value == pytest.approx(28.23)
    assert round(result.achievement, 3) == 1.120
    assert result.points == 100.0
    assert result.components["yoy_growth"] == pytest.approx(0.2274, abs=1e-4)
    assert result.explanation == (
        "完成投资28.23亿元，计划25.20亿元，完成率112.0%，同比增长22.7%，超额完成按满分计"
        " / invested 28.23 of 25.20 planned (CNY 100M), 112.0%, +22.7% YoY;"
        " points capped at 100"
    )
    assert result.evidence == tuple(e.event_id for e in events)


def test_partial_credit_is_proportional_by_default(kit):
    events = kit.monthly("fixed_asset_investment", [22.68])
    assert kit.evaluate(CODE, events, target=25.2).points == pytest.approx(90.0)


def test_zero_credit_floor(kit):
    events = kit.monthly("fixed_asset_investment", [18.9])  # 75% of plan
    result = kit.evaluate(CODE, events, target=25.2, params={"zero_credit_below": 0.5})
    assert result.points == pytest.approx(50.0)
    low = kit.evaluate(CODE, kit.monthly("fixed_asset_investment", [10.0]), target=25.2,
                       params={"zero_credit_below": 0.5})
    assert low.points == 0.0


def test_progress_uses_milestones(kit):
    # By the end of June 40% of the plan is due; 10.08 亿元 is exactly on track.
    events = kit.monthly("fixed_asset_investment", [1.68] * 6)
    result = kit.evaluate(CODE, events, target=25.2, elapsed_share=181 / 365,
                          milestones=[Milestone("2026-Q2", 0.4)])
    assert result.components["due"] == pytest.approx(10.08)
    assert result.points == pytest.approx(100.0)
    assert "按进度应完成10.08亿元" in result.explanation


def test_units_are_converted(kit):
    events = [kit.event("fixed_asset_investment", 282_300.0, period="2026-12", unit="CNY_10K")]
    assert kit.evaluate(CODE, events, target=25.2).raw_value == pytest.approx(28.23)


def test_unknown_unit_and_missing_plan_fail_clearly(kit):
    events = [kit.event("fixed_asset_investment", 1.0, period="2026-01", unit="USD")]
    failed = kit.evaluate(CODE, events, target=25.2, expect_ok=False)
    assert failed.status == "failed" and "'USD'" in failed.reason
    no_plan = kit.evaluate(CODE, [], expect_ok=False)
    assert no_plan.reason == "target: the target needs the annual plan as its value"
    assert kit.check_target(CODE, -1.0) == ("the annual plan must be positive, got -1.00",)
    assert kit.check_target(CODE, 25.2) == ()


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-investment-completion==0.2.2"


@settings(max_examples=60, deadline=None)
@given(amounts=st.lists(st.floats(0, 50), max_size=12), plan=st.floats(0.1, 100),
       elapsed=st.floats(0, 1))
def test_points_always_within_range(amounts, plan, elapsed):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, kit.monthly("fixed_asset_investment", amounts), target=plan,
                          elapsed_share=elapsed)
    assert 0.0 <= result.points <= 100.0


# --- Declared parameters and period basis ---------------------------------------------------

def test_declares_its_parameters_and_is_year_to_date(kit):
    spec = kit.spec(CODE)
    assert spec.parameter_names == ("zero_credit_below", "last_year_value")
    assert spec.period_basis == "year_to_date"
    assert kit.check_target(CODE, 25.2, params={"last_year": 23.0}) == (
        "unknown target parameter 'last_year'; investment_completion reads zero_credit_below,"
        " last_year_value",)


# --- Year to date (a month or quarter scored as the year so far) ----------------------------

def _ytd(kit, amount, **kwargs):
    """Jan-Sep 2026 as one event of *amount*, scored as of the third quarter at 75% of the plan."""
    events = [kit.event("fixed_asset_investment", amount, period="2026-09", unit="CNY_100M")]
    return kit.evaluate(CODE, events, target=242.0, period="2026", as_of_period="2026-Q3",
                        elapsed_share=0.75, **kwargs)


def test_third_quarter_year_to_date_states_the_schedule_then_the_points_rule(kit):
    result = _ytd(kit, 105.30)
    assert result.explanation == (
        "1–9月累计完成投资105.30亿元，占年计划43.5%，序时进度75.0%，落后31.5个百分点；"
        "按序时进度应完成181.50亿元，完成率58.0%，得分=100×完成率=58.02"
        " / Jan–Sep: invested 105.30 (CNY 100M), 43.5% of the annual plan against 75.0% due by"
        " schedule, 31.5 points behind; 181.50 due by schedule, 58.0% of it done:"
        " points = 100 x achievement = 58.02"
    )
    # The same formula as for the year, against the plan due by the end of September.
    assert result.achievement == pytest.approx(105.30 / (242.0 * 0.75))
    assert result.points == pytest.approx(100 * 105.30 / 181.50)
    assert "yoy_growth" not in result.components


def test_year_to_date_ahead_of_schedule_and_with_a_zero_credit_floor(kit):
    ahead = _ytd(kit, 200.0)
    assert ahead.points == 100.0
    assert "超前7.6个百分点；" in ahead.explanation and "7.6 points ahead;" in ahead.explanation
    assert "得满分100.00" in ahead.explanation
    floored = _ytd(kit, 136.125, params={"zero_credit_below": 0.5})  # 75% of the amount due
    assert floored.points == pytest.approx(50.0)
    assert "得分=100×(完成率−0.50)/(1−0.50)=50.00（完成率低于50.0%不得分）" in floored.explanation


def test_year_to_date_follows_milestones(kit):
    events = [kit.event("fixed_asset_investment", 96.8, period="2026-06")]
    result = kit.evaluate(CODE, events, target=242.0, period="2026", as_of_period="2026-Q2",
                          elapsed_share=181 / 365, milestones=[Milestone("2026-Q2", 0.4)])
    assert result.explanation.startswith(
        "1–6月累计完成投资96.80亿元，占年计划40.0%，序时进度40.0%，与序时进度持平；")
    assert result.points == pytest.approx(100.0)


def test_growth_compares_the_same_span_last_year(kit):
    baseline = [kit.event("fixed_asset_investment", amount, period=f"2025-0{m}", unit="CNY_10K")
                for m, amount in ((3, 300_000.0), (6, 300_000.0), (9, 300_000.0))]  # 90 亿元
    result = _ytd(kit, 105.30, params={"last_year_value": 230.0}, baseline=baseline)
    assert result.components["yoy_growth"] == pytest.approx(105.30 / 90.0 - 1)
    assert result.components["last_year_same_span"] == pytest.approx(90.0)
    assert "落后31.5个百分点，同比增长17.0%（上年同期90.00亿元）；" in result.explanation
    assert "31.5 points behind, +17.0% YoY (same span last year: 90.00);" in result.explanation


def test_no_growth_is_claimed_for_part_of_the_year_without_a_baseline(kit):
    # Today's mistake: the third quarter alone against the whole of last year ("同比下降87.7%").
    events = [kit.event("fixed_asset_investment", 13.0, period="2026-07"),
              kit.event("fixed_asset_investment", 14.0, period="2026-09")]
    alone = kit.evaluate(CODE, events, target=242.0, params={"last_year_value": 220.0},
                         period="2026-Q3")
    assert "同比" not in alone.explanation and "YoY" not in alone.explanation
    assert "yoy_growth" not in alone.components
    ytd = _ytd(kit, 105.30, params={"last_year_value": 220.0})
    assert "同比" not in ytd.explanation and "YoY" not in ytd.explanation
    # With last year's figures for the same quarter, the quarter alone is compared with them.
    compared = kit.evaluate(CODE, events, target=242.0, params={"last_year_value": 220.0},
                            period="2026-Q3", baseline=[kit.event("fixed_asset_investment", 25.0,
                                                                   period="2025-08")])
    assert "同比增长8.0%（上年同期25.00亿元）" in compared.explanation


def test_the_year_is_unchanged_by_a_baseline_when_last_year_value_is_given(kit):
    events = kit.monthly("fixed_asset_investment", SEED_MONTHS, unit="CNY_100M")
    plain = kit.evaluate(CODE, events, target=25.2, params={"last_year_value": 23.0})
    with_baseline = kit.evaluate(CODE, events, target=25.2, params={"last_year_value": 23.0},
                                 baseline=kit.monthly("fixed_asset_investment", [2.0] * 12,
                                                      year="2025"))
    assert with_baseline == plain
    assert "同比增长22.7%" in plain.explanation


@settings(max_examples=50, deadline=None)
@given(amounts=st.lists(st.floats(0, 50), max_size=9), last=st.lists(st.floats(0, 50), max_size=9),
       plan=st.floats(0.1, 100), as_of=st.sampled_from(["2026-01", "2026-Q2", "2026-08", "2026-Q3"]),
       elapsed=st.floats(0, 1), zero=st.sampled_from([0.0, 0.5]))
def test_year_to_date_points_always_within_range(amounts, last, plan, as_of, elapsed, zero):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, kit.monthly("fixed_asset_investment", amounts), target=plan,
                          params={"zero_credit_below": zero, "last_year_value": 10.0}, period="2026",
                          as_of_period=as_of, elapsed_share=elapsed,
                          baseline=kit.monthly("fixed_asset_investment", last, year="2025"))
    assert 0.0 <= result.points <= 100.0
