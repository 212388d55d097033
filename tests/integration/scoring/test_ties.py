"""Equal totals through the scoring service: shared ranks in rankings, regions,
grades and bulletins; tie-break criteria read from the stored scores; a
boundary tie reported, refused at publication, resolved by the office (with
who, when and why) and then published; periods a rule does not grade; and
ResolveGradeTie over a real gRPC port. On SQLite and PostgreSQL."""
import copy
from types import SimpleNamespace

import grpc
import pytest

from helpers import make_tokens
from helpers.scoring_server import scoring_over_grpc
from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.grading import boundary_ties
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer.above_unit import Rollups
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.v1 import scoring_pb2 as pb
from jixiao_sdk import IndicatorHost

OFFICE = Principal("考核办", "office")
SCHEME = "test-2026"


def tied_scheme(*tie_breakers: str) -> dict:
    """Four districts in four regions, each with a plan of 100; `districts` grades
    the year half first, half second (1:1)."""
    document = copy.deepcopy(SMALL_SCHEME)
    document["regions"] += [{"id": "R3", "name": {"zh": "丙区", "en": "C"}}, {"id": "R4", "name": {"zh": "丁区", "en": "D"}}]
    document["units"] += [{"id": "U3", "name": {"zh": "丙区", "en": "District C"}, "category": "district", "region": "R3"},
                          {"id": "U4", "name": {"zh": "丁区", "en": "District D"}, "category": "district", "region": "R4"}]
    document["targets"] = [{"unit": f"U{i}", "indicator": "amount_vs_plan", "value": 100.0} for i in range(1, 5)]
    document["grading"] = [{"code": "districts", "pool": ["district"], "subject": "unit", "periods": ["year"],
                            "method": "ratio", "tie_breakers": list(tie_breakers), "grades": [
                                {"grade": 1, "name": {"zh": "好", "en": "Good"}, "parts": 1},
                                {"grade": 2, "name": {"zh": "一般", "en": "Fair"}, "parts": 1}]}]
    return document


def record(event_id: str, unit: str, value: float, period: str, metric: str = "amount") -> IncomingRecord:
    data = {"event_id": event_id, "source": "stats" if metric == "amount" else "office", "unit_id": unit,
            "metric_code": metric, "value": value, "period": period}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


def service_with(database_url: str, document: dict):
    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    service.adopt_scheme(document, 1, "sha256:test")
    return service


def amounts(period: str, values: dict[str, float]) -> list[IncomingRecord]:
    return [record(f"{period}-{unit}", unit, value, period) for unit, value in values.items()]


@pytest.fixture
def tied(database_url):
    """January: U1 90, U2 and U3 80 (tied across the boundary of the two first grades), U4 70."""
    service = service_with(database_url, tied_scheme())
    assert not service.ingest(amounts("2026-01", {"U1": 90, "U2": 80, "U3": 80, "U4": 70})).rejected
    return service


def test_equal_totals_share_a_rank_in_rankings_regions_grades_and_unit_scores(tied):
    _, ranked = tied.ranking(SCHEME, "district", "2026-01")
    assert [(r.rank, r.unit_id, r.total) for r in ranked] == [(1, "U1", 90.0), (2, "U2", 80.0), (2, "U3", 80.0), (4, "U4", 70.0)]
    assert tied.unit_score(SCHEME, "U3", "2026-01")[2] == 2
    regions = Rollups(tied, PeriodReview(tied)).regions(SCHEME, "2026-01")
    assert [(r.rank, r.region_id) for r in regions] == [(1, "R1"), (2, "R2"), (2, "R3"), (4, "R4")]
    _, _, graded = tied.grades(SCHEME, "districts", "2026")
    assert [(g.rank, g.id) for g in graded] == [(1, "U1"), (2, "U2"), (2, "U3"), (4, "U4")]


def test_a_bulletin_lists_no_mover_whose_only_change_is_the_order_inside_a_tie(tied):
    # February: U3 ties with U4 instead of U2; U3's place is the same, second with another
    tied.ingest(amounts("2026-02", {"U1": 90, "U2": 70, "U3": 80, "U4": 80}))
    _, before, categories, _ = tied.bulletin(SCHEME, "2026-02")
    [district] = categories
    assert before == "2026-01"
    assert [(e["unit_id"], e["previous_rank"], e["rank"]) for e in district["ranking"]] == [
        ("U1", 1, 1), ("U3", 2, 2), ("U4", 4, 2), ("U2", 2, 4)]
    assert [e["unit_id"] for e in district["risers"]] == ["U4"]  # not U3, listed third of four in January by id
    assert [e["unit_id"] for e in district["fallers"]] == ["U2"]


def test_the_first_criterion_that_differs_separates_a_boundary_tie(database_url):
    service = service_with(database_url, tied_scheme("dimension:work"))
    # U2: 80 of work; U3: 78.5 of work and one award (1.5 points): both 80 in all
    service.ingest([*amounts("2026-01", {"U1": 90, "U2": 80, "U3": 78.5, "U4": 40}),
                    record("award-U3", "U3", 1, "2026-01", metric="award")])
    _, _, graded = service.grades(SCHEME, "districts", "2026")
    assert [(g.id, g.total, g.rank, g.grade) for g in graded] == [
        ("U1", 90.0, 1, 1), ("U2", 80.0, 2, 1), ("U3", 80.0, 2, 2), ("U4", 40.0, 4, 2)]
    assert boundary_ties(graded) == ()


def test_a_boundary_tie_is_reported_refused_at_publication_resolved_and_published(tied):
    desk = PeriodReview(tied)
    _, _, graded = tied.grades(SCHEME, "districts", "2026")
    [tie] = boundary_ties(graded)
    assert (tie.ids, tie.total, tie.grades, tie.slots, tie.resolved) == (("U2", "U3"), 80.0, (1, 2), (1, 1), False)
    assert [(g.id, g.grade, g.tie_pending) for g in graded] == [
        ("U1", 1, False), ("U2", None, True), ("U3", None, True), ("U4", 2, False)]
    for action in ("lock", "approve"):
        desk.act(action, SCHEME, "2026", OFFICE)
    with pytest.raises(FailedPrecondition, match=r"grading rule 'districts': U2, U3 tied at 80 for grades 1/2"):
        desk.act("publish", SCHEME, "2026", OFFICE)
    # a quarter is not graded: its ties hold nothing up
    for action in ("lock", "approve", "publish"):
        desk.act(action, SCHEME, "2026-Q1", OFFICE)
    with pytest.raises(FailedPrecondition, match="gives no grades in 2026-Q1"):
        desk.resolve_tie(SCHEME, "districts", "2026-Q1", ["U3", "U2"], {}, "why", OFFICE)
    # what the office must give
    for order, grades, reason, field in (([], {}, "why", "order"), (["U3", "U2"], {"U2": 1, "U3": 2}, "why", "order"),
                                          (["U3", "U2"], {}, " ", "reason"), (["U1", "U2"], {}, "why", "order"),
                                          (["U3", "U3"], {}, "why", "order"), ([], {"U2": 1, "U3": 1}, "why", "grades")):
        with pytest.raises(InvalidArgument, match=field):
            desk.resolve_tie(SCHEME, "districts", "2026", order, grades, reason, OFFICE)
    resolved, entries = desk.resolve_tie(SCHEME, "districts", "2026", [], {"U2": 2, "U3": 1}, "丙区完成防汛任务更好", OFFICE)
    assert resolved.resolved and resolved.resolution.by == "考核办"
    assert (resolved.resolution.order, resolved.resolution.assigned) == ((), (("U2", 2), ("U3", 1)))  # grades stay grades
    assert (resolved.resolution.grades, resolved.resolution.slots) == ((1, 2), (1, 1))
    assert [(g.id, g.grade) for g in entries] == [("U3", 1), ("U2", 2)]
    _, _, graded = tied.grades(SCHEME, "districts", "2026")
    assert [(g.id, g.rank, g.grade, g.tie_pending) for g in graded] == [
        ("U1", 1, 1, False), ("U3", 2, 1, False), ("U2", 2, 2, False), ("U4", 4, 2, False)]
    [stored] = tied.repository.tie_resolutions(SCHEME, "districts", "2026")
    assert (stored["tied_ids"], stored["order"], stored["grades"], stored["actor"], stored["reason"]) == (
        ["U2", "U3"], [], {"U2": 2, "U3": 1}, "考核办", "丙区完成防汛任务更好")
    assert (stored["tie_grades"], stored["tie_slots"], stored["assigned"]) == ([1, 2], [1, 1], {"U2": 2, "U3": 1})
    assert stored["at"].endswith("Z")
    trail = tied.repository.period_actions(SCHEME, "2026")
    assert [(a["action"], a["state_before"], a["state_after"]) for a in trail] == [
        ("lock", "open", "locked"), ("approve", "locked", "approved"), ("resolve_tie", "approved", "approved")]
    assert trail[-1]["actor"] == "考核办" and trail[-1]["reason"] == "districts: U3 1, U2 2 (tied at 80): 丙区完成防汛任务更好"
    assert desk.act("publish", SCHEME, "2026", OFFICE)["state"] == "published"
    with pytest.raises(FailedPrecondition, match="published"):
        desk.resolve_tie(SCHEME, "districts", "2026", ["U2", "U3"], {}, "second thoughts", OFFICE)


def test_a_resolution_applies_only_while_the_tie_is_the_same(tied):
    desk = PeriodReview(tied)
    desk.resolve_tie(SCHEME, "districts", "2026", ["U3", "U2"], {}, "decided", OFFICE)
    tied.ingest([record("2026-02-U2", "U2", 5, "2026-02")])  # U2 moves ahead: no tie any more
    _, _, graded = tied.grades(SCHEME, "districts", "2026")
    assert [(g.id, g.grade) for g in graded] == [("U1", 1), ("U2", 1), ("U3", 2), ("U4", 2)]
    tied.ingest([record("2026-02-U3", "U3", 5, "2026-02")])  # tied again, at 85: reported anew
    _, _, graded = tied.grades(SCHEME, "districts", "2026")
    [tie] = boundary_ties(graded)
    assert tie.total == 85.0 and not tie.resolved


@pytest.mark.parametrize("order, grades", [([], {"U2": 1, "U3": 2, "U4": 2}), (["U2", "U3", "U4"], {})])
def test_a_resolution_is_reported_again_when_the_ties_places_change(tied, order, grades):
    """U2, U3 and U4 tie at 80 for 1 first and 2 second places and the office decides;
    then U1 drops below them: the same ids at the same total now have 2 first places
    and 1 second, which the decision does not share out. The tie is pending again
    (no grade decided by id) and the year cannot be published until it is decided anew."""
    desk = PeriodReview(tied)
    assert not tied.ingest([record("2026-02-U4", "U4", 10, "2026-02")]).rejected
    [tie] = boundary_ties(tied.grades(SCHEME, "districts", "2026")[2])
    assert (tie.ids, tie.total, tie.grades, tie.slots) == (("U2", "U3", "U4"), 80.0, (1, 2), (1, 2))
    resolved, _ = desk.resolve_tie(SCHEME, "districts", "2026", order, grades, "decided", OFFICE)
    assert resolved.resolved
    _, _, graded = tied.grades(SCHEME, "districts", "2026")
    assert {g.id: g.grade for g in graded} == {"U1": 1, "U2": 1, "U3": 2, "U4": 2}
    assert not tied.ingest([record("2026-02-U1", "U1", -20, "2026-02")]).rejected  # U1 90 -> 70
    _, _, graded = tied.grades(SCHEME, "districts", "2026")
    [tie] = boundary_ties(graded)
    assert (tie.ids, tie.total, tie.grades, tie.slots, tie.resolved) == (("U2", "U3", "U4"), 80.0, (1, 2), (2, 1), False)
    assert [(g.id, g.grade, g.tie_pending) for g in graded] == [
        ("U2", None, True), ("U3", None, True), ("U4", None, True), ("U1", 2, False)]
    for action in ("lock", "approve"):
        desk.act(action, SCHEME, "2026", OFFICE)
    with pytest.raises(FailedPrecondition, match=r"U2, U3, U4 tied at 80 for grades 1/2"):
        desk.act("publish", SCHEME, "2026", OFFICE)
    # decided anew, for the places as they are
    desk.resolve_tie(SCHEME, "districts", "2026", [], {"U2": 1, "U4": 1, "U3": 2}, "decided anew", OFFICE)
    _, _, graded = tied.grades(SCHEME, "districts", "2026")
    assert {g.id: g.grade for g in graded} == {"U1": 2, "U2": 1, "U3": 2, "U4": 1}
    # February's small figures jump against January's (a high finding, 环比突变): published over it
    # (the findings gate itself: tests/integration/scoring/test_findings.py)
    published = desk.act("publish", SCHEME, "2026", OFFICE, override_findings_reason="test figures")
    assert published["state"] == "published"


# -- over gRPC ----------------------------------------------------------------------------

@pytest.fixture
def scoring(tmp_path, tied):
    tokens = make_tokens(tmp_path)
    with scoring_over_grpc(tied, tokens) as call:
        yield SimpleNamespace(call=call, tokens=tokens)


def test_grades_and_the_office_resolving_a_tie_over_grpc(scoring):
    reader, office = scoring.tokens.reader, scoring.tokens.office
    grades = scoring.call("GetGrades", pb.GetGradesRequest(scheme_code=SCHEME, grading_code="districts", period="2026"), reader)
    assert grades.graded and [(e.unit_id, e.rank, e.grade, e.tie_pending) for e in grades.entries] == [
        ("U1", 1, 1, False), ("U2", 2, 0, True), ("U3", 2, 0, True), ("U4", 4, 2, False)]
    assert [(c.grade, c.count) for c in grades.counts] == [(1, 1), (2, 1)]
    [tie] = grades.ties
    assert (list(tie.ids), list(tie.grades), list(tie.slots), tie.resolved, tie.grading_code, tie.period) == (
        ["U2", "U3"], [1, 2], [1, 1], False, "districts", "2026")
    quarter = scoring.call("GetGrades", pb.GetGradesRequest(scheme_code=SCHEME, grading_code="districts", period="2026-Q1"),
                           reader)
    assert not quarter.graded and not quarter.ties and {e.grade for e in quarter.entries} == {0}
    assert quarter.not_graded_reason_en == "not graded in this period (this rule grades the year only)"
    assert [e.rank for e in quarter.entries] == [1, 2, 2, 4]

    request = pb.ResolveGradeTieRequest(scheme_code=SCHEME, grading_code="districts", period="2026", order=["U3", "U2"],
                                        reason="丙区完成防汛任务更好")
    for token, code in ((reader, grpc.StatusCode.PERMISSION_DENIED), (scoring.tokens.department, grpc.StatusCode.PERMISSION_DENIED),
                        ("", grpc.StatusCode.UNAUTHENTICATED)):
        with pytest.raises(grpc.RpcError) as error:
            scoring.call("ResolveGradeTie", request, token)
        assert error.value.code() == code
    with pytest.raises(grpc.RpcError) as error:
        scoring.call("ResolveGradeTie", pb.ResolveGradeTieRequest(scheme_code=SCHEME, grading_code="districts", period="2026",
                                                                  order=["U1", "U2"], reason="why"), office)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "not a boundary tie" in error.value.details()
    resolved = scoring.call("ResolveGradeTie", request, office)
    assert (resolved.resolved, list(resolved.order), list(resolved.ids), list(resolved.resolved_grades)) == (
        True, ["U3", "U2"], ["U2", "U3"], [2, 1])
    assert resolved.resolved_by == "考核办" and resolved.reason == "丙区完成防汛任务更好" and resolved.resolved_at
    grades = scoring.call("GetGrades", pb.GetGradesRequest(scheme_code=SCHEME, grading_code="districts", period="2026"), reader)
    assert [(e.unit_id, e.grade, e.tie_pending) for e in grades.entries] == [
        ("U1", 1, False), ("U3", 1, False), ("U2", 2, False), ("U4", 2, False)]
    assert grades.ties[0].resolved and [(c.grade, c.count) for c in grades.counts] == [(1, 2), (2, 2)]
    for rpc in ("LockPeriod", "ApprovePeriod", "PublishPeriod"):
        scoring.call(rpc, pb.PeriodActionRequest(scheme_code=SCHEME, period="2026"), office)
    with pytest.raises(grpc.RpcError) as error:
        scoring.call("ResolveGradeTie", request, office)
    assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_publishing_a_year_with_an_unresolved_tie_is_refused_over_grpc(scoring):
    office = scoring.tokens.office
    for rpc in ("LockPeriod", "ApprovePeriod"):
        scoring.call(rpc, pb.PeriodActionRequest(scheme_code=SCHEME, period="2026"), office)
    with pytest.raises(grpc.RpcError) as error:
        scoring.call("PublishPeriod", pb.PeriodActionRequest(scheme_code=SCHEME, period="2026"), office)
    assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "'districts'" in error.value.details() and "U2, U3" in error.value.details()
