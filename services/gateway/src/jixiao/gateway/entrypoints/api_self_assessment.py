"""What a unit says of itself, in /api/v1 (docs/scoring.md, "Self-evaluations and work
reports"): its self-evaluation (自评) with points per indicator, the office's listing of a
period's self-evaluations with gaps above the scheme's tolerance flagged, and work reports
(述职报告) uploaded, listed and downloaded.

The gateway checks the role for a clear answer, then forwards the caller's own token to
scoring, which checks it again (a unit's `department` token reaches only its own unit)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, jsonify, request

from ..adapters.scoring_self_assessment import ScoringSelfAssessment
from .access import caller_token, checked_period, require_role
from .params import invalid, json_object, number_field, object_rows, text_field
from .wiring import backends

self_assessment = Blueprint("self_assessment", __name__, url_prefix="/api/v1")

MAX_SUMMARY = 20_000
MAX_INDICATORS = 200
#: A work report's limit (scoring's domain/work_reports.py has the rule) and what a multipart body may add.
MAX_REPORT_BYTES = 10 * 1024 * 1024
MULTIPART_OVERHEAD = 64 * 1024
UNIT_ROLES = ("office", "department")


def _desk() -> ScoringSelfAssessment:
    return ScoringSelfAssessment(backends())


@self_assessment.post("/schemes/<code>/units/<unit_id>/self-evaluation")
def submit_self_evaluation(code: str, unit_id: str):
    """A unit's self-evaluation for a period: body {"period", "total", "summary", "indicators":
    [{"indicator_code", "points", "basis"}]}; the office, or the unit's own department token."""
    require_role(*UNIT_ROLES)
    body = json_object()
    checked = object_rows(body.get("indicators", []), "indicators", required=("indicator_code",), texts=("basis",),
                          number="points", limit=MAX_INDICATORS)
    return jsonify(_desk().submit(code, unit_id, checked_period(text_field(body, "period", required=True)),
                                  number_field(body, "total"), text_field(body, "summary", limit=MAX_SUMMARY),
                                  checked, caller_token()))


@self_assessment.get("/schemes/<code>/self-evaluations")
def list_self_evaluations(code: str):
    """The self-evaluations of a period (?period=2026-Q1), each indicator's self-assessed points
    beside the computed ones, gaps above the scheme's tolerance flagged (office)."""
    require_role("office")
    period = request.args.get("period", "")
    if not period:
        raise invalid("period: required, e.g. ?period=2026-Q1")
    return jsonify(_desk().listed(code, checked_period(period), caller_token()))


@self_assessment.post("/schemes/<code>/units/<unit_id>/work-reports")
def upload_work_report(code: str, unit_id: str):
    """A work report as multipart/form-data: `file` (a .pdf or .docx of at most 10 MiB), `period`,
    and `person_id` for a leader's own report (empty: the leadership team's)."""
    require_role(*UNIT_ROLES)
    request.max_content_length = MAX_REPORT_BYTES + MULTIPART_OVERHEAD
    upload = request.files.get("file")
    if upload is None:
        raise invalid("file: send the .pdf or .docx file in the multipart field 'file'")
    content = upload.read(MAX_REPORT_BYTES + 1)
    if len(content) > MAX_REPORT_BYTES:
        raise invalid(f"file: at most {MAX_REPORT_BYTES:,} bytes (10 MiB)")
    period = request.form.get("period", "")
    if not period:
        raise invalid("period: is required (a form field, e.g. 2026)")
    return jsonify(_desk().upload_report(code, unit_id, request.form.get("person_id", ""), checked_period(period),
                                         upload.filename or "", content, caller_token()))


@self_assessment.get("/schemes/<code>/units/<unit_id>/work-reports")
def list_work_reports(code: str, unit_id: str):
    """Every version of the unit's work reports (?period= to narrow), newest first, without content."""
    require_role(*UNIT_ROLES)
    period = request.args.get("period", "")
    return jsonify({"reports": _desk().reports(code, unit_id, checked_period(period) if period else "",
                                               caller_token())})


@self_assessment.get("/schemes/<code>/work-reports/<int:report_id>")
def download_work_report(code: str, report_id: int):
    """One stored work report's file as it was uploaded, its SHA-256 in the header `X-Content-SHA256`."""
    require_role(*UNIT_ROLES)
    record, content = _desk().report(code, report_id, caller_token())
    return report_response(record, content)



def report_response(record: dict, content: bytes) -> Response:
    """The file as an attachment (never rendered inline by the browser)."""
    response = Response(content, mimetype=record["media_type"])
    name = record["file_name"]
    fallback = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in name) or "report"
    response.headers["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Content-SHA256"] = record["sha256"]
    return response
