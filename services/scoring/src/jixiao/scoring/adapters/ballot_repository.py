"""SQL of the democratic evaluation ballots (sql_schema: ballot_codes, ballots, ballot_counts,
ballot_audit). Every method works inside the caller's transaction. Nothing here reads or
writes a code in clear, a time of voting, or anything joining a ballot to a code."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Connection, func, select, update

from .sql_schema import ballot_audit, ballot_codes, ballot_counts, ballots

#: A round: (scheme, indicator, period, unit).
Round = tuple[str, str, str, str]
_ROUND = ("scheme_code", "indicator_code", "period", "unit_id")
ISSUED, SPENT, VOID = "issued", "spent", "void"


def _where(table, round_: Round, group: str | None = None) -> list:
    where = [table.c[k] == v for k, v in zip(_ROUND, round_)]
    if group is not None:
        where.append(table.c.rater_group == group)
    return where


class BallotRepository:
    # codes -----------------------------------------------------------------
    def add_codes(self, connection: Connection, round_: Round, group: str, hashes: Sequence[str]) -> None:
        connection.execute(ballot_codes.insert(), [
            {**dict(zip(_ROUND, round_)), "rater_group": group, "code_hash": h, "state": ISSUED} for h in hashes])

    def schemes_with_codes(self, connection: Connection) -> list[str]:
        return sorted(connection.execute(select(ballot_codes.c.scheme_code).distinct()).scalars())

    def find_code(self, connection: Connection, hashes: Iterable[str]) -> dict | None:
        """The code row of one of `hashes` (round, group, state), or None."""
        row = connection.execute(select(ballot_codes).where(ballot_codes.c.code_hash.in_(sorted(set(hashes))))
                                 ).mappings().first()
        return dict(row) if row else None

    def spend(self, connection: Connection, code_hash: str) -> bool:
        """Marks an issued code spent; False when it was not issued any more (spent, void) —
        the guard against two ballots racing on one code."""
        result = connection.execute(update(ballot_codes).where(
            ballot_codes.c.code_hash == code_hash, ballot_codes.c.state == ISSUED).values(state=SPENT))
        return result.rowcount == 1

    def void(self, connection: Connection, round_: Round, group: str, hashes: Sequence[str] | None) -> int:
        """Voids the issued codes of the round's group (those of `hashes` only, unless None)."""
        query = update(ballot_codes).where(*_where(ballot_codes, round_, group), ballot_codes.c.state == ISSUED)
        if hashes is not None:
            query = query.where(ballot_codes.c.code_hash.in_(sorted(set(hashes))))
        return connection.execute(query.values(state=VOID)).rowcount

    def code_states(self, connection: Connection, round_: Round, group: str, hashes: Sequence[str]) -> dict[str, str]:
        """hash → state of those of `hashes` that are codes of the round's group."""
        rows = connection.execute(select(ballot_codes.c.code_hash, ballot_codes.c.state).where(
            *_where(ballot_codes, round_, group), ballot_codes.c.code_hash.in_(sorted(set(hashes)))))
        return {h: s for h, s in rows}

    def counts(self, connection: Connection, round_: Round) -> dict[str, dict[str, int]]:
        """group → {'issued' (ever), 'spent', 'voided'} of the round's codes."""
        rows = connection.execute(select(ballot_codes.c.rater_group, ballot_codes.c.state, func.count()).where(
            *_where(ballot_codes, round_)).group_by(ballot_codes.c.rater_group, ballot_codes.c.state))
        found: dict[str, dict[str, int]] = defaultdict(lambda: {"issued": 0, "spent": 0, "voided": 0})
        for group, state, n in rows:
            found[group]["issued"] += n
            if state == SPENT:
                found[group]["spent"] += n
            elif state == VOID:
                found[group]["voided"] += n
        return dict(found)

    # ballots ---------------------------------------------------------------
    def add_ballot(self, connection: Connection, ballot_id: str, round_: Round, group: str,
                   ratings: Mapping[str, float]) -> None:
        connection.execute(ballots.insert(), [{**dict(zip(_ROUND, round_)), "rater_group": group, "ballot_id": ballot_id,
                                               "ratings_json": json.dumps(dict(sorted(ratings.items())))}])

    def group_ballots(self, connection: Connection, round_: Round, group: str) -> list[dict[str, float]]:
        rows = connection.execute(select(ballots.c.ratings_json).where(*_where(ballots, round_, group))
                                  .order_by(ballots.c.ballot_id)).scalars()
        return [json.loads(text) for text in rows]

    # counts ----------------------------------------------------------------
    def last_counts(self, connection: Connection, round_: Round) -> dict[str, tuple[int, int]]:
        """group → (ballots, issued) of the round's last count."""
        rows = connection.execute(select(ballot_counts.c.rater_group, ballot_counts.c.ballots, ballot_counts.c.issued)
                                  .where(*_where(ballot_counts, round_)))
        return {group: (n, issued) for group, n, issued in rows}

    def save_count(self, connection: Connection, round_: Round, group: str, n: int, issued: int) -> None:
        key = {**dict(zip(_ROUND, round_)), "rater_group": group}
        if connection.execute(update(ballot_counts).where(*_where(ballot_counts, round_, group))
                              .values(ballots=n, issued=issued)).rowcount == 0:
            connection.execute(ballot_counts.insert(), [{**key, "ballots": n, "issued": issued}])

    # audit -----------------------------------------------------------------
    def audit(self, connection: Connection, round_: Round, group: str, action: str, actor: str, at: str,
              count: int) -> None:
        connection.execute(ballot_audit.insert(), [{**dict(zip(_ROUND, round_)), "rater_group": group,
                                                    "action": action, "actor": actor, "at": at, "count": count}])

    def audit_trail(self, connection: Connection, round_: Round) -> list[dict]:
        rows = connection.execute(select(ballot_audit).where(*_where(ballot_audit, round_)).order_by(ballot_audit.c.id))
        return [dict(r) for r in rows.mappings()]
