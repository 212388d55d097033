"""What the gateway needs to know about schemes and periods to decide what the
public may see, kept for a few seconds: the review state of each period of a
scheme (scoring's ListPeriods), and which published scheme governs a year
with its document (the registry's)."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping

from jixiao.common import stages
from jixiao.v1 import registry_pb2, scoring_pb2
from jixiao_sdk.periods import Calendar, Period

from .backends import Backends

PAGE_SIZE = 500


class _Expiring:
    """A dict whose entries are recomputed once `ttl` seconds old."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._entries: dict = {}
        self._lock = threading.Lock()

    def get(self, key, compute: Callable[[], object]):
        now = self.clock()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        value = compute()  # outside the lock: a slow backend must not hold up other keys
        with self._lock:
            self._entries[key] = (now, value)
        return value

    def forget(self, key) -> None:
        with self._lock:
            self._entries.pop(key, None)


class PeriodStates:
    """period → state ("open", "locked", "approved", "published") of each
    period of a scheme that has scores or a review state."""

    def __init__(self, backends: Backends, ttl_seconds: float = 5.0):
        self.backends = backends
        self._cache = _Expiring(ttl_seconds)

    def of(self, scheme_code: str) -> Mapping[str, str]:
        return self._cache.get(scheme_code, lambda: self._load(scheme_code))

    def forget(self, scheme_code: str) -> None:
        """Called after a period action, so that this process sees it at once."""
        self._cache.forget(scheme_code)

    def _load(self, scheme_code: str) -> Mapping[str, str]:
        states, token = {}, ""
        while True:
            reply = self.backends.call("scoring", "ListPeriods", scoring_pb2.ListPeriodsRequest(
                scheme_code=scheme_code, page_size=PAGE_SIZE, page_token=token))
            states.update({p["period"]: p["state"] for p in reply["periods"]})
            token = reply["next_page_token"]
            if not token:
                return states


class PublishedSchemes:
    """The registry's published schemes: which one governs a year (the newest
    version published for that year, as scoring uses), and its document."""

    def __init__(self, backends: Backends, ttl_seconds: float = 30.0):
        self.backends = backends
        self._cache = _Expiring(ttl_seconds)

    def code_for_year(self, year: int) -> str | None:
        return self._cache.get("years", self._load_years).get(year)

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

    def document(self, code: str) -> dict:
        """The latest published version's document of a scheme code."""
        return self._cache.get(("document", code), lambda: json.loads(self.backends.call(
            "registry", "GetScheme", registry_pb2.GetSchemeRequest(code=code))["document_json"]))

    def _load_years(self) -> dict[int, str]:
        versions = self.backends.call("registry", "ListSchemeVersions", registry_pb2.ListSchemeVersionsRequest())["versions"]
        newest: dict[int, tuple] = {}
        for v in versions:
            if v["status"] == "published":
                newest[v["year"]] = max(newest.get(v["year"], ()), (v.get("published_at", ""), v["version"], v["code"]))
        return {year: entry[2] for year, entry in newest.items()}
