from datetime import date

import pytest

from jixiao.common.periods import PeriodError, parse_period


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
