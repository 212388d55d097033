"""Grades inside a grading pool: forced distribution by ratio, thresholds, or ranks only.

One `grading` rule of a scheme names a pool (categories graded together), a subject
(unit or person), the period kinds it grades, a method, its grades and, for a ratio,
the criteria that separate entries tied on total at a grade boundary::

    - code: departments
      pool: [comprehensive, economic, social, enforcement, mass_org]
      subject: unit
      periods: [year]          # any of month, quarter, year; [year] when absent
      method: ratio            # ratio | threshold | rank_only
      tie_breakers: [dimension:work_results]
      grades:
      - {grade: 1, parts: 18}
      - {grade: 2, parts: 75}
      - {grade: 3, parts: 6}

Grade 1 is the best grade; a larger number is a worse grade.

Periods. A rule grades the period kinds it names in `periods` and no others; without
`periods` it grades the year only. In a period of another kind its pool is ranked, not
graded, and `not_graded_reason` says why (so does a rank-only rule, in every period).

Ranks. Entries are ranked by total, highest first. Exact ties share a rank,
competition style (1, 2, 2, 4): an entry's rank is one more than the number of
entries of the pool with a strictly higher total, as in `ranking.rank`. Nothing but
the total decides a rank.

Sequence (序列). Grades are handed out in the order of the sequence: by total, highest
first; among equal totals by the rule's tie-break criteria (`tie_breakers`), the first
criterion on which they differ deciding, the higher value first; among entries equal
on the total and on every criterion — a tie (并列) — in the order of the office's
resolution of that tie, when one applies (below), and then by id. The order by id only
lists: it never decides a grade (see Ties). The result is listed in sequence order.

Criteria. For persons `personal_evaluation` (the points of the personal evaluation)
and `unit_total` (their unit's total); for units `dimension:<code>` (the unit's score
in that dimension of the scheme). An entry without a score counts 0 on each. Only a
ratio rule names criteria: a threshold gives equal totals the same grade.

Ratio (forced distribution). The number of entries per grade is the number of
entries in the distribution (vetoes below) split in proportion to the grades'
`parts` by the largest-remainder (Hamilton) method, computed in exact rational
arithmetic (`ratio_counts`): 99 units at 18/75/6 give exactly 18/75/6. The grades
are filled best first: each takes, in sequence order, as many of the entries not
graded yet as its count, passing over an entry whose cap is worse than the grade.

Ties at a grade boundary. A tie group is the entries of the distribution equal on
the total and on every criterion. When a grade's places run out inside a tie group —
more of the group's entries not graded yet could take the grade than it has places
left — who gets the grade would depend on an order that no rule decides. That is a
boundary tie (`BoundaryTie`), and it is reported, not decided: its entries (every
entry of the group that could take a grade at such a boundary) get no grade by
points (`grade` None, `tie` set, `tie.resolved` false); `grades` are the grades
their places span, best first, and `slots` how many of their places each grade has.
Every other entry's grade is the same whatever the order inside the tie, and the
grades' counts hold with the tied entries counted apart. A tie whose entries would
all get the same grade is no boundary tie.

Resolution. The evaluation office resolves a boundary tie (`TieResolution`), with
who, when and why. A resolution records the tie as it was when resolved — its ids,
its total and its places (`grades`, best first, and `slots`, how many places of each)
— and the office's decision: either the grade of each tied id (`assigned`), which
fills the places exactly, or the tied ids in an order, best first (`order`). A
resolution applies to a boundary tie only while the tie has the same ids, the same
total and the same places; the newest of those orders the tie: a decision by grades
gives each tied entry the grade decided (entries decided the same grade are listed
by id, which decides nothing), a decision by order gives the places in that order.
If the newest such resolution can no longer give its tied entries the grades it
decides, or its order no longer fills the places (a veto now keeps a tied entry
out), it does not apply. When a resolution applies, the tied entries have grades
and `tie.resolved` is true (`tie.resolution` says who, when, why). A resolution
that does not apply — the scores, the places or the tie's members changed — is
ignored: the tie, if there still is one, is reported again (pending).

Threshold. Each grade has a `min_total`; the grades are tried in grade order and the
first whose `min_total` is at most the total gives the grade. A grade without
`min_total` accepts every total, so the last distributed grade usually has none (the
catch-all) and a grade listed after the catch-all is reached only through a veto. A
total below every threshold gets the rule's lowest grade. Equal totals get equal
grades by points.

Rank only. No grades, only ranks; vetoes are ignored.

Vetoes (caps). An entry may carry a cap: the best grade it may have (the safety veto
caps a unit at 3; a criminal offence puts a person at 4). Under a threshold its
grade is max(grade by points, cap). In a ratio distribution:

- an entry whose cap is worse than every grade that has parts is taken out of the
  distribution before the counts are computed, and gets its cap. The seed's 835
  leaders are 163/658/11 of the other 832 plus 3 in grade 4 for crimes.
- any other capped entry stays in the distribution: each grade better than its cap
  passes over it and takes the entries after it instead, so it gets a place of the
  best grade its cap allows that still has one, and every grade keeps its count (99
  departments at 18/75/6 stay 18/75/6 when one is capped at 3, and the unit ranked
  next moves up).
- in a pool too small for every grade to have a place, a capped entry that finds no
  place at or below its cap gets its cap (the counts then differ by it).

`capped` is true when the cap decided the grade: the entry was taken out of the
distribution, or a grade better than its cap passed over it while the entry — or
the first of its tie group — was among the first `count` entries not graded yet
(its points would have reached that grade); `reason` is then the veto's reason,
otherwise "".
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jixiao.common.stages import PERIOD_KINDS

METHODS = ("ratio", "threshold", "rank_only")
DEFAULT_PERIODS = ("year",)
PERSON_CRITERIA = ("personal_evaluation", "unit_total")
DIMENSION_CRITERION = "dimension:"
_KIND_ZH = {"month": "月度", "quarter": "季度", "year": "年度"}
_KIND_EN = {"month": "months", "quarter": "quarters", "year": "the year"}


def criterion_problem(subject: str, criterion: object) -> str | None:
    """Why `criterion` cannot break ties of a rule grading `subject`; None when it can."""
    if subject == "person":
        if criterion in PERSON_CRITERIA:
            return None
        return f"{criterion!r} is not a criterion for persons ({', '.join(PERSON_CRITERIA)})"
    if isinstance(criterion, str) and criterion.startswith(DIMENSION_CRITERION) and criterion[len(DIMENSION_CRITERION):]:
        return None
    return f"{criterion!r} is not a criterion for units (dimension:<code>)"


@dataclass(frozen=True)
class GradeBand:
    """One grade of a rule: `parts` for the ratio method, `min_total` for thresholds."""

    grade: int
    parts: float = 0
    min_total: float | None = None
    name_zh: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class GradingRule:
    """One `grading` rule of a scheme; `grades` sorted best (1) first."""

    code: str
    method: str
    grades: tuple[GradeBand, ...] = ()
    subject: str = "unit"
    pool: tuple[str, ...] = ()
    periods: tuple[str, ...] = DEFAULT_PERIODS
    tie_breakers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"grading rule {self.code!r}: method {self.method!r} is not one of {', '.join(METHODS)}")
        numbers = [band.grade for band in self.grades]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"grading rule {self.code!r}: a grade is listed twice")
        if any(n < 1 for n in numbers):
            raise ValueError(f"grading rule {self.code!r}: grades are numbered from 1")
        for band in self.grades:
            if not math.isfinite(band.parts) or band.parts < 0:
                raise ValueError(f"grading rule {self.code!r}: grade {band.grade} has invalid parts {band.parts!r}")
            if band.min_total is not None and not math.isfinite(band.min_total):
                raise ValueError(f"grading rule {self.code!r}: grade {band.grade} has invalid min_total")
        if self.method != "rank_only" and not self.grades:
            raise ValueError(f"grading rule {self.code!r}: method {self.method} needs grades")
        if not self.periods or any(kind not in PERIOD_KINDS for kind in self.periods):
            raise ValueError(f"grading rule {self.code!r}: periods {list(self.periods)!r} are not period kinds "
                             f"({', '.join(PERIOD_KINDS)})")
        if self.tie_breakers and self.method != "ratio":
            raise ValueError(f"grading rule {self.code!r}: only a ratio rule names tie-break criteria")
        if len(set(self.tie_breakers)) != len(self.tie_breakers):
            raise ValueError(f"grading rule {self.code!r}: a tie-break criterion is listed twice")
        for criterion in self.tie_breakers:
            problem = criterion_problem(self.subject, criterion)
            if problem:
                raise ValueError(f"grading rule {self.code!r}: {problem}")
        object.__setattr__(self, "grades", tuple(sorted(self.grades, key=lambda band: band.grade)))

    @classmethod
    def from_document(cls, rule: Mapping[str, Any]) -> GradingRule:
        """Build from one item of a scheme document's `grading` list."""
        bands = []
        for g in rule.get("grades") or ():
            name = g.get("name") or {}
            bands.append(GradeBand(
                grade=int(g["grade"]),
                parts=float(g.get("parts") or 0),
                min_total=None if g.get("min_total") is None else float(g["min_total"]),
                name_zh=str(name.get("zh", "")),
                name_en=str(name.get("en", "")),
            ))
        periods = rule.get("periods")
        return cls(code=str(rule.get("code", "")), method=str(rule["method"]), grades=tuple(bands),
                   subject=str(rule.get("subject", "unit")), pool=tuple(rule.get("pool") or ()),
                   periods=DEFAULT_PERIODS if periods is None else tuple(periods),
                   tie_breakers=tuple(rule.get("tie_breakers") or ()))

    @property
    def lowest_grade(self) -> int | None:
        return self.grades[-1].grade if self.grades else None

    def grades_period(self, kind: str) -> bool:
        """Whether the rule gives grades in a period of this kind ("month", "quarter", "year")."""
        return self.method != "rank_only" and kind in self.periods


def not_graded_reason(rule: GradingRule, kind: str) -> tuple[str, str]:
    """(中文, English) of why `rule` gives no grades in a period of `kind`; ("", "") when it does."""
    if rule.method == "rank_only":
        return "该规则只排名次，不评定等次", "this rule ranks only; it gives no grades"
    if rule.grades_period(kind):
        return "", ""
    kinds = [k for k in PERIOD_KINDS if k in rule.periods]
    return (f"本期不评定等次（该规则只评定{'、'.join(_KIND_ZH[k] for k in kinds)}）",
            f"not graded in this period (this rule grades {' and '.join(_KIND_EN[k] for k in kinds)} only)")


@dataclass(frozen=True)
class GradeEntry:
    """A unit or person to grade: its total, when a veto applies its cap, and the
    values of the rule's tie-break criteria in the rule's order (higher is better)."""

    id: str
    total: float
    cap: int | None = None
    reason: str = ""
    criteria: tuple[float, ...] = ()


@dataclass(frozen=True)
class TieResolution:
    """The office's decision on a boundary tie, and the tie as it was when decided.

    `order` is the tied ids in the order decided, best first, for a decision by
    order; `assigned` the grade of each tied id, as (id, grade) pairs by id, for a
    decision by grades (a mapping is accepted); exactly one of them is given.
    `total`, `grades` and `slots` are the tie's total and places when it was
    resolved; who decided, when and why. A resolution without places applies to
    no tie."""

    order: tuple[str, ...]
    total: float
    reason: str = ""
    by: str = ""
    at: str = ""
    grades: tuple[int, ...] = ()  # the grades the tie's places spanned, best first
    slots: tuple[int, ...] = ()  # how many of its places each of those grades had
    assigned: tuple[tuple[str, int], ...] = ()  # the grade decided for each id, by id

    def __post_init__(self) -> None:
        assigned = self.assigned.items() if isinstance(self.assigned, Mapping) else self.assigned
        object.__setattr__(self, "order", tuple(self.order))
        object.__setattr__(self, "assigned", tuple(sorted((str(i), int(g)) for i, g in assigned)))
        object.__setattr__(self, "grades", tuple(self.grades))
        object.__setattr__(self, "slots", tuple(self.slots))
        if bool(self.order) == bool(self.assigned):
            raise ValueError("a tie's resolution gives either an order or the grade of each tied id")

    @property
    def ids(self) -> tuple[str, ...]:
        """The tied ids the resolution names, as named (in order, or by id)."""
        return self.order or tuple(i for i, _ in self.assigned)

    @property
    def by_grades(self) -> bool:
        return bool(self.assigned)

    def applies_to(self, ids: frozenset[str], total: float, grades: tuple[int, ...], slots: tuple[int, ...]) -> bool:
        """Whether it resolves a tie of these ids, total and places: all the same as when resolved."""
        named = self.ids
        return (len(named) == len(ids) and frozenset(named) == ids and self.total == total
                and bool(self.grades) and (self.grades, self.slots) == (grades, slots))


@dataclass(frozen=True)
class BoundaryTie:
    """Entries tied on the total and every criterion across a grade boundary."""

    ids: tuple[str, ...]  # by id
    total: float
    grades: tuple[int, ...]  # the grades their places span, best first
    slots: tuple[int, ...]  # how many of their places each of those grades has
    resolution: TieResolution | None = None

    @property
    def resolved(self) -> bool:
        return self.resolution is not None


@dataclass(frozen=True)
class GradedEntry:
    id: str
    total: float
    rank: int
    grade: int | None
    capped: bool
    reason: str
    tie: BoundaryTie | None = None

    @property
    def tie_pending(self) -> bool:
        """In a boundary tie the office has not resolved: no grade by points."""
        return self.tie is not None and not self.tie.resolved


def ratio_counts(pool_size: int, parts: Sequence[float]) -> tuple[int, ...]:
    """Split `pool_size` in proportion to `parts` by the largest-remainder method.

    Each count is the floor of its exact quota; the seats left go one each to the
    largest remainders, equal remainders to the earlier (better) grade. A part of 0
    always gets 0. The counts sum to `pool_size`.
    """
    if pool_size < 0:
        raise ValueError("pool size must not be negative")
    exact = [_fraction(p) for p in parts]
    if any(p < 0 for p in exact):
        raise ValueError("parts must not be negative")
    whole = sum(exact, Fraction(0))
    if pool_size == 0:
        return tuple(0 for _ in exact)
    if whole == 0:
        raise ValueError(f"cannot distribute {pool_size} entries: every grade has 0 parts")
    quotas = [pool_size * p / whole for p in exact]
    counts = [math.floor(q) for q in quotas]
    left = pool_size - sum(counts)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in by_remainder[:left]:
        counts[i] += 1
    return tuple(counts)


def grade_pool(rule: GradingRule, entries: Iterable[GradeEntry],
               resolutions: Sequence[TieResolution] = ()) -> tuple[GradedEntry, ...]:
    """Rank and grade the entries of one pool by `rule`; the result is in sequence
    order. `resolutions` are the office's resolutions of ties in this pool and
    period, oldest first."""
    items = _checked(entries, len(rule.tie_breakers) if rule.method == "ratio" else None)
    if rule.method == "rank_only":
        return rank_pool(items)
    if rule.method == "threshold":
        ranks = _ranks(items)
        return tuple(_capped(e, ranks[e.id], _threshold_grade(rule, e.total)) for e in _by_total(items))
    return _ratio(rule, items, resolutions)


def rank_pool(entries: Iterable[GradeEntry]) -> tuple[GradedEntry, ...]:
    """Ranks only, no grades: a rank-only rule, or a period the rule does not grade."""
    items = _checked(entries, None)
    ranks = _ranks(items)
    return tuple(GradedEntry(e.id, e.total, ranks[e.id], None, False, "") for e in _by_total(items))


def boundary_ties(graded: Iterable[GradedEntry]) -> tuple[BoundaryTie, ...]:
    """The boundary ties among graded entries (pending and resolved), in sequence order."""
    found: dict[tuple[str, ...], BoundaryTie] = {}
    for entry in graded:
        if entry.tie is not None:
            found.setdefault(entry.tie.ids, entry.tie)
    return tuple(found.values())


def _ratio(rule: GradingRule, items: list[GradeEntry], resolutions: Sequence[TieResolution]) -> tuple[GradedEntry, ...]:
    """Forced distribution with vetoes that keep the published counts, and
    boundary ties reported or ordered by the office's resolution (module docstring)."""
    distributed = [band for band in rule.grades if band.parts > 0]
    lowest_distributed = distributed[-1].grade if distributed else 0

    def outside(entry: GradeEntry) -> bool:
        return entry.cap is not None and entry.cap > lowest_distributed

    inside = [e for e in items if not outside(e)]
    counts = ratio_counts(len(inside), [band.parts for band in rule.grades])
    # The boundary ties, and so the entries each one holds and their places, are the
    # same under any order inside a tie: find them in id order, then fill again as
    # the resolutions that apply decide.
    grade_of, _, contested = _fill(rule, counts, _groups(inside, {}), lowest_distributed)
    totals = {e.id: e.total for e in inside}
    applying: dict[frozenset[str], TieResolution] = {}
    for ids in contested.values():
        grades, slots = _places(grade_of, ids)
        if len(grades) < 2:  # no boundary tie
            continue
        total = totals[next(iter(ids))]
        matching = [r for r in resolutions if r.applies_to(ids, total, grades, slots)]
        if matching:  # oldest first: the newest wins
            applying[ids] = matching[-1]
    while True:
        decided = _decided(applying.values())
        grade_of, held_back, contested = _fill(rule, counts, _groups(inside, decided), lowest_distributed)
        failed = [ids for ids, resolution in applying.items() if not _gives(resolution, grade_of)]
        if not failed:
            break
        for ids in failed:  # it can no longer give what it decided: the tie is reported again
            del applying[ids]
    ties: dict[str, BoundaryTie] = {}
    for ids in contested.values():
        spanned, slots = _places(grade_of, ids)
        if len(spanned) < 2:  # every place they could take has the same grade: no boundary tie
            continue
        tie = BoundaryTie(tuple(sorted(ids)), totals[next(iter(ids))], spanned, slots, applying.get(ids))
        ties.update((i, tie) for i in ids)
    ranks = _ranks(items)
    graded = []
    for entry in sorted(items, key=lambda e: _sequence_key(e, decided)):
        tie = ties.get(entry.id)
        if entry.id not in grade_of:  # taken out of the distribution
            assert entry.cap is not None
            graded.append(GradedEntry(entry.id, entry.total, ranks[entry.id], entry.cap, True, entry.reason))
            continue
        grade = None if tie is not None and not tie.resolved else grade_of[entry.id]
        capped = entry.id in held_back
        graded.append(GradedEntry(entry.id, entry.total, ranks[entry.id], grade, capped,
                                  entry.reason if capped else "", tie))
    return tuple(graded)


def _fill(rule: GradingRule, counts: Sequence[int], groups: list[list[GradeEntry]],
          lowest_distributed: int) -> tuple[dict[str, int], set[str], dict[int, frozenset[str]]]:
    """Fills the grades best first from `groups` (tie groups, in sequence order).

    Returns each entry's grade, the entries a grade better than their cap passed
    over (held back), and per tie group split at a boundary the entries that
    competed there."""
    grade_of: dict[str, int] = {}
    held_back: set[str] = set()
    competed: dict[int, set[str]] = {}
    for band, count in zip(rule.grades, counts, strict=True):
        before = set(grade_of)
        left, position = count, 0  # places left; entries not graded before this grade, passed so far
        for g, group in enumerate(groups):
            if left == 0 and position >= count:
                break
            waiting = [e for e in group if e.id not in before]
            if not waiting:
                continue
            eligible = [e for e in waiting if e.cap is None or e.cap <= band.grade]
            if position < count:  # its points reach this grade: a cap that keeps it out decides
                held_back.update(e.id for e in waiting if e.cap is not None and e.cap > band.grade)
            position += len(waiting)
            if not eligible or left == 0:
                continue
            if len(eligible) > left:  # the places run out inside the tie
                competed.setdefault(g, set()).update(e.id for e in eligible)
            taken = eligible[:left]
            grade_of.update((e.id, band.grade) for e in taken)
            left -= len(taken)
    # In a pool too small for every grade to have a place, a capped entry may find
    # no place at or below its cap: it gets its cap (the counts then differ by it).
    for group in groups:
        grade_of.update((e.id, e.cap or lowest_distributed) for e in group if e.id not in grade_of)
    return grade_of, held_back, {g: frozenset(ids) for g, ids in competed.items()}


def _places(grade_of: Mapping[str, int], ids: Iterable[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The grades a tie's places span, best first, and how many places each has."""
    count = Counter(grade_of[i] for i in ids)
    spanned = tuple(sorted(count))
    return spanned, tuple(count[g] for g in spanned)


def _decided(resolutions: Iterable[TieResolution]) -> dict[str, int]:
    """Each tied id's position in the sequence as the resolutions decide: its place in
    the order, or, decided by grades, its grade (ids of one grade share a position)."""
    decided: dict[str, int] = {}
    for resolution in resolutions:
        if resolution.by_grades:
            decided.update(resolution.assigned)
        else:
            decided.update((i, position) for position, i in enumerate(resolution.order))
    return decided


def _gives(resolution: TieResolution, grade_of: Mapping[str, int]) -> bool:
    """Whether the grades filled are what the resolution decided: each id its grade,
    or, by order, the places it was made for."""
    if resolution.by_grades:
        return all(grade_of.get(i) == g for i, g in resolution.assigned)
    return _places(grade_of, resolution.order) == (resolution.grades, resolution.slots)


def _groups(entries: list[GradeEntry], decided: Mapping[str, int]) -> list[list[GradeEntry]]:
    """Tie groups (equal total and criteria) in sequence order, each in sequence order."""
    groups: list[list[GradeEntry]] = []
    for entry in sorted(entries, key=lambda e: _sequence_key(e, decided)):
        if groups and (groups[-1][0].total, groups[-1][0].criteria) == (entry.total, entry.criteria):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def _sequence_key(entry: GradeEntry, decided: Mapping[str, int]) -> tuple:
    return (-entry.total, tuple(-c for c in entry.criteria), decided.get(entry.id, math.inf), entry.id)


def _threshold_grade(rule: GradingRule, total: float) -> int:
    for band in rule.grades:
        if band.min_total is None or total >= band.min_total:
            return band.grade
    return rule.grades[-1].grade


def _capped(entry: GradeEntry, rank: int, grade: int) -> GradedEntry:
    if entry.cap is not None and entry.cap > grade:
        return GradedEntry(entry.id, entry.total, rank, entry.cap, True, entry.reason)
    return GradedEntry(entry.id, entry.total, rank, grade, False, "")


def _checked(entries: Iterable[GradeEntry], criteria: int | None) -> list[GradeEntry]:
    items = list(entries)
    seen: set[str] = set()
    for e in items:
        if e.id in seen:
            raise ValueError(f"entry {e.id!r} is listed twice")
        seen.add(e.id)
        if not math.isfinite(e.total):
            raise ValueError(f"entry {e.id!r} has no finite total ({e.total!r})")
        if e.cap is not None and e.cap < 1:
            raise ValueError(f"entry {e.id!r} has an invalid cap {e.cap!r}")
        if criteria is not None and len(e.criteria) != criteria:
            raise ValueError(f"entry {e.id!r} has {len(e.criteria)} tie-break values; the rule names {criteria}")
        if not all(math.isfinite(c) for c in e.criteria):
            raise ValueError(f"entry {e.id!r} has a tie-break value that is not finite")
    return items


def _by_total(items: list[GradeEntry]) -> list[GradeEntry]:
    return sorted(items, key=lambda e: (-e.total, e.id))


def _ranks(items: list[GradeEntry]) -> dict[str, int]:
    """Competition ranks by total: one more than the number of strictly higher totals."""
    first: dict[float, int] = {}
    for position, entry in enumerate(_by_total(items), start=1):
        first.setdefault(entry.total, position)
    return {e.id: first[e.total] for e in items}


def _fraction(value: float) -> Fraction:
    """Exact value of a part; a float is read as its shortest decimal text (0.18 is 18/100)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"invalid part {value!r}")
        return Fraction(repr(value))
    return Fraction(value)


def stored_resolutions(rows: list[dict]) -> list[TieResolution]:
    """The office's resolutions as stored (`Repository.tie_resolutions`), oldest first:
    each with the tie's places when it was resolved and the decision as given — the
    grade of each tied id, or the order."""
    return [TieResolution(tuple(row["order"]), row["total"], row["reason"], row["actor"], row["at"],
                          tuple(row["tie_grades"]), tuple(row["tie_slots"]), row["assigned"]) for row in rows]
