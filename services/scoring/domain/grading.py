"""Grades inside a grading pool: forced distribution by ratio, thresholds, or ranks only.

One `grading` rule of a scheme names a pool (categories graded together), a subject
(unit or person), a method and its grades::

    - code: departments
      pool: [comprehensive, economic, social, enforcement, mass_org]
      subject: unit
      method: ratio            # ratio | threshold | rank_only
      grades:
      - {grade: 1, parts: 18}
      - {grade: 2, parts: 75}
      - {grade: 3, parts: 6}

Grade 1 is the best grade; a larger number is a worse grade.

Order. Entries are ranked by total, highest first; equal totals are ordered by id
(ascending), so ranks are 1..n with no shared ranks, the same on every run and for
any input order (as in `ranking.rank`).

Ratio (forced distribution). The number of entries per grade is the pool size split in
proportion to the grades' `parts` by the largest-remainder (Hamilton) method, computed
in exact rational arithmetic (`ratio_counts`): 99 units at 18/75/6 give exactly 18/75/6.
Slots are filled in rank order. A tie that straddles a grade boundary is split by id:
of two entries with the same total, the one with the smaller id gets the better grade.
That is deterministic, and it is the only tie-break; the evaluation office decides
ties by hand, if it wants to, before publication.

Threshold. Each grade has a `min_total`; the grades are tried in grade order and the
first whose `min_total` is at most the total gives the grade. A grade without
`min_total` accepts every total, so the last distributed grade usually has none (the
catch-all) and a grade listed after the catch-all is reached only through a veto. A
total below every threshold gets the rule's lowest grade.

Rank only. No grades, only ranks; vetoes are ignored.

Vetoes (caps). An entry may carry a cap: the best grade it may have (the safety veto
caps a unit at 3; a criminal offence puts a person at 4). Its grade is
max(grade by points, cap). In a ratio distribution:

- an entry whose cap is the rule's lowest grade, or worse than every grade that has
  parts, is taken out of the distribution before the counts are computed, and gets
  its cap. The seed's 835 leaders are 163/658/11 of the other 832 plus 3 in grade 4
  for crimes. (A department capped at 3 under 18/75/6 is therefore also taken out:
  the other 98 are distributed, 18/74/6, and the third grade ends up with 7.)
- any other capped entry keeps its slot (its position in rank order), and so the
  count of its slot's grade, but its own grade is lowered to the cap. The slot is
  not handed to the next entry: a unit capped at 2 in a first-grade slot leaves the
  first grade one short.

`capped` is true when the cap decided the grade (the grade by points would have been
better, or the entry was taken out of the distribution); `reason` is then the veto's
reason, otherwise "".
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

METHODS = ("ratio", "threshold", "rank_only")


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
        return cls(code=str(rule.get("code", "")), method=str(rule["method"]), grades=tuple(bands),
                   subject=str(rule.get("subject", "unit")), pool=tuple(rule.get("pool") or ()))

    @property
    def lowest_grade(self) -> int | None:
        return self.grades[-1].grade if self.grades else None


@dataclass(frozen=True)
class GradeEntry:
    """A unit or person to grade: its total and, when a veto applies, its cap."""

    id: str
    total: float
    cap: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class GradedEntry:
    id: str
    total: float
    rank: int
    grade: int | None
    capped: bool
    reason: str


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


def grade_pool(rule: GradingRule, entries: Iterable[GradeEntry]) -> tuple[GradedEntry, ...]:
    """Rank and grade the entries of one pool by `rule`; the result is in rank order."""
    ordered = _ranked(entries)
    if rule.method == "rank_only":
        return tuple(GradedEntry(e.id, e.total, rank, None, False, "") for rank, e in ordered)
    if rule.method == "threshold":
        return tuple(_capped(e, rank, _threshold_grade(rule, e.total)) for rank, e in ordered)
    return _ratio(rule, ordered)


def _ratio(rule: GradingRule, ordered: list[tuple[int, GradeEntry]]) -> tuple[GradedEntry, ...]:
    """Forced distribution with vetoes that keep the published counts.

    An entry capped at a grade that has no share (e.g. a leader's fourth grade
    for a crime) is taken out and given its cap; the counts are split over
    the others. Grades are then filled best first, each with the best-ranked
    remaining entries its cap allows: a vetoed entry takes a slot of the best
    grade it may have, the entry ranked next moves up, and every grade keeps
    exactly its count (99 departments at 18/75/6 stay 18/75/6 with a veto).
    """
    distributed = [band for band in rule.grades if band.parts > 0]
    lowest_distributed = distributed[-1].grade if distributed else 0

    def outside(entry: GradeEntry) -> bool:
        return entry.cap is not None and entry.cap > lowest_distributed

    remaining = [(rank, e) for rank, e in ordered if not outside(e)]
    counts = ratio_counts(len(remaining), [band.parts for band in rule.grades])
    grade_of: dict[str, int] = {}
    held_back: set[str] = set()
    for band, count in zip(rule.grades, counts, strict=True):
        allowed = [(rank, e) for rank, e in remaining if e.cap is None or e.cap <= band.grade][:count]
        held_back.update(e.id for _, e in remaining[:count] if e.cap is not None and e.cap > band.grade)
        grade_of.update((e.id, band.grade) for _, e in allowed)
        taken = {e.id for _, e in allowed}
        remaining = [(rank, e) for rank, e in remaining if e.id not in taken]
    # In a pool too small for every grade to have a slot, a capped entry may find
    # no room at or below its cap: it gets its cap (the counts then differ by it).
    grade_of.update((e.id, e.cap or lowest_distributed) for _, e in remaining)
    graded = []
    for rank, entry in ordered:
        if entry.id in held_back:
            graded.append(GradedEntry(entry.id, entry.total, rank, grade_of[entry.id], True, entry.reason))
        elif entry.id in grade_of:
            graded.append(GradedEntry(entry.id, entry.total, rank, grade_of[entry.id], False, ""))
        else:
            assert entry.cap is not None
            graded.append(GradedEntry(entry.id, entry.total, rank, entry.cap, True, entry.reason))
    return tuple(graded)


def _threshold_grade(rule: GradingRule, total: float) -> int:
    for band in rule.grades:
        if band.min_total is None or total >= band.min_total:
            return band.grade
    return rule.grades[-1].grade


def _capped(entry: GradeEntry, rank: int, grade: int) -> GradedEntry:
    if entry.cap is not None and entry.cap > grade:
        return GradedEntry(entry.id, entry.total, rank, entry.cap, True, entry.reason)
    return GradedEntry(entry.id, entry.total, rank, grade, False, "")


def _ranked(entries: Iterable[GradeEntry]) -> list[tuple[int, GradeEntry]]:
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
    items.sort(key=lambda e: (-e.total, e.id))
    return list(enumerate(items, start=1))


def _fraction(value: float) -> Fraction:
    """Exact value of a part; a float is read as its shortest decimal text (0.18 is 18/100)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"invalid part {value!r}")
        return Fraction(repr(value))
    return Fraction(value)
