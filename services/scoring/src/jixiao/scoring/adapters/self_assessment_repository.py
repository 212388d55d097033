"""SQL storage of what a unit says of itself: its self-evaluation (the total, the summary and
the points per indicator) and its work reports (述职报告, every version kept).

Write methods take the caller's transaction; read methods open their own connection. The
self-evaluation's `scoring_self_evaluations` row and its `scoring_self_scores` rows are
replaced together, and every submission is appended to `scoring_self_evaluation_history`."""
from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, Engine, delete, func, select

from ..domain.self_evaluation import SelfScore
from .repository import ScoringRepository
from .sql_schema import indicator_results, self_evaluation_history, self_evaluations, self_scores, work_reports

_KEY = ("scheme_code", "unit_id", "period")
#: A work report's columns other than its content (listings leave the bytes out).
REPORT_FIELDS = tuple(c.name for c in work_reports.c if c.name != "content")


class SelfAssessmentRepository:
    def __init__(self, engine: Engine, scoring: ScoringRepository):
        self.engine = engine
        self.scoring = scoring

    # self-evaluations --------------------------------------------------------
    def save_self_evaluation(self, connection: Connection, row: dict, scores: Sequence[SelfScore]) -> None:
        for table in (self_evaluations, self_scores):
            connection.execute(delete(table).where(*(table.c[k] == row[k] for k in _KEY)))
        connection.execute(self_evaluations.insert(), [row])
        if scores:
            connection.execute(self_scores.insert(), [
                {**{k: row[k] for k in _KEY}, "indicator_code": s.indicator_code, "position": n, "points": s.points,
                 "basis": s.basis} for n, s in enumerate(scores)])
        connection.execute(self_evaluation_history.insert(), [{
            **{k: row[k] for k in (*_KEY, "total", "summary", "submitted_by", "submitted_at")},
            "scores_json": json.dumps([[s.indicator_code, s.points, s.basis] for s in scores], ensure_ascii=False)}])

    def self_evaluation_history(self, scheme_code: str, unit_id: str, period: str) -> list[dict]:
        """Every submission of the unit's self-evaluation for the period, oldest first."""
        query = select(self_evaluation_history).where(
            self_evaluation_history.c.scheme_code == scheme_code, self_evaluation_history.c.unit_id == unit_id,
            self_evaluation_history.c.period == period).order_by(self_evaluation_history.c.id)
        with self.engine.connect() as connection:
            return [{**dict(r), "scores": [SelfScore(*s) for s in json.loads(r["scores_json"])]}
                    for r in connection.execute(query).mappings()]

    def self_evaluation(self, scheme_code: str, unit_id: str, period: str) -> tuple[dict, list[SelfScore]] | None:
        found = self.period_self_evaluations(scheme_code, period, unit_id)
        return found.get(unit_id)

    def period_self_evaluations(self, scheme_code: str, period: str,
                                unit_id: str | None = None) -> dict[str, tuple[dict, list[SelfScore]]]:
        """{unit id: (the self-evaluation row, its scores in the order given)} of a period."""
        where = [self_evaluations.c.scheme_code == scheme_code, self_evaluations.c.period == period]
        score_where = [self_scores.c.scheme_code == scheme_code, self_scores.c.period == period]
        if unit_id is not None:
            where.append(self_evaluations.c.unit_id == unit_id)
            score_where.append(self_scores.c.unit_id == unit_id)
        with self.engine.connect() as connection:
            rows = {r["unit_id"]: dict(r) for r in connection.execute(select(self_evaluations).where(*where)).mappings()}
            scores: dict[str, list[SelfScore]] = {}
            for r in connection.execute(select(self_scores).where(*score_where).order_by(
                    self_scores.c.unit_id, self_scores.c.position)).mappings():
                scores.setdefault(r["unit_id"], []).append(SelfScore(r["indicator_code"], r["points"], r["basis"]))
        return {unit: (row, scores.get(unit, [])) for unit, row in rows.items()}

    def indicator_results(self, scheme_code: str, period: str, unit_ids: Sequence[str]) -> list[dict]:
        """The stored indicator results of the units in a period (unit, indicator, status, points), in one query."""
        if not unit_ids:
            return []
        query = select(indicator_results.c.unit_id, indicator_results.c.indicator_code, indicator_results.c.status,
                       indicator_results.c.points).where(
            indicator_results.c.scheme_code == scheme_code, indicator_results.c.period == period,
            indicator_results.c.unit_id.in_(list(unit_ids)))
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(query).mappings()]

    # work reports --------------------------------------------------------------
    def add_work_report(self, connection: Connection, row: dict) -> dict:
        """Stores `row` (without id and version) as the next version of its (scheme, unit,
        person, period); returns it with id and version, without the content."""
        key = (row["scheme_code"], row["unit_id"], row["person_id"], row["period"])
        self.scoring.lock_units(connection, ["work-report/" + "/".join(key)])
        latest = connection.execute(select(func.max(work_reports.c.version)).where(
            work_reports.c.scheme_code == key[0], work_reports.c.unit_id == key[1],
            work_reports.c.person_id == key[2], work_reports.c.period == key[3])).scalar()
        stored = {**row, "version": (latest or 0) + 1}
        result = connection.execute(work_reports.insert().values(**stored))
        stored["id"] = result.inserted_primary_key[0]
        return {k: stored[k] for k in REPORT_FIELDS}

    def work_reports(self, scheme_code: str, unit_id: str, period: str = "") -> list[dict]:
        """Every version of the unit's reports (its team's and its leaders'), newest first, without content."""
        query = select(*(work_reports.c[k] for k in REPORT_FIELDS)).where(
            work_reports.c.scheme_code == scheme_code, work_reports.c.unit_id == unit_id)
        if period:
            query = query.where(work_reports.c.period == period)
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(query.order_by(
                work_reports.c.period.desc(), work_reports.c.person_id, work_reports.c.version.desc())).mappings()]

    def work_report(self, scheme_code: str, report_id: int) -> tuple[dict, bytes] | None:
        query = select(work_reports).where(work_reports.c.scheme_code == scheme_code, work_reports.c.id == report_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        return {k: row[k] for k in REPORT_FIELDS}, bytes(row["content"])
