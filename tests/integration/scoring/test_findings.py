"""The office's review of the anomaly checks' findings (疑点复核, scoring/service_layer/findings_review.py):
refreshed from the stored events and kept by key with the office's marks, flagged
when no longer found, marked with a comment and audited, and the publish gate: a
period with an open high-severity finding is published only after a mark or with a
reason to override. On SQLite and PostgreSQL; the rpcs over a real gRPC port."""
import copy

import grpc
import pytest

from helpers import make_tokens
from helpers.scoring_server import scoring_over_grpc
from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer import findings_review as findings_module
from jixiao.scoring.service_layer.findings_review import about, finding_key
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.v1 import scoring_pb2 as pb
from jixiao_sdk import IndicatorHost
from jixiao_sdk.periods import CALENDAR_YEAR

OFFICE = Principal("考核办", "office")
SCHEME = "test-2026"
RULE = {"code": "awards_within_amount", "left": "award", "operator": "<=", "right": "amount", "severity": "high",
        "name": {"zh": "表彰次数不超过金额", "en": "awards ≤ amount"}}


def scheme_with_rule() -> dict:
    document = copy.deepcopy(SMALL_SCHEME)
    document["validation_rules"] = [RULE]
    return document


def record(event_id: str, unit: str, metric: str, value: float, period: str, **more) -> IncomingRecord:
    data = {"event_id": event_id, "source": "stats" if metric == "amount" else "office", "unit_id": unit,
            "metric_code": metric, "value": value, "period": period, **more}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


@pytest.fixture
def service(database_url):
    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    service.adopt_scheme(scheme_with_rule(), 1, "sha256:test")
    return service


@pytest.fixture
def desk(service):
    return PeriodReview(service)


def broken_february(service) -> None:
    """U1 reports 5 awards in February against an amount of 1: the rule awards ≤ amount is broken (high)."""
    service.ingest([record("amount-02", "U1", "amount", 1.0, "2026-02"), record("award-02", "U1", "award", 5.0, "2026-02"),
                    record("amount-01", "U1", "amount", 3.0, "2026-01"), record("amount-03", "U2", "amount", 9.0, "2026-03")])


def listed(desk, **filters) -> list[dict]:
    return desk.findings.list_findings(SCHEME, **filters)[0]


def test_a_broken_rule_is_found_once_and_a_refresh_keeps_the_offices_mark(service, desk):
    broken_february(service)
    [found] = listed(desk)
    assert (found["kind"], found["severity"], found["unit_id"], found["metric_code"], found["period"], found["rule"]) == (
        "validation_rule", "high", "U1", "award", "2026-02", "awards_within_amount")
    assert found["evidence"] == ["amount-02", "award-02"] and found["state"] == "open" and found["found_now"]
    assert "5" in found["message_zh"] and "awards ≤ amount" in found["message_en"]
    assert len(found["finding_key"]) == 32 and found["first_found_at"] == found["last_found_at"]
    marked = desk.findings.mark(SCHEME, found["finding_key"], "confirmed", "", OFFICE)
    assert (marked["state"], marked["marked_by"]) == ("confirmed", "考核办")
    for _ in range(2):  # idempotent: the same finding, by the same key, with its mark
        outcome = desk.findings.refresh(SCHEME)
        assert (outcome.found, outcome.new, outcome.gone) == (1, 0, 0)
    [again] = listed(desk)
    assert again["finding_key"] == found["finding_key"] and again["state"] == "confirmed"
    assert again["first_found_at"] == found["first_found_at"] and again["marked_by"] == "考核办"
    assert len(service.repository.findings(None, SCHEME)) == 1


def test_the_key_is_stable_and_follows_the_evidence(service, desk):
    broken_february(service)
    [found] = listed(desk)
    report = desk.findings._check(service.scheme(SCHEME))
    assert [finding_key(f) for f in report.findings] == [found["finding_key"]]
    moved = report.findings[0].__class__(**{**report.findings[0].__dict__, "evidence": ("award-02",)})
    assert finding_key(moved) != found["finding_key"]


def test_a_finding_no_longer_found_is_flagged_and_keeps_its_review(service, desk):
    broken_february(service)
    [found] = listed(desk)
    desk.findings.mark(SCHEME, found["finding_key"], "explained", "统计口径调整，待单位更正", OFFICE)
    # the office's source corrects February: 0.5 awards against an amount of 1 breaks nothing
    service.ingest([record("award-02-fix", "U1", "award", 0.5, "2026-02", revision_of="award-02")])
    [gone] = listed(desk)  # stored events changed: listing refreshes first
    assert gone["finding_key"] == found["finding_key"] and not gone["found_now"]
    assert (gone["state"], gone["comment"]) == ("explained", "统计口径调整，待单位更正")
    assert gone["last_found_at"] == found["last_found_at"]


def test_listing_refreshes_only_when_events_changed(service, desk, monkeypatch):
    broken_february(service)
    calls = []
    real = findings_module.FindingsReview.refresh

    def counting(self, scheme_code):
        calls.append(scheme_code)
        return real(self, scheme_code)

    monkeypatch.setattr(findings_module.FindingsReview, "refresh", counting)
    _, first = desk.findings.list_findings(SCHEME)
    _, second = desk.findings.list_findings(SCHEME, state="open")
    assert len(calls) == 1 and first == second
    service.ingest([record("award-03", "U2", "award", 20.0, "2026-03")])  # 20 awards against 9: a second finding
    assert len(listed(desk)) == 2 and len(calls) == 2


def test_filters_by_period_state_and_severity(service, desk):
    broken_february(service)
    service.ingest([record("award-03", "U2", "award", 20.0, "2026-03")])
    keys = {row["period"]: row["finding_key"] for row in listed(desk)}
    assert set(keys) == {"2026-02", "2026-03"}
    assert [r["period"] for r in listed(desk, period="2026-02")] == ["2026-02"]
    assert sorted(r["period"] for r in listed(desk, period="2026-Q1")) == ["2026-02", "2026-03"]
    assert len(listed(desk, period="2026")) == 2 and listed(desk, period="2026-Q2") == []
    desk.findings.mark(SCHEME, keys["2026-03"], "false_alarm", "U2 reports awards cumulatively", OFFICE)
    assert [r["period"] for r in listed(desk, state="open")] == ["2026-02"]
    assert [r["period"] for r in listed(desk, state="false_alarm")] == ["2026-03"]
    assert len(listed(desk, min_severity="high")) == 2 and len(listed(desk, min_severity="low")) == 2
    assert [r["state"] for r in listed(desk)] == ["open", "false_alarm"]  # open first
    for field, bad in (("period", "2026-13"), ("period", "2025-Q1"), ("state", "closed"), ("min_severity", "severe")):
        with pytest.raises(InvalidArgument, match=f"^{field}: "):
            desk.findings.list_findings(SCHEME, **{field: bad})


def test_marks_need_the_office_a_known_state_and_for_two_of_them_a_comment(service, desk):
    broken_february(service)
    [found] = listed(desk)
    key = found["finding_key"]
    for state in ("explained", "false_alarm"):
        with pytest.raises(InvalidArgument, match=f"^comment: is required to mark a finding {state}"):
            desk.findings.mark(SCHEME, key, state, "   ", OFFICE)
    for state in ("open", "closed", ""):
        with pytest.raises(InvalidArgument, match="^state: must be one of confirmed, explained, false_alarm"):
            desk.findings.mark(SCHEME, key, state, "x", OFFICE)
    with pytest.raises(InvalidArgument, match="^comment: must be at most 2,000"):
        desk.findings.mark(SCHEME, key, "explained", "x" * 2001, OFFICE)
    with pytest.raises(NotFound, match="'nope' is not a finding of scheme test-2026"):
        desk.findings.mark(SCHEME, "nope", "confirmed", "", OFFICE)
    with pytest.raises(PermissionDenied):
        desk.findings.mark(SCHEME, key, "confirmed", "", Principal("甲区联络员", "department", "U1"))
    desk.findings.mark(SCHEME, key, "confirmed", "", OFFICE)
    desk.findings.mark(SCHEME, key, "false_alarm", "核实为录入错误，单位已说明", Principal("复核员", "office"))
    trail = desk.findings.marks(SCHEME, [key])[key]
    assert [(m["state_before"], m["state_after"], m["actor"], m["comment"]) for m in trail] == [
        ("open", "confirmed", "考核办", ""), ("confirmed", "false_alarm", "复核员", "核实为录入错误，单位已说明")]
    assert all(m["at"].endswith("Z") for m in trail)
    [row] = listed(desk)
    assert (row["state"], row["marked_by"], row["comment"]) == ("false_alarm", "复核员", "核实为录入错误，单位已说明")


def test_publishing_waits_for_the_open_high_finding_until_it_is_marked(service, desk):
    broken_february(service)
    for action in ("lock", "approve"):
        desk.act(action, SCHEME, "2026-Q1", OFFICE)
    with pytest.raises(FailedPrecondition) as refused:
        desk.act("publish", SCHEME, "2026-Q1", OFFICE, "公示")
    message = str(refused.value)
    assert message.startswith("period 2026-Q1 has 1 open high-severity finding (疑点)")
    [found] = listed(desk)
    assert f"validation_rule U1 award 2026-02 (key {found['finding_key']})" in message
    assert desk.state(SCHEME, "2026-Q1") == "approved"
    desk.findings.mark(SCHEME, found["finding_key"], "explained", "单位已补充说明", OFFICE)
    published = desk.act("publish", SCHEME, "2026-Q1", OFFICE, "公示")
    assert published["state"] == "published" and published["reason"] == "公示"


def test_publishing_checks_the_events_stored_since_the_findings_were_listed(service, desk):
    broken_february(service)
    assert listed(desk, period="2026-03") == []
    service.ingest([record("award-03", "U2", "award", 20.0, "2026-03")])  # 20 awards against 9
    for action in ("lock", "approve"):
        desk.act(action, SCHEME, "2026-03", OFFICE)
    with pytest.raises(FailedPrecondition, match=r"^period 2026-03 has 1 open high-severity finding .*U2 award 2026-03"):
        desk.act("publish", SCHEME, "2026-03", OFFICE)


def test_the_office_overrides_the_gate_with_a_reason_that_the_audit_keeps(service, desk):
    broken_february(service)
    desk.act("lock", SCHEME, "2026-02", OFFICE)
    with pytest.raises(InvalidArgument, match="^override_findings_reason: is for publishing only"):
        desk.act("approve", SCHEME, "2026-02", OFFICE, override_findings_reason="急需公示")
    desk.act("approve", SCHEME, "2026-02", OFFICE)
    published = desk.act("publish", SCHEME, "2026-02", OFFICE, "公示", override_findings_reason="考核委员会决定先行公示")
    [found] = listed(desk)
    assert published["state"] == "published" and found["state"] == "open"
    expected = f"公示; published with 1 open high-severity finding ({found['finding_key']}): 考核委员会决定先行公示"
    assert published["reason"] == expected
    trail = service.repository.period_actions(SCHEME, "2026-02")
    assert trail[-1]["action"] == "publish" and trail[-1]["reason"] == expected and trail[-1]["actor"] == "考核办"


def test_a_period_without_an_open_high_finding_publishes_as_before(service, desk):
    broken_february(service)
    for action in ("lock", "approve", "publish"):  # January and March: the finding is about February
        for period in ("2026-01", "2026-03"):
            row = desk.act(action, SCHEME, period, OFFICE, "按期公示")
    assert row["state"] == "published" and row["reason"] == "按期公示"
    # an override given where nothing is open is not recorded
    for action in ("lock", "approve"):
        desk.act(action, SCHEME, "2026-Q2", OFFICE)
    assert desk.act("publish", SCHEME, "2026-Q2", OFFICE, "", override_findings_reason="以防万一")["reason"] == ""


def test_a_finding_is_about_its_period_the_months_of_its_run_and_what_encloses_them():
    parse = CALENDAR_YEAR.parse
    month = {"period": "2026-10", "period_to": ""}
    run = {"period": "2026-10", "period_to": "2026-12"}
    year = {"period": "2026", "period_to": ""}
    assert about(month, parse("2026-10"), CALENDAR_YEAR) and about(month, parse("2026-Q4"), CALENDAR_YEAR)
    assert about(month, parse("2026"), CALENDAR_YEAR) and not about(month, parse("2026-11"), CALENDAR_YEAR)
    assert all(about(run, parse(p), CALENDAR_YEAR) for p in ("2026-10", "2026-11", "2026-12", "2026-Q4", "2026"))
    assert not about(run, parse("2026-09"), CALENDAR_YEAR) and not about(run, parse("2026-Q3"), CALENDAR_YEAR)
    assert about(year, parse("2026"), CALENDAR_YEAR) and not about(year, parse("2026-Q1"), CALENDAR_YEAR)


def test_the_rpcs_are_the_offices(tmp_path):
    tokens = make_tokens(tmp_path)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}",
                            IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    service.adopt_scheme(scheme_with_rule(), 1, "sha256:test")
    broken_february(service)
    with scoring_over_grpc(service, tokens) as call:
        for token in (tokens.reader, tokens.feed, tokens.department):
            for rpc, request in (("ListFindings", pb.ListFindingsRequest(scheme_code=SCHEME)),
                                 ("MarkFinding", pb.MarkFindingRequest(scheme_code=SCHEME, key="x", state="confirmed"))):
                with pytest.raises(grpc.RpcError) as denied:
                    call(rpc, request, token)
                assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED, rpc
        reply = call("ListFindings", pb.ListFindingsRequest(scheme_code=SCHEME, period="2026-Q1"), tokens.office)
        [found] = reply.findings
        assert (reply.total_size, reply.open_high, found.kind_name_zh, found.unit_name_zh) == (1, 1, "违反校验规则", "甲区")
        assert list(found.evidence_event_ids) == ["amount-02", "award-02"] and found.numbers["left"] == 5.0
        assert reply.checked_at.endswith("Z") and not reply.next_page_token
        for request, field in ((pb.ListFindingsRequest(scheme_code=SCHEME, min_severity="urgent"), "min_severity"),
                               (pb.ListFindingsRequest(scheme_code=SCHEME, page_size=501), "page_size"),
                               (pb.MarkFindingRequest(scheme_code=SCHEME, key=found.key, state="explained"), "comment"),
                               (pb.MarkFindingRequest(scheme_code=SCHEME, state="confirmed"), "key")):
            with pytest.raises(grpc.RpcError) as bad:
                call("MarkFinding" if isinstance(request, pb.MarkFindingRequest) else "ListFindings", request, tokens.office)
            assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT and bad.value.details().startswith(f"{field}:")
        marked = call("MarkFinding", pb.MarkFindingRequest(scheme_code=SCHEME, key=found.key, state="explained",
                                                           comment="单位已说明"), tokens.office)
        assert (marked.state, marked.marked_by, [m.state_after for m in marked.marks]) == ("explained", "考核办", ["explained"])
        action = pb.PeriodActionRequest(scheme_code=SCHEME, period="2026-Q1", reason="公示")
        for rpc in ("LockPeriod", "ApprovePeriod", "PublishPeriod"):
            reply = call(rpc, action, tokens.office)
        assert reply.state == pb.PERIOD_STATE_PUBLISHED
