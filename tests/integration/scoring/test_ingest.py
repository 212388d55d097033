"""Ingest and recompute through the service layer, on SQLite and PostgreSQL."""
import pytest

from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec
from jixiao.common.errors import InvalidArgument, NotFound
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao_sdk import IndicatorHost


def record(offset=0, content_type=event_codec.PROTOBUF, **fields) -> IncomingRecord:
    data = {"event_id": f"e{offset}", "source": "stats", "unit_id": "U1", "metric_code": "amount",
            "value": 10.0, "period": "2026-03", **fields}
    event = event_codec.from_dict(data)
    return IncomingRecord(value=event_codec.encode(event, content_type),
                          headers={"content-type": content_type.encode()}, topic="t", offset=offset)


@pytest.fixture
def service(database_url):
    host = IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(database_url, host)
    service.adopt_scheme(SMALL_SCHEME, 1, "sha256:test")
    return service


def test_an_event_is_stored_once_and_scored(service):
    first = service.ingest([record(1, value=40.0), record(2, value=20.0, content_type=event_codec.JSON)])
    again = service.ingest([record(1, value=40.0)])
    assert (first.stored, first.duplicates, again.stored, again.duplicates) == (2, 0, 0, 1)
    assert service.ingest_counts() == {"events_stored": 2, "duplicates": 1, "rejected": 0, "pending_rescores": 0}
    scheme, score, rank, results = service.unit_score("test-2026", "U1", "2026")
    assert score["total"] == pytest.approx(60.0)
    assert rank == 1
    [amount, *_] = results
    assert amount["explanation"] == "完成60，计划100"
    assert sorted(amount["evidence_json"].strip("[]").replace('"', "").split(", ")) == ["e1", "e2"]


def test_scores_exist_for_month_quarter_and_year(service):
    service.ingest([record(1, value=30.0, period="2026-03-15")])
    for period in ("2026-03", "2026-Q1", "2026"):
        assert service.unit_score("test-2026", "U1", period)[1]["total"] == pytest.approx(30.0)
    with pytest.raises(NotFound):
        service.unit_score("test-2026", "U1", "2026-04")
    with pytest.raises(InvalidArgument, match="period"):
        service.unit_score("test-2026", "U1", "2026-03-15")


def test_bonus_adds_scaled_points_and_ranking_breaks_ties_by_unit_id(service):
    service.ingest([
        record(1, unit_id="U1", value=50.0),
        record(2, unit_id="U2", value=100.0),
        record(3, unit_id="U2", source="office", metric_code="award", value=1.0),
    ])
    _, ranked = service.ranking("test-2026", "district", "2026")
    # U1: 50 of 100 → 50; U2: 100 of 200 → 50, plus one award = 1 of 2 bonus points scaled to 3 → 51.5
    assert [(r.rank, r.unit_id, r.total) for r in ranked] == [(1, "U2", 51.5), (2, "U1", 50.0)]


@pytest.mark.parametrize("fields, reason", [
    ({"unit_id": "U9"}, "unit_id 'U9' is not a unit of scheme test-2026"),
    ({"source": "office"}, "source 'office' may not report metric 'amount'"),
    ({"source": "hacker"}, "source 'hacker' is not a data feed of scheme test-2026"),
    ({"metric_code": "gdp"}, "metric_code 'gdp' is not consumed by any active indicator"),
    ({"period": "2025-12"}, "no published scheme covers the period 2025-12"),
    ({"person_id": "P1"}, "person_id 'P1' is not a member of unit 'U1'"),
])
def test_invalid_events_are_rejected_with_the_reason(service, fields, reason):
    outcome = service.ingest([record(1, **fields), record(2)])
    assert [r.reason for r in outcome.rejected] == [reason]
    assert outcome.stored == 1


def test_garbage_is_rejected_and_the_rest_of_the_batch_is_stored(service):
    garbage = IncomingRecord(value=b"\x00\x01 not an event", headers={}, offset=7)
    outcome = service.ingest([garbage, record(1)])
    assert outcome.stored == 1
    assert outcome.rejected[0].record is garbage
    assert "neither protobuf MetricEvent nor JSON" in outcome.rejected[0].reason


def test_results_survive_a_restart_and_recompute_identically(service, database_url):
    service.ingest([record(i, value=float(i), period=f"2026-{i:02d}") for i in range(1, 13)])
    before = service.unit_score("test-2026", "U1", "2026")[1]
    host = IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None)
    restarted = build_service(database_url, host)
    assert restarted.has_schemes()
    restarted.adopt_scheme(SMALL_SCHEME, 1, "sha256:test")  # stored already: taken up, nothing rescored
    assert restarted.unit_score("test-2026", "U1", "2026")[1] == before
    restarted.adopt_scheme(SMALL_SCHEME, 2, "sha256:test")  # a new version: a full recompute of the year
    after = restarted.unit_score("test-2026", "U1", "2026")[1]
    assert {**after, "scheme_version": 1} == before and after["scheme_version"] == 2


def test_a_version_is_adopted_once_across_processes(service, database_url, monkeypatch):
    """Two scoring processes on one database both take up a new version; the second finds it
    stored with the year rescored (in the same transaction) and does not rescore it again."""
    from jixiao.scoring.service_layer.scoring_service import ScoringService

    service.ingest([record(i, value=float(i), period=f"2026-{i:02d}") for i in range(1, 4)])
    other = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    rescored = []
    real = ScoringService._recompute_year
    monkeypatch.setattr(ScoringService, "_recompute_year",
                        lambda self, connection, scheme: rescored.append(id(self)) or real(self, connection, scheme))
    service.adopt_scheme(SMALL_SCHEME, 2, "sha256:v2")
    other.adopt_scheme(SMALL_SCHEME, 2, "sha256:v2")
    assert rescored == [id(service)]
    assert other.scheme_versions() == {"test-2026": 2}  # taken up all the same
    assert other.unit_score("test-2026", "U1", "2026-Q1")[1]["scheme_version"] == 2


def test_a_revision_supersedes_its_original_and_leaves_an_audit_record(service):
    service.ingest([record(1, value=40.0)])
    service.ingest([record(2, value=45.0, revision_of="e1", reported_at="2026-04-10T09:00:00+08:00")])
    assert service.unit_score("test-2026", "U1", "2026")[1]["total"] == pytest.approx(45.0)
    assert service.event("e1")[1] == "e2" and service.event("e2")[1] == ""
    [audit] = service.repository.revision_history("e1")
    assert (audit["original_id"], audit["revision_id"], audit["source"]) == ("e1", "e2", "stats")
    assert service.ingest_counts()["events_stored"] == 2  # the original is kept, only no longer counted


def test_a_revision_arriving_before_its_original_wins(service):
    service.ingest([record(2, value=45.0, revision_of="e1")])
    service.ingest([record(1, value=40.0)])
    assert service.unit_score("test-2026", "U1", "2026")[1]["total"] == pytest.approx(45.0)


def test_a_revision_moving_the_only_figure_of_a_month_leaves_that_month_unscored(service):
    """Incremental rescoring ends where a full recompute does: no result and no score for a
    month whose last event was superseded (a recheck of that month finds nothing to differ)."""
    service.ingest([record(1, value=40.0), record(2, value=30.0, period="2026-05", revision_of="e1")])
    with pytest.raises(NotFound):
        service.unit_score("test-2026", "U1", "2026-03")
    assert service.unit_score("test-2026", "U1", "2026-05")[1]["total"] == pytest.approx(30.0)
    assert service.unit_score("test-2026", "U1", "2026")[1]["total"] == pytest.approx(30.0)
    recheck = PeriodReview(service).recheck("test-2026", "2026-Q1")
    assert recheck.identical, recheck.differences


def test_revision_conflicts_are_rejected_with_the_reason(service):
    service.ingest([record(1, value=40.0), record(5, unit_id="U2", value=1.0), record(7, value=2.0)])
    outcome = service.ingest([
        record(2, value=45.0, revision_of="e1"),
        record(3, value=50.0, revision_of="e1"),                       # a second revision of the same original
        record(4, value=1.0, revision_of="e5"),                        # about another unit
        record(6, source="office", metric_code="award", value=1, revision_of="e7"),  # by another source
        record(2, value=45.0, revision_of="e1"),                       # the first one again: a duplicate
    ])
    assert [r.reason for r in outcome.rejected] == [
        "revision_of: event e1 is already revised by e2; revise that event instead",
        "revision_of: event e5 is about another unit or metric",
        "revision_of: event e7 was reported by source 'stats'",
    ]
    assert (outcome.stored, outcome.duplicates) == (1, 1)
    assert service.unit_score("test-2026", "U1", "2026")[1]["total"] == pytest.approx(47.0)


def test_values_outside_the_schemes_range_are_rejected(database_url):
    host = IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(database_url, host)
    service.adopt_scheme({**SMALL_SCHEME, "metrics": [{"code": "amount", "min": 0},
                                                      {"code": "award", "measurement_unit": "count", "max": 3}]}, 1, "sha256:r")
    outcome = service.ingest([record(1, value=-5.0), record(2, value=7.0),
                              record(3, source="office", metric_code="award", value=4.0, measurement_unit="count"),
                              record(4, source="office", metric_code="award", value=4.0, measurement_unit="prize")])
    assert [r.reason for r in outcome.rejected] == [
        "value -5 of metric 'amount' is below the minimum 0 the scheme allows",
        "value 4 of metric 'award' is above the maximum 3 the scheme allows",
    ]
    assert outcome.stored == 2  # a range with a unit says nothing of values in another unit
