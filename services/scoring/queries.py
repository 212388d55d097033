"""The read side of scoring: rankings, unit scores, grades, progress,
bulletins and stored events, computed from what the write side stored.
A base of ScoringService, which supplies the schemes, the active plug-ins'
specs and the repository."""
from __future__ import annotations

from jixiao.common.errors import FailedPrecondition, InvalidArgument, NotFound
from jixiao.common.periods import Period, PeriodError, parse_period

from .domain import ranking
from .domain.grading import GradeEntry, GradingRule, grade_pool
from .domain.progress import Progress, milestones_from_target, previous_period, progress_at, same_period_last_year
from .domain.scheme_view import SchemeView

SCORED_PERIOD_KINDS = ("month", "quarter", "year")


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
        """Grades of a grading rule's pool for a period (computed from the stored unit scores)."""
        scheme = self.scheme(scheme_code)
        check_period(period)
        document = next((g for g in scheme.document.get("grading", []) if g.get("code") == grading_code), None)
        if document is None:
            codes = ", ".join(str(g.get("code")) for g in scheme.document.get("grading", []))
            raise InvalidArgument("grading_code", f"{grading_code!r} is not a grading rule of {scheme_code} ({codes})")
        rule = GradingRule.from_document(document)
        pool = set(rule.pool)
        if rule.subject == "person":
            scores = self.repository.period_person_scores(scheme_code, period)
            empty = {"total": 0.0, "veto_cap": None, "veto_reason": ""}
            entries = [
                GradeEntry(person, scores.get(person, empty)["total"], scores.get(person, empty)["veto_cap"],
                           scores.get(person, empty)["veto_reason"])
                for person, unit_id in scheme.person_unit.items() if scheme.units[unit_id].category in pool
            ]
            return scheme, rule, grade_pool(rule, entries)
        if rule.subject != "unit":
            raise FailedPrecondition(f"grading rule {grading_code!r} grades {rule.subject!r}, which is not supported")
        scores = self.repository.period_scores(scheme_code, period)
        reasons = self.repository.veto_reasons(scheme_code, period)
        entries = [
            GradeEntry(unit.id, scores.get(unit.id, (0.0, None))[0], scores.get(unit.id, (0.0, None))[1],
                       reasons.get(unit.id, ""))
            for unit in scheme.units.values() if unit.category in pool
        ]
        return scheme, rule, grade_pool(rule, entries)

    def progress(self, scheme_code: str, period: str) -> tuple[SchemeView, Period, float, list[tuple[str, str, Progress]]]:
        """Progress of every unit towards its amount targets at the end of `period`."""
        scheme = self.scheme(scheme_code)
        check_period(period)
        check = parse_period(period)
        year = parse_period(str(scheme.year))
        tolerance = float(scheme.document["scheme"].get("progress_tolerance", 0.1))
        plans = [
            t for t in scheme.targets.values()
            if t.get("value") and t.get("measurement_unit") != "ratio" and t["indicator"] in self.specs
            and self.specs[t["indicator"]].rollup == "sum" and len(self.specs[t["indicator"]].input_metrics) == 1
        ]
        metrics = {self.specs[t["indicator"]].input_metrics[0] for t in plans}
        done = self.repository.amounts(year.start, check.end, metrics) if plans else {}
        entries = []
        for t in sorted(plans, key=lambda t: (t["unit"], t["indicator"])):
            actual = done.get((t["unit"], self.specs[t["indicator"]].input_metrics[0]), 0.0)
            entries.append((t["unit"], t["indicator"], progress_at(
                check.end, scheme.year, actual, float(t["value"]), milestones_from_target(t), tolerance)))
        return scheme, check, tolerance, entries

    def total_in(self, scheme: SchemeView, unit_id: str, period: str) -> float | None:
        """A unit's total in any period, looked up under the scheme of that period's year."""
        other = self._schemes_by_year.get(parse_period(period).year)
        if other is None:
            return None
        score = self.repository.unit_score(other.code, unit_id, period)
        return score["total"] if score else None

    def deltas(self, scheme: SchemeView, unit_id: str, period: str, total: float) -> dict:
        previous, last_year = previous_period(period), same_period_last_year(period)
        before, year_ago = self.total_in(scheme, unit_id, previous), self.total_in(scheme, unit_id, last_year)
        return {"previous_period": previous, "vs_previous": None if before is None else total - before,
                "last_year_period": last_year, "vs_last_year": None if year_ago is None else total - year_ago}

    def bulletin(self, scheme_code: str, period: str) -> tuple[SchemeView, str, list[dict], list]:
        """Per category: the ranking with rank and total changes since the period
        before, the biggest risers and fallers; and the progress warnings."""
        scheme = self.scheme(scheme_code)
        check_period(period)
        before = previous_period(period)
        before_scheme = self._schemes_by_year.get(parse_period(before).year)
        categories = []
        for category in scheme.document.get("categories", []):
            ranked = ranking.rank(self.repository.category_totals(scheme_code, category["code"], period))
            earlier = {r.unit_id: r for r in ranking.rank(
                self.repository.category_totals(before_scheme.code, category["code"], before))} if before_scheme else {}
            entries = [{"rank": r.rank, "unit_id": r.unit_id, "total": r.total,
                        "previous_rank": earlier[r.unit_id].rank if r.unit_id in earlier else 0,
                        "vs_previous": r.total - earlier[r.unit_id].total if r.unit_id in earlier else None}
                       for r in ranked]
            moved = [e for e in entries if e["previous_rank"] and e["previous_rank"] != e["rank"]]
            risers = sorted((e for e in moved if e["previous_rank"] > e["rank"]),
                            key=lambda e: (e["rank"] - e["previous_rank"], e["unit_id"]))[:3]
            fallers = sorted((e for e in moved if e["previous_rank"] < e["rank"]),
                             key=lambda e: (e["previous_rank"] - e["rank"], e["unit_id"]))[:3]
            categories.append({"category": category, "ranking": entries, "risers": risers, "fallers": fallers})
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

    def ingest_counts(self) -> dict[str, int]:
        return {**self.repository.ingest_counts(), "pending_rescores": self.repository.pending_count()}


def check_period(period: str) -> None:
    try:
        kind = parse_period(period).kind
    except PeriodError as exc:
        raise InvalidArgument("period", str(exc)) from None
    if kind not in SCORED_PERIOD_KINDS:
        raise InvalidArgument("period", "scores exist for a year, quarter or month")
