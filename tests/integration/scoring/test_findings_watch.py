"""The anomaly checks run as events are stored (scoring/entrypoints/findings_watch.py `FindingsWatch`), a
Benford finding keeps the office's review as the year's amounts grow, and every Benford
test's outcome — "not enough data" included — is part of the findings' answer."""
import logging
import threading

from helpers import make_tokens
from helpers.scoring_server import scoring_over_grpc
from jixiao.common.readiness import wait_for
from jixiao.scoring.entrypoints.findings_watch import FindingsWatch
from jixiao.scoring.service_layer.findings_review import finding_key
from jixiao.scoring.service_layer.scoring_service import ScoringService
from jixiao.v1 import scoring_pb2 as pb

from .test_findings import OFFICE, SCHEME, broken_february, record
from .test_findings import desk as desk  # noqa: F401 - fixtures
from .test_findings import service as service  # noqa: F401


def stored_findings(service: ScoringService) -> list[dict]:
    return service.repository.findings(None, SCHEME)


def test_a_turn_refreshes_the_schemes_that_got_events_since_their_last_refresh(service, desk):
    watch = FindingsWatch(desk.findings, interval=60, settled=lambda: True)
    assert watch.turn() == [SCHEME]  # never refreshed in this process
    assert stored_findings(service) == []
    broken_february(service)
    assert watch.turn() == [SCHEME]
    [found] = stored_findings(service)
    assert (found["kind"], found["period"], found["state"]) == ("validation_rule", "2026-02", "open")
    assert watch.turn() == []  # nothing stored since
    service.ingest([record("award-03", "U2", "award", 20.0, "2026-03")])
    assert watch.turn() == [SCHEME] and len(stored_findings(service)) == 2
    # listing needs no refresh of its own now
    _, checked_at = desk.findings.list_findings(SCHEME)
    assert checked_at == desk.findings._refreshed[SCHEME][1]


def test_the_watch_waits_until_what_was_stored_is_scored(service, desk):
    """The thread's turns; their timing is tested with a clock the test moves in
    tests/unit/scoring/test_findings_watch_timing.py."""
    settled = threading.Event()
    asked: list[bool] = []

    def is_settled() -> bool:
        asked.append(settled.is_set())
        return asked[-1]

    watch = FindingsWatch(desk.findings, interval=0.02, settled=is_settled)
    stop = threading.Event()
    thread = threading.Thread(target=watch.run, args=(stop,), daemon=True)
    broken_february(service)
    thread.start()
    try:
        assert wait_for(lambda: len(asked) >= 3, timeout=10, interval=0.02)  # several turns, none settled
        assert stored_findings(service) == []
        settled.set()
        assert wait_for(lambda: len(stored_findings(service)) == 1, timeout=10)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_a_failing_refresh_is_logged_and_tried_again_at_the_next_turn(service, desk, monkeypatch, caplog):
    broken_february(service)
    watch = FindingsWatch(desk.findings, interval=60, settled=lambda: True)

    def broken(scheme_code):
        raise RuntimeError("database went away")

    monkeypatch.setattr(desk.findings, "refresh", broken)
    with caplog.at_level(logging.ERROR, logger="jixiao.scoring"):
        assert watch.turn() == []
    assert "anomaly checks of scheme test-2026 failed" in caplog.text and "database went away" in caplog.text
    monkeypatch.undo()
    assert watch.turn() == [SCHEME] and len(stored_findings(service)) == 1


def nines(start: int, count: int) -> list:
    """Amounts that all begin with 9, over four orders of magnitude: far from Benford's law."""
    return [record(f"amount-{i:04d}", ("U1", "U2")[i % 2], "amount", 9.0 * 10 ** (i % 4), f"2026-{1 + i % 12:02d}",
                   measurement_unit="CNY_10K") for i in range(start, start + count)]


def test_a_benford_finding_keeps_its_review_when_more_amounts_arrive(service, desk):
    service.ingest(nines(0, 60))
    [test] = desk.findings.benford_tests(SCHEME)
    assert (test.source, test.period, test.status, test.count) == ("stats", "2026", "not_enough_data", 60)
    assert "60" in test.reason_en and not any(row["kind"] == "benford" for row in stored_findings(service))
    service.ingest(nines(60, 60))
    [test] = desk.findings.benford_tests(SCHEME)
    assert (test.status, test.count) == ("nonconforming", 120)
    [found] = [row for row in desk.findings.list_findings(SCHEME)[0] if row["kind"] == "benford"]
    assert (found["source"], found["period"], len(found["evidence"])) == ("stats", "2026", 120)
    desk.findings.mark(SCHEME, found["finding_key"], "explained", "统计局按万元取整上报", OFFICE)
    service.ingest(nines(120, 12))  # the next month's amounts: the same finding, more evidence
    [again] = [row for row in desk.findings.list_findings(SCHEME)[0] if row["kind"] == "benford"]
    assert again["finding_key"] == found["finding_key"] and len(again["evidence"]) == 132
    assert (again["state"], again["comment"], again["found_now"]) == ("explained", "统计局按万元取整上报", True)


def test_a_benford_key_names_the_source_and_year_not_the_amounts(service, desk):
    service.ingest(nines(0, 120))
    [finding] = [f for f in desk.findings._check(service.scheme(SCHEME)).findings if f.kind == "benford"]
    fewer = finding.__class__(**{**finding.__dict__, "evidence": finding.evidence[:10]})
    other_year = finding.__class__(**{**finding.__dict__, "period": "2025"})
    assert finding_key(fewer) == finding_key(finding) != finding_key(other_year)


def test_list_findings_answers_every_benford_test(service, tmp_path):
    tokens = make_tokens(tmp_path)
    service.ingest(nines(0, 42))
    with scoring_over_grpc(service, tokens) as call:
        reply = call("ListFindings", pb.ListFindingsRequest(scheme_code=SCHEME), tokens.office)
        [test] = reply.benford_tests
        assert (test.source, test.period, test.status, test.count) == ("stats", "2026", "not_enough_data", 42)
        assert not test.HasField("p_value") and list(test.digits) == [] and "42" in test.reason_zh
        service.ingest(nines(42, 100))
        [test] = call("ListFindings", pb.ListFindingsRequest(scheme_code=SCHEME, period="2026-Q1"),
                      tokens.office).benford_tests
        assert (test.status, test.count, test.conformity) == ("nonconforming", 142, "nonconformity")
        assert test.p_value < 0.001 and test.mad > 0.015 and list(test.digits) == [0] * 8 + [142]
