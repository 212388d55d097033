"""gRPC `jixiao.v1.BallotService` (proto/jixiao/v1/ballots.proto): democratic evaluation
ballots, translated to and from service_layer/ballots.py. The office issues, voids, reads
turnout and counts; only the gateway's ballot box (role `ballot_box`) opens and casts."""
from __future__ import annotations

from jixiao.common.auth import TokenBook, rpc
from jixiao.v1 import ballots_pb2 as pb
from jixiao.v1 import ballots_pb2_grpc

from ..service_layer.ballots import Ballots, Paper, RoundTurnout


class BallotServicer(ballots_pb2_grpc.BallotServiceServicer):
    def __init__(self, ballots: Ballots, tokens: TokenBook):
        self.ballots = ballots
        self.tokens = tokens

    @rpc("office")
    def IssueBallotCodes(self, request, context, caller):
        paper, codes = self.ballots.issue(request.scheme_code, request.indicator_code, request.period,
                                          request.unit_id, request.group, request.count, caller)
        return pb.IssueBallotCodesResponse(paper=ballot_paper(paper), ballot_codes=codes)

    @rpc("office")
    def VoidBallotCodes(self, request, context, caller):
        return ballot_turnout(self.ballots.void(request.scheme_code, request.indicator_code, request.period,
                                                request.unit_id, request.group, list(request.ballot_codes), caller))

    @rpc("office")
    def GetBallotTurnout(self, request, context, caller):
        return ballot_turnout(self.ballots.turnout(request.scheme_code, request.indicator_code, request.period,
                                                   request.unit_id))

    @rpc("office")
    def ListBallotRounds(self, request, context, caller):
        return pb.ListBallotRoundsResponse(rounds=[ballot_turnout(t) for t in
                                                   self.ballots.rounds(request.scheme_code, request.period)])

    @rpc("office")
    def CountBallots(self, request, context, caller):
        return ballot_turnout(self.ballots.count(request.scheme_code, request.indicator_code, request.period,
                                                 request.unit_id, caller))

    @rpc("ballot_box")
    def OpenBallot(self, request, context, caller):
        return ballot_paper(self.ballots.open(request.ballot_code))

    @rpc("ballot_box")
    def CastBallot(self, request, context, caller):
        paper = self.ballots.cast(request.ballot_code, [(r.subject, r.value) for r in request.ratings])
        return pb.CastBallotResponse(paper=ballot_paper(paper))


def ballot_paper(paper: Paper) -> pb.BallotPaper:
    scheme, definition, unit = paper.scheme, paper.definition, paper.scheme.units[paper.unit_id]
    subjects = []
    for subject in paper.subjects:
        if not subject:
            team = scheme.unit_team.get(paper.unit_id) or {}
            names = team.get("name") or {}
            subjects.append(pb.BallotSubject(person_id="", name_zh=names.get("zh") or f"{unit.name_zh}领导班子",
                                             name_en=names.get("en") or f"Leadership team of {unit.name_en or unit.id}"))
            continue
        entry = scheme.person_entries.get(subject, {})
        position = entry.get("position") or {}
        subjects.append(pb.BallotSubject(person_id=subject, name_zh=entry.get("name_zh") or subject,
                                         name_en=entry.get("name_pinyin") or entry.get("name_zh") or subject,
                                         position_zh=position.get("zh") or position.get("en") or "",
                                         position_en=position.get("en") or position.get("zh") or ""))
    return pb.BallotPaper(
        scheme_code=scheme.code, indicator_code=definition.indicator_code, indicator_name_zh=definition.name_zh,
        indicator_name_en=definition.name_en, period=paper.period, unit_id=paper.unit_id,
        unit_name_zh=unit.name_zh or unit.name_en, unit_name_en=unit.name_en or unit.name_zh,
        group=paper.group.code, group_name_zh=paper.group.name_zh, group_name_en=paper.group.name_en,
        subjects=subjects,
        scale=[pb.BallotChoice(value=c.value, name_zh=c.name_zh, name_en=c.name_en) for c in definition.scale])


def ballot_turnout(t: RoundTurnout) -> pb.BallotTurnout:
    unit = t.scheme.units[t.unit_id]
    return pb.BallotTurnout(
        scheme_code=t.scheme.code, indicator_code=t.definition.indicator_code, period=t.period, unit_id=t.unit_id,
        unit_name_zh=unit.name_zh or unit.name_en, unit_name_en=unit.name_en or unit.name_zh,
        indicator_name_zh=t.definition.name_zh, indicator_name_en=t.definition.name_en, closed=t.closed,
        groups=[pb.GroupTurnout(group=g.group.code, name_zh=g.group.name_zh, name_en=g.group.name_en,
                                weight=g.group.weight, min_turnout=g.group.min_turnout, issued=g.issued,
                                spent=g.spent, voided=g.voided, turnout=float(g.fraction),
                                below_minimum=g.below_minimum, counted=t.counted.get(g.group.code, 0))
                for g in t.groups],
        audit=[pb.BallotAuditEntry(action=a["action"], actor=a["actor"], at=a["at"], group=a["rater_group"],
                                   count=a["count"]) for a in t.audit])
