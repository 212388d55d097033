"""Consequences over a subject's grade history, listed for the organisation department.

A scheme's `consequences` name rules over grades by year::

    - {rule: two_years_third_grade, subject: person, action: {zh: 免职, en: removal from post}}
    - {rule: fourth_grade, subject: person, action: {zh: 撤销党政职务, en: dismissal}}
    - {rule: third_grade, subject: person, action: {zh: 诫勉谈话, en: admonishment talk}}

The rules (grade 1 is the best; a larger number is worse):

- `fourth_grade`: a year graded 4 or worse. Years: (that year,).
- `two_years_third_grade`: two consecutive calendar years each graded 3 or worse.
  Years: (previous year, that year). A year without a grade (not graded, or a
  rank-only rule, given as None or left out) breaks the chain. Three such years in
  a row give a finding in each of the last two years.
- `third_grade`: a year graded exactly 3. Years: (that year,).

A finding belongs to the last of its years (the year it is triggered). Per subject and
year only the most severe finding is listed (fourth_grade, then two_years_third_grade,
then third_grade): a leader removed from post is not also called to an admonishment
talk for the same year.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jixiao.common.scheme_format import CONSEQUENCE_RULES

#: Known rules, most severe first (declared with the scheme format).
RULES = CONSEQUENCE_RULES


@dataclass(frozen=True)
class ConsequenceRule:
    rule: str
    action_zh: str
    action_en: str
    subject: str = "person"

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"consequence rule {self.rule!r} is not one of {', '.join(RULES)}")

    @classmethod
    def from_document(cls, item: Mapping[str, Any]) -> ConsequenceRule:
        """Build from one item of a scheme document's `consequences` list."""
        action = item.get("action") or {}
        return cls(rule=str(item["rule"]), action_zh=str(action.get("zh", "")),
                   action_en=str(action.get("en", "")), subject=str(item.get("subject", "person")))


@dataclass(frozen=True)
class Consequence:
    subject_id: str
    rule: str
    action_zh: str
    action_en: str
    years: tuple[int, ...]


def find_consequences(rules: Iterable[ConsequenceRule], history: Mapping[str, Mapping[int, int | None]], *,
                      year: int | None = None, subject: str | None = None) -> tuple[Consequence, ...]:
    """The consequences the rules draw from `history` (subject id → year → grade).

    `year` keeps only findings triggered in that year (the list for one annual
    decision); `subject` keeps only the rules for that kind of subject ("person" or
    "unit"). Ordered by subject id, then year.
    """
    by_rule: dict[str, ConsequenceRule] = {}
    for r in rules:
        if subject is None or r.subject == subject:
            by_rule.setdefault(r.rule, r)
    found: list[Consequence] = []
    for subject_id in sorted(history):
        grades = {y: g for y, g in history[subject_id].items() if g is not None}
        for y in sorted(grades):
            if year is not None and y != year:
                continue
            hit = _most_severe(by_rule, grades, y)
            if hit is not None:
                rule, years = hit
                found.append(Consequence(subject_id, rule.rule, rule.action_zh, rule.action_en, years))
    return tuple(found)


def _most_severe(by_rule: Mapping[str, ConsequenceRule], grades: Mapping[int, int],
                 y: int) -> tuple[ConsequenceRule, tuple[int, ...]] | None:
    grade = grades[y]
    for code in RULES:
        rule = by_rule.get(code)
        if rule is None:
            continue
        if code == "fourth_grade" and grade >= 4:
            return rule, (y,)
        if code == "two_years_third_grade" and grade >= 3 and grades.get(y - 1, 0) >= 3:
            return rule, (y - 1, y)
        if code == "third_grade" and grade == 3:
            return rule, (y,)
    return None
