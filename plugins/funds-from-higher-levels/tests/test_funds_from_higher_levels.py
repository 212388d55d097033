"""funds_from_higher_levels with the seeds' 15.1 亿元, about 1 亿元 more than last year."""

import jixiao_indicator_funds_from_higher_levels as plugin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao_sdk import IndicatorHost
from jixiao_sdk.testing import IndicatorTestKit

CODE = "funds_from_higher_levels"
QUARTERS = [3.2, 4.1, 3.5, 4.3]  # 15.1 亿元


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def _events(kit, amounts):
    return [kit.event("funds_won_from_higher_levels", a, period=f"2026-{3 * i:02d}", unit="CNY_100M")
            for i, a in enumerate(amounts, start=1)]


def test_seed_year_against_target(kit):
    result = kit.evaluate(CODE, _events(kit, QUARTERS), target=15.0, params={"last_year_value": 14.1})
    assert result.raw_value == pytest.approx(15.1)
    assert result.points == 100.0
    assert result.components["yoy_change"] == pytest.approx(1.0)
    assert result.explanation == (
        "争取上级资金15.10亿元，目标15.00亿元，完成率100.7%，比上年增加1.00亿元（7.1%）"
        " / won 15.10 from higher levels against a target of 15.00 (CNY 100M), 100.7%;"
        " +1.00 on last year (7.1%)"
    )


def test_without_target_last_year_is_the_baseline(kit):
    result = kit.evaluate(CODE, _events(kit, [6.0, 7.0]), params={"last_year_value": 14.1})
    assert result.achievement == pytest.approx(13.0 / 14.1)
    assert result.points == pytest.approx(100 * 13.0 / 14.1)
    assert "上年（无目标时为基数）14.10亿元" in result.explanation
    assert "比上年减少1.10亿元" in result.explanation


def test_in_progress(kit):
    result = kit.evaluate(CODE, _events(kit, [3.2, 4.1]), target=15.0, elapsed_share=0.5)
    assert result.components["due"] == pytest.approx(7.5)
    assert result.points == pytest.approx(100 * 7.3 / 7.5)
    assert "yoy_change" not in result.components


def test_needs_a_baseline(kit):
    assert kit.check_target(CODE, None) == ("needs a target value or a last_year_value parameter",)
    assert kit.evaluate(CODE, [], expect_ok=False).status == "failed"


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-funds-from-higher-levels==0.2.2"


@settings(max_examples=50, deadline=None)
@given(amounts=st.lists(st.floats(0, 20), max_size=4), target=st.floats(0.01, 50),
       elapsed=st.floats(0, 1))
def test_points_always_within_range(amounts, target, elapsed):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, _events(kit, amounts), target=target, elapsed_share=elapsed)
    assert 0.0 <= result.points <= 100.0


# --- Declared parameters, year to date and like-for-like change -----------------------------

def test_declares_its_parameters_and_is_year_to_date(kit):
    assert kit.spec(CODE).parameter_names == ("last_year_value",)
    assert kit.spec(CODE).period_basis == "year_to_date"
    assert kit.check_target(CODE, 15.0, params={"previous_year": 14.1}) == (
        "unknown target parameter 'previous_year'; funds_from_higher_levels reads last_year_value",)


def test_the_year_is_scored_exactly_as_before(kit):
    """Pinned from version 1.0.0."""
    events = kit.monthly("funds_won_from_higher_levels", [1.0] * 12, unit="CNY_100M")
    result = kit.evaluate(CODE, events, target=13.0, params={"last_year_value": 11.0})
    assert (result.points, result.explanation, dict(result.components)) == (
        92.3076923076923,
        "争取上级资金12.00亿元，目标13.00亿元，完成率92.3%，比上年增加1.00亿元（9.1%）"
        " / won 12.00 from higher levels against a target of 13.00 (CNY 100M), 92.3%;"
        " +1.00 on last year (9.1%)",
        {"actual": 12.0, "baseline": 13.0, "due": 13.0, "yoy_change": 1.0,
         "yoy_growth": 0.09090909090909091},
    )


def test_third_quarter_year_to_date(kit):
    result = kit.evaluate(CODE, _events(kit, [3.2, 4.1, 3.5]), target=15.0, period="2026",
                          as_of_period="2026-Q3", elapsed_share=0.75,
                          params={"last_year_value": 14.1})
    assert result.explanation == (
        "1–9月累计争取上级资金10.80亿元，占年度目标72.0%，序时进度75.0%，落后3.0个百分点；"
        "按序时进度应争取11.25亿元，完成率96.0%，得分=100×min(完成率, 1)=96.00"
        " / Jan–Sep: won 10.80 (CNY 100M) from higher levels, 72.0% of the annual target against"
        " 75.0% due by schedule, 3.0 points behind; 11.25 due by schedule, 96.0% of it won:"
        " points = 100 x min(achievement, 1) = 96.00"
    )
    assert "yoy_change" not in result.components  # no baseline: no comparison with all of last year


def test_change_on_the_same_span_last_year(kit):
    baseline = [kit.event("funds_won_from_higher_levels", 9.8, period="2025-09", unit="CNY_100M")]
    result = kit.evaluate(CODE, _events(kit, [3.2, 4.1, 3.5]), params={"last_year_value": 14.1},
                          period="2026", as_of_period="2026-Q3", elapsed_share=0.75,
                          baseline=baseline)
    assert result.components["yoy_change"] == pytest.approx(1.0)
    assert result.explanation.startswith(
        "1–9月累计争取上级资金10.80亿元，占上年基数76.6%，序时进度75.0%，超前1.6个百分点，"
        "比上年同期增加1.00亿元（10.2%）；")
    assert "; +1.00 on the same span last year (10.2%);" in result.explanation


def test_a_quarter_alone_states_no_change_on_the_whole_of_last_year(kit):
    events = [kit.event("funds_won_from_higher_levels", 4.1, period="2026-06")]
    result = kit.evaluate(CODE, events, target=15.0, params={"last_year_value": 14.1},
                          period="2026-Q2")
    assert "比上年" not in result.explanation and "last year" not in result.explanation
