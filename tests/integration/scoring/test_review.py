"""Review of periods: lock, approve, publish, reopen; late events; the
retrospective recheck; self-evaluations. On SQLite and PostgreSQL."""
import pytest

from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao_sdk import IndicatorHost

OFFICE = Principal("考核办", "office")


def record(event_id: str, **fields) -> IncomingRecord:
    data = {"event_id": event_id, "source": "stats", "unit_id": "U1", "metric_code": "amount",
            "value": 10.0, "period": "2026-03", **fields}
    return IncomingRecord(value=event_codec.encode(event_codec.from_dict(data)), headers={})


@pytest.fixture
def service(database_url):
    host = IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(database_url, host)
    service.adopt_scheme(SMALL_SCHEME, 1, "sha256:test")
    return service


@pytest.fixture
def desk(service):
    return PeriodReview(service)


def total(service, period: str, unit: str = "U1") -> float:
    return service.unit_score("test-2026", unit, period)[1]["total"]


def test_a_period_goes_from_open_to_published_with_an_audit_trail(service, desk):
    service.ingest([record("e1", value=40.0)])
    assert desk.state("test-2026", "2026-Q1") == "open"
    locked = desk.act("lock", "test-2026", "2026-Q1", OFFICE, "data complete")
    assert (locked["state"], locked["locked_by"], len(locked["result_digest"])) == ("locked", "考核办", 64)
    desk.act("approve", "test-2026", "2026-Q1", OFFICE)
    published = desk.act("publish", "test-2026", "2026-Q1", OFFICE)
    assert published["state"] == "published" and published["published_at"].endswith("Z")
    assert published["result_digest"] == locked["result_digest"]
    trail = service.repository.period_actions("test-2026", "2026-Q1")
    assert [(a["action"], a["state_before"], a["state_after"]) for a in trail] == [
        ("lock", "open", "locked"), ("approve", "locked", "approved"), ("publish", "approved", "published")]
    listed = {row["period"]: row["state"] for row in desk.periods("test-2026")}
    assert listed["2026-Q1"] == "published" and listed["2026-03"] == "open" and listed["2026"] == "open"
    assert [row["period"] for row in desk.periods("test-2026", "published")] == ["2026-Q1"]


def test_with_separate_duties_who_locked_a_period_neither_approves_nor_publishes_it(service, desk):
    """Four eyes (the scheme's separate_duties): 张 locks; 张 may not approve nor publish; 李
    approves, and may publish what 李 approved. Without the setting one member does all."""
    zhang, li = Principal("考核办·张", "office"), Principal("考核办·李", "office")
    service.adopt_scheme({**SMALL_SCHEME, "scheme": {**SMALL_SCHEME["scheme"], "separate_duties": True}}, 2, "sha256:t")
    service.ingest([record("e1", value=40.0)])
    desk.act("lock", "test-2026", "2026-Q1", zhang, "data complete")
    with pytest.raises(FailedPrecondition, match="was locked by 考核办·张; the scheme separates duties, so another "
                                                 "member of the office approves it"):
        desk.act("approve", "test-2026", "2026-Q1", zhang)
    approved = desk.act("approve", "test-2026", "2026-Q1", li)
    assert (approved["locked_by"], approved["approved_by"]) == ("考核办·张", "考核办·李")
    with pytest.raises(FailedPrecondition, match="another member of the office publishes it"):
        desk.act("publish", "test-2026", "2026-Q1", zhang)
    assert desk.state("test-2026", "2026-Q1") == "approved"  # the refusal changed nothing
    assert desk.act("publish", "test-2026", "2026-Q1", li)["published_by"] == "考核办·李"
    # a reopened period is locked anew: its new locker is bound, the old one is not
    desk.act("lock", "test-2026", "2026-03", zhang)
    desk.act("reopen", "test-2026", "2026-03", zhang, "统计局更正")
    desk.act("lock", "test-2026", "2026-03", li)
    assert desk.act("approve", "test-2026", "2026-03", zhang)["approved_by"] == "考核办·张"
    # without the setting (version 3: the small scheme as it was), one member does all
    service.adopt_scheme(SMALL_SCHEME, 3, "sha256:u")
    for action in ("lock", "approve", "publish"):
        desk.act(action, "test-2026", "2026-02", zhang)


@pytest.mark.parametrize("steps, action, message", [
    ((), "approve", "period 2026-Q1 is open; approve needs it locked"),
    ((), "publish", "period 2026-Q1 is open; publish needs it approved"),
    (("lock",), "publish", "publish needs it approved"),
    (("lock", "approve", "publish"), "reopen", "period 2026-Q1 is published; reopen needs it locked or approved"),
    (("lock",), "lock", "period 2026-Q1 is locked; lock needs it open"),
])
def test_actions_out_of_order_are_refused(desk, steps, action, message):
    for step in steps:
        desk.act(step, "test-2026", "2026-Q1", OFFICE)
    with pytest.raises(FailedPrecondition, match=message):
        desk.act(action, "test-2026", "2026-Q1", OFFICE, "why")


@pytest.mark.parametrize("period, field", [("2026-03-15", "period"), ("2025-Q1", "period"), ("Q1", "period")])
def test_only_months_quarters_and_the_year_of_the_scheme_are_reviewed(desk, period, field):
    with pytest.raises(InvalidArgument, match=field):
        desk.act("lock", "test-2026", period, OFFICE)


def test_reopening_needs_a_reason(desk):
    desk.act("lock", "test-2026", "2026-03", OFFICE)
    with pytest.raises(InvalidArgument, match="reason"):
        desk.act("reopen", "test-2026", "2026-03", OFFICE, " ")
    assert desk.act("reopen", "test-2026", "2026-03", OFFICE, "统计局更正")["state"] == "open"


def test_late_events_in_a_locked_period_are_rejected_and_change_nothing(service, desk):
    service.ingest([record("e1", value=40.0)])
    desk.act("lock", "test-2026", "2026-Q1", OFFICE)
    before = (total(service, "2026-Q1"), total(service, "2026-03"), total(service, "2026"))
    outcome = service.ingest([record("e2", value=30.0, period="2026-02-10"), record("e3", value=5.0, period="2026-04")])
    assert outcome.stored == 1
    [late] = outcome.rejected
    assert "2026-02" in late.reason and "closed for review" in late.reason
    # Q1 and its months are frozen; the year is still open and follows April's event.
    assert (total(service, "2026-Q1"), total(service, "2026-03")) == before[:2]
    assert total(service, "2026") == pytest.approx(45.0)
    # a repeated delivery of an event stored before the lock is a duplicate, not a late event
    assert service.ingest([record("e1", value=40.0)]).duplicates == 1


def test_a_revision_of_an_event_in_a_locked_period_is_late_too(service, desk):
    service.ingest([record("e1", value=40.0)])
    desk.act("lock", "test-2026", "2026-03", OFFICE)
    outcome = service.ingest([record("e2", value=50.0, period="2026-04", revision_of="e1")])
    assert [r.reason for r in outcome.rejected][0].startswith("period: 2026-03 is closed")


def test_a_new_scheme_version_leaves_frozen_periods_alone(service, desk):
    service.ingest([record("e1", value=40.0), record("e2", value=20.0, period="2026-05")])
    desk.act("lock", "test-2026", "2026-Q1", OFFICE)
    halved = {**SMALL_SCHEME, "targets": [{**t, "value": t["value"] * 2} for t in SMALL_SCHEME["targets"]]}
    service.adopt_scheme(halved, 2, "sha256:v2")
    assert total(service, "2026-Q1") == pytest.approx(40.0)
    assert service.unit_score("test-2026", "U1", "2026-Q1")[1]["scheme_version"] == 1
    assert total(service, "2026-Q2") == pytest.approx(10.0)
    assert desk.recheck("test-2026", "2026-Q1").identical


def test_recheck_reproduces_a_locked_period_exactly(service, desk):
    service.ingest([record(f"e{i}", value=v, period=p, unit_id=u) for i, (v, p, u) in enumerate(
        [(40.0, "2026-01", "U1"), (12.5, "2026-02-03", "U1"), (70.0, "2026-03", "U2"), (1.0, "2026-02", "U2")])])
    locked = desk.act("lock", "test-2026", "2026-Q1", OFFICE)
    found = desk.recheck("test-2026", "2026-Q1")
    assert found.identical and not found.differences
    assert found.compared == 4  # two indicator results and two unit scores
    assert found.stored_digest == found.recomputed_digest == locked["result_digest"]


def test_recheck_names_what_differs(service, desk):
    service.ingest([record("e1", value=40.0)])
    desk.act("lock", "test-2026", "2026-03", OFFICE)
    with service.engine.begin() as connection:  # tamper with a stored score behind the service's back
        connection.exec_driver_sql("UPDATE scoring_unit_scores SET total = 99 WHERE period = '2026-03'")
    found = desk.recheck("test-2026", "2026-03")
    assert not found.identical
    assert "stored results changed since the period was locked" in found.differences[0]
    assert "unit_scores U1: total 99.0 != 40.0" in found.differences


def test_approving_refuses_results_changed_since_the_lock(service, desk):
    service.ingest([record("e1", value=40.0)])
    desk.act("lock", "test-2026", "2026-03", OFFICE)
    with service.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE scoring_unit_scores SET total = 99 WHERE period = '2026-03'")
    with pytest.raises(FailedPrecondition, match="results changed since it was locked"):
        desk.act("approve", "test-2026", "2026-03", OFFICE)
