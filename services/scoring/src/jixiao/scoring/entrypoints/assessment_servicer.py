"""gRPC `jixiao.v1.AssessmentService` (proto/jixiao/v1/assessment.proto): thin conversions
between the messages and the assessment-team use cases (service_layer/assessment_teams.py).

The office manages teams, the roster, closings and reads leniency; an assessor reaches only
their own scores of the units their team is assigned to."""
from __future__ import annotations

from jixiao.common.auth import TokenBook, rpc
from jixiao.v1 import assessment_pb2 as pb
from jixiao.v1 import assessment_pb2_grpc

from ..domain.assessment_teams import Definition, Leniency, ScoreRow
from ..service_layer.assessment_teams import AssessmentTeams, EntryStatus, RoundStatus


class AssessmentServicer(assessment_pb2_grpc.AssessmentServiceServicer):
    def __init__(self, teams: AssessmentTeams, tokens: TokenBook):
        self.teams = teams
        self.tokens = tokens

    # the office ------------------------------------------------------------------------------
    @rpc("office")
    def GetAssessmentRound(self, request, context, caller):
        return round_message(self.teams.get(request.scheme_code, request.indicator_code, request.period))

    @rpc("office")
    def SetAssessmentTeam(self, request, context, caller):
        return round_message(self.teams.set_team(request.scheme_code, request.indicator_code, request.period,
                                                 request.team_code, request.name, list(request.assessors),
                                                 list(request.unit_ids), caller))

    @rpc("office")
    def LockAssessmentRoster(self, request, context, caller):
        return round_message(self.teams.lock(request.scheme_code, request.indicator_code, request.period, caller))

    @rpc("office")
    def ReplaceAssessor(self, request, context, caller):
        return round_message(self.teams.replace(request.scheme_code, request.indicator_code, request.period,
                                                request.team_code, request.assessor, request.replacement,
                                                request.reason, caller))

    @rpc("office")
    def CloseUnitAssessment(self, request, context, caller):
        return round_message(self.teams.close(request.scheme_code, request.indicator_code, request.period,
                                              request.unit_id, caller))

    @rpc("office")
    def GetAssessorLeniency(self, request, context, caller):
        definition, current, found = self.teams.leniency(request.scheme_code, request.indicator_code, request.period)
        return leniency_message(definition, current, found)

    # the assessors ---------------------------------------------------------------------------
    @rpc("assessor")
    def ListMyAssessments(self, request, context, caller):
        return pb.ListMyAssessmentsResponse(assessments=[pb.MyAssessment(
            indicator_code=a.definition.indicator_code, indicator_name_zh=a.definition.name_zh,
            indicator_name_en=a.definition.name_en, period=a.period, team_code=a.team_code, team_name=a.team_name,
            position=a.position,
            units=[pb.MyUnit(unit_id=e.unit_id, unit_name_zh=self._unit(request.scheme_code, e.unit_id)[0],
                             unit_name_en=self._unit(request.scheme_code, e.unit_id)[1], state=e.state,
                             total=float(e.total)) for e in a.entries])
            for a in self.teams.mine(request.scheme_code, request.period, caller)])

    @rpc("assessor")
    def GetOnSiteScores(self, request, context, caller):
        return self._scores(request, self.teams.entry(request.scheme_code, request.indicator_code, request.period,
                                                      request.unit_id, caller))

    @rpc("assessor")
    def SaveOnSiteScores(self, request, context, caller):
        rows = [ScoreRow(r.item, r.points, r.basis) for r in request.rows]
        return self._scores(request, self.teams.save(request.scheme_code, request.indicator_code, request.period,
                                                     request.unit_id, rows, caller))

    @rpc("assessor")
    def SubmitOnSiteScores(self, request, context, caller):
        return self._scores(request, self.teams.submit(request.scheme_code, request.indicator_code, request.period,
                                                       request.unit_id, caller))

    def _unit(self, scheme_code: str, unit_id: str) -> tuple[str, str]:
        unit = self.teams.service.scheme(scheme_code).units.get(unit_id)
        return (unit.name_zh, unit.name_en) if unit else (unit_id, unit_id)

    def _scores(self, request, status: EntryStatus) -> pb.OnSiteScores:
        entry, definition = status.entry, status.definition
        zh, en = self._unit(request.scheme_code, entry.unit_id)
        return pb.OnSiteScores(
            scheme_code=definition.scheme_code, indicator_code=definition.indicator_code, period=status.round.period,
            unit_id=entry.unit_id, unit_name_zh=zh, unit_name_en=en, indicator_name_zh=definition.name_zh,
            indicator_name_en=definition.name_en, team_name=status.team_name, position=status.position,
            state=entry.state, items=items(definition),
            rows=[pb.OnSiteScoreRow(item=r.item, points=r.points, basis=r.basis) for r in entry.rows],
            total=float(entry.total), saved_at=entry.saved_at, submitted_at=entry.submitted_at)


def items(definition: Definition) -> list[pb.AssessmentItem]:
    return [pb.AssessmentItem(code=i.code, name_zh=i.name_zh, name_en=i.name_en, max_points=float(i.max_points),
                              rule_zh=i.rule_zh, rule_en=i.rule_en) for i in definition.items]


def round_message(status: RoundStatus) -> pb.AssessmentRound:
    definition, current = status.definition, status.round
    return pb.AssessmentRound(
        scheme_code=current.scheme_code, indicator_code=current.indicator_code, period=current.period,
        indicator_name_zh=definition.name_zh, indicator_name_en=definition.name_en, team_rule=definition.team_rule,
        state=current.state, locked_by=current.locked_by, locked_at=current.locked_at, items=items(definition),
        teams=[pb.AssessmentTeam(code=t.code, name=t.name, unit_ids=list(t.units), members=[
            pb.AssessmentMember(position=m.position, assessor=m.assessor, active=m.active, joined_at=m.joined_at,
                                left_at=m.left_at, replaced_by=m.replaced_by, reason=m.reason) for m in t.members])
            for t in current.teams],
        units=[pb.UnitAssessment(
            unit_id=u.unit_id, category=definition.units[u.unit_id], team_code=u.team.code if u.team else "",
            scores=[pb.AssessorScore(position=m.position, assessor=m.assessor, state=e.state, total=float(e.total),
                                     active=m.active) for m, e in u.scores],
            submitted=len(u.counted), expected=u.expected, has_result=u.result is not None,
            result=float(u.result) if u.result is not None else 0.0,
            closing=u.latest.closing if u.latest else 0, closed_at=u.latest.closed_at if u.latest else "",
            closed_by=u.latest.closed_by if u.latest else "", can_close=u.can_close)
            for u in status.units],
        history=[pb.AssessmentHistoryEntry(action=h.action, actor=h.actor, at=h.at, team_code=h.team,
                                           unit_id=h.unit_id, detail=h.detail, reason=h.reason)
                 for h in current.history],
        period_open=status.period_open)


def leniency_message(definition: Definition, current, found: list[Leniency]) -> pb.AssessorLeniency:
    team_of = {m.assessor: t.code for t in current.teams for m in t.members}
    return pb.AssessorLeniency(
        scheme_code=current.scheme_code, indicator_code=current.indicator_code, period=current.period,
        rows=[pb.LeniencyRow(assessor=x.assessor, team_code=team_of.get(x.assessor, ""), units=x.units,
                             leniency=float(x.leniency) if x.leniency is not None else 0.0,
                             by_category=[pb.CategoryLeniency(category=c, units=n, leniency=float(v))
                                          for c, n, v in x.by_category])
              for x in found])
