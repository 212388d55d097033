"""The pure rules behind completeness (缺报, domain/completeness.py) and the
bulletin's key indicators (重点指标, domain/bulletin.py): who must report what
and when, which expected periods count before the year is over, shared ranks on
completion, the change since the last bulletin, and year on year only like for
like."""
from datetime import date

import pytest

from helpers.small_scheme import SMALL_SCHEME
from jixiao.scoring.domain import completeness
from jixiao.scoring.domain.bulletin import (
    KeyFigure,
    LastYearFigure,
    key_rows,
    last_year_span,
    like_for_like,
    table_unit,
)
from jixiao.scoring.domain.progress import assess_progress
from jixiao.scoring.domain.scheme_view import SchemeView
from jixiao_sdk.periods import parse_period

SCHEME = {
    **SMALL_SCHEME,
    "categories": [*SMALL_SCHEME["categories"], {"code": "dept", "name": {"zh": "部门", "en": "Departments"}}],
    "units": [*SMALL_SCHEME["units"], {"id": "D1", "name": {"zh": "某局", "en": "A bureau"}, "category": "dept"}],
    "sources": [{"code": "stats", "metrics": ["amount", "survey"]}, {"code": "office", "metrics": ["award"]}],
    "metrics": [{"code": "amount", "expected": "month"}, {"code": "survey", "expected": "year"},
                {"code": "award", "min": 0}],
    "assignments": [*SMALL_SCHEME["assignments"],
                    {"category": "dept", "dimension": "bonus", "indicator": "awards", "weight": 1.0, "max_points": 3}],
}
INPUTS = {"amount_vs_plan": ("amount",), "awards": ("award",), "rating": ("survey",)}


def day(text: str) -> date:
    return date.fromisoformat(text)


def month(unit: str, metric: str, text: str) -> tuple[str, str, date, date]:
    p = parse_period(text)
    return unit, metric, p.start, p.end


def test_expected_from_every_unit_assigned_an_indicator_consuming_the_metric():
    expected = completeness.expectations(SchemeView(SCHEME, 1), INPUTS)
    # the districts are assigned amount_vs_plan (amount, monthly); nobody consumes the survey; awards are not expected
    assert expected == (completeness.Expectation("U1", "amount", "month"), completeness.Expectation("U2", "amount", "month"))
    assert completeness.expectations(SchemeView(SMALL_SCHEME, 1), INPUTS) == ()  # no `expected`: nothing is


def test_a_quarter_checks_its_months_and_a_yearly_figure_is_not_checked_in_it():
    expected = [completeness.Expectation("U1", "amount", "month"), completeness.Expectation("U1", "survey", "year")]
    figures = [month("U1", "amount", "2026-07"), ("U1", "amount", day("2026-09-14"), day("2026-09-14")),
               ("U1", "survey", day("2026-08-01"), day("2026-08-01"))]
    found = completeness.check(parse_period("2026-Q3"), 2026, expected, figures, day("2026-12-31"))
    assert found.expected == 3  # July, August, September; the yearly survey is not inside a quarter
    assert [(g.unit_id, g.metric, g.period.text) for g in found.gaps] == [("U1", "amount", "2026-08")]
    assert found.gaps_by_unit() == {"U1": 1} and found.gaps_by_unit({"survey"}) == {}
    assert found.missing() == [("U1", "amount", (parse_period("2026-08"),))]
    year = completeness.check(parse_period("2026"), 2026, expected, figures, day("2026-12-31"))
    assert year.expected == 13  # twelve months and the year
    assert [g.period.text for g in year.gaps] == [f"2026-{m:02d}" for m in (1, 2, 3, 4, 5, 6, 8, 10, 11, 12)]


def test_a_figure_of_a_longer_period_fills_none_of_its_months():
    expected = [completeness.Expectation("U1", "amount", "month")]
    figures = [month("U1", "amount", "2026-Q1"), month("U1", "amount", "2026")]
    found = completeness.check(parse_period("2026-Q1"), 2026, expected, figures, day("2026-12-31"))
    assert [g.period.text for g in found.gaps] == ["2026-01", "2026-02", "2026-03"]
    quarterly = completeness.check(parse_period("2026-Q1"), 2026, [completeness.Expectation("U1", "amount", "quarter")],
                                   figures, day("2026-12-31"))
    assert (quarterly.expected, quarterly.gaps) == (1, ())


def test_only_expected_periods_ended_by_the_latest_figure_count():
    expected = [completeness.Expectation("U1", "amount", "month"), completeness.Expectation("U1", "survey", "year")]
    figures = [month("U1", "amount", f"2026-{m:02d}") for m in range(1, 10)]
    september = completeness.check(parse_period("2026"), 2026, expected, figures, day("2026-09-30"))
    assert (september.expected, september.gaps) == (9, ())  # October not due yet, the year not over
    assert completeness.check(parse_period("2026-Q4"), 2026, expected, figures, day("2026-09-30")).expected == 0
    # a figure of 20 November: October has ended by then, November has not
    october = completeness.check(parse_period("2026-Q4"), 2026, expected, figures, day("2026-11-20"))
    assert [(g.period.text, g.metric) for g in october.gaps] == [("2026-10", "amount")]
    nothing = completeness.check(parse_period("2026"), 2026, expected, (), None)
    assert (nothing.expected, nothing.gaps, nothing.checked_through) == (0, (), None)


def test_only_periods_of_the_schemes_year_are_checked():
    expected = [completeness.Expectation("U1", "amount", "month")]
    assert completeness.check(parse_period("2025-Q4"), 2026, expected, (), day("2026-12-31")).expected == 0


def test_periods_inside():
    assert [p.text for p in completeness.periods_inside(parse_period("2026-Q2"), "month")] == ["2026-04", "2026-05", "2026-06"]
    assert [p.text for p in completeness.periods_inside(parse_period("2026"), "quarter")] == [f"2026-Q{q}" for q in range(1, 5)]
    assert completeness.periods_inside(parse_period("2026-05"), "quarter") == ()
    with pytest.raises(ValueError):
        completeness.periods_inside(parse_period("2026"), "week")


def figure(unit: str, actual: float, plan: float = 100.0, expected: float = 0.7, last_year: float | None = None) -> KeyFigure:
    return KeyFigure(unit, assess_progress(actual, plan, expected, 0.1), last_year)


def test_key_rows_rank_on_completion_with_shared_ranks():
    rows = key_rows([figure("U4", 60), figure("U2", 120, plan=200), figure("U1", 90), figure("U3", 40)])
    # 90 %, 60 % twice (a tie, listed by id), 40 %: ranks 1, 2, 2, 4
    assert [(r.unit_id, r.rank) for r in rows] == [("U1", 1), ("U2", 2), ("U4", 2), ("U3", 4)]
    u3 = rows[-1]
    assert (u3.year_to_date, u3.plan, u3.completion, u3.expected) == (40, 100, 0.4, 0.7)
    assert u3.ahead_points == pytest.approx(-30.0) and u3.warning  # 30 points behind, tolerance 10
    assert rows[0].ahead_points == pytest.approx(20.0) and not rows[0].warning
    assert all(r.previous_rank is None and r.vs_previous_points is None for r in rows)


def test_key_rows_change_since_the_last_bulletin():
    last = key_rows([figure("U1", 30, expected=0.45), figure("U2", 40, expected=0.45), figure("U3", 20, expected=0.45)])
    rows = key_rows([figure("U1", 75), figure("U2", 60), figure("U3", 50), figure("U9", 10)], last)
    by_unit = {r.unit_id: r for r in rows}
    assert (by_unit["U1"].previous_rank, by_unit["U1"].rank, by_unit["U1"].rank_change) == (2, 1, 1)  # rank 2 → 1
    assert by_unit["U1"].previous_completion == pytest.approx(0.3)
    assert by_unit["U1"].vs_previous_points == pytest.approx(45.0)  # 30 % → 75 %: +45 points
    assert by_unit["U2"].rank_change == -1
    assert by_unit["U9"].previous_rank is None and by_unit["U9"].rank_change is None  # no row last time


def test_year_on_year_only_like_for_like():
    start, end = last_year_span(day("2026-09-30"))
    assert (start, end) == (day("2025-01-01"), day("2025-09-30"))
    assert last_year_span(day("2028-02-29")) == (day("2027-01-01"), day("2027-02-28"))
    months = [LastYearFigure(parse_period(f"2025-{m:02d}").start, parse_period(f"2025-{m:02d}").end, 10.0) for m in range(1, 13)]
    assert like_for_like(months, start, end) == pytest.approx(90.0)  # January to September, not the whole year
    whole_year = [LastYearFigure(day("2025-01-01"), day("2025-12-31"), 120.0)]
    assert like_for_like(whole_year, start, end) is None  # never the whole of last year
    assert like_for_like(months[:6], start, end) is None  # reported to June only: not the same span
    assert like_for_like([LastYearFigure(day("2025-02-03"), day("2025-02-03"), 4.0), LastYearFigure(day("2025-09-20"), day("2025-09-20"), 6.0)],
                         start, end) == pytest.approx(10.0)  # dated figures reaching September
    assert like_for_like([], start, end) is None
    rows = key_rows([figure("U1", 99, last_year=90.0), figure("U2", 50, last_year=None), figure("U3", 10, last_year=0.0)])
    growth = {r.unit_id: r.vs_last_year for r in rows}
    assert growth["U1"] == pytest.approx(0.1) and growth["U2"] is None and growth["U3"] is None


def test_a_tables_unit_is_its_targets_unit():
    assert table_unit(["CNY_10K", "CNY_10K"]) == "CNY_10K"
    assert table_unit(["", ""]) == "" and table_unit([]) == ""
    assert table_unit(["CNY_10K", "CNY_100M"]) == "CNY_100M"  # money units of different sizes: 亿元
    assert table_unit(["", "CNY_10K"]) == "CNY_100M"
    assert table_unit(["count", "CNY_10K"]) is None           # cannot be converted: each row in its own
