"""A demo round of on-site assessment (docs/assessment-teams.md): teams formed, the roster
locked, plausible scores filled in by every assessor, units closed — through scoring's
`jixiao.v1.AssessmentService`, as the office and the assessors would.

    summary = fill_assessment_round(document, channel, office_token, assessor_tokens, "2026-Q4")

`document` is the published scheme; every indicator with `generic.formula: assessment` that is
assessed in the period gets a round. The assessors (the keys of `assessor_tokens`, each mapped
to that assessor's own token, role `assessor`) are dealt into teams of `team_size` in sorted
order, and the indicator's units dealt round-robin to the teams. Scores are deterministic for a
`seed`: each unit has a quality (the share of the maximum it deserves, 0.62–0.96), each assessor
a leniency (−4 to +4 points on a total of 100, so that the office's leniency page shows one), and
each item's points are the quality × its maximum plus the assessor's leniency in proportion, a
little noise, rounded to 0.5 and kept within [0, max]. A round already locked is scored as it
stands; entries already submitted are left alone, so running it twice changes nothing.

"""
from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_KINDS = ("month", "quarter", "year")


@dataclass
class RoundSummary:
    rounds: list[str] = field(default_factory=list)      # "indicator/period"
    teams: int = 0
    entries_submitted: int = 0
    units_closed: int = 0


def assessment_indicators(document: Mapping) -> list[dict]:
    return [i for i in document.get("indicators") or []
            if isinstance(i.get("generic"), dict) and i["generic"].get("formula") == "assessment"]


def _kind(period: str) -> str:
    return "year" if len(period) == 4 else "quarter" if "Q" in period else "month"


def _units(document: Mapping, indicator: str) -> list[str]:
    categories = {a["category"] for a in document.get("assignments") or [] if a.get("indicator") == indicator}
    return sorted(u["id"] for u in document.get("units") or [] if u.get("category") in categories)


def plausible_points(items: list[dict], quality: float, leniency: float, rng: random.Random) -> list[tuple[str, float]]:
    """(item, points) of one assessor for one unit: quality × max + leniency × max / Σ max + noise,
    rounded to 0.5 and kept within [0, max]."""
    total = sum(float(i["max_points"]) for i in items)
    found = []
    for item in items:
        most = float(item["max_points"])
        raw = quality * most + leniency * most / total + rng.uniform(-0.03, 0.03) * most
        found.append((str(item["code"]), min(most, max(0.0, round(raw * 2) / 2))))
    return found


def fill_assessment_round(document: Mapping, channel, office_token: str, assessor_tokens: Mapping[str, str],
                          period: str, *, team_size: int = 3, seed: int = 2026, close: bool = True,
                          timeout: float = 30.0) -> RoundSummary:
    from jixiao.common.auth import call_credentials
    from jixiao.v1 import assessment_pb2 as pb
    from jixiao.v1 import assessment_pb2_grpc

    stub = assessment_pb2_grpc.AssessmentServiceStub(channel)

    def call(method: str, request, token: str):
        return getattr(stub, method)(request, timeout=timeout, metadata=call_credentials(token))

    scheme_code = document["scheme"]["code"]
    assessors = sorted(assessor_tokens)
    rng = random.Random(seed)
    leniency = {a: rng.uniform(-4.0, 4.0) for a in assessors}
    summary = RoundSummary()
    for indicator in assessment_indicators(document):
        if _kind(period) not in (indicator.get("assessed_in") or DEFAULT_KINDS):
            continue
        code = indicator["code"]
        where = {"scheme_code": scheme_code, "indicator_code": code, "period": period}
        units = _units(document, code)
        teams = [assessors[n:n + team_size] for n in range(0, len(assessors), team_size)]
        teams = [t for t in teams if t][:max(1, len(units))]
        current = call("GetAssessmentRound", pb.AssessmentRoundRequest(**where), office_token)
        if current.state == "forming" and teams and units:
            for n, members in enumerate(teams):
                call("SetAssessmentTeam", pb.SetAssessmentTeamRequest(
                    **where, team_code=f"t{n + 1}", name=f"第{'一二三四五六七八九十'[n % 10]}考核组",
                    assessors=members, unit_ids=units[n::len(teams)]), office_token)
            current = call("LockAssessmentRoster", pb.AssessmentRoundRequest(**where), office_token)
        summary.rounds.append(f"{code}/{period}")
        summary.teams += len(current.teams)
        items = [{"code": i.code, "max_points": i.max_points} for i in current.items]
        quality = {u: random.Random(f"{seed}/{code}/{period}/{u}").uniform(0.62, 0.96) for u in units}
        for team in current.teams:
            for member in team.members:
                token = assessor_tokens.get(member.assessor)
                if not member.active or token is None:
                    continue
                for unit in team.unit_ids:
                    unit_where = {**where, "unit_id": unit}
                    if call("GetOnSiteScores", pb.OnSiteScoresRequest(**unit_where), token).state == "submitted":
                        continue
                    noise = random.Random(f"{seed}/{code}/{period}/{unit}/{member.assessor}")
                    rows = [pb.OnSiteScoreRow(item=item, points=points, basis="现场查阅台账、实地察看")
                            for item, points in plausible_points(items, quality[unit], leniency[member.assessor],
                                                                 noise)]
                    call("SaveOnSiteScores", pb.SaveOnSiteScoresRequest(**unit_where, rows=rows), token)
                    call("SubmitOnSiteScores", pb.OnSiteScoresRequest(**unit_where), token)
                    summary.entries_submitted += 1
        if close:
            current = call("GetAssessmentRound", pb.AssessmentRoundRequest(**where), office_token)
            for unit in current.units:
                if unit.can_close and current.period_open:
                    call("CloseUnitAssessment", pb.CloseUnitAssessmentRequest(**where, unit_id=unit.unit_id),
                         office_token)
                    summary.units_closed += 1
    return summary
