"""The five generic formulas, configured as a scheme would, through the testing kit."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_generic as plugin
from jixiao_sdk import Milestone, Target
from jixiao_sdk.testing import IndicatorTestKit

RATE = {"formula": "rate", "numerator": "cases_on_time", "denominator": "cases_received",
        "target": 0.95}
ACCIDENTS = {"formula": "case_points", "metric": "accidents_reported", "points_per_case": -2,
             "cap": 10}
BANDS = {"formula": "bands", "metric": "satisfaction_rate", "aggregate": "mean",
         "bands": [{"at_least": 0.95, "points": 100}, {"at_least": 0.9, "points": 90},
                   {"at_least": 0.8, "points": 70}], "otherwise": 0}
RANK = {"formula": "rank_points", "metric": "revenue_growth",
        "points_by_rank": [60, 57, 54, 51, 48], "otherwise": 45}


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def _rate_kit(kit, **changes):
    kit.configure("generic_rate", "on_time_rate", name_zh="按时办结率", name_en="On-time rate",
                  settings={**RATE, **changes})
    return kit


# --- configuration -------------------------------------------------------------------------

def test_the_plugin_declares_the_five_generic_bases(kit):
    assert sorted(kit.host.specs()) == ["generic_amount", "generic_bands", "generic_case_points",
                                        "generic_rank_points", "generic_rate"]
    assert all(spec.generic and not spec.input_metrics for spec in kit.host.specs().values())


def test_a_configured_rate_is_a_concrete_spec(kit):
    spec = _rate_kit(kit).spec("on_time_rate")
    assert (spec.code, spec.name_zh, spec.input_metrics, spec.kind, spec.generic) == \
        ("on_time_rate", "按时办结率", ("cases_on_time", "cases_received"), "score", False)
    assert spec.settings == RATE and hash(spec.settings)


@pytest.mark.parametrize("base, settings, message", [
    ("generic_rate", {"formula": "rate", "denominator": "b"}, "numerator: required"),
    ("generic_rate", {**RATE, "target": 1.5}, "target: a rate target must be within (0, 1]"),
    ("generic_rate", {**RATE, "denominator": "cases_on_time"}, "denominator: must differ"),
    ("generic_rate", {**RATE, "direction": "up"}, "direction: must be one of"),
    ("generic_rate", {**RATE, "targte": 0.9}, "targte: not a setting of formula 'rate'"),
    ("generic_rate", {**RATE, "formula": "amount"}, "formula: is 'amount'"),
    ("generic_amount", {"formula": "amount"}, "metric: required"),
    ("generic_case_points", {**ACCIDENTS, "points_per_case": 0}, "points_per_case: must not be 0"),
    ("generic_case_points", {**ACCIDENTS, "cap": 0}, "cap: must be > 0"),
    ("generic_case_points", {"formula": "case_points", "metric": "x_y", "points_per_case": 1},
     "cap: required"),
    ("generic_bands", {**BANDS, "bands": [{"at_least": 0.9, "points": 120}]},
     "bands[0].points: must be within [0, 100]"),
    ("generic_bands", {**BANDS, "bands": [{"at_least": 0.9, "points": 90},
                                          {"at_most": 0.5, "points": 10}]},
     "bands[1].at_most: a band when higher is better has at_least, not at_most"),
    ("generic_bands", {**BANDS, "direction": "lower_is_better"},
     "bands[0].at_least: a band when lower is better has at_most, not at_least"),
    ("generic_bands", {**BANDS, "aggregate": "median"}, "aggregate: must be one of"),
    ("generic_rank_points", {**RANK, "points_by_rank": []}, "points_by_rank: must be a non-empty"),
    ("generic_rank_points", {**RANK, "points_by_rank": [50, 60]}, "points_by_rank[1]: a worse rank"),
    ("generic_rank_points", {**RANK, "otherwise": 61}, "otherwise: must be within [0, 60]"),
    ("generic_rank_points", {**RANK, "points_by_rank": [0, 0]}, "points_by_rank[0]: the first rank's points must be > 0"),
])
def test_bad_settings_are_refused_naming_the_setting(kit, base, settings, message):
    with pytest.raises(ValueError, match="x_code") as caught:
        kit.configure(base, "x_code", settings=settings)
    assert message in str(caught.value)


# --- rate ----------------------------------------------------------------------------------

def test_rate_against_the_scheme_target(kit):
    _rate_kit(kit)
    events = [kit.event("cases_received", 40, period="2026-03", unit="count", event_id="r1"),
              kit.event("cases_on_time", 36, period="2026-03", unit="count", event_id="o1")]
    result = kit.evaluate("on_time_rate", events, period="2026-03")
    assert result.points == pytest.approx(100 * 0.9 / 0.95)
    assert result.explanation == (
        "按时办结率：cases_on_time 36 / cases_received 40 = 90.0%，方案目标95.0%，"
        "得分=100×min(1, 90.0%/95.0%)=94.74 / On-time rate: cases_on_time 36 / cases_received 40"
        " = 90.0%, the scheme's target 95.0%; points = 100 x min(1, 90.0% / 95.0%) = 94.74")
    assert set(result.evidence) == {"r1", "o1"}


def test_the_units_target_value_overrides_the_scheme_target(kit):
    _rate_kit(kit)
    events = [kit.event("cases_received", 40, period="2026-03"),
              kit.event("cases_on_time", 36, period="2026-03")]
    result = kit.evaluate("on_time_rate", events, period="2026-03", target=0.9)
    assert result.points == 100.0 and "单位目标90.0%" in result.explanation


def test_rate_lower_is_better(kit):
    _rate_kit(kit, direction="lower_is_better", target=0.1)
    events = [kit.event("cases_received", 100, period="2026-03"),
              kit.event("cases_on_time", 20, period="2026-03")]
    assert kit.evaluate("on_time_rate", events, period="2026-03").points == pytest.approx(50.0)
    zero = [kit.event("cases_received", 100, period="2026-03"),
            kit.event("cases_on_time", 0, period="2026-03")]
    assert kit.evaluate("on_time_rate", zero, period="2026-03").points == 100.0


def test_numerator_above_denominator_in_a_month_fails_naming_both(kit):
    _rate_kit(kit)
    events = [kit.event("cases_received", 40, period="2026-01"),
              kit.event("cases_on_time", 42, period="2026-01"),
              kit.event("cases_received", 50, period="2026-02"),
              kit.event("cases_on_time", 10, period="2026-02")]
    result = kit.evaluate("on_time_rate", events, period="2026-Q1", expect_ok=False)
    assert result.reason == ("in 2026-01, cases_on_time (42.00) exceeds cases_received (40.00);"
                             " the numerator may not exceed the denominator")


def test_zero_denominator_fails_no_cases(kit):
    _rate_kit(kit)
    events = [kit.event("cases_received", 0, period="2026-03"),
              kit.event("cases_on_time", 0, period="2026-03")]
    result = kit.evaluate("on_time_rate", events, period="2026-03", expect_ok=False)
    assert result.reason.startswith("no cases: cases_received is 0.00")


def test_no_target_at_all_fails(kit):
    kit.configure("generic_rate", "on_time_rate", settings={**RATE, "target": None})
    events = [kit.event("cases_received", 4, period="2026-03"),
              kit.event("cases_on_time", 4, period="2026-03")]
    result = kit.evaluate("on_time_rate", events, period="2026-03", expect_ok=False)
    assert result.reason.startswith("no target")
    assert kit.check_target("on_time_rate", None)[0].startswith("no target")
    assert kit.check_target("on_time_rate", Target(value=0.9)) == ()
    assert "within (0, 1]" in kit.check_target("on_time_rate", Target(value=95))[0]


# --- amount --------------------------------------------------------------------------------

def test_amount_year_to_date_against_the_plan_due(kit):
    spec = kit.configure("generic_amount", "road_investment", name_zh="道路投资",
                         name_en="Road investment",
                         settings={"formula": "amount", "metric": "road_investment_amount"})
    assert spec.period_basis == "year_to_date"
    events = kit.monthly("road_investment_amount", [10.0] * 6, unit="CNY_100M")
    result = kit.evaluate("road_investment", events, target=200.0, unit="CNY_100M",
                          period="2026", as_of_period="2026-Q2", elapsed_share=181 / 365,
                          milestones=[Milestone("2026-Q2", 0.4)])
    assert result.achievement == pytest.approx(60 / 80)
    assert result.points == pytest.approx(75.0)
    assert result.explanation.startswith(
        "道路投资：1–6月累计完成60.00亿元，目标200.00亿元，按进度（40.0%）应完成80.00亿元，"
        "完成率75.0%，得分=100×min(1, 完成率)=75.00 / Road investment: Jan–Jun: 60.00 (CNY 100M)")


def test_amount_over_plan_is_capped_and_needs_a_target(kit):
    kit.configure("generic_amount", "road_investment",
                  settings={"formula": "amount", "metric": "road_investment_amount"})
    events = kit.monthly("road_investment_amount", [30.0] * 12)
    assert kit.evaluate("road_investment", events, target=300.0).points == 100.0
    failed = kit.evaluate("road_investment", events, expect_ok=False)
    assert failed.reason.startswith("no target")
    assert kit.check_target("road_investment", None)


# --- case points ---------------------------------------------------------------------------

def test_case_points_deduct_per_case(kit):
    spec = kit.configure("generic_case_points", "accidents", name_zh="安全事故扣分",
                         name_en="Accident deductions", settings=ACCIDENTS)
    assert (spec.kind, spec.min_points, spec.max_points) == ("deduction", -10.0, 0.0)
    result = kit.evaluate("accidents", [kit.event("accidents_reported", 3, period="2026-03")],
                          period="2026-03")
    assert result.points == -6.0
    assert result.explanation == ("安全事故扣分：accidents_reported 3件，每件扣2.00分，扣6.00分 /"
                                  " Accident deductions: 3 cases of accidents_reported at -2.00"
                                  " each, -6.00 points")


def test_case_points_cap_reached(kit):
    kit.configure("generic_case_points", "accidents", name_zh="安全事故扣分",
                  name_en="Accident deductions", settings=ACCIDENTS)
    events = [kit.event("accidents_reported", 4, period="2026-01"),
              kit.event("accidents_reported", 3, period="2026-02")]
    result = kit.evaluate("accidents", events, period="2026-Q1")
    assert result.points == -10.0
    assert "（按件应扣14.00分，最多扣10.00分）" in result.explanation
    assert "(incurred 14.00, capped at 10.00)" in result.explanation


def test_case_points_bonus_and_bad_counts(kit):
    spec = kit.configure("generic_case_points", "awards", settings={
        "formula": "case_points", "metric": "awards_won", "points_per_case": 1.5, "cap": 3})
    assert (spec.kind, spec.min_points, spec.max_points) == ("bonus", 0.0, 3.0)
    assert kit.evaluate("awards", [kit.event("awards_won", 1)]).points == 1.5
    assert kit.evaluate("awards", [kit.event("awards_won", 5)]).points == 3.0
    failed = kit.evaluate("awards", [kit.event("awards_won", -1, event_id="bad")], expect_ok=False)
    assert failed.reason.startswith("event bad reports a negative count")


# --- bands ---------------------------------------------------------------------------------

@pytest.mark.parametrize("values, points", [
    ([0.95], 100.0),            # exactly at the top edge: that band
    ([0.9499], 90.0),
    ([0.9], 90.0),              # exactly at an edge
    ([0.8], 70.0),
    ([0.7999], 0.0),            # below every band: otherwise
    ([0.9, 1.0], 100.0),        # the mean, 0.95
])
def test_bands_give_the_best_band_reached(kit, values, points):
    kit.configure("generic_bands", "satisfaction", name_zh="满意度", name_en="Satisfaction",
                  settings=BANDS)
    events = [kit.event("satisfaction_rate", v, period="2026-03") for v in values]
    assert kit.evaluate("satisfaction", events, period="2026-03").points == points


def test_bands_lower_is_better_and_last(kit):
    spec = kit.configure("generic_bands", "response_days", settings={
        "formula": "bands", "metric": "response_days", "direction": "lower_is_better", "bands": [
            {"at_most": 3, "points": 100}, {"at_most": 5, "points": 80}], "otherwise": 40})
    assert (spec.direction, spec.rollup) == ("lower_is_better", "last")
    events = [kit.event("response_days", 2, period="2026-01"),
              kit.event("response_days", 5, period="2026-02", event_id="feb")]
    result = kit.evaluate("response_days", events, period="2026-Q1")
    assert result.points == 80.0 and result.evidence == ("feb",)
    assert "达到“不高于5.0000”档，得80.00分" in result.explanation


# --- rank points ---------------------------------------------------------------------------

def _peers(kit, values):
    return {unit: [kit.event("revenue_growth", v, period="2026-03")] for unit, v in values.items()}


def test_rank_points_in_the_peer_group(kit):
    spec = kit.configure("generic_rank_points", "growth_rank", name_zh="增速排名",
                         name_en="Growth rank", settings=RANK)
    assert spec.needs_peers
    peers = _peers(kit, {"U-1": 0.12, "U-2": 0.10, "U-3": 0.05})
    mine = [kit.event("revenue_growth", 0.08, period="2026-03")]
    result = kit.evaluate("growth_rank", mine, period="2026-03", unit_id="U-4", peers=peers)
    assert result.components["rank"] == 3.0 and result.components["group_size"] == 4.0
    assert result.points == pytest.approx(100 * 54 / 60)
    assert "rank 3 of 4 in the peer group" in result.explanation
    assert "在同组4个单位中列第3名" in result.explanation


def test_ties_share_the_better_rank_and_ranks_beyond_the_table(kit):
    kit.configure("generic_rank_points", "growth_rank", settings=RANK)
    peers = _peers(kit, {f"U-{i}": v for i, v in enumerate([0.2, 0.1, 0.1, 0.05, 0.04, 0.03])})
    tied = kit.evaluate("growth_rank", [kit.event("revenue_growth", 0.1, period="2026-03")],
                        period="2026-03", unit_id="U-1", peers=peers)
    assert tied.components["rank"] == 2.0 and tied.points == pytest.approx(100 * 57 / 60)
    assert "(tied with 1 other)" in tied.explanation
    last = kit.evaluate("growth_rank", [kit.event("revenue_growth", 0.03, period="2026-03")],
                        period="2026-03", unit_id="U-5", peers=peers)
    assert last.components["rank"] == 6.0 and last.points == pytest.approx(100 * 45 / 60)


def test_rank_lower_is_better_and_alone(kit):
    kit.configure("generic_rank_points", "cost_rank",
                  settings={**RANK, "metric": "unit_cost", "direction": "lower_is_better"})
    peers = {"A": [kit.event("unit_cost", 5.0)], "B": [kit.event("unit_cost", 3.0)]}
    result = kit.evaluate("cost_rank", [kit.event("unit_cost", 4.0)], unit_id="C", peers=peers)
    assert result.components["rank"] == 2.0
    alone = kit.evaluate("cost_rank", [kit.event("unit_cost", 4.0)], unit_id="C")
    assert alone.components["rank"] == 1.0 and alone.points == 100.0


def test_a_generic_base_cannot_be_evaluated_unconfigured(kit):
    result = kit.evaluate("generic_rate", [kit.event("cases_received", 1)], expect_ok=False)
    assert "configure it" in result.reason


@settings(max_examples=60, deadline=None)
@given(received=st.integers(1, 500), share=st.floats(0, 1), target=st.floats(0.01, 1))
def test_rate_points_stay_within_0_and_100(received, share, target):
    kit = IndicatorTestKit(plugin)
    kit.configure("generic_rate", "r_code", settings={**RATE, "target": target})
    events = [kit.event("cases_received", received), kit.event("cases_on_time", int(received * share))]
    assert 0.0 <= kit.evaluate("r_code", events).points <= 100.0


def test_the_readme_examples_are_what_the_formulas_say(kit):
    kit.configure("generic_bands", "satisfaction_bands", name_zh="满意度", name_en="Satisfaction", settings=BANDS)
    bands = kit.evaluate("satisfaction_bands", [kit.event("satisfaction_rate", 0.9, period="2026-03"),
                                                kit.event("satisfaction_rate", 1.0, period="2026-03")],
                         period="2026-03")
    assert bands.explanation == ("满意度：satisfaction_rate平均0.9500，达到“不低于0.9500”档，得100.00分 /"
                                 " Satisfaction: mean satisfaction_rate 0.9500, in the band 'at least 0.9500':"
                                 " 100.00 points")
    kit.configure("generic_rank_points", "growth_rank", name_zh="增速排名", name_en="Growth rank", settings=RANK)
    rank = kit.evaluate("growth_rank", [kit.event("revenue_growth", 0.08, period="2026-03")], period="2026-03",
                        unit_id="U-4", peers=_peers(kit, {"U-1": 0.12, "U-2": 0.10, "U-3": 0.05}))
    assert rank.explanation == (
        "增速排名：revenue_growth最新0.0800，在同组4个单位中列第3名，名次分54.00（第1名60.00），"
        "得分=100×54.00/60.00=90.00 / Growth rank: latest revenue_growth 0.0800, rank 3 of 4 in the peer"
        " group; 54.00 of 60.00 rank points: points = 100 x 54.00 / 60.00 = 90.00")


def test_discovered_through_its_entry_point():
    from jixiao_sdk import IndicatorHost

    host = IndicatorHost.discover(timeout_s=None, strict=True)
    assert host.plugin_versions()["generic_rate"] == "jixiao-indicator-generic==0.1.0"
    spec = host.configure("generic_rate", "on_time_rate", "按时办结率", "On-time rate", RATE)
    assert spec.input_metrics == ("cases_on_time", "cases_received") and host.base_of("on_time_rate") == "generic_rate"


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.integers(0, 20), min_size=1, max_size=8), mine=st.integers(0, 20))
def test_rank_points_stay_in_range_and_ties_share_the_better_rank(values, mine):
    kit = IndicatorTestKit(plugin)
    kit.configure("generic_rank_points", "growth_rank", settings=RANK)
    peers = {f"P-{i}": [kit.event("revenue_growth", float(v))] for i, v in enumerate(values)}
    result = kit.evaluate("growth_rank", [kit.event("revenue_growth", float(mine))], unit_id="ME", peers=peers)
    assert 0.0 <= result.points <= 100.0
    assert result.components["rank"] == 1 + sum(1 for v in values if v > mine)
