"""The read side of scoring: rankings, unit scores, grades, progress,
bulletins and stored events, computed from what the write side stored.
A base of ScoringService, which supplies the schemes, the active plug-ins'
specs and the repository."""
from __future__ import annotations

import time
from collections.abc import Mapping

from sqlalchemy import Connection

from jixiao.common.errors import FailedPrecondition, InvalidArgument, NotFound
from jixiao.common.stages import PERIOD_KINDS
from jixiao_sdk.periods import Period, PeriodError, parse_period

from ..domain import completeness, ranking
from ..domain.bulletin import KeyFigure, KeyRow, LastYearFigure, key_rows, last_year_span, like_for_like, table_unit
from ..domain.grading import (
    DIMENSION_CRITERION,
    GradeEntry,
    GradingRule,
    TieResolution,
    grade_pool,
    rank_pool,
    stored_resolutions,
)
from ..domain.progress import (
    Progress,
    amount_in,
    milestones_from_target,
    previous_period,
    progress_at,
    same_period_last_year,
)
from ..domain.scheme_view import SchemeView
from ..domain.totals import Breakdown

SCORED_PERIOD_KINDS = PERIOD_KINDS  # scores exist for months, quarters and the year
COMPLETENESS_REUSE_S = 2.0


class ScoringQueries:
    def ranking(self, scheme_code: str, category: str, period: str) -> tuple[SchemeView, list[ranking.Ranked]]:
        scheme = self.scheme(scheme_code)
        check_period(period)
        if category not in {u.category for u in scheme.units.values()}:
            raise InvalidArgument("category", f"{category!r} is not a category of scheme {scheme_code}")
        return scheme, ranking.rank(self.repository.category_totals(scheme_code, category, period))

    def unit_score(self, scheme_code: str, unit_id: str, period: str):
        scheme = self.scheme(scheme_code)
        check_period(period)
        if unit_id not in scheme.units:
            raise InvalidArgument("unit_id", f"{unit_id!r} is not a unit of scheme {scheme_code}")
        score = self.repository.unit_score(scheme_code, unit_id, period)
        if score is None:
            raise NotFound(f"no score yet for unit {unit_id} in period {period}")
        ranks = ranking.rank(self.repository.category_totals(scheme_code, score["category"], period))
        rank = next(r.rank for r in ranks if r.unit_id == unit_id)
        results = self.repository.indicator_results_for(None, scheme_code, unit_id, [period])
        return scheme, score, rank, results

    def grades(self, scheme_code: str, grading_code: str, period: str) -> tuple[SchemeView, GradingRule, tuple]:
        """Grades of a grading rule's pool for a period (computed from the stored
        scores, with the office's resolutions of boundary ties); ranks only in a
        period the rule does not grade (`grading.not_graded_reason`)."""
        scheme = self.scheme(scheme_code)
        check_period(period)
        rule = self.grading_rule(scheme, grading_code)
        entries = self.grade_entries(scheme, rule, period)
        if not rule.grades_period(parse_period(period).kind):
            return scheme, rule, rank_pool(entries)
        return scheme, rule, grade_pool(rule, entries, self.tie_resolutions(scheme.code, rule.code, period))

    def grading_rule(self, scheme: SchemeView, grading_code: str) -> GradingRule:
        document = next((g for g in scheme.document.get("grading", []) if g.get("code") == grading_code), None)
        if document is None:
            codes = ", ".join(str(g.get("code")) for g in scheme.document.get("grading", []))
            raise InvalidArgument("grading_code", f"{grading_code!r} is not a grading rule of {scheme.code} ({codes})")
        try:
            rule = GradingRule.from_document(document)
        except (ValueError, TypeError, KeyError) as exc:
            raise FailedPrecondition(f"grading rule {grading_code!r} of {scheme.code} cannot be applied: {exc}") from None
        if rule.subject not in ("unit", "person"):
            raise FailedPrecondition(f"grading rule {grading_code!r} grades {rule.subject!r}, which is not supported")
        return rule

    def grade_entries(self, scheme: SchemeView, rule: GradingRule, period: str,
                      connection: Connection | None = None) -> list[GradeEntry]:
        """The pool's units or persons with their totals, caps and tie-break values
        (0 for those without a score yet); read inside `connection`'s transaction when given."""
        pool = set(rule.pool)
        if rule.subject == "person":
            scores = self.repository.period_person_scores(scheme.code, period, connection=connection)
            empty = {"total": 0.0, "veto_cap": None, "veto_reason": "", "personal_points": 0.0, "unit_total": 0.0}
            fields = {"personal_evaluation": "personal_points", "unit_total": "unit_total"}
            people = [(person, scores.get(person, empty)) for person, unit_id in scheme.person_unit.items()
                      if scheme.units[unit_id].category in pool]
            return [GradeEntry(person, row["total"], row["veto_cap"], row["veto_reason"],
                               tuple(float(row[fields[c]]) for c in rule.tie_breakers)) for person, row in people]
        scores = self.repository.period_scores(scheme.code, period, connection)
        reasons = self.repository.veto_reasons(scheme.code, period, connection)
        stored = self.repository.period_breakdowns(scheme.code, period, connection) if rule.tie_breakers else {}
        dimensions = {unit_id: Breakdown.parse(text).scores for unit_id, text in stored.items()}
        codes = [c.removeprefix(DIMENSION_CRITERION) for c in rule.tie_breakers]
        return [
            GradeEntry(unit.id, scores.get(unit.id, (0.0, None))[0], scores.get(unit.id, (0.0, None))[1],
                       reasons.get(unit.id, ""), tuple(float(dimensions.get(unit.id, {}).get(c, 0.0)) for c in codes))
            for unit in scheme.units.values() if unit.category in pool
        ]

    def tie_resolutions(self, scheme_code: str, grading_code: str, period: str) -> list[TieResolution]:
        """The office's resolutions of boundary ties of a rule in a period, oldest first."""
        return stored_resolutions(self.repository.tie_resolutions(scheme_code, grading_code, period))

    def progress(self, scheme_code: str, period: str) -> tuple[SchemeView, Period, float, list[tuple[str, str, Progress]]]:
        """Progress of every unit towards its amount targets at the end of `period`, the
        figures in the target's measurement unit (`progress.amount_in`)."""
        scheme = self.scheme(scheme_code)
        check_period(period)
        check = scheme.calendar.parse(period)
        year = scheme.year_period
        tolerance = float(scheme.document["scheme"].get("progress_tolerance", 0.1))
        plans = self.key_targets(scheme)
        specs = self.specs_of(scheme)
        metrics = {specs[t["indicator"]].input_metrics[0] for t in plans}
        done = self.repository.amounts(year.start, check.end, metrics) if plans else {}
        entries = []
        for t in sorted(plans, key=lambda t: (t["unit"], t["indicator"])):
            metric = specs[t["indicator"]].input_metrics[0]
            actual = _amount_in(done.get((t["unit"], metric), {}), t.get("measurement_unit", ""), t, metric)
            entries.append((t["unit"], t["indicator"], progress_at(
                check.end, year, actual, float(t["value"]), milestones_from_target(t, scheme.calendar), tolerance)))
        return scheme, check, tolerance, entries

    def key_targets(self, scheme: SchemeView) -> list[dict]:
        """The targets progress tracks (the bulletin's key indicators, 重点指标): amounts with a
        year's value, not a ratio, of an indicator that sums one metric."""
        specs = self.specs_of(scheme)
        return [
            t for t in scheme.targets.values()
            if t.get("value") and t.get("measurement_unit") != "ratio" and t["indicator"] in specs
            and specs[t["indicator"]].rollup == "sum" and len(specs[t["indicator"]].input_metrics) == 1
        ]

    def key_units(self, scheme: SchemeView) -> dict[tuple[str, str], str | None]:
        """(category, indicator) → the measurement unit of the bulletin's key-indicator table
        (`bulletin.table_unit` of its targets' units; None when they cannot be converted)."""
        units: dict[tuple[str, str], list[str]] = {}
        for t in self.key_targets(scheme):
            units.setdefault((scheme.units[t["unit"]].category, t["indicator"]), []).append(t.get("measurement_unit") or "")
        return {key: table_unit(found) for key, found in units.items()}

    def key_indicators(self, scheme: SchemeView, period: str, *, compare: bool = True) -> dict[tuple[str, str], list[KeyRow]]:
        """(category, indicator) → the bulletin's key-indicator rows at the end of `period`
        (domain/bulletin.py), in the table's unit (`key_units`); with `compare`, their change
        since the last bulletin and year on year (from the scheme's baselines only)."""
        check, year = scheme.calendar.parse(period), scheme.year_period
        tolerance = float(scheme.document["scheme"].get("progress_tolerance", 0.1))
        plans = self.key_targets(scheme)
        if not plans:
            return {}
        metric_of = {t["indicator"]: self.specs_of(scheme)[t["indicator"]].input_metrics[0] for t in plans}
        done = self.repository.amounts(year.start, check.end, set(metric_of.values()))
        table_units = self.key_units(scheme)
        grouped: dict[tuple[str, str], list[KeyFigure]] = {}
        for t in plans:
            unit_id, code = t["unit"], t["indicator"]
            metric, key = metric_of[code], (scheme.units[unit_id].category, code)
            own = t.get("measurement_unit") or ""
            unit = own if table_units[key] is None else table_units[key]
            actual = _amount_in(done.get((unit_id, metric), {}), unit, t, metric)
            plan = _amount_in({own: float(t["value"])}, unit, t, "plan")
            last_year = self._last_year_to_date(scheme, check, t, metric, unit) if compare else None
            progress = progress_at(check.end, year, actual, plan, milestones_from_target(t, scheme.calendar), tolerance)
            grouped.setdefault(key, []).append(KeyFigure(unit_id, progress, last_year))
        before: dict[tuple[str, str], list[KeyRow]] = {}
        if compare:
            earlier = previous_period(period, scheme.calendar)
            earlier_scheme = self.scheme_for_period(earlier)[0]
            if earlier_scheme is not None:
                before = self.key_indicators(earlier_scheme, earlier, compare=False)
        return {key: key_rows(figures, before.get(key, ())) for key, figures in grouped.items()}

    def _last_year_to_date(self, scheme: SchemeView, check: Period, target: dict, metric: str, unit: str) -> float | None:
        """Last year's figure of the target's unit and `metric` for the same span, in `unit`,
        where it is known like for like (domain/bulletin.py): from the scheme's baselines only,
        never from last year's stored events."""
        start, end = last_year_span(check.end, scheme.calendar)
        figures = [LastYearFigure(first, last, _amount_in({o.measurement_unit: o.value}, unit, target, f"baseline {o.period}"))
                   for first, last, o in scheme.baseline_observations(target["unit"], metric)
                   if start <= first and last <= end]
        return like_for_like(figures, start, end)

    def completeness(self, scheme_code: str, period: str) -> tuple[SchemeView, completeness.Completeness]:
        """The figures the scheme expects in `period` and which are missing (domain/completeness.py)."""
        scheme = self.scheme(scheme_code)
        check_period(period)
        if scheme.calendar.parse(period).year != scheme.year:
            raise InvalidArgument("period", f"{period} is not a period of scheme {scheme_code} ({scheme.year})")
        return scheme, self.completeness_of(scheme, period)

    def completeness_of(self, scheme: SchemeView, period: str) -> completeness.Completeness:
        """The check of `period` under `scheme`; nothing expected in a period of another year.

        Every ranking of a period asks for it (a results page: one per category), so a check
        is reused while this process has stored no event and for at most
        COMPLETENESS_REUSE_S (events another scoring process stores show by then)."""
        key = (scheme.code, scheme.version, period, id(self.specs), self.events_written)
        now = time.monotonic()
        reused = self._completeness.get(key)
        if reused is not None and now - reused[0] < COMPLETENESS_REUSE_S:
            return reused[1]
        found = self._check_completeness(scheme, period)
        if len(self._completeness) >= 64:
            self._completeness.clear()
        self._completeness[key] = (now, found)
        return found

    def _check_completeness(self, scheme: SchemeView, period: str) -> completeness.Completeness:
        check, year = scheme.calendar.parse(period), scheme.year_period
        expected = completeness.expectations(scheme, {code: spec.input_metrics
                                                      for code, spec in self.specs_of(scheme).items()})
        if not expected or check.year != scheme.year:
            return completeness.Completeness(check, None, 0, ())
        latest = self.repository.latest_figure_end(year.start, year.end)
        figures = self.repository.figure_spans(check.start, check.end, {e.metric for e in expected}) if latest else ()
        return completeness.check(check, year, expected, figures, latest)

    def total_in(self, scheme: SchemeView, unit_id: str, period: str) -> float | None:
        """A unit's total in any period, looked up under the scheme of that period's year."""
        other = self.scheme_for_period(period)[0]
        if other is None:
            return None
        score = self.repository.unit_score(other.code, unit_id, period)
        return score["total"] if score else None

    def deltas(self, scheme: SchemeView, unit_id: str, period: str, total: float) -> dict:
        previous, last_year = previous_period(period, scheme.calendar), same_period_last_year(period, scheme.calendar)
        before, year_ago = self.total_in(scheme, unit_id, previous), self.total_in(scheme, unit_id, last_year)
        return {"previous_period": previous, "vs_previous": None if before is None else total - before,
                "last_year_period": last_year, "vs_last_year": None if year_ago is None else total - year_ago}

    def bulletin(self, scheme_code: str, period: str) -> tuple[SchemeView, str, list[dict], list]:
        """Per category: the ranking with rank and total changes since the period
        before and each unit's gaps (completeness), the biggest risers and fallers,
        the key indicators (domain/bulletin.py), each table with its measurement unit;
        and the progress warnings. `period` must be a period of the scheme's year."""
        scheme = self.scheme(scheme_code)
        check_period(period)
        if scheme.calendar.parse(period).year != scheme.year:
            raise InvalidArgument("period", f"{period} is not a period of scheme {scheme_code} ({scheme.year})")
        before = previous_period(period, scheme.calendar)
        before_scheme = self.scheme_for_period(before)[0]
        found = self.completeness_of(scheme, period)
        gaps = found.gaps_by_unit()
        key = self.key_indicators(scheme, period)
        key_units = self.key_units(scheme)
        order = [i.get("code") for i in scheme.document.get("indicators", [])]
        categories = []
        for category in scheme.document.get("categories", []):
            ranked = ranking.rank(self.repository.category_totals(scheme_code, category["code"], period))
            earlier = {r.unit_id: r for r in ranking.rank(
                self.repository.category_totals(before_scheme.code, category["code"], before))} if before_scheme else {}
            entries = [{"rank": r.rank, "unit_id": r.unit_id, "total": r.total,
                        "previous_rank": earlier[r.unit_id].rank if r.unit_id in earlier else 0,
                        "vs_previous": r.total - earlier[r.unit_id].total if r.unit_id in earlier else None,
                        "gaps": gaps.get(r.unit_id, 0)}
                       for r in ranked]
            moved = [e for e in entries if e["previous_rank"] and e["previous_rank"] != e["rank"]]
            risers = sorted((e for e in moved if e["previous_rank"] > e["rank"]),
                            key=lambda e: (e["rank"] - e["previous_rank"], e["unit_id"]))[:3]
            fallers = sorted((e for e in moved if e["previous_rank"] < e["rank"]),
                             key=lambda e: (e["previous_rank"] - e["rank"], e["unit_id"]))[:3]
            indicators = sorted((code for cat, code in key if cat == category["code"]),
                                key=lambda code: (order.index(code) if code in order else len(order), code))
            key_indicators = [{
                "indicator": code, "metric": self.specs_of(scheme)[code].input_metrics[0],
                "measurement_unit": key_units.get((category["code"], code)) or "",
                "rows": key[(category["code"], code)],
                "gaps": found.gaps_by_unit({self.specs_of(scheme)[code].input_metrics[0]}),
            } for code in indicators]
            categories.append({"category": category, "ranking": entries, "risers": risers, "fallers": fallers,
                               "key_indicators": key_indicators})
        warnings = [entry for entry in self.progress(scheme_code, period)[3] if entry[2].warning]
        return scheme, before, categories, warnings

    def event(self, event_id: str) -> tuple[dict, str]:
        """A stored event and the id of the revision superseding it ('' if none)."""
        if not event_id:
            raise InvalidArgument("event_id", "is required")
        with self.engine.connect() as connection:
            row = self.repository.events_by_id(connection, [event_id]).get(event_id)
        if row is None:
            raise NotFound(f"event {event_id} is not stored")
        superseded = [r["revision_id"] for r in self.repository.revision_history(event_id) if r["original_id"] == event_id]
        return row, superseded[0] if superseded else ""

    def is_ballot(self, row: Mapping) -> bool:
        """Whether a stored event is a secret ballot (its metric has secret attributes)."""
        scheme, _ = self.scheme_for_period(row["period"])
        return scheme is not None and row["metric_code"] in scheme.secret_attributes

    def ballot_indicators(self, scheme: SchemeView) -> frozenset[str]:
        """Indicators computed from ballots: their evidence is their tally, not ballot ids."""
        ballots = set(scheme.secret_attributes)
        return frozenset(code for code, spec in self.specs_of(scheme).items() if ballots & set(spec.input_metrics))

    def ingest_counts(self) -> dict[str, int]:
        return {**self.repository.ingest_counts(), "pending_rescores": self.repository.pending_count()}


def _amount_in(amounts: dict[str, float], unit: str, target: dict, what: str) -> float:
    """`progress.amount_in`, a figure that cannot be converted refused as FailedPrecondition."""
    try:
        return amount_in(amounts, unit, f"{target['unit']}'s {what}")
    except ValueError as exc:
        raise FailedPrecondition(f"target {target['unit']}/{target['indicator']} is in {unit or 'CNY_100M'}: {exc}") from None


def check_period(period: str) -> None:
    try:
        kind = parse_period(period).kind
    except PeriodError as exc:
        raise InvalidArgument("period", str(exc)) from None
    if kind not in SCORED_PERIOD_KINDS:
        raise InvalidArgument("period", "scores exist for a year, quarter or month")
