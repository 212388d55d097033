"""Helpers the standard plug-ins share: target parameters, counts by category, group averages."""

import math

import pytest

from jixiao_sdk import IndicatorInput, Milestone, Observation, Target
from jixiao_sdk.helpers import (
    GroupAverage,
    LastYear,
    baseline_of,
    check_non_negative,
    comparable_last_year,
    counts_by_category,
    covers_whole_year,
    expected_share,
    group_by,
    money_target_value,
    money_total,
    number_within,
    points_for_counts,
    positive_money_param,
    prefixed_numbers,
    schedule_sentence,
    target_problems,
    weighted_group_average,
    year_to_date_span,
)


def _event(event_id, value, **attributes):
    return Observation(event_id, "demo_count", value, "count", "2026-03", "test", attributes)


# --- target_problems -----------------------------------------------------------------------

def _needs_value(target):
    if target is None or target.value is None:
        raise ValueError("needs a value")
    return target.value


def test_target_problems_is_empty_when_the_settings_read():
    assert target_problems(_needs_value, Target(value=3.0)) == []


def test_target_problems_carries_the_value_error_message():
    assert target_problems(_needs_value, None) == ["needs a value"]


def test_target_problems_lets_other_errors_through():
    def broken(target):
        raise KeyError("bug")
    with pytest.raises(KeyError):
        target_problems(broken, None)


# --- money_target_value / positive_money_param ----------------------------------------------

def test_money_target_value_converts_to_100m():
    assert money_target_value(Target(value=28.23), "the annual plan") == 28.23
    assert money_target_value(Target(value=5e5, measurement_unit="CNY_10K"), "the plan") == 50.0
    assert money_target_value(Target(value=2e9, measurement_unit="CNY"), "the plan") == 20.0


@pytest.mark.parametrize("target", [None, Target(params={"last_year_value": 3.0})])
def test_money_target_value_needs_a_value(target):
    with pytest.raises(ValueError, match="^the target needs the annual plan as its value$"):
        money_target_value(target, "the annual plan")


def test_money_target_value_must_be_positive():
    with pytest.raises(ValueError, match=r"^the revenue target must be positive, got -1\.00$"):
        money_target_value(Target(value=-1.0), "the revenue target")


def test_money_target_value_rejects_unknown_units():
    with pytest.raises(ValueError, match="the target has measurement unit 'USD'"):
        money_target_value(Target(value=1.0, measurement_unit="USD"), "the plan")


def test_positive_money_param_uses_the_target_unit():
    target = Target(value=1.0, measurement_unit="CNY_10K", params={"last_year_value": 2e5})
    assert positive_money_param(target, "last_year_value") == 20.0
    assert positive_money_param(Target(value=1.0), "last_year_value") is None


def test_positive_money_param_checks_sign_and_type():
    with pytest.raises(ValueError, match=r"^last_year_value must be positive, got 0\.00$"):
        positive_money_param(Target(params={"last_year_value": 0.0}), "last_year_value")
    with pytest.raises(ValueError, match="must be a number"):
        positive_money_param(Target(params={"last_year_value": "141"}), "last_year_value")
    with pytest.raises(ValueError, match="last_year_value has measurement unit 'USD'"):
        positive_money_param(Target(measurement_unit="USD", params={"last_year_value": 1.0}),
                             "last_year_value")


# --- number_within --------------------------------------------------------------------------

def test_number_within_reads_the_parameter_or_the_default():
    assert number_within(Target(params={"share": 0.4}), "share", 1.0, "(0, 1]") == 0.4
    assert number_within(Target(), "share", 1.0, "(0, 1]") == 1.0
    assert number_within(None, "share", 1.0, "(0, 1]") == 1.0


@pytest.mark.parametrize("interval, inside, outside", [
    ("[0, 1)", [0.0, 0.5, 0.999], [-0.1, 1.0]),
    ("(0, 1]", [0.001, 1.0], [0.0, 1.5]),
    ("[0, 1]", [0.0, 1.0], [-0.01, 1.01]),
    ("(0, 10]", [10.0], [0.0, 20.0]),
])
def test_number_within_honours_open_and_closed_ends(interval, inside, outside):
    for value in inside:
        assert number_within(Target(params={"x": value}), "x", 0.5, interval) == value
    for value in outside:
        with pytest.raises(ValueError) as info:
            number_within(Target(params={"x": value}), "x", 0.5, interval)
        assert str(info.value) == f"x must be within {interval}, got {value!r}"


def test_number_within_checks_the_default_too_and_rejects_bad_intervals():
    with pytest.raises(ValueError, match=r"x must be within \(0, 1\], got 0.0"):
        number_within(None, "x", 0.0, "(0, 1]")
    with pytest.raises(ValueError, match="is not like"):
        number_within(None, "x", 0.5, "0..1")


# --- prefixed_numbers / check_non_negative --------------------------------------------------

def test_prefixed_numbers_strips_the_prefix_in_sorted_order():
    target = Target(params={"w.online": 0.4, "w.newspaper": 0.6, "min": 3.0, "veto_from": "x"})
    assert list(prefixed_numbers(target, "w.").items()) == [("newspaper", 0.6), ("online", 0.4)]
    assert prefixed_numbers(None, "w.") == {}
    with pytest.raises(ValueError, match="must be a number"):
        prefixed_numbers(Target(params={"w.a": "heavy"}), "w.")


def test_check_non_negative_names_the_first_negative_parameter():
    check_non_negative({"a": 0.0, "b": 2.0}, "points.")
    with pytest.raises(ValueError, match=r"^points\.b must be non-negative, got -1\.0$"):
        check_non_negative({"a": 1.0, "b": -1.0, "c": -2.0}, "points.")


# --- counts_by_category / points_for_counts -------------------------------------------------

def test_counts_by_category_sums_values_per_category_in_category_order():
    events = [_event("e1", 2.0, level="provincial"), _event("e2", 1.0, level="national"),
              _event("e3", 3.0, level="provincial")]
    counts = counts_by_category(events, "level", ("national", "provincial", "municipal"))
    assert list(counts.items()) == [("national", 1.0), ("provincial", 5.0), ("municipal", 0.0)]


def test_counts_by_category_accepts_a_mapping_of_categories():
    counts = counts_by_category([_event("e1", 1.0, severity="minor")], "severity",
                                {"minor": 1.0, "serious": 3.0})
    assert counts == {"minor": 1.0, "serious": 0.0}


def test_counts_by_category_rejects_unknown_or_missing_categories():
    with pytest.raises(ValueError) as info:
        counts_by_category([_event("e1", 1.0, level="county")], "level", ("national", "provincial"))
    assert str(info.value) == "event 'e1' has level 'county'; expected one of national, provincial"
    with pytest.raises(ValueError, match="^event 'e2' has level None;"):
        counts_by_category([_event("e2", 1.0)], "level", ("national",))


def test_counts_by_category_rejects_negative_counts_unless_allowed():
    events = [_event("e1", -1.0, level="national")]
    with pytest.raises(ValueError) as info:
        counts_by_category(events, "level", ("national",), "commendations")
    assert str(info.value) == "event 'e1' counts -1.0 commendations"
    counts = counts_by_category(events, "level", ("national",), allow_negative=True)
    assert counts == {"national": -1.0}


def test_counts_by_category_reports_the_first_bad_event_in_order():
    events = [_event("e1", -1.0, level="national"), _event("e2", 1.0, level="county")]
    with pytest.raises(ValueError, match="^event 'e1' counts -1.0 events$"):
        counts_by_category(events, "level", ("national",))


def test_points_for_counts():
    counts = {"national": 2.0, "provincial": 1.0, "municipal": 0.0}
    assert points_for_counts(counts, {"national": 3.0, "provincial": 2.0, "municipal": 1.0}) == 8.0
    assert points_for_counts({}, {}) == 0


# --- group_by / weighted_group_average ------------------------------------------------------

def test_group_by_keeps_the_given_order():
    events = [_event("e1", 1.0, g="b"), _event("e2", 2.0, g="a"), _event("e3", 3.0, g="b")]
    groups = group_by(events, lambda e: e.attributes["g"])
    assert list(groups) == ["b", "a"]
    assert [e.event_id for e in groups["b"]] == ["e1", "e3"]


def test_weighted_group_average():
    groups = {"peers": [_event("e1", 4.0), _event("e2", 5.0)], "superiors": [_event("e3", 3.0)]}
    average = weighted_group_average(groups, {"peers": 3.0, "superiors": 1.0, "unused": 9.0})
    assert isinstance(average, GroupAverage)
    assert average.means == {"peers": 4.5, "superiors": 3.0}
    assert average.shares == {"peers": 0.75, "superiors": 0.25}
    assert average.overall == pytest.approx(0.75 * 4.5 + 0.25 * 3.0)
    assert math.fsum(average.shares.values()) == 1.0


def test_weighted_group_average_ignores_zero_weight_groups_in_the_mean():
    groups = {"a": [_event("e1", 5.0)], "b": [_event("e2", 1.0)]}
    average = weighted_group_average(groups, {"a": 1.0, "b": 0.0})
    assert average.overall == 5.0
    assert average.shares == {"a": 1.0, "b": 0.0}


def test_weighted_group_average_needs_groups_and_positive_weights():
    with pytest.raises(ValueError, match="at least one group"):
        weighted_group_average({}, {})
    with pytest.raises(ValueError, match="positive sum of weights"):
        weighted_group_average({"a": [_event("e1", 1.0)]}, {"a": 0.0})


# --- Year to date and last year --------------------------------------------------------------

@pytest.mark.parametrize("as_of, labels", [
    ("2026-Q3", ("1–9月累计", "Jan–Sep")),
    ("2026-05", ("1–5月累计", "Jan–May")),
    ("2026-01", ("1月", "Jan")),
    ("2026-Q1", ("1–3月累计", "Jan–Mar")),
    ("2026-Q4", ("1–12月累计", "Jan–Dec")),
    ("2026-12", ("1–12月累计", "Jan–Dec")),
])
def test_year_to_date_span_labels(as_of, labels):
    assert year_to_date_span(as_of) == labels


@pytest.mark.parametrize("bad", ["2026", "2026-05-03", "2026-13", "", None])
def test_year_to_date_span_needs_a_month_or_quarter(bad):
    with pytest.raises(ValueError, match="is not a month or quarter"):
        year_to_date_span(bad)


def test_schedule_sentence_behind_the_prorated_plan():
    assert schedule_sentence("2026-Q3", 105.30, 242.00, 0.75, what_zh="完成投资",
                             what_en="invested {amount}") == (
        "1–9月累计完成投资105.30亿元，占年计划43.5%，序时进度75.0%，落后31.5个百分点",
        "Jan–Sep: invested 105.30 (CNY 100M), 43.5% of the annual plan against 75.0% due by"
        " schedule, 31.5 points behind",
    )


def test_schedule_sentence_ahead_and_on_schedule_and_other_nouns():
    zh, en = schedule_sentence("2026-05", 30.0, 61.1, 0.4, what_zh="完成一般公共预算收入",
                               what_en="collected {amount} of revenue", plan_zh="年度目标",
                               plan_en="the annual target")
    assert zh == "1–5月累计完成一般公共预算收入30.00亿元，占年度目标49.1%，序时进度40.0%，超前9.1个百分点"
    assert en == ("Jan–May: collected 30.00 (CNY 100M) of revenue, 49.1% of the annual target"
                  " against 40.0% due by schedule, 9.1 points ahead")
    level = schedule_sentence("2026-01", 10.04, 100.0, 0.1, what_zh="争取上级资金", what_en="won")
    assert level == ("1月争取上级资金10.04亿元，占年计划10.0%，序时进度10.0%，与序时进度持平",
                     "Jan: won 10.04 (CNY 100M), 10.0% of the annual plan against 10.0% due by"
                     " schedule, on schedule")
    km = schedule_sentence("2026-Q2", 40.0, 100.0, 0.5, unit_zh="公里", unit_en="km")
    assert km[0].startswith("1–6月累计完成40.00公里，") and km[1].startswith("Jan–Jun: 40.00 km done,")
    with pytest.raises(ValueError, match="the plan must be positive"):
        schedule_sentence("2026-Q3", 1.0, 0.0, 0.75)


def _ytd_inputs(**kwargs):
    kwargs.setdefault("period", "2026")
    return IndicatorInput("demo", "u1", "county", **kwargs)


def test_covers_whole_year():
    assert covers_whole_year(_ytd_inputs(elapsed_share=1.0))
    assert covers_whole_year(_ytd_inputs(elapsed_share=1.0, as_of_period="2026-Q4"))
    assert covers_whole_year(_ytd_inputs(elapsed_share=1.0, as_of_period="2026-12"))
    assert not covers_whole_year(_ytd_inputs(elapsed_share=0.9))  # the year still running
    assert not covers_whole_year(_ytd_inputs(elapsed_share=0.75, as_of_period="2026-Q3"))
    assert not covers_whole_year(_ytd_inputs(period="2026-Q3", elapsed_share=1.0))  # a quarter alone


@pytest.mark.parametrize("as_of, labels", [
    ("2022-04", ("4月", "Apr")),
    ("2022-Q2", ("4–9月累计", "Apr–Sep")),
    ("2022-Q3", ("4–12月累计", "Apr–Dec")),
    ("2023-01", ("2022年4月至2023年1月累计", "Apr 2022–Jan 2023")),
    ("2022-Q4", ("2022年4月至2023年3月累计", "Apr 2022–Mar 2023")),
])
def test_year_to_date_span_of_a_financial_year_from_april(as_of, labels):
    assert year_to_date_span(as_of, 4) == labels


def test_a_financial_year_from_april():
    fy = dict(period="2022", year_start_month=4)
    assert covers_whole_year(_ytd_inputs(elapsed_share=1.0, as_of_period="2022-Q4", **fy))
    assert covers_whole_year(_ytd_inputs(elapsed_share=1.0, as_of_period="2023-03", **fy))
    assert not covers_whole_year(_ytd_inputs(elapsed_share=1.0, as_of_period="2022-12", **fy))
    # January 2023 is a month of the year 2022; January 2022 is not.
    assert _ytd_inputs(elapsed_share=0.8, as_of_period="2023-01", **fy).calendar.parse("2023-01").year == 2022
    with pytest.raises(ValueError, match="must be a month or quarter of 2022"):
        _ytd_inputs(elapsed_share=0.8, as_of_period="2022-01", **fy)
    # Milestones are placed on the financial year: half due by the end of its Q2 (September).
    target = Target(100.0, milestones=(Milestone("2022-Q2", 0.5),))
    half = _ytd_inputs(elapsed_share=183 / 365, as_of_period="2022-Q2", target=target, **fy)
    assert expected_share(half) == pytest.approx(0.5)
    assert schedule_sentence("2022-Q4", 50.0, 100.0, 1.0, what_zh="完成投资", year_start_month=4)[0] == \
        "2022年4月至2023年3月累计完成投资50.00亿元，占年计划50.0%，序时进度100.0%，落后50.0个百分点"


@pytest.mark.parametrize("month", [0, 13, 4.0, True])
def test_a_year_start_that_is_not_a_month_is_refused(month):
    with pytest.raises((ValueError, TypeError), match="year_start_month"):
        _ytd_inputs(year_start_month=month)


def test_comparable_last_year_is_like_for_like():
    base = (Observation("b2", "demo", 300_000.0, "CNY_10K", "2025-06"),
            Observation("b1", "demo", 10.0, "CNY_100M", "2025-03"),
            Observation("x", "other", 99.0, "CNY_100M", "2025-03"))
    q3 = _ytd_inputs(elapsed_share=0.75, as_of_period="2026-Q3", baseline=base)
    assert [o.event_id for o in baseline_of(q3, "demo")] == ["b1", "b2"]
    # Part of the year: last year's same span, converted, never the whole-year parameter.
    assert comparable_last_year(q3, "demo", 141.0, money_total) == LastYear(40.0, same_span=True)
    assert comparable_last_year(_ytd_inputs(elapsed_share=0.75, as_of_period="2026-Q3"), "demo",
                                141.0) is None
    assert comparable_last_year(_ytd_inputs(period="2026-Q3"), "demo", 141.0) is None
    # The whole year: the parameter as before; the baseline only without it.
    year = _ytd_inputs(baseline=base)
    assert comparable_last_year(year, "demo", 141.0) == LastYear(141.0, same_span=False)
    assert comparable_last_year(year, "demo", None, money_total) == LastYear(40.0, same_span=True)
    # Nothing to divide by: no comparison.
    zero = _ytd_inputs(period="2026-Q3", baseline=(Observation("z", "demo", 0.0, period="2025-08"),))
    assert comparable_last_year(zero, "demo", None) is None
