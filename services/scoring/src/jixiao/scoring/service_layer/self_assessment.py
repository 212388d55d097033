"""What a unit says of itself (docs/scoring.md, "Self-evaluations and work reports"): its
self-evaluation (自评) — a total, a summary and its points per indicator with their basis —
and its work reports (述职报告) of the leadership team and of each leader.

The office, or a `department` token whose subject is the unit, submits and uploads; both are
refused once the period is locked, approved or published. The rules are
domain/self_evaluation.py's (checks, the comparison with the computed points and the
scheme's tolerance) and domain/work_reports.py's (which files are accepted). Every upload is
kept as a version with who and when: the audit trail of a unit's reports."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied

from ..adapters.self_assessment_repository import SelfAssessmentRepository
from ..domain import self_evaluation as rules
from ..domain import work_reports
from ..domain.scheme_view import SchemeView
from ..domain.self_evaluation import SelfScore
from .period_review import PeriodReview

MAX_SUMMARY = 20_000


def computed_points(results: Sequence[Mapping]) -> dict[str, dict[str, float | None]]:
    """{unit: {indicator: its points, None when the result is not ok}} of stored indicator results."""
    found: dict[str, dict[str, float | None]] = {}
    for r in results:
        found.setdefault(r["unit_id"], {})[r["indicator_code"]] = r["points"] if r["status"] == "ok" else None
    return found


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SelfAssessment:
    def __init__(self, review: PeriodReview):
        self.review = review
        self.service = review.service
        self.unit_of_work = review.unit_of_work
        self.repository = SelfAssessmentRepository(self.service.repository.engine, self.service.repository)

    # self-evaluations --------------------------------------------------------
    def submit_self_evaluation(self, scheme_code: str, unit_id: str, period_text: str, total: float, summary: str,
                               principal: Principal, scores: Sequence[SelfScore] = ()) -> dict:
        scheme = self.service.scheme(scheme_code)
        self._check_unit(scheme, unit_id, principal, "submit the self-evaluation of")
        period = self.review.period_of(scheme, period_text)
        ceiling = self.review.unit_ceiling(scheme, unit_id)
        if not math.isfinite(total) or not 0.0 <= total <= ceiling:
            raise InvalidArgument("total", f"must be between 0 and {ceiling:g} (the most unit {unit_id} can score)")
        if len(summary) > MAX_SUMMARY:
            raise InvalidArgument("summary", f"must be at most {MAX_SUMMARY:,} characters")
        problems = rules.check(scores, self._scales(scheme, unit_id, period.kind))
        if problems:  # "field: problem; field: problem", every problem named
            raise InvalidArgument(problems[0][0], "; ".join([problems[0][1]] + [f"{f}: {m}" for f, m in problems[1:]]))
        row = {"scheme_code": scheme.code, "unit_id": unit_id, "period": period.text, "total": total,
               "summary": summary, "submitted_by": principal.name or principal.role, "submitted_at": now()}
        with self.unit_of_work.transaction() as connection:
            self._check_open(connection, scheme, period, "a self-evaluation can no longer change")
            self.repository.save_self_evaluation(connection, row, list(scores))
        return self.self_evaluation(scheme.code, unit_id, period.text)

    def self_evaluation(self, scheme_code: str, unit_id: str, period: str,
                        results: Sequence[Mapping] | None = None) -> dict | None:
        """The unit's self-evaluation with each indicator compared, or None; `results` the unit's
        stored indicator results of the period when the caller has read them already."""
        scheme = self.service.scheme(scheme_code)
        found = self.repository.self_evaluation(scheme.code, unit_id, period)
        if found is None:
            return None
        if results is None:
            results = self.service.repository.indicator_results_for(None, scheme.code, unit_id, [period])
        return self._compared(scheme, found, computed_points(results).get(unit_id, {}))

    def list_self_evaluations(self, scheme_code: str, period_text: str) -> tuple[list[dict], list[str]]:
        """(each unit's self-evaluation compared, most flagged gaps first; the units assessed in
        the period without one)."""
        scheme = self.service.scheme(scheme_code)
        period = self.review.period_of(scheme, period_text)
        stored = self.repository.period_self_evaluations(scheme.code, period.text)
        computed = computed_points(self.repository.indicator_results(scheme.code, period.text, list(stored)))
        listed = [self._compared(scheme, found, computed.get(unit, {})) for unit, found in stored.items()]
        listed.sort(key=lambda e: (-e["flagged"], e["unit_id"]))
        missing = sorted(u for u in scheme.units if u not in stored and scheme.assignments_for(u))
        return listed, missing

    def _compared(self, scheme: SchemeView, found: tuple[dict, list[SelfScore]], computed: dict) -> dict:
        row, scores = found
        tolerance = rules.tolerance_of(scheme.document["scheme"])
        compared = rules.compare(scores, computed, tolerance)
        unit = scheme.units.get(row["unit_id"])
        return {**row, "indicators": compared, "tolerance": tolerance, "flagged": sum(c.flagged for c in compared),
                "unit_name_zh": unit.name_zh if unit else "", "unit_name_en": unit.name_en if unit else ""}


    def _scales(self, scheme: SchemeView, unit_id: str, kind: str) -> dict[str, tuple[float, float]]:
        specs = self.service.specs_of(scheme)
        return {a.indicator: (specs[a.indicator].min_points, specs[a.indicator].max_points)
                for a in scheme.assignments_for(unit_id) if a.indicator in specs and scheme.assessed(a.indicator, kind)}

    # work reports --------------------------------------------------------------
    def upload_work_report(self, scheme_code: str, unit_id: str, person_id: str, period_text: str, file_name: str,
                           content: bytes, principal: Principal) -> dict:
        scheme = self.service.scheme(scheme_code)
        self._check_unit(scheme, unit_id, principal, "upload the work reports of")
        if person_id and scheme.person_unit.get(person_id) != unit_id:
            raise InvalidArgument("person_id", f"{person_id!r} is not a leader of unit {unit_id} in scheme {scheme.code}")
        period = self.review.period_of(scheme, period_text)
        try:
            checked = work_reports.check(file_name, content)
        except work_reports.ReportRefused as exc:
            raise InvalidArgument(exc.field, exc.problem) from None
        row = {"scheme_code": scheme.code, "unit_id": unit_id, "person_id": person_id, "period": period.text,
               "file_name": checked.file_name, "media_type": checked.media_type, "size_bytes": checked.size_bytes,
               "sha256": checked.sha256, "content": content, "uploaded_by": principal.name or principal.role,
               "uploaded_at": now()}
        with self.unit_of_work.transaction() as connection:
            self._check_open(connection, scheme, period, "its work reports can no longer change")
            stored = self.repository.add_work_report(connection, row)
        return {**stored, "current": True}

    def work_reports(self, scheme_code: str, unit_id: str, period: str, principal: Principal) -> list[dict]:
        scheme = self.service.scheme(scheme_code)
        self._check_unit(scheme, unit_id, principal, "read the work reports of")
        if period:
            period = self.review.period_of(scheme, period).text
        rows = self.repository.work_reports(scheme.code, unit_id, period)
        seen: set[tuple[str, str]] = set()
        for row in rows:  # newest version first within each (period, person)
            key = (row["period"], row["person_id"])
            row["current"] = key not in seen
            seen.add(key)
        return rows

    def work_report(self, scheme_code: str, report_id: int, principal: Principal) -> tuple[dict, bytes]:
        scheme = self.service.scheme(scheme_code)
        if report_id <= 0:
            raise InvalidArgument("id", "is required")
        found = self.repository.work_report(scheme.code, report_id)
        if found is None or (principal.role != "office" and principal.subject != found[0]["unit_id"]):
            raise NotFound(f"no work report {report_id} in scheme {scheme.code}")  # another unit's: not even its existence
        row, content = found
        newer = [r for r in self.repository.work_reports(scheme.code, row["unit_id"], row["period"])
                 if r["person_id"] == row["person_id"] and r["version"] > row["version"]]
        return {**row, "current": not newer}, content

    # helpers ------------------------------------------------------------------
    @staticmethod
    def _check_unit(scheme: SchemeView, unit_id: str, principal: Principal, what: str) -> None:
        if not unit_id:
            raise InvalidArgument("unit_id", "is required")
        if unit_id not in scheme.units:
            raise InvalidArgument("unit_id", f"{unit_id!r} is not a unit of scheme {scheme.code}")
        if principal.role != "office" and principal.subject != unit_id:
            raise PermissionDenied(f"{principal.name or 'this token'} may {what} {principal.subject or 'no unit'} "
                                   f"only, not of {unit_id}")

    def _check_open(self, connection, scheme: SchemeView, period, consequence: str) -> None:
        self.service.repository.lock_periods(connection, scheme.code, exclusive=False)
        if not self.service.writable_periods(connection, scheme.code)(period):
            raise FailedPrecondition(f"period {period.text} is closed for review; {consequence}")
