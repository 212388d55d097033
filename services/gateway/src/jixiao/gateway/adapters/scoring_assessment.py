"""Scoring's AssessmentService (docs/assessment-teams.md; proto/jixiao/v1/assessment.proto),
always with the caller's own token — the office's, or an assessor's — so that scoring checks
who may do what and records who did it."""
from __future__ import annotations

from collections.abc import Sequence

from jixiao.v1 import assessment_pb2 as pb

from .grpc_clients import Backends


class ScoringAssessment:
    def __init__(self, backends: Backends):
        self.backends = backends

    def _call(self, method: str, request, token: str) -> dict:
        return self.backends.call("assessment", method, request, token=token)

    # the office
    def round(self, scheme: str, indicator: str, period: str, token: str) -> dict:
        return self._call("GetAssessmentRound", pb.AssessmentRoundRequest(
            scheme_code=scheme, indicator_code=indicator, period=period), token)

    def set_team(self, scheme: str, indicator: str, period: str, team: str, name: str, assessors: Sequence[str],
                 units: Sequence[str], token: str) -> dict:
        return self._call("SetAssessmentTeam", pb.SetAssessmentTeamRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, team_code=team, name=name,
            assessors=list(assessors), unit_ids=list(units)), token)

    def lock(self, scheme: str, indicator: str, period: str, token: str) -> dict:
        return self._call("LockAssessmentRoster", pb.AssessmentRoundRequest(
            scheme_code=scheme, indicator_code=indicator, period=period), token)

    def replace(self, scheme: str, indicator: str, period: str, team: str, assessor: str, replacement: str,
                reason: str, token: str) -> dict:
        return self._call("ReplaceAssessor", pb.ReplaceAssessorRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, team_code=team, assessor=assessor,
            replacement=replacement, reason=reason), token)

    def close(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self._call("CloseUnitAssessment", pb.CloseUnitAssessmentRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, unit_id=unit), token)

    def leniency(self, scheme: str, indicator: str, period: str, token: str) -> dict:
        return self._call("GetAssessorLeniency", pb.AssessmentRoundRequest(
            scheme_code=scheme, indicator_code=indicator, period=period), token)

    # an assessor
    def mine(self, scheme: str, period: str, token: str) -> dict:
        return self._call("ListMyAssessments", pb.ListMyAssessmentsRequest(scheme_code=scheme, period=period), token)

    def scores(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self._call("GetOnSiteScores", pb.OnSiteScoresRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, unit_id=unit), token)

    def save(self, scheme: str, indicator: str, period: str, unit: str, rows: Sequence[dict], token: str) -> dict:
        return self._call("SaveOnSiteScores", pb.SaveOnSiteScoresRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, unit_id=unit,
            rows=[pb.OnSiteScoreRow(**row) for row in rows]), token)

    def submit(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self._call("SubmitOnSiteScores", pb.OnSiteScoresRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, unit_id=unit), token)
