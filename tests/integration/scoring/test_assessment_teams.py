"""Assessment teams (docs/assessment-teams.md): the roster, on-site scores and closings as use
cases on SQLite and PostgreSQL, through the generic plug-in's `assessment` formula to the
indicator's points; the AssessmentService rpcs over a real gRPC port."""
import contextlib
import json
from datetime import UTC, datetime

import grpc
import jixiao_indicator_generic
import pytest
from sqlalchemy import func, select

from helpers import make_tokens
from helpers.assessment_scheme import INDICATOR, assessment_scheme
from helpers.small_scheme import AmountVsPlan, Awards
from jixiao.common.auth import Principal, TokenBook, call_credentials
from jixiao.common.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.common.tokens_cli import append
from jixiao.scoring.adapters.sql_schema import (
    assessment_entries,
    assessment_history,
    assessment_members,
    assessment_scores,
    events,
)
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.assessment_teams import ScoreRow
from jixiao.scoring.entrypoints.assessment_servicer import AssessmentServicer
from jixiao.scoring.service_layer.assessment_teams import AssessmentTeams, event_id
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.v1 import assessment_pb2 as pb
from jixiao.v1 import assessment_pb2_grpc
from jixiao_sdk import IndicatorHost

SCHEME, PERIOD = "test-2026", "2026-Q1"
OFFICE = Principal("考核办", "office")
A1, A2, A3, A9, B1 = (Principal(f"考评员{c}", "assessor", c) for c in ("A1", "A2", "A3", "A9", "B1"))


def rows(targets, records, basis=""):
    return [ScoreRow("targets", targets, basis), ScoreRow("records", records)]


class Clock:
    def __init__(self):
        self.now = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)

    def __call__(self):
        return self.now


@pytest.fixture
def service(database_url):
    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(database_url, host)
    service.adopt_scheme(assessment_scheme(), 1, "sha256:test")
    return service


@pytest.fixture
def teams(service):
    return AssessmentTeams(service, Clock())


def formed(teams, lock=True):
    teams.set_team(SCHEME, INDICATOR, PERIOD, "t1", "第一考核组", ["A1", "A2", "A3"], ["U1", "U3"], OFFICE)
    teams.set_team(SCHEME, INDICATOR, PERIOD, "t2", "第二考核组", ["B1"], ["U2"], OFFICE)
    return teams.lock(SCHEME, INDICATOR, PERIOD, OFFICE) if lock else None


def scored(teams, unit, *totals):
    for who, (targets, records) in zip((A1, A2, A3), totals, strict=True):
        teams.save(SCHEME, INDICATOR, PERIOD, unit, rows(targets, records, "查阅台账"), who)
        teams.submit(SCHEME, INDICATOR, PERIOD, unit, who)


def count(service, table, **where) -> int:
    with service.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(
            *(table.c[k] == v for k, v in where.items()))).scalar()


def on_site_events(service) -> dict[str, dict]:
    with service.engine.connect() as connection:
        found = connection.execute(select(events).where(events.c.metric_code == f"assessment_{INDICATOR}")).mappings()
        return {row["event_id"]: dict(row) for row in found}


def result(service, unit):
    found = next(r for r in service.unit_score(SCHEME, unit, PERIOD)[3] if r["indicator_code"] == INDICATOR)
    return found["status"], found["points"], found["explanation"]


def test_teams_are_formed_locked_and_an_assessor_replaced_with_the_reason_kept(service, teams):
    formed(teams, lock=False)
    with pytest.raises(FailedPrecondition, match="the roster is not locked yet: scoring starts once the office locks"):
        teams.save(SCHEME, INDICATOR, PERIOD, "U1", rows(50, 30), A1)
    status = teams.lock(SCHEME, INDICATOR, PERIOD, OFFICE)
    assert (status.round.state, status.round.locked_by) == ("locked", "考核办")
    assert [(u.unit_id, u.team.code if u.team else "", u.expected) for u in status.units] == [
        ("U1", "t1", 3), ("U2", "t2", 1), ("U3", "t1", 3), ("U4", "", 0)]
    with pytest.raises(FailedPrecondition, match="teams no longer change; replace an assessor with a reason"):
        teams.set_team(SCHEME, INDICATOR, PERIOD, "t1", "", ["A1"], ["U1"], OFFICE)
    with pytest.raises(InvalidArgument, match="reason: is required"):
        teams.replace(SCHEME, INDICATOR, PERIOD, "t1", "A3", "A9", "", OFFICE)
    after = teams.replace(SCHEME, INDICATOR, PERIOD, "t1", "A3", "A9", "A3 与被考核单位存在利害关系，回避", OFFICE).round
    assert [(m.position, m.assessor, m.active) for m in after.team("t1").members] == [
        (1, "A1", True), (2, "A2", True), (3, "A3", False), (3, "A9", True)]
    assert [(h.action, h.actor, h.reason) for h in after.history][-2:] == [
        ("lock", "考核办", ""), ("replace", "考核办", "A3 与被考核单位存在利害关系，回避")]
    assert count(service, assessment_members) == 5 and count(service, assessment_history) == 4


def test_an_assessor_sees_and_scores_only_the_units_of_their_team(service, teams):
    formed(teams)
    mine = teams.mine(SCHEME, "", A1)
    assert [(a.definition.indicator_code, a.period, a.team_code, a.position, [e.unit_id for e in a.entries])
            for a in mine] == [(INDICATOR, PERIOD, "t1", 1, ["U1", "U3"])]
    assert teams.mine(SCHEME, "", Principal("考评员Z", "assessor", "Z1")) == []
    with pytest.raises(PermissionDenied, match="unit U2 is not assigned to team t1"):
        teams.save(SCHEME, INDICATOR, PERIOD, "U2", rows(50, 30), A1)
    with pytest.raises(InvalidArgument, match=r"rows\[0\].points: item targets: 61 is outside \[0, 60\]"):
        teams.save(SCHEME, INDICATOR, PERIOD, "U1", rows(61, 30), A1)
    with pytest.raises(InvalidArgument, match="unit_id: 'U9' is not a unit assessed on on_site"):
        teams.save(SCHEME, INDICATOR, PERIOD, "U9", rows(50, 30), A1)
    with pytest.raises(InvalidArgument, match="unit_id: is required"):
        teams.entry(SCHEME, INDICATOR, PERIOD, "", A1)
    assert count(service, assessment_entries) == 0, "nothing half-stored"
    draft = teams.save(SCHEME, INDICATOR, PERIOD, "U1", rows(50, 30, "目标完成较好"), A1)
    assert (draft.entry.state, draft.entry.total, draft.position, draft.team_name) == ("draft", 80, 1, "第一考核组")
    teams.save(SCHEME, INDICATOR, PERIOD, "U1", rows(55, 30, "目标完成较好"), A1)
    done = teams.submit(SCHEME, INDICATOR, PERIOD, "U1", A1)
    assert (done.entry.state, done.entry.submitted_at) == ("submitted", "2026-04-02T08:00:00Z")
    with pytest.raises(FailedPrecondition, match="submitted at 2026-04-02T08:00:00Z: frozen"):
        teams.save(SCHEME, INDICATOR, PERIOD, "U1", rows(60, 40), A1)
    assert teams.entry(SCHEME, INDICATOR, PERIOD, "U1", A1).entry.rows[0].basis == "目标完成较好"
    assert count(service, assessment_scores, assessor="A1") == 2
    assert [e.state for e in teams.mine(SCHEME, PERIOD, A1)[0].entries] == ["submitted", "not_started"]


def test_closing_a_unit_makes_its_team_result_the_indicators_points_and_a_later_closing_supersedes(service, teams):
    formed(teams)
    scored(teams, "U1", (50, 40), (40, 30), (60, 35))   # 90, 70, 95 → trimmed: 90
    with pytest.raises(FailedPrecondition, match="unit U3: assessor"):
        teams.close(SCHEME, INDICATOR, PERIOD, "U3", OFFICE)
    status = teams.close(SCHEME, INDICATOR, PERIOD, "U1", OFFICE)
    unit = status.units[0]
    assert (unit.result, unit.latest.closing, unit.can_close) == (90, 1, False)
    stored = on_site_events(service)
    assert len(stored) == 3 and service.repository.pending_count() == 0
    first = stored[event_id(SCHEME, INDICATOR, PERIOD, 1, "U1", 1)]
    assert (first["source"], first["value"], first["period"], first["revision_of"]) == (
        f"assessment:{INDICATOR}", 90.0, PERIOD, "")
    assert json.loads(first["attributes_json"]) == {"position": "1", "closing": "1", "team": "第一考核组",
                                                    "items": "targets=50;records=40"}
    assert not any("A1" in json.dumps(row, default=str) for row in stored.values()), "no assessor code in events"
    state, points, explanation = result(service, "U1")
    assert (state, points) == ("ok", 90.0)
    assert "考评员1 90.00；考评员2 70.00；考评员3 95.00" in explanation and "A1" not in explanation
    with pytest.raises(FailedPrecondition, match="was closed with these scores already"):
        teams.close(SCHEME, INDICATOR, PERIOD, "U1", OFFICE)
    # the third assessor is replaced (回避); the newcomer scores; the office closes again
    teams.replace(SCHEME, INDICATOR, PERIOD, "t1", "A3", "A9", "回避", OFFICE)
    teams.save(SCHEME, INDICATOR, PERIOD, "U1", rows(45, 35), A9)
    teams.submit(SCHEME, INDICATOR, PERIOD, "U1", A9)
    teams.close(SCHEME, INDICATOR, PERIOD, "U1", OFFICE)   # 90, 70, 80 → 80
    stored = on_site_events(service)
    assert len(stored) == 6
    third = stored[event_id(SCHEME, INDICATOR, PERIOD, 2, "U1", 3)]
    assert third["value"] == 80.0 and third["revision_of"] == event_id(SCHEME, INDICATOR, PERIOD, 1, "U1", 3)
    assert result(service, "U1")[:2] == ("ok", 80.0)


def test_nothing_is_scored_or_closed_in_a_period_closed_for_review(service, teams):
    formed(teams)
    scored(teams, "U1", (50, 40), (40, 30), (60, 35))
    PeriodReview(service).act("lock", SCHEME, PERIOD, OFFICE, "一季度数据已齐")
    with pytest.raises(FailedPrecondition, match="period: 2026-Q1 is closed for review"):
        teams.close(SCHEME, INDICATOR, PERIOD, "U1", OFFICE)
    with pytest.raises(FailedPrecondition, match="period: 2026-Q1 is closed for review"):
        teams.save(SCHEME, INDICATOR, PERIOD, "U3", rows(50, 30), A1)
    assert teams.mine(SCHEME, "", A1) == [] and not on_site_events(service)
    assert not teams.get(SCHEME, INDICATOR, PERIOD).period_open


def test_leniency_compares_each_assessor_with_the_others_on_the_same_units(service, teams):
    formed(teams)
    scored(teams, "U1", (50, 40), (40, 30), (60, 30))   # 90, 70, 90
    scored(teams, "U3", (60, 40), (40, 40), (50, 30))   # 100, 80, 80 (county)
    definition, _, found = teams.leniency(SCHEME, INDICATOR, PERIOD)
    by = {x.assessor: x for x in found}
    # A1: U1 90 − 80 = 10, U3 100 − 80 = 20 → 15;  A2: 70 − 90 = −20, 80 − 90 = −10 → −15
    assert (by["A1"].leniency, by["A2"].leniency, by["A3"].leniency) == (15, -15, 0)
    assert by["A1"].by_category == (("county", 1, 20), ("district", 1, 10))


# -- over gRPC ---------------------------------------------------------------------------------

@contextlib.contextmanager
def assessment_over_grpc(service, tokens):
    servicer = AssessmentServicer(AssessmentTeams(service, Clock()), TokenBook.load(tokens.file))
    server = GrpcServer([ServiceBinding("jixiao.v1.AssessmentService", servicer,
                                        assessment_pb2_grpc.add_AssessmentServiceServicer_to_server)],
                        "127.0.0.1", 0, port_setting="test")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    stub = assessment_pb2_grpc.AssessmentServiceStub(channel)
    try:
        yield lambda rpc, request, token: getattr(stub, rpc)(request, timeout=10, metadata=call_credentials(token))
    finally:
        channel.close()
        server.stop(0)


def test_the_rpcs_convert_and_map_errors_to_statuses(tmp_path):
    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    service.adopt_scheme(assessment_scheme("mean"), 1, "sha256:test")
    tokens = make_tokens(tmp_path)
    a1, a2 = (append(tokens.file, f"考评员{c}", "assessor", c) for c in ("A1", "A2"))
    where = {"scheme_code": SCHEME, "indicator_code": INDICATOR, "period": PERIOD}

    def refused(call, *args):
        with pytest.raises(grpc.RpcError) as error:
            call(*args)
        return error.value.code(), error.value.details()

    with assessment_over_grpc(service, tokens) as call:
        assert refused(call, "SetAssessmentTeam", pb.SetAssessmentTeamRequest(
            **where, team_code="t1", assessors=["A1"], unit_ids=["U1"]), a1)[0] == grpc.StatusCode.PERMISSION_DENIED
        assert refused(call, "SetAssessmentTeam", pb.SetAssessmentTeamRequest(
            **where, team_code="t1", assessors=["A1"], unit_ids=["X"]), tokens.office) == (
            grpc.StatusCode.INVALID_ARGUMENT, "unit_ids[0]: 'X' is not a unit assessed on on_site")
        call("SetAssessmentTeam", pb.SetAssessmentTeamRequest(**where, team_code="t1", name="第一组",
                                                             assessors=["A1", "A2"], unit_ids=["U1", "U3"]),
             tokens.office)
        locked = call("LockAssessmentRoster", pb.AssessmentRoundRequest(**where), tokens.office)
        assert (locked.state, locked.team_rule, [i.code for i in locked.items]) == (
            "locked", "mean", ["targets", "records"])
        mine = call("ListMyAssessments", pb.ListMyAssessmentsRequest(scheme_code=SCHEME), a1)
        assert [(m.indicator_code, m.position, [(u.unit_id, u.unit_name_zh, u.state) for u in m.units])
                for m in mine.assessments] == [(INDICATOR, 1, [("U1", "甲区", "not_started"),
                                                                ("U3", "丙县", "not_started")])]
        unit = {**where, "unit_id": "U1"}
        over = [pb.OnSiteScoreRow(item="targets", points=60.5), pb.OnSiteScoreRow(item="records", points=1)]
        assert refused(call, "SaveOnSiteScores", pb.SaveOnSiteScoresRequest(**unit, rows=over), a1) == (
            grpc.StatusCode.INVALID_ARGUMENT, "rows[0].points: item targets: 60.5 is outside [0, 60]")
        assert refused(call, "SaveOnSiteScores", pb.SaveOnSiteScoresRequest(**{**unit, "unit_id": "U2"}), a1) == (
            grpc.StatusCode.PERMISSION_DENIED, "unit U2 is not assigned to team t1")
        good = [pb.OnSiteScoreRow(item="targets", points=55, basis="现场核验"), pb.OnSiteScoreRow(item="records", points=35)]
        saved = call("SaveOnSiteScores", pb.SaveOnSiteScoresRequest(**unit, rows=good), a1)
        assert (saved.state, saved.total, saved.unit_name_zh, saved.position, len(saved.items)) == (
            "draft", 90.0, "甲区", 1, 2)
        assert call("SubmitOnSiteScores", pb.OnSiteScoresRequest(**unit), a1).state == "submitted"
        assert refused(call, "SubmitOnSiteScores", pb.OnSiteScoresRequest(**unit), a1)[0] == \
            grpc.StatusCode.FAILED_PRECONDITION
        assert refused(call, "CloseUnitAssessment", pb.CloseUnitAssessmentRequest(**unit), tokens.office)[1] == (
            "assessment of on_site for 2026-Q1: unit U1: assessor(s) 2 of team t1 have not submitted")
        call("SaveOnSiteScores", pb.SaveOnSiteScoresRequest(**unit, rows=good[:1] + [
            pb.OnSiteScoreRow(item="records", points=25)]), a2)
        call("SubmitOnSiteScores", pb.OnSiteScoresRequest(**unit), a2)
        closed = call("CloseUnitAssessment", pb.CloseUnitAssessmentRequest(**unit), tokens.office)
        u1 = next(u for u in closed.units if u.unit_id == "U1")
        assert (u1.has_result, u1.result, u1.closing, u1.category, [(s.position, s.assessor, s.total)
                                                                   for s in u1.scores]) == (
            True, 85.0, 1, "district", [(1, "A1", 90.0), (2, "A2", 80.0)])
        assert [h.action for h in closed.history] == ["set_team", "lock", "submit", "submit", "close"]
        lenient = call("GetAssessorLeniency", pb.AssessmentRoundRequest(**where), tokens.office)
        assert [(r.assessor, r.team_code, r.units, r.leniency) for r in lenient.rows] == [
            ("A1", "t1", 1, 10.0), ("A2", "t1", 1, -10.0)]
        assert refused(call, "GetAssessorLeniency", pb.AssessmentRoundRequest(**where), a1)[0] == \
            grpc.StatusCode.PERMISSION_DENIED
        assert refused(call, "GetAssessmentRound", pb.AssessmentRoundRequest(
            scheme_code=SCHEME, indicator_code="amount_vs_plan", period=PERIOD), tokens.office)[0] == \
            grpc.StatusCode.INVALID_ARGUMENT
    assert result(service, "U1")[:2] == ("ok", 85.0)
