"""SQL of the assessment teams (domain/assessment_teams.py): rounds with their roster and
history, assessors' entries and points, closings. Every method works inside the caller's
connection (its transaction); reads may pass None to use a connection of their own."""
from __future__ import annotations

import json
from collections.abc import Iterable
from fractions import Fraction

from sqlalchemy import Connection, Engine, delete, select, text, update

from ..domain.assessment_teams import Closing, Entry, HistoryEntry, Member, Round, ScoreRow, Team
from .sql_schema import (
    assessment_closings,
    assessment_entries,
    assessment_history,
    assessment_members,
    assessment_rounds,
    assessment_scores,
    assessment_teams,
    assessment_units,
)

_ROUND_KEY = ("scheme_code", "indicator_code", "period")
Key = tuple[str, str, str]


def _where(table, key: Key, **more):
    return [*(table.c[k] == v for k, v in zip(_ROUND_KEY, key, strict=True)), *(table.c[k] == v for k, v in more.items())]


class AssessmentRepository:
    def __init__(self, engine: Engine):
        self.engine = engine

    def _connected(self, connection: Connection | None, read):
        if connection is not None:
            return read(connection)
        with self.engine.connect() as own:
            return read(own)

    def lock_round(self, connection: Connection, key: Key) -> None:
        """Serialises the changes of one round across scoring processes (PostgreSQL) until the
        transaction ends; SQLite serialises writers itself."""
        if self.engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                               {"key": "assessment/" + "/".join(key)})

    # rounds --------------------------------------------------------------------------------
    def round(self, connection: Connection | None, key: Key) -> Round | None:
        """The round with its teams, every member ever on them and its history; None when the
        office has not formed a team for it yet."""
        def read(c: Connection) -> Round | None:
            row = c.execute(select(assessment_rounds).where(*_where(assessment_rounds, key))).mappings().first()
            if row is None:
                return None
            members: dict[str, list[Member]] = {}
            for m in c.execute(select(assessment_members).where(*_where(assessment_members, key))
                               .order_by(assessment_members.c.team_code, assessment_members.c.seq)).mappings():
                members.setdefault(m["team_code"], []).append(Member(
                    m["position"], m["assessor"], bool(m["active"]), m["joined_at"], m["left_at"],
                    m["replaced_by"], m["reason"]))
            units: dict[str, list[str]] = {}
            for u in c.execute(select(assessment_units).where(*_where(assessment_units, key))
                               .order_by(assessment_units.c.team_code, assessment_units.c.seq)).mappings():
                units.setdefault(u["team_code"], []).append(u["unit_id"])
            teams = tuple(Team(t["team_code"], t["name"], tuple(members.get(t["team_code"], ())),
                               tuple(units.get(t["team_code"], ())))
                          for t in c.execute(select(assessment_teams).where(*_where(assessment_teams, key))
                                             .order_by(assessment_teams.c.team_code)).mappings())
            history = tuple(HistoryEntry(h["action"], h["actor"], h["at"], h["team_code"], h["unit_id"], h["detail"],
                                         h["reason"])
                            for h in c.execute(select(assessment_history).where(*_where(assessment_history, key))
                                               .order_by(assessment_history.c.id)).mappings())
            return Round(*key, state=row["state"], locked_by=row["locked_by"], locked_at=row["locked_at"],
                         teams=teams, history=history)
        return self._connected(connection, read)

    def rounds_of(self, connection: Connection | None, scheme_code: str) -> list[Round]:
        """Every round of the scheme (a read for an assessor's list of their units)."""
        def read(c: Connection) -> list[Round]:
            keys = c.execute(select(*(assessment_rounds.c[k] for k in _ROUND_KEY))
                             .where(assessment_rounds.c.scheme_code == scheme_code)
                             .order_by(assessment_rounds.c.period, assessment_rounds.c.indicator_code)).all()
            return [self.round(c, tuple(k)) for k in keys]
        return self._connected(connection, read)

    def save_round(self, connection: Connection, current: Round, history_from: int) -> None:
        """Stores the round's state and its roster (rewritten whole), and its history entries
        from position `history_from` on (those before are stored)."""
        key = current.key
        values = {"state": current.state, "locked_by": current.locked_by, "locked_at": current.locked_at}
        if connection.execute(update(assessment_rounds).where(*_where(assessment_rounds, key))
                              .values(**values)).rowcount == 0:
            connection.execute(assessment_rounds.insert(), [{**dict(zip(_ROUND_KEY, key, strict=True)), **values}])
        for table in (assessment_teams, assessment_members, assessment_units):
            connection.execute(delete(table).where(*_where(table, key)))
        base = dict(zip(_ROUND_KEY, key, strict=True))
        if current.teams:
            connection.execute(assessment_teams.insert(), [{**base, "team_code": t.code, "name": t.name}
                                                           for t in current.teams])
            members = [{**base, "team_code": t.code, "seq": n, "position": m.position, "assessor": m.assessor,
                        "active": m.active, "joined_at": m.joined_at, "left_at": m.left_at,
                        "replaced_by": m.replaced_by, "reason": m.reason}
                       for t in current.teams for n, m in enumerate(t.members)]
            if members:
                connection.execute(assessment_members.insert(), members)
            units = [{**base, "team_code": t.code, "unit_id": u, "seq": n}
                     for t in current.teams for n, u in enumerate(t.units)]
            if units:
                connection.execute(assessment_units.insert(), units)
        added = current.history[history_from:]
        if added:
            connection.execute(assessment_history.insert(), [
                {**base, "action": h.action, "actor": h.actor, "at": h.at, "team_code": h.team, "unit_id": h.unit_id,
                 "detail": h.detail, "reason": h.reason} for h in added])

    def add_history(self, connection: Connection, key: Key, entries: Iterable[HistoryEntry]) -> None:
        rows = [{**dict(zip(_ROUND_KEY, key, strict=True)), "action": h.action, "actor": h.actor, "at": h.at,
                 "team_code": h.team, "unit_id": h.unit_id, "detail": h.detail, "reason": h.reason} for h in entries]
        if rows:
            connection.execute(assessment_history.insert(), rows)

    # entries -------------------------------------------------------------------------------
    def entries(self, connection: Connection | None, key: Key, unit_id: str | None = None,
                assessor: str | None = None) -> list[Entry]:
        """The entries of a round (of one unit, of one assessor), with their points."""
        def read(c: Connection) -> list[Entry]:
            more = {k: v for k, v in (("unit_id", unit_id), ("assessor", assessor)) if v is not None}
            rows: dict[tuple[str, str], list[ScoreRow]] = {}
            for r in c.execute(select(assessment_scores).where(*_where(assessment_scores, key, **more))).mappings():
                rows.setdefault((r["unit_id"], r["assessor"]), []).append(ScoreRow(r["item"], r["points"], r["basis"]))
            return [Entry(e["unit_id"], e["assessor"], e["state"], tuple(rows.get((e["unit_id"], e["assessor"]), ())),
                          e["saved_at"], e["submitted_at"])
                    for e in c.execute(select(assessment_entries).where(*_where(assessment_entries, key, **more))
                                       .order_by(assessment_entries.c.unit_id, assessment_entries.c.assessor))
                    .mappings()]
        return self._connected(connection, read)

    def save_entry(self, connection: Connection, key: Key, entry: Entry, rows_changed: bool) -> None:
        """Stores an entry (inserted or updated) and, when `rows_changed`, its points."""
        who = {"unit_id": entry.unit_id, "assessor": entry.assessor}
        values = {"state": entry.state, "saved_at": entry.saved_at, "submitted_at": entry.submitted_at}
        if connection.execute(update(assessment_entries).where(*_where(assessment_entries, key, **who))
                              .values(**values)).rowcount == 0:
            connection.execute(assessment_entries.insert(), [{**dict(zip(_ROUND_KEY, key, strict=True)), **who, **values}])
        if rows_changed:
            connection.execute(delete(assessment_scores).where(*_where(assessment_scores, key, **who)))
            if entry.rows:
                connection.execute(assessment_scores.insert(), [
                    {**dict(zip(_ROUND_KEY, key, strict=True)), **who, "item": r.item, "points": float(r.points), "basis": r.basis}
                    for r in entry.rows])

    # closings ------------------------------------------------------------------------------
    def latest_closings(self, connection: Connection | None, key: Key) -> dict[str, Closing]:
        """unit id → its latest closing in the round."""
        def read(c: Connection) -> dict[str, Closing]:
            found: dict[str, Closing] = {}
            for r in c.execute(select(assessment_closings).where(*_where(assessment_closings, key))
                               .order_by(assessment_closings.c.unit_id, assessment_closings.c.closing)).mappings():
                found[r["unit_id"]] = Closing(r["unit_id"], r["closing"], r["closed_by"], r["closed_at"], tuple(
                    (int(p), str(a), Fraction(t)) for p, a, t in json.loads(r["counted_json"])))
            return found
        return self._connected(connection, read)

    def add_closing(self, connection: Connection, key: Key, closing: Closing) -> None:
        connection.execute(assessment_closings.insert(), [{
            **dict(zip(_ROUND_KEY, key, strict=True)), "unit_id": closing.unit_id, "closing": closing.closing,
            "closed_by": closing.closed_by, "closed_at": closing.closed_at,
            "counted_json": json.dumps([[p, a, str(t)] for p, a, t in closing.counted])}])
