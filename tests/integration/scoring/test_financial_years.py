"""A scheme whose year starts in April (scheme.year_start_month: 4): the year 2026 is
April 2026 to March 2027, its Q1 April to June; months keep their calendar names and
January 2027 falls in the year 2026. Everything that reads periods follows: which scheme
an event falls under, year to date, milestones, last year's same span, the periods a
result is kept for, review, previous period and same period last year."""
import pytest

from helpers.small_scheme import Awards, Invested, Rating
from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao_sdk import IndicatorHost

from .test_year_to_date import SCHEME as CALENDAR_SCHEME

FISCAL = {
    **CALENDAR_SCHEME,
    "scheme": {**CALENDAR_SCHEME["scheme"], "year_start_month": 4},
    "targets": [
        {"unit": "U1", "indicator": "invested", "value": 100.0,
         "milestones": [{"period": "2026-Q1", "share": 0.2}, {"period": "2026-Q2", "share": 0.45},
                        {"period": "2026-Q3", "share": 0.7}, {"period": "2026-Q4", "share": 1.0}]},
        {"unit": "U2", "indicator": "invested", "value": 200.0},
    ],
    # Last year (April 2025 to March 2026), month by month.
    "baselines": [{"unit": "U1", "metric": "amount", "period": f"{2025 + (m < 4)}-{m:02d}", "value": 5.0}
                  for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)],
}
MONTHS = [f"{2026 + (m < 4)}-{m:02d}" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def record(event_id: str, metric: str, value: float, period: str, unit: str = "U1", source: str = "stats") -> IncomingRecord:
    data = {"event_id": event_id, "source": source, "unit_id": unit, "metric_code": metric, "value": value, "period": period}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


@pytest.fixture
def service(tmp_path):
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}",
                            IndicatorHost.from_plugins([Invested(), Rating(), Awards()], timeout_s=None))
    service.adopt_scheme(FISCAL, 1, "sha256:test")
    return service


def result(service, code: str, period: str, unit: str = "U1") -> dict:
    return next(r for r in service.unit_score("test-2026", unit, period)[3] if r["indicator_code"] == code)


def test_january_falls_in_the_year_that_started_in_april(service):
    outcome = service.ingest([record(f"m{i}", "amount", 6.0, month) for i, month in enumerate(MONTHS)])
    assert not outcome.rejected
    assert result(service, "invested", "2027-01")["raw_value"] == pytest.approx(60.0)  # April to January
    q4 = result(service, "invested", "2026-Q4")  # January to March 2027
    assert q4["raw_value"] == pytest.approx(72.0) and q4["achievement"] == pytest.approx(0.72)
    year = result(service, "invested", "2026")
    assert year["raw_value"] == pytest.approx(72.0)


def test_a_quarter_is_the_financial_year_so_far_against_its_milestones(service):
    Invested.seen.clear()
    service.ingest([record(f"m{i}", "amount", 6.0, month) for i, month in enumerate(MONTHS[:6])])
    q2 = result(service, "invested", "2026-Q2")  # July to September 2026
    assert q2["raw_value"] == pytest.approx(36.0)  # April to September, not July to September alone
    assert q2["achievement"] == pytest.approx(36.0 / 45.0)  # 45% of the plan due by the end of Q2
    given = next(i for i in reversed(Invested.seen) if i.as_of_period == "2026-Q2")
    assert (given.period, given.year_start_month) == ("2026", 4)
    assert given.elapsed_share == pytest.approx(183 / 365)
    assert sum(o.value for o in given.baseline) == pytest.approx(30.0)  # April to September 2025


def test_a_month_before_the_year_starts_belongs_to_the_year_before(service):
    outcome = service.ingest([record("march", "amount", 6.0, "2026-03"), record("q", "amount", 6.0, "2025-Q4")])
    assert [r.reason for r in outcome.rejected] == ["no published scheme covers the period 2026-03",
                                                    "no published scheme covers the period 2025-Q4"]


def test_progress_and_comparisons_follow_the_financial_year(service):
    service.ingest([record(f"m{i}", "amount", 6.0, month) for i, month in enumerate(MONTHS[:9])])
    _, check, _, entries = service.progress("test-2026", "2026-Q3")
    assert (check.start.isoformat(), check.end.isoformat()) == ("2026-10-01", "2026-12-31")
    progress = next(p for unit, _, p in entries if unit == "U1")
    assert progress.actual == pytest.approx(54.0) and progress.expected_share == pytest.approx(0.7)
    scheme = service.scheme("test-2026")
    deltas = service.deltas(scheme, "U1", "2026-Q1", 50.0)
    assert (deltas["previous_period"], deltas["last_year_period"]) == ("2025-Q4", "2025-Q1")
    assert service.deltas(scheme, "U1", "2027-01", 50.0)["previous_period"] == "2026-12"


def test_locking_a_financial_quarter_freezes_its_calendar_months(service):
    service.ingest([record("jan", "amount", 6.0, "2027-01")])
    PeriodReview(service).act("lock", "test-2026", "2026-Q4", Principal("考核办", "office"), "figures complete")
    outcome = service.ingest([record("feb", "amount", 6.0, "2027-02"), record("may", "amount", 6.0, "2026-05"),
                              record("may-award", "award", 1, "2026-05", source="office")])
    # February 2027 lies in the locked quarter; May's investment would change its year-to-date
    # result; May's award changes nothing locked.
    assert [(r.reason.split(" is closed")[0]) for r in outcome.rejected] == ["period: 2027-02", "period: 2026-Q4"]
