"""SQL repository of the scoring service.

Write methods take the connection of the caller's transaction, so that an
ingest batch (events, indicator results, unit scores, counters) commits as
one unit of work; read methods open their own connection.
"""
from __future__ import annotations

import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from sqlalchemy import Connection, Date, Engine, TextClause, and_, bindparam, delete, func, select, text, update

from jixiao.common.storage import insert_ignoring_duplicates

from ..domain.score_sheets import HistoryEntry, Sheet, SheetRow
from .sql_schema import (
    counters,
    event_revisions,
    events,
    finding_marks,
    findings,
    indicator_results,
    pending_rescores,
    period_actions,
    period_states,
    person_scores,
    schemes,
    sheet_history,
    sheet_rows,
    sheet_versions,
    tie_resolutions,
    unit_scores,
)

CHUNK = 500
LOOKUP_CHUNK = 10_000  # ids per lookup bound as one parameter (`_one_of`)
_RESULT_KEY = ("scheme_code", "unit_id", "period", "indicator_code")
_SCORE_KEY = ("scheme_code", "unit_id", "period")
_DELETE_RESULT = delete(indicator_results).where(*(indicator_results.c[k] == bindparam(k) for k in _RESULT_KEY))
_DELETE_SCORE = delete(unit_scores).where(*(unit_scores.c[k] == bindparam(k) for k in _SCORE_KEY))
_PERSON_KEY = ("scheme_code", "person_id", "period")
_DELETE_PERSON = delete(person_scores).where(*(person_scores.c[k] == bindparam(k) for k in _PERSON_KEY))


_SHEET_KEY = ("scheme_code", "indicator_code", "period")
_SHEET_FIELDS = ("department", "state", "signed_by", "signed_at", "digest", "review_comment", "reviewed_by",
                 "reviewed_at", "correction_reason")


class ScoringRepository:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._insert_event = insert_ignoring_duplicates(events, engine)
        self._insert_counter = insert_ignoring_duplicates(counters, engine)
        self._event_values = operator.itemgetter(*(c.name for c in events.columns))
        self._date_positions = [i for i, c in enumerate(events.columns) if isinstance(c.type, Date)]
        self._plain_insert = (f"INSERT INTO {events.name} ({', '.join(c.name for c in events.columns)}) "
                              f"VALUES ({', '.join('?' for _ in events.columns)})")

    @contextmanager
    def _reading(self, connection: Connection | None) -> Iterator[Connection]:
        """The caller's connection (a read inside its transaction), else one of our own."""
        if connection is not None:
            yield connection
            return
        with self.engine.connect() as own:
            yield own

    # events -------------------------------------------------------------
    def store_new_events(self, connection: Connection, rows: Sequence[dict]) -> list[dict]:
        """Stores the rows whose event id is not stored yet; returns those rows.

        One INSERT … ON CONFLICT DO NOTHING RETURNING: exact even when two
        scoring processes store the same event at the same moment.
        """
        unique: dict[str, dict] = {}
        for row in rows:
            unique.setdefault(row["event_id"], row)
        if not unique:
            return []
        if self.engine.dialect.name != "sqlite":
            inserted = set(connection.execute(self._insert_event.returning(events.c.event_id), list(unique.values())).scalars())
            return [row for event_id, row in unique.items() if event_id in inserted]
        # SQLite: one scoring process per file and one writer at a time, so the
        # ids not stored yet are exactly the new ones; a plain executemany is
        # several times faster than INSERT … RETURNING row by row.
        stored = self._stored_ids(connection, list(unique))
        new = [row for event_id, row in unique.items() if event_id not in stored]
        if new:
            values = [self._event_values(row) for row in new]
            for position in self._date_positions:  # stored as SQLAlchemy's Date type stores them: ISO text
                for i, item in enumerate(values):
                    values[i] = (*item[:position], item[position].isoformat(), *item[position + 1:])
            connection.exec_driver_sql(self._plain_insert, values)
        return new

    def _stored_ids(self, connection: Connection, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), LOOKUP_CHUNK):
            query = select(events.c.event_id).where(self._one_of(events.c.event_id, ids[start:start + LOOKUP_CHUNK]))
            found.update(connection.execute(query).scalars())
        return found

    def _one_of(self, column, values: Sequence) -> TextClause:
        """`column IN (values)` bound as one parameter: SQLAlchemy renders an
        expanding IN anew on every execution, which for a batch's ids costs
        more than the query itself."""
        where = f"{column.table.name}.{column.name}"
        if self.engine.dialect.name == "postgresql":
            return text(f"{where} = ANY(:values)").bindparams(values=list(values))
        return text(f"{where} IN (SELECT value FROM json_each(:values))").bindparams(values=json.dumps(list(values)))

    def lock_units(self, connection: Connection, keys: Iterable[str]) -> None:
        """Serialises rescoring of the same units across scoring processes (PostgreSQL).

        Taken in sorted order, before the units' events are read, and held
        until the transaction ends; SQLite serialises writers itself.
        """
        if self.engine.dialect.name != "postgresql":
            return
        for key in sorted(set(keys)):
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})

    def unit_events(self, connection: Connection, unit_id: str, start: date, end: date,
                    metrics: Iterable[str] | None = None) -> list:
        """Unit-level events of a unit whose period lies inside [start, end] (of some metrics only)."""
        query = select(events).where(
            events.c.unit_id == unit_id,
            events.c.person_id == "",
            events.c.period_start >= start,
            events.c.period_end <= end,
            events.c.event_id.not_in(select(event_revisions.c.original_id)),  # superseded by a revision
        ).order_by(events.c.event_id)
        if metrics is not None:
            query = query.where(events.c.metric_code.in_(sorted(metrics)))
        return list(connection.execute(query).mappings())

    def unit_event_spans(self, connection: Connection, unit_id: str, start: date, end: date) -> set[tuple[date, date]]:
        """The distinct (period_start, period_end) of a unit's unit-level events inside [start, end]:
        which periods the unit has figures in."""
        query = select(events.c.period_start, events.c.period_end).where(
            events.c.unit_id == unit_id,
            events.c.person_id == "",
            events.c.period_start >= start,
            events.c.period_end <= end,
            events.c.event_id.not_in(select(event_revisions.c.original_id)),
        ).distinct()
        return {(row[0], row[1]) for row in connection.execute(query)}

    def person_events(self, connection: Connection, unit_id: str, start: date, end: date) -> list:
        """Person-level events of a unit's people whose period lies inside [start, end]."""
        query = select(events).where(
            events.c.unit_id == unit_id,
            events.c.person_id != "",
            events.c.period_start >= start,
            events.c.period_end <= end,
            events.c.event_id.not_in(select(event_revisions.c.original_id)),
        ).order_by(events.c.event_id)
        return list(connection.execute(query).mappings())

    def amounts(self, start: date, end: date, metrics: Iterable[str]) -> dict[tuple[str, str], dict[str, float]]:
        """(unit id, metric) → measurement unit → sum of the unit-level values of `metrics`
        reported for [start, end] in that unit, of the events no revision supersedes. Values
        in different units are never added here: the caller converts them
        (`progress.amount_in`)."""
        query = select(events.c.unit_id, events.c.metric_code, events.c.measurement_unit, func.sum(events.c.value)).where(
            events.c.person_id == "",
            events.c.metric_code.in_(sorted(set(metrics))),
            events.c.period_start >= start,
            events.c.period_end <= end,
            events.c.event_id.not_in(select(event_revisions.c.original_id)),
        ).group_by(events.c.unit_id, events.c.metric_code, events.c.measurement_unit)
        found: dict[tuple[str, str], dict[str, float]] = {}
        with self.engine.connect() as connection:
            for unit, metric, measurement_unit, total in connection.execute(query):
                found.setdefault((unit, metric), {})[measurement_unit or ""] = float(total)
        return found

    def figure_spans(self, start: date, end: date, metrics: Iterable[str] | None = None) -> set[tuple[str, str, date, date]]:
        """The distinct (unit_id, metric_code, period_start, period_end) of the unit-level events
        no revision supersedes whose period lies inside [start, end] (of some metrics only):
        which units reported which metrics for which periods (completeness)."""
        query = select(events.c.unit_id, events.c.metric_code, events.c.period_start, events.c.period_end).where(
            events.c.person_id == "",
            events.c.period_start >= start,
            events.c.period_end <= end,
            events.c.event_id.not_in(select(event_revisions.c.original_id)),
        ).distinct()
        if metrics is not None:
            query = query.where(events.c.metric_code.in_(sorted(set(metrics))))
        with self.engine.connect() as connection:
            return {(row[0], row[1], row[2], row[3]) for row in connection.execute(query)}

    def latest_figure_end(self, start: date, end: date) -> date | None:
        """The latest period end of the unit-level events no revision supersedes inside [start, end]."""
        query = select(func.max(events.c.period_end)).where(
            events.c.person_id == "",
            events.c.period_start >= start,
            events.c.period_end <= end,
            events.c.event_id.not_in(select(event_revisions.c.original_id)),
        )
        with self.engine.connect() as connection:
            found = connection.execute(query).scalar()
        return date.fromisoformat(found) if isinstance(found, str) else found

    def unit_figures(self, start: date, end: date, metrics: Iterable[str] | None = None) -> list:
        """The unit-level events no revision supersedes whose period lies inside [start, end]
        (of `metrics`, or all): unit_id, metric_code, period, period_start, period_end, value,
        measurement_unit."""
        query = select(events.c.unit_id, events.c.metric_code, events.c.period, events.c.period_start,
                       events.c.period_end, events.c.value, events.c.measurement_unit).where(
            events.c.person_id == "",
            events.c.period_start >= start,
            events.c.period_end <= end,
            events.c.event_id.not_in(select(event_revisions.c.original_id)),
        )
        if metrics is not None:
            query = query.where(events.c.metric_code.in_(sorted(set(metrics))))
        with self.engine.connect() as connection:
            return list(connection.execute(query).mappings())

    def unit_totals(self, connection: Connection, scheme_code: str, unit_id: str, periods: Iterable[str]) -> dict[str, float]:
        query = select(unit_scores.c.period, unit_scores.c.total).where(
            unit_scores.c.scheme_code == scheme_code, unit_scores.c.unit_id == unit_id,
            unit_scores.c.period.in_(sorted(set(periods))))
        return {row.period: row.total for row in connection.execute(query)}

    def stored_person_scores(self, connection: Connection, scheme_code: str, unit_id: str,
                             periods: Iterable[str]) -> dict[tuple[str, str], dict]:
        """(person id, period) → stored person score row, for a unit's people."""
        query = select(person_scores).where(
            person_scores.c.scheme_code == scheme_code, person_scores.c.unit_id == unit_id,
            person_scores.c.period.in_(sorted(set(periods))))
        return {(row["person_id"], row["period"]): dict(row) for row in connection.execute(query).mappings()}

    def replace_person_scores(self, connection: Connection, rows: Sequence[dict]) -> None:
        if rows:
            connection.execute(_DELETE_PERSON, [{k: row[k] for k in _PERSON_KEY} for row in rows])
            connection.execute(person_scores.insert(), list(rows))

    def period_person_scores(self, scheme_code: str, period: str, person_ids: Iterable[str] | None = None,
                             connection: Connection | None = None) -> dict[str, dict]:
        """person id → stored score row for a period: of every person, or of `person_ids` only."""
        query = select(person_scores).where(person_scores.c.scheme_code == scheme_code, person_scores.c.period == period)
        if person_ids is not None:
            query = query.where(person_scores.c.person_id.in_(sorted(set(person_ids))))
        with self._reading(connection) as connection:
            return {row["person_id"]: dict(row) for row in connection.execute(query).mappings()}

    def events_by_id(self, connection: Connection, ids: Iterable[str]) -> dict[str, dict]:
        ids = sorted(set(ids))
        found: dict[str, dict] = {}
        for start in range(0, len(ids), LOOKUP_CHUNK):
            query = select(events).where(self._one_of(events.c.event_id, ids[start:start + LOOKUP_CHUNK]))
            found.update({row["event_id"]: dict(row) for row in connection.execute(query).mappings()})
        return found

    def event_attributes(self, connection: Connection, start: date, end: date,
                         metrics: Iterable[str]) -> list[tuple[str, str, str]]:
        """(event id, metric code, attributes_json) of the events of `metrics` inside [start, end]."""
        query = select(events.c.event_id, events.c.metric_code, events.c.attributes_json).where(
            events.c.metric_code.in_(sorted(set(metrics))), events.c.period_start >= start, events.c.period_end <= end)
        return [(row.event_id, row.metric_code, row.attributes_json) for row in connection.execute(query)]

    def set_event_attributes(self, connection: Connection, changes: Sequence[tuple[str, str]]) -> None:
        """Rewrites the attributes of stored events: (event id, attributes_json)."""
        if changes:
            connection.execute(update(events).where(events.c.event_id == bindparam("id")).values(
                attributes_json=bindparam("attributes")), [{"id": i, "attributes": a} for i, a in changes])

    def revisions_of(self, connection: Connection, originals: Iterable[str]) -> dict[str, str]:
        """original id → the id of the revision that supersedes it."""
        originals = sorted(set(originals))
        found: dict[str, str] = {}
        for start in range(0, len(originals), LOOKUP_CHUNK):
            query = select(event_revisions).where(
                self._one_of(event_revisions.c.original_id, originals[start:start + LOOKUP_CHUNK]))
            found.update({row.original_id: row.revision_id for row in connection.execute(query)})
        return found

    def add_revisions(self, connection: Connection, rows: Sequence[dict]) -> None:
        if rows:
            connection.execute(event_revisions.insert(), [
                {"original_id": r["revision_of"], "revision_id": r["event_id"], "source": r["source"],
                 "reported_at": r["reported_at"]} for r in rows
            ])

    def withdraw_revisions(self, connection: Connection, ids: Sequence[str]) -> None:
        """Deletes stored revisions and the supersessions they made."""
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start:start + CHUNK])
            connection.execute(event_revisions.delete().where(event_revisions.c.revision_id.in_(chunk)))
            connection.execute(events.delete().where(events.c.event_id.in_(chunk)))

    def revision_history(self, event_id: str) -> list:
        """The audit trail around an event: the revisions it made or received."""
        with self.engine.connect() as connection:
            query = select(event_revisions).where(
                (event_revisions.c.original_id == event_id) | (event_revisions.c.revision_id == event_id))
            return list(connection.execute(query).mappings())

    def units_with_events(self, connection: Connection, start: date, end: date) -> list[str]:
        query = select(events.c.unit_id).where(events.c.period_start >= start, events.c.period_end <= end).distinct()
        return sorted(connection.execute(query).scalars())

    # schemes ------------------------------------------------------------
    def save_scheme(self, connection: Connection, code: str, version: int, year: int, digest: str, document: dict) -> None:
        # A published version never changes: storing it again (another scoring
        # process did, or a restart) changes nothing.
        connection.execute(insert_ignoring_duplicates(schemes, self.engine).values(
            code=code, version=version, year=year, digest=digest,
            document_json=json.dumps(document, ensure_ascii=False, sort_keys=True),
        ))

    def latest_schemes(self) -> list[tuple[int, dict]]:
        """(version, document) of the newest stored version of every scheme code."""
        newest = select(schemes.c.code, func.max(schemes.c.version).label("version")).group_by(schemes.c.code).subquery()
        query = select(schemes.c.version, schemes.c.document_json).join(
            newest, and_(schemes.c.code == newest.c.code, schemes.c.version == newest.c.version)
        )
        with self.engine.connect() as connection:
            return [(row.version, json.loads(row.document_json)) for row in connection.execute(query)]

    # results ------------------------------------------------------------
    def replace_indicator_results(self, connection: Connection, rows: Sequence[dict]) -> None:
        if not rows:
            return
        connection.execute(_DELETE_RESULT, [{k: row[k] for k in _RESULT_KEY} for row in rows])
        connection.execute(indicator_results.insert(), list(rows))

    def delete_indicator_results(self, connection: Connection, keys: Sequence[dict]) -> None:
        """Deletes the results named by scheme_code, unit_id, period and indicator_code."""
        if keys:
            connection.execute(_DELETE_RESULT, list(keys))

    def delete_unit_scores(self, connection: Connection, keys: Sequence[dict]) -> None:
        """Deletes the unit scores named by scheme_code, unit_id and period."""
        if keys:
            connection.execute(_DELETE_SCORE, list(keys))

    def delete_person_scores(self, connection: Connection, scheme_code: str, unit_id: str, periods: Sequence[str]) -> None:
        if periods:
            connection.execute(delete(person_scores).where(
                person_scores.c.scheme_code == scheme_code, person_scores.c.unit_id == unit_id,
                person_scores.c.period.in_(list(periods))))

    def delete_results(self, connection: Connection, scheme_code: str, unit_id: str, periods: Iterable[str]) -> None:
        """Forgets a unit's indicator results and scores, and its people's, for
        some periods (before a full recompute of them)."""
        periods = sorted(set(periods))
        for table in (indicator_results, unit_scores, person_scores):
            connection.execute(delete(table).where(table.c.scheme_code == scheme_code, table.c.unit_id == unit_id,
                                                   table.c.period.in_(periods)))

    def indicator_results_for(self, connection: Connection | None, scheme_code: str, unit_id: str,
                              periods: Iterable[str]) -> list:
        query = select(indicator_results).where(
            indicator_results.c.scheme_code == scheme_code,
            indicator_results.c.unit_id == unit_id,
            indicator_results.c.period.in_(list(periods)),
        ).order_by(indicator_results.c.period, indicator_results.c.indicator_code)
        if connection is not None:
            return list(connection.execute(query).mappings())
        with self.engine.connect() as own:
            return list(own.execute(query).mappings())

    def result_plugin_versions(self) -> set[str]:
        """The "name==version" of every plug-in behind a stored result."""
        with self.engine.connect() as connection:
            query = select(indicator_results.c.plugin_version).distinct()
            return {v for v in connection.execute(query).scalars() if v}

    def replace_unit_scores(self, connection: Connection, rows: Sequence[dict]) -> None:
        if not rows:
            return
        connection.execute(_DELETE_SCORE, [{k: row[k] for k in _SCORE_KEY} for row in rows])
        connection.execute(unit_scores.insert(), list(rows))

    def unit_score(self, scheme_code: str, unit_id: str, period: str):
        query = select(unit_scores).where(
            unit_scores.c.scheme_code == scheme_code, unit_scores.c.unit_id == unit_id, unit_scores.c.period == period
        )
        with self.engine.connect() as connection:
            return connection.execute(query).mappings().first()

    def category_totals(self, scheme_code: str, category: str, period: str) -> list[tuple[str, float]]:
        query = select(unit_scores.c.unit_id, unit_scores.c.total).where(
            unit_scores.c.scheme_code == scheme_code, unit_scores.c.category == category, unit_scores.c.period == period
        )
        with self.engine.connect() as connection:
            return [(row.unit_id, row.total) for row in connection.execute(query)]

    def period_scores(self, scheme_code: str, period: str,
                      connection: Connection | None = None) -> dict[str, tuple[float, int | None]]:
        """unit id → (total, veto cap) of every scored unit for a period."""
        query = select(unit_scores.c.unit_id, unit_scores.c.total, unit_scores.c.veto_cap).where(
            unit_scores.c.scheme_code == scheme_code, unit_scores.c.period == period)
        with self._reading(connection) as connection:
            return {row.unit_id: (row.total, row.veto_cap) for row in connection.execute(query)}

    def period_breakdowns(self, scheme_code: str, period: str, connection: Connection | None = None) -> dict[str, str]:
        """unit id → its stored dimension breakdown (`dimensions_json`), for a period."""
        query = select(unit_scores.c.unit_id, unit_scores.c.dimensions_json).where(
            unit_scores.c.scheme_code == scheme_code, unit_scores.c.period == period)
        with self._reading(connection) as connection:
            return {row.unit_id: row.dimensions_json for row in connection.execute(query)}

    def veto_reasons(self, scheme_code: str, period: str, connection: Connection | None = None) -> dict[str, str]:
        """unit id → the reasons of the vetoes behind its cap, joined."""
        query = select(indicator_results.c.unit_id, indicator_results.c.veto_reason).where(
            indicator_results.c.scheme_code == scheme_code, indicator_results.c.period == period,
            indicator_results.c.veto_cap.is_not(None)).order_by(indicator_results.c.unit_id, indicator_results.c.indicator_code)
        reasons: dict[str, list[str]] = {}
        with self._reading(connection) as connection:
            for row in connection.execute(query):
                reasons.setdefault(row.unit_id, []).append(row.veto_reason)
        return {unit: "; ".join(r) for unit, r in reasons.items()}

    def units_scored(self, connection: Connection, scheme_code: str, period: str) -> list[str]:
        query = select(unit_scores.c.unit_id).where(unit_scores.c.scheme_code == scheme_code, unit_scores.c.period == period)
        return sorted(connection.execute(query).scalars())

    def period_results(self, connection: Connection, scheme_code: str, period: str) -> dict[str, list[dict]]:
        """Every stored result of a period (indicator results, unit and person
        scores), in a stable order: what a period's digest covers."""
        found = {}
        for name, table, key in (("indicator_results", indicator_results, ("unit_id", "indicator_code")),
                                 ("unit_scores", unit_scores, ("unit_id",)),
                                 ("person_scores", person_scores, ("person_id",))):
            query = select(table).where(table.c.scheme_code == scheme_code, table.c.period == period).order_by(
                *(table.c[k] for k in key))
            found[name] = [dict(row) for row in connection.execute(query).mappings()]
        return found

    def scheme_document(self, code: str, version: int, connection: Connection | None = None) -> dict | None:
        query = select(schemes.c.document_json).where(schemes.c.code == code, schemes.c.version == version)
        with self._reading(connection) as connection:
            found = connection.execute(query).scalar_one_or_none()
        return json.loads(found) if found is not None else None

    # review -------------------------------------------------------------
    def lock_periods(self, connection: Connection, scheme_code: str, *, exclusive: bool) -> None:
        """Orders ingest (shared) against period actions (exclusive) across
        scoring processes (PostgreSQL), so no batch checked against a period's
        old state commits after the period is locked."""
        if self.engine.dialect.name != "postgresql":
            return
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        connection.execute(text(f"SELECT {function}(hashtextextended(:key, 0))"), {"key": f"periods/{scheme_code}"})

    def period_states(self, connection: Connection | None, scheme_code: str) -> dict[str, dict]:
        """period → its stored review state row (periods never acted on are absent: open)."""
        query = select(period_states).where(period_states.c.scheme_code == scheme_code)
        if connection is not None:
            return {row["period"]: dict(row) for row in connection.execute(query).mappings()}
        with self.engine.connect() as own:
            return {row["period"]: dict(row) for row in own.execute(query).mappings()}

    def scored_periods(self, scheme_code: str) -> list[str]:
        query = select(unit_scores.c.period).where(unit_scores.c.scheme_code == scheme_code).distinct()
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def save_period_state(self, connection: Connection, row: dict, action: dict) -> None:
        connection.execute(delete(period_states).where(period_states.c.scheme_code == row["scheme_code"],
                                                       period_states.c.period == row["period"]))
        connection.execute(period_states.insert(), [row])
        connection.execute(period_actions.insert(), [action])

    def save_period_action(self, connection: Connection, action: dict) -> None:
        """Records an action that leaves the period's state as it is (a tie's resolution)."""
        connection.execute(period_actions.insert(), [action])

    def period_actions(self, scheme_code: str, period: str) -> list[dict]:
        query = select(period_actions).where(period_actions.c.scheme_code == scheme_code,
                                             period_actions.c.period == period).order_by(period_actions.c.id)
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]

    def add_tie_resolution(self, connection: Connection, row: dict) -> None:
        """Appends one resolution of a boundary tie (rows are never changed): `order`
        the ids in the order decided, or empty for a decision by grades; `grades` the
        grade each tied id gets (as given, for a decision by grades), whose counts are
        the tie's places when it was resolved."""
        connection.execute(tie_resolutions.insert(), [{
            **{k: row[k] for k in ("scheme_code", "grading_code", "period", "total", "reason", "actor", "at")},
            "tied_ids_json": json.dumps(list(row["tied_ids"]), ensure_ascii=False),
            "order_json": json.dumps(list(row["order"]), ensure_ascii=False),
            "grades_json": json.dumps(row["grades"], ensure_ascii=False, sort_keys=True),
        }])

    def tie_resolutions(self, scheme_code: str, grading_code: str, period: str) -> list[dict]:
        """The resolutions of a rule's boundary ties in a period, oldest first, each
        with the tie's places when it was resolved (`tie_grades`, best first, and
        `tie_slots`, how many places of each: the counts of its `grades`) and the
        decision as given: `order`, or, when that is empty, `assigned` (= `grades`)."""
        query = select(tie_resolutions).where(
            tie_resolutions.c.scheme_code == scheme_code, tie_resolutions.c.grading_code == grading_code,
            tie_resolutions.c.period == period).order_by(tie_resolutions.c.id)
        with self.engine.connect() as connection:
            rows = [dict(row) for row in connection.execute(query).mappings()]
        for row in rows:
            row["tied_ids"] = json.loads(row.pop("tied_ids_json"))
            row["order"] = json.loads(row.pop("order_json"))
            row["grades"] = json.loads(row.pop("grades_json"))
            counts: dict[int, int] = {}
            for grade in row["grades"].values():
                counts[grade] = counts.get(grade, 0) + 1
            row["tie_grades"] = sorted(counts)
            row["tie_slots"] = [counts[g] for g in row["tie_grades"]]
            row["assigned"] = {} if row["order"] else dict(row["grades"])
        return rows

    # findings (疑点) -----------------------------------------------------
    def year_figures(self, start: date, end: date) -> list:
        """The unit-level events whose period lies inside [start, end], superseded ones
        included (the anomaly checks read the revisions themselves): the fields of a
        `ReportedFigure` (domain/anomalies.py)."""
        query = select(events.c.event_id, events.c.source, events.c.unit_id, events.c.person_id, events.c.metric_code,
                       events.c.value, events.c.measurement_unit, events.c.period, events.c.period_start,
                       events.c.period_end, events.c.reported_at, events.c.revision_of).where(
            events.c.person_id == "", events.c.period_start >= start, events.c.period_end <= end)
        with self.engine.connect() as connection:
            return list(connection.execute(query).mappings())

    def lock_findings(self, connection: Connection, scheme_code: str) -> None:
        """Serialises refreshes and marks of a scheme's findings across scoring processes (PostgreSQL)."""
        if self.engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                               {"key": f"findings/{scheme_code}"})

    def findings(self, connection: Connection | None, scheme_code: str) -> list[dict]:
        """Every stored finding of a scheme, with `evidence` (event ids) and `numbers` read."""
        query = select(findings).where(findings.c.scheme_code == scheme_code).order_by(findings.c.finding_key)
        if connection is not None:
            rows = [dict(row) for row in connection.execute(query).mappings()]
        else:
            with self.engine.connect() as own:
                rows = [dict(row) for row in own.execute(query).mappings()]
        for row in rows:
            row["evidence"] = json.loads(row.pop("evidence_json"))
            row["numbers"] = json.loads(row.pop("numbers_json"))
            row["found_now"] = bool(row["found_now"])
        return rows

    @staticmethod
    def _finding_values(row: dict) -> dict:
        values = {k: v for k, v in row.items() if k not in ("evidence", "numbers")}
        values["evidence_json"] = json.dumps(list(row["evidence"]), ensure_ascii=False)
        values["numbers_json"] = json.dumps(row["numbers"], ensure_ascii=False, sort_keys=True)
        return values

    def add_findings(self, connection: Connection, rows: Sequence[dict]) -> None:
        """Stores findings seen for the first time (every column, `evidence` and `numbers` as given)."""
        if rows:
            connection.execute(findings.insert(), [self._finding_values(row) for row in rows])

    def update_findings(self, connection: Connection, rows: Sequence[dict]) -> None:
        """Rewrites what a refresh found again (severity, messages, numbers, evidence, when,
        whether found now), by scheme code and key; the office's review stays as it is."""
        found = ("period", "period_to", "kind", "severity", "unit_id", "other_unit_id", "metric_code", "source", "rule",
                 "message_zh", "message_en", "evidence_json", "numbers_json", "last_found_at", "found_now")
        if rows:
            connection.execute(
                update(findings).where(findings.c.scheme_code == bindparam("b_scheme"),
                                       findings.c.finding_key == bindparam("b_key"))
                .values({name: bindparam(f"v_{name}") for name in found}),
                [{"b_scheme": v["scheme_code"], "b_key": v["finding_key"], **{f"v_{n}": v[n] for n in found}}
                 for v in map(self._finding_values, rows)])

    def set_findings_gone(self, connection: Connection, scheme_code: str, keys: Sequence[str]) -> None:
        """Flags findings a refresh no longer finds (they stay, with their review)."""
        for start in range(0, len(keys), CHUNK):
            connection.execute(update(findings).where(
                findings.c.scheme_code == scheme_code, findings.c.finding_key.in_(list(keys[start:start + CHUNK])))
                .values(found_now=False))

    def mark_finding(self, connection: Connection, mark: dict) -> None:
        """The office's mark on a finding: its state, comment, who and when, and the
        mark appended to `scoring_finding_marks` (rows there are never changed)."""
        connection.execute(update(findings).where(findings.c.scheme_code == mark["scheme_code"],
                                                  findings.c.finding_key == mark["finding_key"]).values(
            state=mark["state_after"], comment=mark["comment"], marked_by=mark["actor"], marked_at=mark["at"]))
        connection.execute(finding_marks.insert(), [mark])

    def finding_marks(self, scheme_code: str, keys: Iterable[str] | None = None) -> dict[str, list[dict]]:
        """finding key → its marks, oldest first (of `keys`, or of every finding of the scheme)."""
        query = select(finding_marks).where(finding_marks.c.scheme_code == scheme_code).order_by(finding_marks.c.id)
        if keys is not None:
            query = query.where(finding_marks.c.finding_key.in_(sorted(set(keys))))
        found: dict[str, list[dict]] = {}
        with self.engine.connect() as connection:
            for row in connection.execute(query).mappings():
                found.setdefault(row["finding_key"], []).append(dict(row))
        return found

    # pending rescores ---------------------------------------------------
    def add_pending(self, connection: Connection, rows: Sequence[dict]) -> None:
        if rows:
            connection.execute(pending_rescores.insert(), list(rows))

    def take_pending(self, connection: Connection, limit: int, scheme_code: str | None = None) -> list[dict]:
        """The oldest pending changes, locked against other rescorers (skipped
        by them on PostgreSQL; SQLite has one writer anyway)."""
        query = select(pending_rescores).order_by(pending_rescores.c.id).limit(limit).with_for_update(skip_locked=True)
        if scheme_code is not None:
            query = query.where(pending_rescores.c.scheme_code == scheme_code)
        return [dict(row) for row in connection.execute(query).mappings()]

    def delete_pending(self, connection: Connection, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), LOOKUP_CHUNK):
            connection.execute(delete(pending_rescores).where(
                self._one_of(pending_rescores.c.id, ids[start:start + LOOKUP_CHUNK])))

    def pending_count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(pending_rescores)).scalar_one()

    # counters -----------------------------------------------------------
    def add_to_counter(self, connection: Connection, name: str, amount: int) -> None:
        if not amount:
            return
        connection.execute(self._insert_counter, [{"name": name, "value": 0}])
        connection.execute(update(counters).where(counters.c.name == name).values(value=counters.c.value + amount))

    def ingest_counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(events)).scalar_one()
            values = dict(connection.execute(select(counters.c.name, counters.c.value)).all())
        return {"events_stored": stored, "duplicates": values.get("duplicates", 0), "rejected": values.get("rejected", 0)}

    # score sheets -------------------------------------------------------------
    def lock_sheet(self, connection: Connection, key: tuple[str, str, str]) -> None:
        """Serialises the changes of one sheet across scoring processes (PostgreSQL), until
        the transaction ends; SQLite serialises writers itself."""
        self.lock_units(connection, ["sheet/" + "/".join(key)])

    def sheet(self, connection: Connection | None, key: tuple[str, str, str], version: int | None = None) -> Sheet | None:
        """A sheet's version (the newest when None) with its rows and the sheet's whole history; None when unsaved."""
        if connection is None:
            with self.engine.connect() as own:
                return self.sheet(own, key, version)
        where = [sheet_versions.c[k] == v for k, v in zip(_SHEET_KEY, key)]
        if version is not None:
            where.append(sheet_versions.c.version == version)
        row = connection.execute(select(sheet_versions).where(*where).order_by(sheet_versions.c.version.desc())
                                 .limit(1)).mappings().first()
        if row is None:
            return None
        rows = connection.execute(select(sheet_rows).where(
            *(sheet_rows.c[k] == v for k, v in zip(_SHEET_KEY, key)), sheet_rows.c.version == row["version"])
            .order_by(sheet_rows.c.unit_id, sheet_rows.c.item)).mappings()
        return _sheet(row, [SheetRow(r["unit_id"], r["item"], r["points"], r["basis"], r["evidence_ref"]) for r in rows],
                      self._sheet_history(connection, key))

    def _sheet_history(self, connection: Connection, key: tuple[str, str, str]) -> list[HistoryEntry]:
        query = select(sheet_history).where(*(sheet_history.c[k] == v for k, v in zip(_SHEET_KEY, key))) \
            .order_by(sheet_history.c.id)
        return [HistoryEntry(r["version"], r["action"], r["actor"], r["at"], r["reason"])
                for r in connection.execute(query).mappings()]

    def period_sheets(self, scheme_code: str, period: str) -> dict[str, Sheet]:
        """indicator code → the current version of each saved sheet of the scheme and period,
        with its history, without rows."""
        with self.engine.connect() as connection:
            query = select(sheet_versions).where(sheet_versions.c.scheme_code == scheme_code,
                                                 sheet_versions.c.period == period).order_by(sheet_versions.c.version)
            current = {row["indicator_code"]: row for row in connection.execute(query).mappings()}
            return {code: _sheet(row, [], self._sheet_history(connection, (scheme_code, code, period)))
                    for code, row in current.items()}

    def save_sheet(self, connection: Connection, sheet: Sheet, rows_changed: bool, history_from: int) -> None:
        """Stores a sheet's version (inserted or updated), its rows when `rows_changed`, and
        its history entries from position `history_from` on (those before are stored)."""
        key = dict(zip(_SHEET_KEY, sheet.key), version=sheet.version)
        values = {**key, **{name: getattr(sheet, name) for name in _SHEET_FIELDS}}
        where = [sheet_versions.c[k] == v for k, v in key.items()]
        if connection.execute(update(sheet_versions).where(*where).values(**values)).rowcount == 0:
            connection.execute(sheet_versions.insert(), [values])
        if rows_changed:
            connection.execute(delete(sheet_rows).where(*(sheet_rows.c[k] == v for k, v in key.items())))
            if sheet.rows:
                connection.execute(sheet_rows.insert(), [
                    {**key, "unit_id": r.unit_id, "item": r.item, "points": float(r.points), "basis": r.basis,
                     "evidence_ref": r.evidence_ref} for r in sheet.rows])
        added = sheet.history[history_from:]
        if added:
            connection.execute(sheet_history.insert(), [
                {**dict(zip(_SHEET_KEY, sheet.key)), "version": h.version, "action": h.action, "actor": h.actor,
                 "at": h.at, "reason": h.reason} for h in added])

    def accepted_sheet_before(self, connection: Connection, key: tuple[str, str, str], version: int) -> Sheet | None:
        """The newest accepted version of a sheet before `version`, with its rows; None when none."""
        query = select(sheet_versions.c.version).where(
            *(sheet_versions.c[k] == v for k, v in zip(_SHEET_KEY, key)), sheet_versions.c.version < version,
            sheet_versions.c.state == "accepted").order_by(sheet_versions.c.version.desc()).limit(1)
        found = connection.execute(query).scalar()
        return None if found is None else self.sheet(connection, key, found)


def _sheet(row, rows: list[SheetRow], history: list[HistoryEntry]) -> Sheet:
    return Sheet(row["scheme_code"], row["indicator_code"], row["period"], row["department"], row["version"],
                 row["state"], tuple(rows), row["signed_by"], row["signed_at"], row["digest"], row["review_comment"],
                 row["reviewed_by"], row["reviewed_at"], row["correction_reason"], tuple(history))
