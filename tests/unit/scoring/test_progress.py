"""Progress against plan, warnings and period deltas."""
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.scoring.domain.progress import (
    Milestone,
    amount_in,
    assess_progress,
    expected_share,
    is_money,
    milestones_from_target,
    period_delta,
    previous_period,
    progress_at,
    same_period_last_year,
)

TARGET = {  # U-R03 东湖区 investment, as in the demo scheme
    "unit": "U-R03", "indicator": "investment_completion", "value": 242.0,
    "milestones": [{"period": "2026-06", "share": 0.45}, {"period": "2026-03", "share": 0.2},
                   {"period": "2026-09", "share": 0.7}, {"period": "2026-12", "share": 1.0}],
}
MILESTONES = milestones_from_target(TARGET)


def test_milestones_are_read_in_period_order():
    assert [m.period for m in MILESTONES] == ["2026-03", "2026-06", "2026-09", "2026-12"]
    assert MILESTONES[0].end == date(2026, 3, 31)
    assert milestones_from_target({"value": 0.95}) == ()


def test_expected_share_is_linear_between_milestone_ends():
    assert expected_share(date(2026, 3, 31), 2026, MILESTONES) == pytest.approx(0.2)
    assert expected_share(date(2026, 6, 30), 2026, MILESTONES) == pytest.approx(0.45)
    assert expected_share(date(2026, 12, 31), 2026, MILESTONES) == pytest.approx(1.0)
    assert expected_share(date(2026, 1, 1), 2026, MILESTONES) == pytest.approx(0.2 / 90)
    # 15 May: 45 of the 91 days of Q2 completed
    assert expected_share(date(2026, 5, 15), 2026, MILESTONES) == pytest.approx(0.2 + 0.25 * 45 / 91)
    assert expected_share(date(2025, 12, 31), 2026, MILESTONES) == 0.0
    assert expected_share(date(2027, 1, 15), 2026, MILESTONES) == pytest.approx(1.0)
    partial = (Milestone("2026-06", 0.5),)
    assert expected_share(date(2026, 11, 1), 2026, partial) == 0.5


def test_without_milestones_the_plan_is_time_proportional():
    assert expected_share(date(2026, 3, 31), 2026) == pytest.approx(90 / 365)
    assert expected_share(date(2026, 12, 31), 2026) == 1.0
    assert expected_share(date(2024, 2, 29), 2024) == pytest.approx(60 / 366)


def test_warning_when_the_lag_exceeds_the_tolerance():
    p = assess_progress(actual=50.0, target=100.0, expected=0.70, tolerance=0.10)
    assert (p.actual_share, p.expected_share, p.warning) == (0.5, 0.70, True)
    assert p.gap == pytest.approx(0.20)
    assert p.achievement == pytest.approx(0.5 / 0.7)
    assert not assess_progress(70.0, 100.0, 0.80, 0.10).warning   # exactly the tolerance (0.1000…09 in floats)
    assert not assess_progress(120.0, 100.0, 0.80, 0.10).warning  # ahead of plan
    assert assess_progress(0.0, 100.0, 0.0, 0.1).achievement is None


def test_donghu_lags_in_march_beitang_does_not():
    donghu = progress_at(date(2026, 3, 31), 2026, 0.09 * 242.0, 242.0, MILESTONES, 0.1)
    beitang = progress_at(date(2026, 3, 31), 2026, 0.13 * 173.5, 173.5, MILESTONES, 0.1)
    assert donghu.warning and donghu.gap == pytest.approx(0.11)
    assert not beitang.warning and beitang.gap == pytest.approx(0.07)


@pytest.mark.parametrize("bad", [
    lambda: assess_progress(1.0, 0.0, 0.5, 0.1),
    lambda: assess_progress(1.0, 10.0, 0.5, -0.1),
    lambda: expected_share(date(2026, 5, 1), 2026, (Milestone("2026-03", 0.5), Milestone("2026-06", 0.4))),
    lambda: expected_share(date(2026, 5, 1), 2026, (Milestone("2026-03", 0.5), Milestone("2026-Q1", 0.6))),
    lambda: expected_share(date(2026, 5, 1), 2026, (Milestone("2027-03", 0.5),)),
])
def test_bad_input_is_refused(bad):
    with pytest.raises(ValueError):
        bad()


@pytest.mark.parametrize(("period", "before", "last_year"), [
    ("2026-Q2", "2026-Q1", "2025-Q2"),
    ("2026-Q1", "2025-Q4", "2025-Q1"),
    ("2026-01", "2025-12", "2025-01"),
    ("2026-07", "2026-06", "2025-07"),
    ("2026", "2025", "2025"),
    ("2026-03-01", "2026-02-28", "2025-03-01"),
    ("2024-02-29", "2024-02-28", "2023-02-28"),
])
def test_previous_and_same_period_last_year(period, before, last_year):
    assert previous_period(period) == before
    assert same_period_last_year(period) == last_year


def test_period_delta():
    totals = {"2026-Q2": 88.0, "2026-Q1": 80.0, "2025-Q2": 0.0}
    d = period_delta(totals, "2026-Q2")
    assert (d.previous_period, d.vs_previous, d.vs_previous_pct) == ("2026-Q1", 8.0, pytest.approx(0.1))
    assert (d.last_year_period, d.last_year_value, d.vs_last_year, d.vs_last_year_pct) == ("2025-Q2", 0.0, 88.0, None)
    first = period_delta(totals, "2026-Q1")
    assert (first.previous_value, first.vs_previous, first.vs_last_year) == (None, None, None)


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2025, 12, 1), date(2027, 1, 31)), st.dates(date(2025, 12, 1), date(2027, 1, 31)))
def test_expected_share_never_decreases_and_stays_in_0_1(a, b):
    early, late = sorted((a, b))
    for milestones in (MILESTONES, ()):
        lo, hi = expected_share(early, 2026, milestones), expected_share(late, 2026, milestones)
        assert 0.0 <= lo <= hi <= 1.0 + 1e-12


def test_amounts_are_expressed_in_the_targets_unit():
    figures = {"CNY_10K": 250_000.0, "CNY_100M": 5.0, "": 1.0, "CNY": 1e8}  # 25 + 5 + 1 + 1 亿元
    assert amount_in(figures, "CNY_100M") == pytest.approx(32.0)
    assert amount_in(figures, "") == pytest.approx(32.0)                   # an empty unit is 亿元
    assert amount_in(figures, "CNY_10K") == pytest.approx(320_000.0)
    assert amount_in({"CNY_10K": 810_000.0}, "CNY_10K") == 810_000.0        # the same unit: as it is
    assert amount_in({"count": 3.0, "": 2.0}, "count") == 5.0              # not money: added as they are
    assert amount_in({}, "CNY_100M") == 0.0
    assert is_money("") and is_money("CNY") and not is_money("count") and not is_money("ratio")
    with pytest.raises(ValueError, match="ton"):
        amount_in({"ton": 1.0}, "CNY_100M", "U1's amount")
