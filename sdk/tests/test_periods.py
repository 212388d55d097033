from datetime import date

import pytest

from jixiao_sdk.periods import (
    CALENDAR_YEAR,
    Calendar,
    PeriodError,
    end_fraction,
    is_period,
    parse_period,
    period_bounds,
)


def test_enclosing_periods_of_a_day():
    assert [p.text for p in parse_period("2026-05-20").enclosing()] == ["2026-05-20", "2026-05", "2026-Q2", "2026"]


def test_quarter_bounds_and_elapsed_share():
    q = parse_period("2026-Q1")
    assert (q.start, q.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q.elapsed_share(date(2026, 3, 31)) == 1.0
    assert q.elapsed_share(date(2025, 12, 31)) == 0.0
    assert parse_period("2026").elapsed_share(date(2026, 6, 30)) == pytest.approx(181 / 365)


@pytest.mark.parametrize("text", ["26", "2026-Q5", "2026-13", "2026-02-30", "2026/03", ""])
def test_malformed_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize("text", ["2026-0３", "２０２６", "2026\n", "2026-03\n", " 2026", "2026-Q1 "])
def test_only_ascii_digits_and_nothing_after(text):
    # One grammar for the SDK and the platform: a second spelling of March would
    # name a second period beside 2026-03, past its lock.
    with pytest.raises(PeriodError):
        parse_period(text)
    assert not is_period(text)


def test_a_fiscal_year_is_named_by_the_calendar_year_it_starts_in():
    april = Calendar(4)
    year = april.parse("2022")
    assert (year.start, year.end, year.year) == (date(2022, 4, 1), date(2023, 3, 31), 2022)
    assert [(q.start, q.end) for q in april.quarters(2022)] == [
        (date(2022, 4, 1), date(2022, 6, 30)), (date(2022, 7, 1), date(2022, 9, 30)),
        (date(2022, 10, 1), date(2022, 12, 31)), (date(2023, 1, 1), date(2023, 3, 31))]
    january = april.parse("2023-01")
    assert january.year == 2022
    assert [p.text for p in january.enclosing()] == ["2023-01", "2022-Q4", "2022"]
    assert [p.text for p in april.parse("2022-04-01").enclosing()] == ["2022-04-01", "2022-04", "2022-Q1", "2022"]
    assert [m.text for m in april.months("2022-Q4")] == ["2023-01", "2023-02", "2023-03"]
    assert [m.text for m in april.months("2022")][:2] == ["2022-04", "2022-05"]
    assert len(april.scored_periods(2022)) == 17
    assert april.year_to_date("2023-02") == (date(2022, 4, 1), date(2023, 2, 28))
    assert april.end_fraction("2022-Q2", "2022") == pytest.approx(183 / 365)


def test_calendar_years_are_the_default_and_months_are_always_calendar_months():
    assert Calendar().parse("2026") == parse_period("2026") == CALENDAR_YEAR.parse("2026")
    assert Calendar(7).parse("2026-03") == parse_period("2026-03", 7)
    assert Calendar(7).parse("2026-03").year == 2025
    assert period_bounds("2026-Q3", 7) == (date(2027, 1, 1), date(2027, 4, 1))  # July to June: Q3 is January–March
    assert end_fraction("2026-Q1", "2026") == pytest.approx(90 / 365)


@pytest.mark.parametrize("month", [0, 13, "4", True, None])
def test_a_year_start_that_is_not_a_month_is_refused(month):
    with pytest.raises(ValueError, match="year_start_month"):
        Calendar(month)
