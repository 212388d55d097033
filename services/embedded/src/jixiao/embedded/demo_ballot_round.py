"""A demo round of democratic evaluation ballots (民主测评, docs/ballots.md), for `jixiao up`:
given a published scheme document and a gRPC channel to scoring, the office issues codes to
every rater group of every ballot-scored indicator for every unit, plausible raters vote with
most of them through the ballot box, and the office counts. Deterministic for a seed; a round
that has codes already (or whose period is closed) is left as it is, so running it again adds nothing.

Plausible: each group votes with a turnout drawn between 0.55 and 0.95 of its codes (so a
group with a high minimum is now and then flagged); each ballot rates the team and each
leader with the scale's choices, mostly the best two, a unit's "mood" shifting the odds.

    from jixiao.embedded.demo_ballot_round import run_ballot_round
    summary = run_ballot_round(document, channel, office_token, ballot_box_token, codes_per_group=30)

`jixiao up` runs it for the demo city's 民主测评 (demo_people.py).
"""
from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

import grpc

from jixiao.v1 import ballots_pb2 as pb
from jixiao.v1 import ballots_pb2_grpc


@dataclass
class RoundSummary:
    """What the demo round did: per (indicator, unit, group) codes issued and ballots cast."""

    issued: dict[tuple[str, str, str], int] = field(default_factory=dict)
    cast: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @property
    def ballots(self) -> int:
        return sum(self.cast.values())


def ballot_indicators(document: Mapping) -> list[dict]:
    return [i for i in document.get("indicators", [])
            if isinstance(i.get("generic"), dict) and i["generic"].get("formula") == "ballot"]


def round_period(document: Mapping, indicator: Mapping) -> str:
    """The year when the indicator is assessed in years (the demo's 民主测评 is held at year end), else its last quarter."""
    year = str(document["scheme"]["year"])
    kinds = indicator.get("assessed_in") or ["month", "quarter", "year"]
    return year if "year" in kinds else (f"{year}-Q4" if "quarter" in kinds else f"{year}-12")


def _units(document: Mapping, code: str) -> list[str]:
    categories = {a["category"] for a in document.get("assignments", []) if a.get("indicator") == code}
    return sorted(u["id"] for u in document.get("units", []) if u.get("category") in categories)


def _choice(rng: random.Random, values: list[float], mood: float) -> float:
    """A value of the scale (best first), mostly among the best two; `mood` in [0, 1] leans to the best."""
    weights = [max(0.02, (1.0 - i / len(values)) ** (1.0 + 3.0 * mood)) for i in range(len(values))]
    return rng.choices(values, weights=weights)[0]


def run_ballot_round(document: Mapping, channel: grpc.Channel, office_token: str, ballot_box_token: str, *,
                     codes_per_group: int = 30, seed: int = 2026, timeout: float = 30.0) -> RoundSummary:
    stub = ballots_pb2_grpc.BallotServiceStub(channel)
    office = (("authorization", f"Bearer {office_token}"),)
    box = (("authorization", f"Bearer {ballot_box_token}"),)
    rng = random.Random(seed)
    summary = RoundSummary()
    for indicator in ballot_indicators(document):
        code, period = indicator["code"], round_period(document, indicator)
        values = sorted((float(c["value"]) for c in indicator["generic"]["scale"]), reverse=True)
        for unit in _units(document, code):
            where = dict(scheme_code=document["scheme"]["code"], indicator_code=code, period=period, unit_id=unit)
            mood = rng.random()
            turnout = stub.GetBallotTurnout(pb.GetBallotTurnoutRequest(**where), metadata=office, timeout=timeout)
            if turnout.closed or any(g.issued or g.voided for g in turnout.groups):
                continue  # held already (jixiao up started again on its data), or closed: nothing twice
            for group in indicator["generic"]["groups"]:
                issued = stub.IssueBallotCodes(pb.IssueBallotCodesRequest(
                    **where, group=group["code"], count=codes_per_group), metadata=office, timeout=timeout)
                subjects = [s.person_id for s in issued.paper.subjects]
                voters = round(len(issued.ballot_codes) * rng.uniform(0.55, 0.95))
                for ballot_code in rng.sample(list(issued.ballot_codes), voters):
                    ratings = [pb.BallotRating(subject=s, value=_choice(rng, values, mood)) for s in subjects]
                    stub.CastBallot(pb.CastBallotRequest(ballot_code=ballot_code, ratings=ratings), metadata=box,
                                    timeout=timeout)
                key = (code, unit, group["code"])
                summary.issued[key], summary.cast[key] = len(issued.ballot_codes), voters
            stub.CountBallots(pb.CountBallotsRequest(**where), metadata=office, timeout=timeout)
    return summary
