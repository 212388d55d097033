"""Which published scheme is which: the latest version of each code, the one
governing a year (the newest version published for it, as scoring uses) or a
period, and their documents and calendars."""
from __future__ import annotations

import time

from jixiao.common import stages
from jixiao_sdk.periods import Calendar, Period

from ..adapters.registry_schemes import RegistrySchemes

#: A year with no published scheme in the kept list is asked of the registry again at
#: most this often: a scheme published a moment ago counts at once, a flood of
#: requests for a year without one does not become a flood of registry calls.
MISS_RECHECK_SECONDS = 1.0


class SchemeLookup:
    def __init__(self, registry: RegistrySchemes, clock=time.monotonic):
        self.registry = registry
        self.clock = clock
        self._rechecked_at = -MISS_RECHECK_SECONDS

    def published(self) -> list[dict]:
        """The latest published version of each scheme code, newest year first (asked of the registry now)."""
        latest: dict[str, dict] = {}
        for v in self.registry.versions(fresh=True):
            if v["status"] == "published" and (v["code"] not in latest or v["version"] > latest[v["code"]]["version"]):
                latest[v["code"]] = v
        return sorted(latest.values(), key=lambda v: (v["year"], v["code"]), reverse=True)

    def code_for_year(self, year: int) -> str | None:
        """The code of the newest version published for `year` (by publication time, then version).
        When the kept list has none, the registry is asked again (at most once a second): the
        office may have just published the year's first scheme."""
        found = self._code_for_year(year, self.registry.versions())
        if found is None and self.clock() - self._rechecked_at >= MISS_RECHECK_SECONDS:
            self._rechecked_at = self.clock()
            found = self._code_for_year(year, self.registry.versions(fresh=True))
        return found

    @staticmethod
    def _code_for_year(year: int, versions: list[dict]) -> str | None:
        newest: tuple = ()
        for v in versions:
            if v["status"] == "published" and v["year"] == year:
                newest = max(newest, (v.get("published_at", ""), v["version"], v["code"]))
        return newest[2] if newest else None

    def document(self, code: str, version: int = 0) -> dict:
        """The document of a scheme's version; without one, of its latest published version."""
        return self.registry.document(code, version) if version else self.registry.latest_document(code)

    def calendar(self, code: str) -> Calendar:
        """The calendar of a scheme's year (scheme.year_start_month)."""
        return stages.calendar_of(self.document(code).get("scheme") or {})

    def scheme_of_period(self, text: str) -> tuple[str | None, Period]:
        """The code of the scheme a period text falls in (`stages.scheme_year_of`) and the
        period read with its calendar; raises PeriodError for a non-period."""
        year, period = stages.scheme_year_of(text, self._calendar_for_year)
        return (None if year is None else self.code_for_year(year)), period

    def _calendar_for_year(self, year: int) -> Calendar | None:
        code = self.code_for_year(year)
        return None if code is None else self.calendar(code)
