"""The office's side of democratic evaluation ballots (docs/ballots.md): issue codes for a
round's rater group — shown once, as printable slips and a CSV, never kept by the gateway —,
void unspent ones, follow the turnout, count the ballots. Each call is scoring's, with the
office's own token."""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from ..adapters.scoring_ballots import ScoringBallots

CSV_COLUMNS = ("unit_id", "unit", "evaluation", "period", "rater_group", "ballot_code", "vote_at")


class BallotRounds:
    def __init__(self, ballots: ScoringBallots):
        self.ballots = ballots

    def issue(self, scheme: str, indicator: str, period: str, unit: str, group: str, count: int, token: str) -> dict:
        return self.ballots.issue(scheme, indicator, period, unit, group, count, token)

    def void(self, scheme: str, indicator: str, period: str, unit: str, group: str, codes: Sequence[str],
             token: str) -> dict:
        return self.ballots.void(scheme, indicator, period, unit, group, codes, token)

    def turnout(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self.ballots.turnout(scheme, indicator, period, unit, token)

    def rounds(self, scheme: str, period: str, token: str) -> list[dict]:
        return self.ballots.rounds(scheme, period, token)

    def count(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self.ballots.count(scheme, indicator, period, unit, token)


def slips_csv(issued: Mapping, vote_url: str) -> bytes:
    """The issued codes as a CSV (UTF-8 with the byte order mark Excel looks for), one per line
    with the round and the voting address: for a print shop's mail merge."""
    paper = issued.get("paper", {})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for code in issued.get("ballot_codes", []):
        writer.writerow((paper.get("unit_id", ""), paper.get("unit_name_zh", ""), paper.get("indicator_name_zh", ""),
                         paper.get("period", ""), paper.get("group_name_zh", ""), code, vote_url))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
