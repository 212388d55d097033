"""Evaluation periods: day → month → quarter → year (the seeds' daily record,
monthly review, quarterly assessment and annual summary).

A period is written "2026", "2026-Q1", "2026-03" or "2026-03-15".
"""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

# ASCII digits only, and nothing after (not even a newline): "2026-0３" or "2026\n"
# would otherwise name a second March beside 2026-03, past its lock.
_PATTERNS = (
    ("year", re.compile(r"([0-9]{4})")),
    ("quarter", re.compile(r"([0-9]{4})-Q([1-4])")),
    ("month", re.compile(r"([0-9]{4})-([0-9]{2})")),
    ("day", re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")),
)
_ORDER = {"day": 0, "month": 1, "quarter": 2, "year": 3}


class PeriodError(ValueError):
    """The text is not a period."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str
    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def year(self) -> int:
        return self.start.year

    def enclosing(self) -> tuple[Period, ...]:
        """This period and every longer one containing it, shortest first."""
        chain = [self]
        if _ORDER[self.kind] < _ORDER["month"]:
            chain.append(parse_period(f"{self.start.year}-{self.start.month:02d}"))
        if _ORDER[self.kind] < _ORDER["quarter"]:
            chain.append(parse_period(f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"))
        if _ORDER[self.kind] < _ORDER["year"]:
            chain.append(parse_period(str(self.start.year)))
        return tuple(chain)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def elapsed_share(self, as_of: date) -> float:
        """Share of the period elapsed at the end of day `as_of` (0 to 1)."""
        if as_of < self.start:
            return 0.0
        if as_of >= self.end:
            return 1.0
        return ((as_of - self.start).days + 1) / ((self.end - self.start).days + 1)


@functools.lru_cache(maxsize=8192)
def parse_period(text: str) -> Period:
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        parts = [int(p) for p in match.groups()]
        try:
            if kind == "year":
                return Period(date(parts[0], 1, 1), date(parts[0], 12, 31), kind, text)
            if kind == "quarter":
                first = 3 * parts[1] - 2
                last = first + 2
                return Period(date(parts[0], first, 1), date(parts[0], last, calendar.monthrange(parts[0], last)[1]), kind, text)
            if kind == "month":
                return Period(date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(*parts)[1]), kind, text)
            day = date(*parts)
            return Period(day, day, kind, text)
        except ValueError:
            break
    raise PeriodError(f"{text!r} is not a period; use YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD")


def day_period(day: date) -> Period:
    return parse_period(day.isoformat())
