"""The eight generic formulas, configured as a scheme would, through the testing kit."""

import random

import jixiao_indicator_generic as plugin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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

def test_the_plugin_declares_the_eight_generic_bases(kit):
    assert sorted(kit.host.specs()) == ["generic_amount", "generic_assessment", "generic_ballot", "generic_bands",
                                        "generic_case_points",
                                        "generic_rank_points", "generic_rate", "generic_sheet"]
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
    assert host.plugin_versions()["generic_rate"] == "jixiao-indicator-generic==0.4.1"
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


# --- sheet (考核责任单位评分表) -------------------------------------------------------------

SHEET = {"formula": "sheet", "department": "discipline_commission",
         "department_name": {"zh": "市纪委监委", "en": "Discipline inspection commission"}, "due_days": 10,
         "items": [{"code": "responsibility", "name": {"zh": "主体责任落实", "en": "Primary responsibility"},
                    "max_points": 40, "rule": {"zh": "未按要求召开专题会议的，每次扣2分",
                                               "en": "2 points off per required meeting not held"}},
                   {"code": "cases", "name": {"zh": "违纪违法案件", "en": "Disciplinary cases"},
                    "max_points": 60, "rule": {"zh": "发生一起扣10分", "en": "10 points off per case"}}]}
METRIC = "sheet_clean_government"
DIGEST = "3f2a9c1b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8"


def _sheet_kit(kit, **changes):
    return kit.configure("generic_sheet", "clean_government", name_zh="党风廉政建设",
                         name_en="Clean government", settings={**SHEET, **changes})


def _row(kit, item, points, *, version=1, period="2026-Q1", basis="", signed_by="王明", digest=DIGEST,
         event_id=None):
    return kit.event(METRIC, points, period=period, event_id=event_id, source="sheet:discipline_commission",
                     item=item, sheet_version=str(version), signed_by=signed_by, digest=digest, basis=basis)


def test_a_configured_sheet_reads_its_own_metric_period_alone(kit):
    spec = _sheet_kit(kit)
    assert (spec.input_metrics, spec.kind, spec.min_points, spec.max_points, spec.period_basis,
            spec.rollup, spec.needs_peers) == ((METRIC,), "score", 0.0, 100.0, "period_alone", "sum", False)
    assert "100 x sum of item points / 100.00" in spec.formula
    assert kit.check_target("clean_government", None) == ()


def test_a_sheet_metric_must_be_a_metric_code(kit):
    assert kit.configure("generic_sheet", "c" * 58, settings=SHEET).input_metrics == ("sheet_" + "c" * 58,)
    with pytest.raises(ValueError) as caught:
        kit.configure("generic_sheet", "c" * 59, settings=SHEET)
    assert "code: the sheet's metric 'sheet_ccc" in str(caught.value)
    assert "at most 58 characters" in str(caught.value)


@pytest.mark.parametrize("changes, message", [
    ({"department": None}, "department: required"),
    ({"department": "  "}, "department: must be the responsible department's code"),
    ({"items": None}, "items: required"),
    ({"items": []}, "items: must be a non-empty list"),
    ({"items": [{"code": "a", "name": {"zh": "甲"}, "max_points": 50},
                {"code": "a", "name": {"zh": "乙"}, "max_points": 50}]}, "items[1].code: duplicate item code 'a'"),
    ({"items": [{"code": "a", "name": {"zh": "甲"}, "max_points": 0}]}, "items[0].max_points: must be > 0"),
    ({"items": [{"code": "a", "name": {"zh": "甲"}}]}, "items[0].max_points: required"),
    ({"items": [{"code": "a", "max_points": 5}]}, "items[0].name: required"),
    ({"items": [{"code": "a", "name": {"zh": "甲"}, "max_points": 5, "weight": 2}]},
     "items[0].weight: not an item setting"),
    ({"due_days": -1}, "due_days: must be a whole number of days >= 0"),
    ({"department_name": "纪委"}, "department_name: must be a name {zh: ..., en: ...}"),
    ({"deadline": 3}, "deadline: not a setting of formula 'sheet'"),
])
def test_bad_sheet_settings_are_refused_naming_the_setting(kit, changes, message):
    with pytest.raises(ValueError, match="clean_government") as caught:
        _sheet_kit(kit, **changes)
    assert message in str(caught.value)


def test_sheet_full_points(kit):
    _sheet_kit(kit)
    events = [_row(kit, "responsibility", 40, event_id="r"), _row(kit, "cases", 60, event_id="c")]
    result = kit.evaluate("clean_government", events, period="2026-Q1")
    assert (result.points, result.raw_value, result.achievement) == (100.0, 100.0, 1.0)
    assert result.evidence == ("r", "c")


def test_sheet_partial_points_and_the_explanation(kit):
    _sheet_kit(kit)
    events = [_row(kit, "responsibility", 36, basis="少开专题会议2次", event_id="r"),
              _row(kit, "cases", 50, basis="发生违纪案件1起", event_id="c")]
    result = kit.evaluate("clean_government", events, period="2026-Q1")
    assert result.points == pytest.approx(86.0)
    assert result.explanation == (
        "党风廉政建设（市纪委监委评分）：主体责任落实 36.00/40.00（少开专题会议2次）；违纪违法案件 50.00/60.00"
        "（发生违纪案件1起）；合计86.00/100.00，得分=100×86.00/100.00=86.00；签字人王明，摘要3f2a9c1b7d4e，第1版"
        " / Clean government (scored by Discipline inspection commission): Primary responsibility 36.00/40.00"
        " (少开专题会议2次); Disciplinary cases 50.00/60.00 (发生违纪案件1起); total 86.00/100.00, points = 100 x"
        " 86.00 / 100.00 = 86.00; signed by 王明, digest 3f2a9c1b7d4e, sheet version 1")
    assert dict(result.components) == {"sheet_points": 86.0, "sheet_max_points": 100.0, "sheet_version": 1.0,
                                       "items_not_scored": 0.0}


def test_an_item_without_an_event_counts_0_and_is_named(kit):
    _sheet_kit(kit)
    result = kit.evaluate("clean_government", [_row(kit, "responsibility", 30, event_id="r")], period="2026-Q1")
    assert result.points == pytest.approx(30.0)
    assert "违纪违法案件 未评分 0.00/60.00" in result.explanation
    assert "Disciplinary cases not scored 0.00/60.00" in result.explanation
    assert result.evidence == ("r",) and result.components["items_not_scored"] == 1.0


def test_a_corrected_sheet_supersedes_the_earlier_version(kit):
    _sheet_kit(kit)
    events = [_row(kit, "responsibility", 40, event_id="r1"), _row(kit, "cases", 60, event_id="c1"),
              _row(kit, "responsibility", 32, version=2, basis="更正：少开会议4次", event_id="r2",
                   signed_by="李华", digest="ab" * 32),
              _row(kit, "cases", 50, version=2, event_id="c2", signed_by="李华", digest="ab" * 32)]
    result = kit.evaluate("clean_government", events, period="2026-Q1")
    assert result.points == pytest.approx(82.0) and result.evidence == ("r2", "c2")
    assert "签字人李华，摘要abababababab，第2版" in result.explanation
    assert "signed by 李华, digest abababababab, sheet version 2" in result.explanation
    assert "王明" not in result.explanation and result.components["sheet_version"] == 2.0


def test_an_item_corrected_alone_keeps_the_other_items_version(kit):
    _sheet_kit(kit)
    events = [_row(kit, "responsibility", 40, event_id="r1"), _row(kit, "cases", 60, event_id="c1"),
              _row(kit, "cases", 40, version=2, event_id="c2", signed_by="李华")]
    result = kit.evaluate("clean_government", events, period="2026-Q1")
    assert result.points == pytest.approx(80.0) and result.evidence == ("r1", "c2")
    assert "签字人王明，摘要3f2a9c1b7d4e，第1版；签字人李华，摘要3f2a9c1b7d4e，第2版" in result.explanation


def test_an_unknown_item_fails_naming_it(kit):
    _sheet_kit(kit)
    events = [_row(kit, "responsibility", 40), _row(kit, "budget", 5, event_id="bad")]
    result = kit.evaluate("clean_government", events, period="2026-Q1", expect_ok=False)
    assert result.status == "failed"
    assert result.reason == ("event bad scores item 'budget', which is not on the sheet (items:"
                             " responsibility, cases)")


@pytest.mark.parametrize("points", [60.5, -1])
def test_points_outside_the_items_range_fail_naming_the_event(kit, points):
    _sheet_kit(kit)
    events = [_row(kit, "responsibility", 40), _row(kit, "cases", points, event_id="bad")]
    result = kit.evaluate("clean_government", events, period="2026-Q1", expect_ok=False)
    assert result.reason.startswith(f"event bad gives item 'cases' {points:.2f} points, outside [0, 60.00]")


@pytest.mark.parametrize("attributes, message", [
    ({"sheet_version": "v2"}, "event bad has sheet_version 'v2'"),
    ({"sheet_version": "0"}, "event bad has sheet_version '0'"),
    ({"signed_by": ""}, "event bad carries no signed_by"),
    ({"digest": ""}, "event bad carries no digest"),
])
def test_a_row_without_its_provenance_fails(kit, attributes, message):
    _sheet_kit(kit)
    good = dict(item="cases", sheet_version="1", signed_by="王明", digest=DIGEST, basis="")
    bad = kit.event(METRIC, 10, period="2026-Q1", event_id="bad", **{**good, **attributes})
    result = kit.evaluate("clean_government", [bad], period="2026-Q1", expect_ok=False)
    assert result.reason.startswith(message)


def test_two_rows_of_one_item_and_version_fail(kit):
    _sheet_kit(kit)
    events = [_row(kit, "cases", 10, event_id="a"), _row(kit, "cases", 20, event_id="b")]
    result = kit.evaluate("clean_government", events, period="2026-Q1", expect_ok=False)
    assert result.reason == "events a and b both score item 'cases' in sheet version 1"


def test_a_period_is_scored_from_its_own_sheet_only(kit):
    _sheet_kit(kit)
    quarters = [_row(kit, "responsibility", 20, period=f"2026-Q{q}") for q in (1, 2, 3, 4)]
    year = [_row(kit, "responsibility", 38, period="2026", event_id="y1"),
            _row(kit, "cases", 60, period="2026", event_id="y2")]
    result = kit.evaluate("clean_government", [*quarters, *year], period="2026")
    assert result.points == pytest.approx(98.0) and result.evidence == ("y1", "y2")
    no_year_sheet = kit.evaluate("clean_government", quarters, period="2026", expect_ok=False)
    assert no_year_sheet.reason.startswith("2026尚无复核通过的评分表 / no score sheet for 2026: no sheet_clean_government events of"
                                           " 2026 from discipline_commission (the events given are of"
                                           " 2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4")
    q2 = kit.evaluate("clean_government", [*quarters, *year], period="2026-Q2")
    assert q2.points == pytest.approx(20.0) and q2.evidence == (quarters[1].event_id,)


def test_a_sheet_is_deterministic_whatever_the_order_of_its_events(kit):
    _sheet_kit(kit)
    events = [_row(kit, "responsibility", 40, event_id="r1"), _row(kit, "cases", 60, event_id="c1"),
              _row(kit, "responsibility", 33.5, version=3, event_id="r3", basis="复核更正"),
              _row(kit, "responsibility", 35, version=2, event_id="r2"),
              _row(kit, "cases", 45, version=2, event_id="c2"),
              _row(kit, "responsibility", 10, period="2026-Q2", event_id="other")]
    first = kit.evaluate("clean_government", events, period="2026-Q1")  # the kit reverses them too
    shuffler = random.Random(20)
    for _ in range(20):
        shuffled = list(events)
        shuffler.shuffle(shuffled)
        assert kit.evaluate("clean_government", shuffled, period="2026-Q1") == first
    assert first.points == pytest.approx(78.5) and first.evidence == ("r3", "c2")


@settings(max_examples=60, deadline=None)
@given(points=st.lists(st.floats(0, 1), min_size=2, max_size=2), present=st.lists(st.booleans(), min_size=2,
                                                                                  max_size=2))
def test_sheet_points_stay_within_0_and_100(points, present):
    kit = IndicatorTestKit(plugin)
    _sheet_kit(kit)
    rows = [_row(kit, item, share * most) for item, most, share, here
            in zip(("responsibility", "cases"), (40, 60), points, present) if here]
    if rows:
        result = kit.evaluate("clean_government", rows, period="2026-Q1")
        assert 0.0 <= result.points <= 100.0


# --- assessment (考核组现场考核) ------------------------------------------------------------

ASSESSMENT = {"formula": "assessment", "team_rule": "trimmed_mean",
              "items": [{"code": "targets", "name": {"zh": "目标任务完成情况", "en": "Targets met"}, "max_points": 60},
                        {"code": "records", "name": {"zh": "台账资料", "en": "Records"}, "max_points": 40}]}
ON_SITE = "assessment_on_site"


def _assessment_kit(kit, **changes):
    return kit.configure("generic_assessment", "on_site", name_zh="现场考核", name_en="On-site assessment",
                         settings={**ASSESSMENT, **changes})


def _total(kit, position, total, *, closing=1, period="2026-Q1", team="第一"):
    return kit.event(ON_SITE, total, period=period, event_id=f"a-{closing}-{position}", source="assessment:on_site",
                     position=str(position), closing=str(closing), team=team, items=f"targets={total}")


def test_a_configured_assessment_reads_its_own_metric_period_alone(kit):
    spec = _assessment_kit(kit)
    assert (spec.input_metrics, spec.period_basis, spec.rollup, spec.max_points) == (
        (ON_SITE,), "period_alone", "sum", 100.0)
    assert "without the highest and the lowest" in spec.formula


@pytest.mark.parametrize("changes, message", [
    ({"team_rule": "median"}, "team_rule: must be one of mean, trimmed_mean"),
    ({"items": []}, "items: must be a non-empty list"),
    ({"department": "x"}, "department: not a setting of formula 'assessment'"),
])
def test_bad_assessment_settings_are_refused_naming_the_setting(kit, changes, message):
    with pytest.raises(ValueError) as caught:
        _assessment_kit(kit, **changes)
    assert message in str(caught.value)


def test_the_trimmed_mean_drops_one_highest_and_one_lowest_total(kit):
    _assessment_kit(kit)
    events = [_total(kit, 1, 90), _total(kit, 2, 80), _total(kit, 3, 70), _total(kit, 4, 85)]
    result = kit.evaluate("on_site", events, period="2026-Q1")
    assert result.raw_value == 82.5 and result.points == pytest.approx(82.5)
    assert result.explanation == (
        "现场考核（第一考核组现场考核，第1次结束评分）：考评员1 90.00；考评员2 80.00；考评员3 70.00；考评员4 85.00；"
        "去掉一个最高分90.00和一个最低分70.00后平均82.50/100.00，得分=100×82.50/100.00=82.50"
        " / On-site assessment (on site by assessment team 第一, closing 1): assessor 1 90.00; assessor 2 80.00;"
        " assessor 3 70.00; assessor 4 85.00; mean without the highest 90.00 and the lowest 70.00: 82.50 out of"
        " 100.00, points = 100 x 82.50 / 100.00 = 82.50")
    assert result.evidence == ("a-1-1", "a-1-2", "a-1-3", "a-1-4")


def test_with_fewer_than_3_assessors_the_trimmed_mean_is_the_plain_mean_and_says_so(kit):
    _assessment_kit(kit)
    result = kit.evaluate("on_site", [_total(kit, 1, 90), _total(kit, 2, 71)], period="2026-Q1")
    assert result.raw_value == 80.5 and result.components["trimmed"] == 0.0
    assert "不足3名考评员，不去分" in result.explanation and "fewer than 3 assessors" in result.explanation


def test_the_mean_rule_and_a_later_closing_supersedes(kit):
    _assessment_kit(kit, team_rule="mean")
    events = [_total(kit, 1, 90), _total(kit, 2, 60), _total(kit, 3, 75),
              _total(kit, 1, 90, closing=2), _total(kit, 2, 66, closing=2), _total(kit, 3, 75, closing=2)]
    result = kit.evaluate("on_site", events, period="2026-Q1")
    assert result.raw_value == 77.0 and result.components["closing"] == 2.0
    assert result.evidence == ("a-2-1", "a-2-2", "a-2-3")


def test_an_assessment_of_another_period_or_a_bad_event_fails_saying_why(kit):
    _assessment_kit(kit)
    def reason(events, period="2026-Q1"):
        return kit.evaluate("on_site", events, period=period, expect_ok=False).reason

    assert "no closed on-site assessment for 2026-Q2" in reason([_total(kit, 1, 90)], "2026-Q2")
    assert "outside [0, 100.00]" in reason([_total(kit, 1, 101)])
    twice = [_total(kit, 1, 90), kit.event(ON_SITE, 80, period="2026-Q1", event_id="b", position="1", closing="1")]
    assert "both give assessor 1's total in closing 1" in reason(twice)


@settings(max_examples=60, deadline=None)
@given(totals=st.lists(st.integers(0, 100), min_size=1, max_size=7))
def test_the_team_result_lies_between_the_lowest_and_the_highest_total(totals):
    kit = IndicatorTestKit(plugin)
    _assessment_kit(kit)
    result = kit.evaluate("on_site", [_total(kit, i + 1, t) for i, t in enumerate(totals)], period="2026-Q1")
    assert min(totals) <= result.raw_value <= max(totals)
# --- ballot (民主测评) --------------------------------------------------------------------

BALLOT = {"formula": "ballot",
          "groups": [{"code": "cadres", "name": {"zh": "机关干部", "en": "Cadres"}, "weight": 0.6, "min_turnout": 0.6},
                     {"code": "residents", "name": {"zh": "群众代表", "en": "Residents"}, "weight": 0.4,
                      "min_turnout": 0.5}],
          "scale": [{"value": 100, "name": {"zh": "优秀", "en": "Excellent"}},
                    {"value": 80, "name": {"zh": "称职", "en": "Competent"}},
                    {"value": 60, "name": {"zh": "基本称职", "en": "Basically competent"}},
                    {"value": 0, "name": {"zh": "不称职", "en": "Incompetent"}}]}
BALLOT_METRIC = "ballot_democratic_evaluation"


def _ballot_kit(kit, **changes):
    return kit.configure("generic_ballot", "democratic_evaluation", name_zh="民主测评",
                         name_en="Democratic evaluation", settings={**BALLOT, **changes})


def _tally(kit, group, total, ballots, issued, *, period="2026", event_id=None):
    return kit.event(BALLOT_METRIC, total, period=period, event_id=event_id, source="ballot:democratic_evaluation",
                     group=group, ballots=str(ballots), issued=str(issued))


def test_a_configured_ballot_reads_its_tally_period_alone(kit):
    spec = _ballot_kit(kit)
    assert (spec.input_metrics, spec.kind, spec.period_basis, spec.rollup) == \
        ((BALLOT_METRIC,), "score", "period_alone", "sum")
    assert "cadres w=0.600 min=60.0%" in spec.formula


@pytest.mark.parametrize("changes, message", [
    ({"groups": None}, "groups: required"),
    ({"groups": [{"code": "a", "name": {"zh": "甲"}, "weight": 0}]}, "groups[0].weight: must be a number > 0"),
    ({"groups": [{"code": "a", "name": {"zh": "甲"}, "weight": 1, "min_turnout": 2}]},
     "groups[0].min_turnout: must be within [0, 1]"),
    ({"groups": [{"code": "a", "name": {"zh": "甲"}, "weight": 1}, {"code": "a", "name": {"zh": "乙"}, "weight": 1}]},
     "groups[1].code: duplicate rater group 'a'"),
    ({"scale": [{"value": 5, "name": {"zh": "好"}}]}, "scale: needs at least two choices"),
    ({"scale": [{"value": 0, "name": {"zh": "好"}}, {"value": 0.0, "name": {"zh": "差"}}]},
     "scale[1].value: duplicate value 0.0"),
    ({"scale": [{"value": 5, "name": {"zh": "好"}, "colour": "red"}, {"value": 1, "name": {"zh": "差"}}]},
     "scale[0].colour: not a setting here"),
])
def test_bad_ballot_settings_are_refused_naming_the_setting(kit, changes, message):
    with pytest.raises(ValueError, match="democratic_evaluation") as caught:
        _ballot_kit(kit, **changes)
    assert message in str(caught.value)


def test_a_ballot_is_the_weighted_mean_of_the_group_means(kit):
    _ballot_kit(kit)
    # cadres: 8 of 10 voted, sum 720 → mean 90; residents: 10 of 20 voted, sum 700 → mean 70
    events = [_tally(kit, "cadres", 720, 8, 10, event_id="c"), _tally(kit, "residents", 700, 10, 20, event_id="r")]
    result = kit.evaluate("democratic_evaluation", events, period="2026")
    assert result.points == pytest.approx(0.6 * 90 + 0.4 * 70)
    assert result.evidence == ("c", "r")
    assert result.components["turnout.cadres"] == 0.8 and result.components["below_min.residents"] == 0.0
    assert "机关干部 平均90.00（8票/发放10张，参评率80.0%，最低60.0%，权重0.600）" in result.explanation
    assert "Residents mean 70.00 (10 ballots of 20 codes, turnout 50.0%, minimum 50.0%, weight 0.400)" \
        in result.explanation


def test_a_group_under_its_minimum_turnout_is_flagged_and_left_out(kit):
    _ballot_kit(kit)
    events = [_tally(kit, "cadres", 720, 8, 10), _tally(kit, "residents", 100, 1, 20)]  # residents 5% < 50%
    result = kit.evaluate("democratic_evaluation", events, period="2026")
    assert result.points == pytest.approx(90.0)  # the cadres' mean alone, weight renormalised to 1
    assert result.components["below_min.residents"] == 1.0 and result.components["weight.residents"] == 0.0
    assert "群众代表 平均100.00（1票/发放20张，参评率5.0%，最低50.0%，参评率不足，未计入）" in result.explanation
    assert "under the minimum turnout: not counted" in result.explanation


def test_no_group_at_its_minimum_fails_saying_so(kit):
    _ballot_kit(kit)
    result = kit.evaluate("democratic_evaluation", [_tally(kit, "cadres", 90, 1, 10)], period="2026", expect_ok=False)
    assert result.status == "failed" and "no rater group reached its minimum turnout" in result.reason
    assert "未发放测评码：群众代表" in result.reason


def test_a_leader_is_scored_from_their_own_tally_and_only_the_period_itself_counts(kit):
    _ballot_kit(kit)
    events = [_tally(kit, "cadres", 160, 2, 2, event_id="y"), _tally(kit, "cadres", 0, 2, 2, period="2026-Q4")]
    result = kit.evaluate("democratic_evaluation", events, period="2026", person_id="P-1")
    assert result.points == pytest.approx(80.0) and result.evidence == ("y",)
    assert result.explanation.startswith("民主测评（领导干部P-1）")


@pytest.mark.parametrize("event, problem", [
    (dict(group="cadres", total=50, ballots=3, issued=2), "3 ballots of 2 codes issued"),
    (dict(group="cadres", total=500, ballots=2, issued=2), "mean rating 250.00 outside the scale"),
    (dict(group="elders", total=50, ballots=1, issued=2), "group 'elders', which the scheme does not declare"),
])
def test_an_impossible_tally_fails(kit, event, problem):
    _ballot_kit(kit)
    result = kit.evaluate("democratic_evaluation", [_tally(kit, event["group"], event["total"], event["ballots"],
                                                           event["issued"])], period="2026", expect_ok=False)
    assert result.status == "failed" and problem in result.reason
