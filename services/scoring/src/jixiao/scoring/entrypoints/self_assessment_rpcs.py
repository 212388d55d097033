"""The self-evaluation and work-report rpcs of `jixiao.v1.ScoringService`, a part of
ScoringServicer kept in its own module: message ↔ service layer (service_layer/self_assessment.py)."""
from __future__ import annotations

from jixiao.common.auth import rpc
from jixiao.v1 import scoring_pb2 as pb

from ..domain.self_evaluation import SelfScore
from ..service_layer.self_assessment import SelfAssessment

_EVALUATION_FIELDS = ("scheme_code", "unit_id", "period", "total", "summary", "submitted_by", "submitted_at",
                      "tolerance", "flagged", "unit_name_zh", "unit_name_en")
_REPORT_FIELDS = ("id", "scheme_code", "unit_id", "person_id", "period", "version", "file_name", "media_type",
                  "size_bytes", "sha256", "uploaded_by", "uploaded_at", "current")


class SelfAssessmentRpcs:
    """Mixed into ScoringServicer, which sets `self.self_assessment` and `self.tokens`."""

    self_assessment: SelfAssessment

    @rpc("office", "department")
    def SubmitSelfEvaluation(self, request, context, caller):
        scores = [SelfScore(s.indicator_code, s.points, s.basis) for s in request.indicators]
        found = self.self_assessment.submit_self_evaluation(request.scheme_code, request.unit_id, request.period,
                                                            request.total, request.summary, caller, scores)
        return self_evaluation_message(found)

    @rpc("office")
    def ListSelfEvaluations(self, request, context, caller):
        listed, missing = self.self_assessment.list_self_evaluations(request.scheme_code, request.period)
        return pb.ListSelfEvaluationsResponse(self_evaluations=[self_evaluation_message(e) for e in listed],
                                              missing_unit_ids=missing)

    @rpc("office", "department")
    def UploadWorkReport(self, request, context, caller):
        return work_report_message(self.self_assessment.upload_work_report(
            request.scheme_code, request.unit_id, request.person_id, request.period, request.file_name,
            request.content, caller))

    @rpc("office", "department")
    def ListWorkReports(self, request, context, caller):
        rows = self.self_assessment.work_reports(request.scheme_code, request.unit_id, request.period, caller)
        return pb.ListWorkReportsResponse(reports=[work_report_message(r) for r in rows])

    @rpc("office", "department")
    def GetWorkReport(self, request, context, caller):
        row, content = self.self_assessment.work_report(request.scheme_code, request.id, caller)
        return pb.WorkReportFile(report=work_report_message(row), content=content)


def self_evaluation_message(found: dict | None) -> pb.SelfEvaluation | None:
    if found is None:
        return None
    return pb.SelfEvaluation(
        **{k: found[k] for k in _EVALUATION_FIELDS},
        indicators=[pb.IndicatorSelfScore(indicator_code=c.indicator_code, points=c.points, basis=c.basis,
                                          computed=c.computed, computed_points=c.computed_points, gap=c.gap,
                                          flagged=c.flagged) for c in found["indicators"]])


def work_report_message(row: dict) -> pb.WorkReport:
    return pb.WorkReport(**{k: row[k] for k in _REPORT_FIELDS})
