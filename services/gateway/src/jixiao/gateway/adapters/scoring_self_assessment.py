"""Scoring's self-evaluation and work-report rpcs, always with the caller's own token (the
office, or a unit's `department` token), so that scoring checks who may do what and records
who did it."""
from __future__ import annotations

from collections.abc import Sequence

from jixiao.v1 import scoring_pb2

from .backend_errors import NotFound
from .grpc_clients import Backends, as_json


class ScoringSelfAssessment:
    def __init__(self, backends: Backends):
        self.backends = backends

    def submit(self, scheme: str, unit_id: str, period: str, total: float, summary: str,
               indicators: Sequence[dict], token: str) -> dict:
        return self.backends.call("scoring", "SubmitSelfEvaluation", scoring_pb2.SubmitSelfEvaluationRequest(
            scheme_code=scheme, unit_id=unit_id, period=period, total=total, summary=summary,
            indicators=[scoring_pb2.IndicatorSelfScore(**i) for i in indicators]), token=token)

    def listed(self, scheme: str, period: str, token: str) -> dict:
        return self.backends.call("scoring", "ListSelfEvaluations", scoring_pb2.ListSelfEvaluationsRequest(
            scheme_code=scheme, period=period), token=token)

    def upload_report(self, scheme: str, unit_id: str, person_id: str, period: str, file_name: str,
                      content: bytes, token: str) -> dict:
        return self.backends.call("scoring", "UploadWorkReport", scoring_pb2.UploadWorkReportRequest(
            scheme_code=scheme, unit_id=unit_id, person_id=person_id, period=period, file_name=file_name,
            content=content), token=token)

    def reports(self, scheme: str, unit_id: str, period: str, token: str) -> list[dict]:
        return self.backends.call("scoring", "ListWorkReports", scoring_pb2.ListWorkReportsRequest(
            scheme_code=scheme, unit_id=unit_id, period=period), token=token)["reports"]

    def report(self, scheme: str, report_id: int, token: str) -> tuple[dict, bytes]:
        """(the report's record, its content); NotFound for an id no int64 holds."""
        if not 0 < report_id < 2**63:
            raise NotFound(f"no work report {report_id} in scheme {scheme}", "scoring", "GetWorkReport")
        reply = self.backends.call_message("scoring", "GetWorkReport", scoring_pb2.GetWorkReportRequest(
            scheme_code=scheme, id=report_id), token=token)
        return as_json(reply.report), reply.content
