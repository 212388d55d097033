"""SQL of the what-if simulation (service_layer/simulation.py): the standings of a period
read inside the simulation's transaction, a unit's figures replaced there (the transaction
is always rolled back), and the record of every simulation asked (kept: the audit trail).
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, Engine, delete, select

from .sql_schema import event_revisions, events, indicator_results, simulations, unit_scores

#: A simulation's record as listed (every column).
SIMULATION_FIELDS = tuple(c.name for c in simulations.c)


class SimulationRepository:
    def __init__(self, engine: Engine):
        self.engine = engine

    def period_totals(self, connection: Connection, scheme_code: str, period: str) -> dict[str, tuple[float, str]]:
        """unit id → (total, category) of every unit scored in the period."""
        query = select(unit_scores.c.unit_id, unit_scores.c.total, unit_scores.c.category).where(
            unit_scores.c.scheme_code == scheme_code, unit_scores.c.period == period)
        return {row.unit_id: (row.total, row.category) for row in connection.execute(query)}

    def period_points(self, connection: Connection, scheme_code: str, period: str) -> dict[str, dict[str, float | None]]:
        """unit id → indicator code → points of its result in the period (None: no points, the
        result failed or is not computable)."""
        query = select(indicator_results.c.unit_id, indicator_results.c.indicator_code, indicator_results.c.status,
                       indicator_results.c.points).where(
            indicator_results.c.scheme_code == scheme_code, indicator_results.c.period == period)
        found: dict[str, dict[str, float | None]] = {}
        for row in connection.execute(query):
            found.setdefault(row.unit_id, {})[row.indicator_code] = row.points if row.status == "ok" else None
        return found

    def replace_figures(self, connection: Connection, unit_id: str, metric_code: str, period: str,
                        row: Mapping) -> list[dict]:
        """Takes out the unit's unit-level events of the metric reported for exactly `period`
        (with the revisions that superseded any of them) and stores `row` in their place;
        returns the events taken out. Only inside a transaction that is rolled back."""
        where = (events.c.unit_id == unit_id, events.c.person_id == "", events.c.metric_code == metric_code,
                 events.c.period == period)
        replaced = [dict(r) for r in connection.execute(select(events).where(*where)).mappings()]
        ids = [r["event_id"] for r in replaced]
        if ids:
            connection.execute(delete(event_revisions).where(event_revisions.c.original_id.in_(ids)))
            connection.execute(delete(events).where(*where))
        connection.execute(events.insert(), [dict(row)])
        return replaced

    def add_simulation(self, connection: Connection, row: dict) -> None:
        connection.execute(simulations.insert(), [row])

    def simulations(self, scheme_code: str, limit: int) -> list[dict]:
        """The scheme's simulations, newest first, at most `limit`."""
        query = select(simulations).where(simulations.c.scheme_code == scheme_code).order_by(
            simulations.c.id.desc()).limit(limit)
        with self.engine.connect() as connection:
            return [{**dict(r), "changes": json.loads(r["changes_json"])} for r in connection.execute(query).mappings()]


def changes_json(changes: Sequence[Mapping]) -> str:
    return json.dumps(list(changes), ensure_ascii=False, sort_keys=True)
