"""Consequences over two years of grades, and the rpcs above the unit."""
import pytest

from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer.above_unit import Rollups
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao_sdk import IndicatorHost

GRADED = {
    "grading": [{"code": "districts", "pool": ["district"], "subject": "unit", "method": "threshold", "grades": [
        {"grade": 1, "name": {"zh": "好", "en": "Good"}, "min_total": 80},
        {"grade": 3, "name": {"zh": "一般", "en": "Fair"}, "min_total": 0}]}],
    "consequences": [
        {"rule": "two_years_third_grade", "subject": "unit", "action": {"zh": "约谈", "en": "interview"}},
        {"rule": "third_grade", "subject": "unit", "action": {"zh": "通报", "en": "notice"}},
    ],
}


def scheme_of(year: int) -> dict:
    return {**SMALL_SCHEME, **GRADED, "scheme": {"code": f"test-{year}", "year": year, "version": 1}}


def record(event_id: str, unit: str, value: float, period: str) -> IncomingRecord:
    data = {"event_id": event_id, "source": "stats", "unit_id": unit, "metric_code": "amount", "value": value, "period": period}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


@pytest.fixture
def rollups(database_url):
    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    for year in (2025, 2026):
        service.adopt_scheme(scheme_of(year), 1, f"sha256:{year}")
    # U1's plan is 100 and U2's 200: U1 scores 90 then 50, U2 scores 40 both years
    service.ingest([record("a", "U1", 90, "2025-06"), record("b", "U2", 80, "2025-06"),
                    record("c", "U1", 50, "2026-06"), record("d", "U2", 80, "2026-06")])
    return Rollups(service, PeriodReview(service))


def test_two_consecutive_years_at_third_grade_are_found(rollups):
    findings = rollups.consequences("test-2026", "districts")
    listed = [(f.unit_id, f.consequence.rule, f.grade_history) for f in findings]
    assert listed == [
        ("U1", "third_grade", ("2026:3",)),
        ("U2", "third_grade", ("2025:3",)),
        ("U2", "two_years_third_grade", ("2025:3", "2026:3")),
    ]
    assert all(f.provisional for f in findings)


def test_published_years_make_a_finding_final(rollups):
    desk = rollups.review
    office = Principal("考核办", "office")
    for year in (2025, 2026):
        for action in ("lock", "approve", "publish"):
            desk.act(action, f"test-{year}", str(year), office)
    assert not any(f.provisional for f in rollups.consequences("test-2026", "districts"))
    # the list as of 2025 knows nothing of 2026
    assert [f.grade_history for f in rollups.consequences("test-2025", "districts")] == [("2025:3",)]


def test_regions_of_the_small_scheme(rollups):
    regions = rollups.regions("test-2026", "2026")
    assert [(r.region_id, r.name_zh, r.score) for r in regions] == [("R1", "甲区", 50.0), ("R2", "乙区", 40.0)]
