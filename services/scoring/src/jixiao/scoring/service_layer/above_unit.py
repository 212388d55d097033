"""Reads above the unit: a leader's score, the unit's leadership team (领导班子),
regions ranked by their units, and consequences of the grade history."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from jixiao.common.errors import InvalidArgument, NotFound

from ..domain import period_states
from ..domain.consequences import Consequence, ConsequenceRule, find_consequences
from ..domain.ranking import competition_ranks
from .period_review import PeriodReview
from .queries import check_period
from .scoring_service import ScoringService


@dataclass(frozen=True)
class TeamMember:
    person_id: str
    name_zh: str
    position_zh: str
    position_en: str
    total: float


@dataclass(frozen=True)
class Team:
    team_id: str
    name_zh: str
    name_en: str
    score: float
    members: tuple[TeamMember, ...]


@dataclass(frozen=True)
class RegionScore:
    rank: int
    region_id: str
    name_zh: str
    name_en: str
    score: float
    units: int


@dataclass(frozen=True)
class ConsequenceFinding:
    """A consequence the scheme's rules draw for a unit or a person, with the grade history
    behind it; provisional while one of those years is not published."""

    consequence: Consequence
    subject: str
    unit_id: str
    name_zh: str
    grade_history: tuple[str, ...]
    provisional: bool


class Rollups:
    def __init__(self, service: ScoringService, review_desk: PeriodReview):
        self.service = service
        self.review = review_desk
        self.repository = service.repository

    def person(self, scheme_code: str, person_id: str, period: str) -> tuple[dict, dict, str]:
        """(scheme person entry, stored person score, period state)."""
        scheme = self.service.scheme(scheme_code)
        check_period(period)
        entry = scheme.person_entries.get(person_id)
        if entry is None:
            raise InvalidArgument("person_id", f"{person_id!r} is not a person of scheme {scheme_code}")
        score = self.repository.period_person_scores(scheme_code, period, [person_id]).get(person_id)
        if score is None:
            raise NotFound(f"no score yet for person {person_id} in period {period}")
        return entry, score, self.review.state(scheme_code, period)

    def team(self, scheme_code: str, unit_id: str, period: str) -> Team | None:
        """The unit's leadership team and its members' totals (None when the scheme names no team)."""
        scheme = self.service.scheme(scheme_code)
        team = scheme.unit_team.get(unit_id)
        if team is None:
            return None
        people = scheme.team_members.get(team["id"], ())
        scores = self.repository.period_person_scores(scheme_code, period, [p["id"] for p in people])
        members = tuple(
            TeamMember(p["id"], p.get("name_zh", ""), (p.get("position") or {}).get("zh", ""),
                       (p.get("position") or {}).get("en", ""), scores[p["id"]]["total"])
            for p in people if p["id"] in scores
        )
        score = sum(m.total for m in members) / len(members) if members else 0.0
        name = team.get("name") or {}
        return Team(team["id"], name.get("zh", ""), name.get("en", ""), score, members)

    def regions(self, scheme_code: str, period: str) -> list[RegionScore]:
        """Regions ranked by the mean total of their scored units; equal means share
        a rank (1, 2, 2, 4) and are listed by region id."""
        scheme = self.service.scheme(scheme_code)
        check_period(period)
        totals: dict[str, list[float]] = defaultdict(list)
        for unit_id, (total, _) in self.repository.period_scores(scheme_code, period).items():
            region = scheme.units[unit_id].region if unit_id in scheme.units else None
            if region:
                totals[region].append(total)
        names = {r["id"]: r.get("name") or {} for r in scheme.document.get("regions", [])}
        means = sorted(((sum(v) / len(v), region, len(v)) for region, v in totals.items()), key=lambda x: (-x[0], x[1]))
        ranks = competition_ranks([score for score, _, _ in means])
        return [RegionScore(rank, region, names.get(region, {}).get("zh", region), names.get(region, {}).get("en", ""),
                            score, count) for rank, (score, region, count) in zip(ranks, means, strict=True)]

    def consequences(self, scheme_code: str, grading_code: str) -> list[ConsequenceFinding]:
        """Consequences the scheme's rules draw from the yearly grades of one
        grading rule, over every scheme year scoring knows (same grading code).
        Only yearly grades count; an entry of a boundary tie not yet resolved
        has no grade that year (the year cannot be published until it is)."""
        scheme = self.service.scheme(scheme_code)
        rules = [ConsequenceRule.from_document(item) for item in scheme.document.get("consequences", [])]
        history: dict[str, dict[int, int | None]] = defaultdict(dict)
        unpublished: set[int] = set()
        subject = None
        for other in sorted(self.service.schemes(), key=lambda s: s.year):
            if other.year > scheme.year or not any(g.get("code") == grading_code for g in other.document.get("grading", [])):
                continue
            year = str(other.year)
            if not self.repository.period_scores(other.code, year):
                continue
            _, rule, graded = self.service.grades(other.code, grading_code, year)
            subject = rule.subject
            for entry in graded:
                history[entry.id][other.year] = entry.grade
            if self.review.state(other.code, year) != period_states.PUBLISHED:
                unpublished.add(other.year)
        if subject is None:
            if not any(g.get("code") == grading_code for g in scheme.document.get("grading", [])):
                raise InvalidArgument("grading_code", f"{grading_code!r} is not a grading rule of {scheme_code}")
            return []
        people = scheme.person_entries
        findings = []
        for found in find_consequences(rules, history, subject=subject):
            if subject == "person":
                person = people.get(found.subject_id, {})
                unit_id, name = person.get("unit", ""), person.get("name_zh", "")
            else:
                unit_id = found.subject_id
                name = scheme.units[unit_id].name_zh if unit_id in scheme.units else ""
            findings.append(ConsequenceFinding(found, subject, unit_id, name,
                                               tuple(f"{y}:{history[found.subject_id][y]}" for y in found.years),
                                               any(y in unpublished for y in found.years)))
        return findings
