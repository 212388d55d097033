"""`jixiao.v1.ScoringService` over gRPC: translates messages to and from
the service layer, nothing more."""
from __future__ import annotations

import json
import math

from jixiao.common.auth import TokenBook, rpc
from jixiao.common.errors import InvalidArgument, PermissionDenied
from jixiao.common.pagination import next_token, page_bounds
from jixiao.v1 import scoring_pb2 as pb
from jixiao.v1 import scoring_pb2_grpc
from jixiao_sdk.periods import parse_period

from ..domain.anomalies import KIND_NAMES
from ..domain.grading import boundary_ties, not_graded_reason
from ..domain.score_sheets import SheetRow, digest
from ..domain.totals import Breakdown, basis_note, stage_note
from ..service_layer.above_unit import Rollups
from ..service_layer.period_review import PeriodReview
from ..service_layer.recompute import person_weights
from ..service_layer.score_sheets import ScoreSheets, SheetStatus
from ..service_layer.scoring_service import ScoringService
from ..service_layer.self_assessment import SelfAssessment
from .self_assessment_rpcs import SelfAssessmentRpcs, self_evaluation_message


class ScoringServicer(SelfAssessmentRpcs, scoring_pb2_grpc.ScoringServiceServicer):
    """Every rpc needs a bearer token; reads take any role, review actions the office's."""

    def __init__(self, service: ScoringService, review: PeriodReview, tokens: TokenBook,
                 sheets: ScoreSheets | None = None):
        self.service = service
        self.review = review
        self.sheets = sheets or ScoreSheets(service)
        self.rollups = Rollups(service, review)
        self.self_assessment = SelfAssessment(review)
        self.tokens = tokens

    @rpc()
    def GetRanking(self, request, context, caller):
        _required(request, "scheme_code", "category", "period")
        offset, limit = page_bounds(request.page_size, request.page_token)
        scheme, ranked = self.service.ranking(request.scheme_code, request.category, request.period)
        page = ranked[offset:offset + limit]
        gaps = self.service.completeness_of(scheme, request.period).gaps_by_unit() if page else {}
        return pb.GetRankingResponse(
            scheme_version=scheme.version,
            entries=[
                pb.RankingEntry(rank=r.rank, unit_id=r.unit_id, unit_name_zh=scheme.units[r.unit_id].name_zh,
                                unit_name_en=scheme.units[r.unit_id].name_en, total=r.total,
                                incomplete=r.unit_id in gaps, gaps=gaps.get(r.unit_id, 0))
                for r in page
            ],
            next_page_token=next_token(offset, limit, len(ranked)),
            total_size=len(ranked),
            basis=stage_note(scheme.dimensions, parse_period(request.period).kind),
        )

    @rpc()
    def GetUnitScore(self, request, context, caller):
        _required(request, "scheme_code", "unit_id", "period")
        scheme, score, rank, results = self.service.unit_score(request.scheme_code, request.unit_id, request.period)
        scheme = self.service.scheme_at(scheme.code, score["scheme_version"])  # the version that scored it
        unit = scheme.units[request.unit_id]
        breakdown = Breakdown.parse(score["dimensions_json"])
        assignments = {a.indicator: a for a in scheme.assignments_for(request.unit_id)}
        specs = self.service.specs_of(scheme)
        kind = parse_period(request.period).kind
        basis = basis_note(scheme.dimensions, breakdown)
        secret = _secret_evidence(self.service, scheme, caller)
        return pb.UnitScore(
            scheme_code=scheme.code,
            scheme_version=score["scheme_version"],
            unit_id=unit.id,
            unit_name_zh=unit.name_zh,
            unit_name_en=unit.name_en,
            category=unit.category,
            period=request.period,
            total=score["total"],
            rank=rank,
            **self.service.deltas(scheme, unit.id, request.period, score["total"]),
            period_state=STATE_VALUES[self.review.state(scheme.code, request.period)],
            self_evaluation=self_evaluation_message(self.self_assessment.self_evaluation(scheme.code, unit.id, request.period,
                                                                                  results)),
            leadership_team=_team(self.rollups.team(scheme.code, unit.id, request.period)),
            dimensions=[
                pb.DimensionScore(code=d.code, name_zh=d.name_zh, name_en=d.name_en,
                                  weight=0.0 if d.additive else d.weight, score=breakdown.scores.get(d.code, 0.0),
                                  assessed=breakdown.assessed.get(d.code, True),
                                  period_weight=breakdown.weights.get(d.code, 0.0 if d.additive else d.weight))
                for d in scheme.dimensions
            ],
            missing=[pb.MissingResult(indicator_code=m.indicator, dimension=m.dimension, reason=m.reason,
                                      counted_as=m.counted_as) for m in breakdown.missing],
            partial=bool(basis),
            basis=basis,
            indicators=[
                pb.IndicatorResult(
                    indicator_code=r["indicator_code"],
                    status=r["status"],
                    reason=r["reason"],
                    raw_value=r["raw_value"] or 0.0,
                    achievement=r["achievement"] or 0.0,
                    points=r["points"],
                    weight=assignments[r["indicator_code"]].weight if r["indicator_code"] in assignments else 0.0,
                    explanation=r["explanation"],
                    evidence_event_ids=[] if r["indicator_code"] in secret else json.loads(r["evidence_json"]),
                    plugin_version=r["plugin_version"],
                    formula=specs[r["indicator_code"]].formula if r["indicator_code"] in specs else "",
                    dimension=assignments[r["indicator_code"]].dimension if r["indicator_code"] in assignments else "",
                    period_basis=self.service.period_basis(scheme, r["indicator_code"]) if r["indicator_code"] in specs else "",
                    counted=r["indicator_code"] in assignments and scheme.assessed(r["indicator_code"], kind),
                )
                for r in results
            ],
        )

    @rpc()
    def GetIngestStatus(self, request, context, caller):
        return pb.IngestStatus(**self.service.ingest_counts(), unapproved_plugins=sorted(self.service.unapproved_plugins))

    @rpc()
    def GetGrades(self, request, context, caller):
        _required(request, "scheme_code", "grading_code", "period")
        offset, limit = page_bounds(request.page_size, request.page_token)
        scheme, rule, graded = self.service.grades(request.scheme_code, request.grading_code, request.period)
        reason_zh, reason_en = not_graded_reason(rule, parse_period(request.period).kind)
        names = {band.grade: band for band in rule.grades}
        counts: dict[int, int] = {}
        for g in graded:
            if g.grade is not None:
                counts[g.grade] = counts.get(g.grade, 0) + 1
        entries = []
        for g in graded[offset:offset + limit]:
            unit = scheme.units[scheme.person_unit.get(g.id, g.id)]
            band = names.get(g.grade)
            entries.append(pb.GradeResult(
                rank=g.rank, unit_id=unit.id, unit_name_zh=unit.name_zh, unit_name_en=unit.name_en, category=unit.category,
                person_id=g.id if rule.subject == "person" else "", person_name_zh=scheme.person_names.get(g.id, ""),
                total=g.total, grade=g.grade or 0, grade_name_zh=band.name_zh if band else "",
                grade_name_en=band.name_en if band else "", capped=g.capped, reason=g.reason, tie_pending=g.tie_pending,
            ))
        grade_of = {g.id: g.grade for g in graded}
        return pb.GetGradesResponse(scheme_version=scheme.version, method=rule.method, entries=entries,
                                    counts=[pb.GradeCount(grade=k, count=v) for k, v in sorted(counts.items())],
                                    next_page_token=next_token(offset, limit, len(graded)), total_size=len(graded),
                                    graded=not reason_en, not_graded_reason_zh=reason_zh, not_graded_reason_en=reason_en,
                                    ties=[grade_tie(rule.code, request.period, tie, grade_of)
                                          for tie in boundary_ties(graded)])

    @rpc("office")
    def ResolveGradeTie(self, request, context, caller):
        _required(request, "scheme_code", "grading_code", "period")
        tie, resolved = self.review.resolve_tie(request.scheme_code, request.grading_code, request.period,
                                                list(request.order), dict(request.grades), request.reason, caller)
        return grade_tie(request.grading_code, request.period, tie, {g.id: g.grade for g in resolved})

    @rpc()
    def GetBulletin(self, request, context, caller):
        _required(request, "scheme_code", "period")
        scheme, before, categories, warnings = self.service.bulletin(request.scheme_code, request.period)

        def entry(e: dict) -> pb.BulletinEntry:
            unit = scheme.units[e["unit_id"]]
            return pb.BulletinEntry(rank=e["rank"], unit_id=unit.id, unit_name_zh=unit.name_zh, unit_name_en=unit.name_en,
                                    total=e["total"], previous_rank=e["previous_rank"], vs_previous=e["vs_previous"],
                                    incomplete=e["gaps"] > 0, gaps=e["gaps"])

        def key_indicator(k: dict) -> pb.KeyIndicatorBulletin:
            spec = self.service.specs_of(scheme)[k["indicator"]]
            names = next((i.get("name") or {} for i in scheme.document.get("indicators", [])
                          if i.get("code") == k["indicator"]), {})
            return pb.KeyIndicatorBulletin(
                indicator_code=k["indicator"], name_zh=names.get("zh") or spec.name_zh, name_en=names.get("en") or spec.name_en,
                metric_code=k["metric"], measurement_unit=k["measurement_unit"],
                rows=[key_row(scheme, row, k["gaps"].get(row.unit_id, 0)) for row in k["rows"]])

        return pb.Bulletin(
            scheme_code=scheme.code, scheme_version=scheme.version, period=request.period, previous_period=before,
            categories=[
                pb.CategoryBulletin(
                    category=c["category"]["code"], name_zh=c["category"].get("name", {}).get("zh", ""),
                    name_en=c["category"].get("name", {}).get("en", ""), ranking=[entry(e) for e in c["ranking"]],
                    risers=[entry(e) for e in c["risers"]], fallers=[entry(e) for e in c["fallers"]],
                    key_indicators=[key_indicator(k) for k in c["key_indicators"]])
                for c in categories
            ],
            warnings=[progress_entry(scheme, unit_id, code, p) for unit_id, code, p in warnings],
        )

    @rpc()
    def GetCompleteness(self, request, context, caller):
        _required(request, "scheme_code", "period")
        offset, limit = page_bounds(request.page_size, request.page_token)
        scheme, found = self.service.completeness(request.scheme_code, request.period)
        missing = found.missing()
        consumers = {code: spec.input_metrics for code, spec in self.service.specs_of(scheme).items()}
        return pb.GetCompletenessResponse(
            scheme_code=scheme.code, period=request.period,
            checked_through=found.checked_through.isoformat() if found.checked_through else "",
            expected_count=found.expected, gap_count=len(found.gaps), incomplete_units=len({g.unit_id for g in found.gaps}),
            gaps=[pb.CompletenessGap(
                unit_id=unit_id, unit_name_zh=scheme.units[unit_id].name_zh, unit_name_en=scheme.units[unit_id].name_en,
                metric_code=metric, missing_periods=[p.text for p in periods],
                indicator_codes=sorted({a.indicator for a in scheme.assignments_for(unit_id)
                                        if metric in consumers.get(a.indicator, ())}))
                for unit_id, metric, periods in missing[offset:offset + limit]],
            next_page_token=next_token(offset, limit, len(missing)), total_size=len(missing))

    @rpc()
    def GetProgress(self, request, context, caller):
        _required(request, "scheme_code", "period")
        offset, limit = page_bounds(request.page_size, request.page_token)
        scheme, check, tolerance, entries = self.service.progress(request.scheme_code, request.period)
        kept = [(unit_id, code, p) for unit_id, code, p in entries if p.warning or not request.warnings_only]
        return pb.GetProgressResponse(
            as_of=check.end.isoformat(), tolerance=tolerance,
            entries=[progress_entry(scheme, unit_id, code, p) for unit_id, code, p in kept[offset:offset + limit]],
            next_page_token=next_token(offset, limit, len(kept)), total_size=len(kept))

    @rpc()
    def GetEvent(self, request, context, caller):
        row, superseded_by = self.service.event(request.event_id)
        if caller.role != "office" and self.service.is_ballot(row):
            raise PermissionDenied(f"event {request.event_id} is a secret ballot: ballots are not readable one by one; "
                                   "the result's explanation gives their tally")
        fields = {k: row[k] for k in ("event_id", "source", "unit_id", "person_id", "metric_code", "value",
                                      "measurement_unit", "period", "observed_at", "reported_at", "revision_of",
                                      "evidence_ref", "kafka_topic", "kafka_partition", "kafka_offset")}
        return pb.StoredEvent(**fields, attributes=json.loads(row["attributes_json"]), superseded_by=superseded_by)

    @rpc()
    def ListIndicators(self, request, context, caller):
        specs, versions = self.service.specs, self.service.plugin_versions
        return pb.ListIndicatorsResponse(indicators=[
            pb.ActiveIndicator(code=code, name_zh=spec.name_zh, name_en=spec.name_en, kind=spec.kind,
                               plugin_version=versions[code], input_metrics=list(spec.input_metrics), formula=spec.formula)
            for code, spec in sorted(specs.items())
        ])

    # review ---------------------------------------------------------------
    @rpc()
    def ListPeriods(self, request, context, caller):
        _required(request, "scheme_code")
        offset, limit = page_bounds(request.page_size, request.page_token)
        wanted = STATE_NAMES.get(request.state) if request.state else None
        rows = self.review.periods(request.scheme_code, wanted)
        return pb.ListPeriodsResponse(periods=[period_status(row) for row in rows[offset:offset + limit]],
                                      next_page_token=next_token(offset, limit, len(rows)))

    def _act(self, action: str, request, caller) -> pb.PeriodStatus:
        _required(request, "scheme_code", "period")
        return period_status(self.review.act(action, request.scheme_code, request.period, caller, request.reason,
                                             request.override_findings_reason))

    @rpc("office")
    def LockPeriod(self, request, context, caller):
        return self._act("lock", request, caller)

    @rpc("office")
    def ReopenPeriod(self, request, context, caller):
        return self._act("reopen", request, caller)

    @rpc("office")
    def ApprovePeriod(self, request, context, caller):
        return self._act("approve", request, caller)

    @rpc("office")
    def PublishPeriod(self, request, context, caller):
        return self._act("publish", request, caller)

    @rpc("office", "reader")
    def RecheckPeriod(self, request, context, caller):
        _required(request, "scheme_code", "period")
        found = self.review.recheck(request.scheme_code, request.period)
        return pb.RecheckPeriodResponse(identical=found.identical, compared=found.compared,
                                        differences=list(found.differences), stored_digest=found.stored_digest,
                                        recomputed_digest=found.recomputed_digest)

    # findings (疑点) ---------------------------------------------------------
    @rpc("office")
    def ListFindings(self, request, context, caller):
        _required(request, "scheme_code")
        offset, limit = page_bounds(request.page_size, request.page_token)
        findings = self.review.findings
        rows, checked_at = findings.list_findings(request.scheme_code, request.period, request.state, request.min_severity)
        page = rows[offset:offset + limit]
        marks = findings.marks(request.scheme_code, [row["finding_key"] for row in page]) if page else {}
        scheme = self.service.scheme(request.scheme_code)
        return pb.ListFindingsResponse(
            findings=[finding_message(scheme, row, marks.get(row["finding_key"], [])) for row in page],
            next_page_token=next_token(offset, limit, len(rows)), total_size=len(rows),
            open_high=sum(1 for row in rows if row["state"] == "open" and row["severity"] == "high"),
            checked_at=checked_at,
            benford_tests=[benford_message(test) for test in findings.benford_tests(request.scheme_code)])

    @rpc("office")
    def MarkFinding(self, request, context, caller):
        _required(request, "scheme_code", "key")
        row = self.review.findings.mark(request.scheme_code, request.key, request.state, request.comment, caller)
        marks = self.review.findings.marks(request.scheme_code, [request.key])
        return finding_message(self.service.scheme(request.scheme_code), row, marks.get(request.key, []))

    # above the unit ---------------------------------------------------------
    @rpc()
    def GetPersonScore(self, request, context, caller):
        _required(request, "scheme_code", "person_id", "period")
        person, score, state = self.rollups.person(request.scheme_code, request.person_id, request.period)
        scheme = self.service.scheme_at(request.scheme_code, score["scheme_version"])  # the version that scored it
        rule = scheme.person_rule
        unit = scheme.units[score["unit_id"]]
        position = person.get("position") or {}
        weights = person_weights(scheme, rule, parse_period(request.period).kind, score) if rule else None
        secret = _secret_evidence(self.service, scheme, caller)
        return pb.PersonScore(
            scheme_code=scheme.code, scheme_version=score["scheme_version"], person_id=person["id"],
            name_zh=person.get("name_zh", ""), position_zh=position.get("zh", ""), position_en=position.get("en", ""),
            unit_id=unit.id, unit_name_zh=unit.name_zh, team_id=person.get("team", ""), period=request.period,
            total=score["total"], unit_total=score["unit_total"], unit_weight=weights.unit if weights else 0.0,
            personal_points=score["personal_points"], personal_weight=weights.personal if weights else 0.0,
            note=rule.explain(score["unit_total"], score["personal_points"], weights, score["deduction_points"]) if rule else "",
            deduction_points=score["deduction_points"], deduction_explanation=score["deduction_explanation"],
            deduction_evidence_event_ids=[] if rule and secret & set(rule.deductions)
            else json.loads(score["deduction_evidence_json"]),
            personal_status=score["personal_status"], explanation=score["explanation"],
            evidence_event_ids=[] if rule and rule.personal_indicator in secret else json.loads(score["evidence_json"]),
            plugin_version=score["plugin_version"],
            veto_cap=score["veto_cap"] or 0, veto_reason=score["veto_reason"], period_state=STATE_VALUES[state],
        )

    @rpc()
    def GetRegionScores(self, request, context, caller):
        _required(request, "scheme_code", "period")
        regions = self.rollups.regions(request.scheme_code, request.period)
        return pb.GetRegionScoresResponse(
            scheme_version=self.service.scheme(request.scheme_code).version,
            regions=[pb.RegionScore(rank=r.rank, region_id=r.region_id, name_zh=r.name_zh, name_en=r.name_en,
                                    score=r.score, units=r.units) for r in regions])

    @rpc()
    def ListConsequences(self, request, context, caller):
        _required(request, "scheme_code", "grading_code")
        offset, limit = page_bounds(request.page_size, request.page_token)
        findings = self.rollups.consequences(request.scheme_code, request.grading_code)
        return pb.ListConsequencesResponse(
            consequences=[
                pb.Consequence(subject=f.subject, unit_id=f.unit_id,
                               person_id=f.consequence.subject_id if f.subject == "person" else "", name_zh=f.name_zh,
                               rule=f.consequence.rule, action_zh=f.consequence.action_zh,
                               action_en=f.consequence.action_en, grade_history=list(f.grade_history),
                               provisional=f.provisional)
                for f in findings[offset:offset + limit]
            ],
            next_page_token=next_token(offset, limit, len(findings)))

    # score sheets (考核责任单位评分表) --------------------------------------------
    @rpc("office", "department", "department_head")
    def GetScoreSheet(self, request, context, caller):
        return score_sheet(self.sheets.get(request.scheme_code, request.indicator_code, request.period, caller))

    @rpc("department")
    def SaveScoreSheet(self, request, context, caller):
        rows = [SheetRow(r.unit_id, r.item, r.points, r.basis, r.evidence_ref) for r in request.rows]
        return score_sheet(self.sheets.save(request.scheme_code, request.indicator_code, request.period, rows, caller))

    @rpc("department_head")
    def SubmitScoreSheet(self, request, context, caller):
        return score_sheet(self.sheets.submit(request.scheme_code, request.indicator_code, request.period, caller))

    @rpc("office")
    def ReviewScoreSheet(self, request, context, caller):
        return score_sheet(self.sheets.review(request.scheme_code, request.indicator_code, request.period,
                                              request.decision, request.comment, caller))

    @rpc("department", "department_head")
    def RequestSheetCorrection(self, request, context, caller):
        return score_sheet(self.sheets.request_correction(request.scheme_code, request.indicator_code, request.period,
                                                          request.reason, caller))

    @rpc("office")
    def DecideSheetCorrection(self, request, context, caller):
        return score_sheet(self.sheets.decide_correction(request.scheme_code, request.indicator_code, request.period,
                                                         request.decision, request.reason, caller))

    @rpc("office", "department", "department_head")
    def ListScoreSheets(self, request, context, caller):
        return pb.ListScoreSheetsResponse(sheets=[score_sheet(status, full=False) for status in
                                                  self.sheets.list(request.scheme_code, request.period, caller)])


def score_sheet(status: SheetStatus, full: bool = True) -> pb.ScoreSheet:
    """A sheet's status as its message; without rows and history unless `full`."""
    sheet = status.sheet
    return pb.ScoreSheet(
        scheme_code=sheet.scheme_code, indicator_code=sheet.indicator_code, period=sheet.period,
        department=sheet.department, department_name_zh=status.definition.department_name_zh, version=sheet.version,
        state=sheet.state, signed_by=sheet.signed_by, signed_at=sheet.signed_at, digest=sheet.digest,
        review_comment=sheet.review_comment, reviewed_by=sheet.reviewed_by, reviewed_at=sheet.reviewed_at,
        correction_reason=sheet.correction_reason, due_date=status.due_date.isoformat(), late=status.late,
        content_digest=digest(sheet) if full else "",
        rows=[pb.ScoreSheetRow(unit_id=r.unit_id, item=r.item, points=r.points, basis=r.basis,
                               evidence_ref=r.evidence_ref) for r in sheet.rows] if full else [],
        history=[pb.ScoreSheetHistoryEntry(action=h.action, actor=h.actor, at=h.at, reason=h.reason, version=h.version)
                 for h in sheet.history] if full else [])


STATE_NAMES = {pb.PERIOD_STATE_OPEN: "open", pb.PERIOD_STATE_LOCKED: "locked",
               pb.PERIOD_STATE_APPROVED: "approved", pb.PERIOD_STATE_PUBLISHED: "published"}
STATE_VALUES = {name: value for value, name in STATE_NAMES.items()}


def period_status(row: dict) -> pb.PeriodStatus:
    return pb.PeriodStatus(state=STATE_VALUES[row["state"]], **{k: v for k, v in row.items() if k != "state"})


def benford_message(test) -> pb.BenfordTest:
    """A Benford test (domain/anomalies.BenfordTest) as its message; the numbers only when tested."""
    tested = {name: value for name in ("chi_square", "p_value", "mad")
              if (value := getattr(test, name)) is not None and math.isfinite(value)}
    return pb.BenfordTest(source=test.source, period=test.period, status=test.status, count=test.count,
                          digits=list(test.digits), conformity=test.conformity, reason_zh=test.reason_zh,
                          reason_en=test.reason_en, **tested)


def finding_message(scheme, row: dict, marks: list[dict]) -> pb.Finding:
    unit = scheme.units.get(row["unit_id"])
    kind_zh, kind_en = KIND_NAMES.get(row["kind"], (row["kind"], row["kind"]))
    return pb.Finding(
        key=row["finding_key"], scheme_code=row["scheme_code"], kind=row["kind"], kind_name_zh=kind_zh,
        kind_name_en=kind_en, severity=row["severity"], unit_id=row["unit_id"], unit_name_zh=unit.name_zh if unit else "",
        unit_name_en=unit.name_en if unit else "", other_unit_id=row["other_unit_id"], metric_code=row["metric_code"],
        period=row["period"], period_to=row["period_to"], source=row["source"], rule=row["rule"],
        message_zh=row["message_zh"], message_en=row["message_en"], evidence_event_ids=row["evidence"],
        numbers=row["numbers"], state=row["state"], comment=row["comment"], marked_by=row["marked_by"],
        marked_at=row["marked_at"], first_found_at=row["first_found_at"], last_found_at=row["last_found_at"],
        found_now=row["found_now"],
        marks=[pb.FindingMark(state_before=m["state_before"], state_after=m["state_after"], comment=m["comment"],
                              actor=m["actor"], at=m["at"]) for m in marks])


def grade_tie(grading_code: str, period: str, tie, grade_of: dict) -> pb.GradeTie:
    resolution = tie.resolution
    return pb.GradeTie(
        grading_code=grading_code, period=period, ids=list(tie.ids), total=tie.total, grades=list(tie.grades),
        slots=list(tie.slots), resolved=tie.resolved, order=list(resolution.order) if resolution else [],
        resolved_grades=[grade_of.get(i) or 0 for i in tie.ids] if resolution else [],
        resolved_by=resolution.by if resolution else "", resolved_at=resolution.at if resolution else "",
        reason=resolution.reason if resolution else "")


def progress_entry(scheme, unit_id: str, code: str, p) -> pb.ProgressEntry:
    unit = scheme.units[unit_id]
    return pb.ProgressEntry(
        unit_id=unit_id, unit_name_zh=unit.name_zh, unit_name_en=unit.name_en, indicator_code=code, actual=p.actual,
        target=p.target, measurement_unit=scheme.targets[(unit_id, code)].get("measurement_unit", ""),
        actual_share=p.actual_share, expected_share=p.expected_share, gap=p.gap, warning=p.warning,
    )


def key_row(scheme, row, gaps: int) -> pb.KeyIndicatorRow:
    unit = scheme.units[row.unit_id]
    return pb.KeyIndicatorRow(
        rank=row.rank, unit_id=row.unit_id, unit_name_zh=unit.name_zh, unit_name_en=unit.name_en,
        year_to_date=row.year_to_date, annual_plan=row.plan,
        completion=row.completion, expected_share=row.expected, ahead_points=row.ahead_points, warning=row.warning,
        previous_rank=row.previous_rank or 0, previous_completion=row.previous_completion,
        vs_previous_points=row.vs_previous_points, last_year_to_date=row.last_year, vs_last_year=row.vs_last_year,
        incomplete=gaps > 0, gaps=gaps)


def _team(team) -> pb.LeadershipTeam | None:
    if team is None:
        return None
    return pb.LeadershipTeam(team_id=team.team_id, name_zh=team.name_zh, name_en=team.name_en, score=team.score, members=[
        pb.TeamMember(person_id=m.person_id, name_zh=m.name_zh, position_zh=m.position_zh, position_en=m.position_en,
                      total=m.total) for m in team.members])


def _required(request, *fields: str) -> None:
    for field in fields:
        if not getattr(request, field):
            raise InvalidArgument(field, "is required")


def _secret_evidence(service, scheme, caller) -> frozenset[str]:
    """The indicators whose evidence (ballot event ids) this caller does not get: every
    ballot-based one for all but the office, which reads ballots with pseudonyms only."""
    return frozenset() if caller.role == "office" else service.ballot_indicators(scheme)
