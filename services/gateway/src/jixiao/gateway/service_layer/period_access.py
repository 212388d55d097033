"""Which periods a caller may see, and in which review state: the one place
that decides it for the JSON API and the portal.

The public sees a scheme's PUBLISHED periods only; its reads use the period
states kept a few seconds (adapters/scoring_periods.py). The office sees
every period; its reads ask scoring at once, with the office's own token
(which scoring checks), so that its desk shows what it just did. After an
office action on a period this process forgets the scheme's states.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jixiao_sdk.periods import PeriodError

from ..adapters.backend_errors import NotFound
from ..adapters.scoring_periods import ScoringPeriods
from ..domain.review_states import PUBLISHED, shown_to
from .scheme_lookup import SchemeLookup


@dataclass(frozen=True)
class Viewer:
    """Who reads: the public, or the office with its own token."""

    office: bool = False
    token: str | None = None  # the office's; None: the gateway reads with its own


PUBLIC = Viewer()


class PeriodNotPublished(Exception):
    """The caller asked for a period it may not see."""

    def __init__(self, scheme_code: str, period: str):
        super().__init__(f"period {period} of scheme {scheme_code} is not published; results appear here once the "
                         "evaluation office publishes them")
        self.scheme_code, self.period = scheme_code, period


class OnlyPublished(Exception):
    """The public asked to list periods in another state than published."""

    def __init__(self):
        super().__init__("without an office token only published periods are listed")


class PeriodAccess:
    def __init__(self, periods: ScoringPeriods, schemes: SchemeLookup):
        self.periods, self.schemes = periods, schemes

    def listed(self, scheme_code: str, viewer: Viewer) -> list[dict]:
        """The scheme's periods the viewer may see, each with its state and who moved it when, in
        scoring's order. Raises Unimplemented while scoring cannot list periods."""
        listed = (self.periods.listed(scheme_code, token=viewer.token, fresh=True) if viewer.office
                  else self.periods.listed(scheme_code))
        return [p for p in listed if shown_to(viewer.office, p["state"])]

    def states(self, scheme_code: str, viewer: Viewer) -> dict[str, str]:
        """period → state of the scheme's periods the viewer may see."""
        return {p["period"]: p["state"] for p in self.listed(scheme_code, viewer)}

    def all_states(self, scheme_code: str) -> Mapping[str, str]:
        """period → state of every period of the scheme (kept a few seconds), for checks that are no one's view."""
        return {p["period"]: p["state"] for p in self.periods.listed(scheme_code)}

    def listed_state(self, viewer: Viewer, asked: str) -> str:
        """The state a listing of periods is filtered by: the one asked for by the office
        ('' for all), published for everyone else (OnlyPublished if they asked for another)."""
        if viewer.office:
            return asked
        if asked not in ("", PUBLISHED):
            raise OnlyPublished()
        return PUBLISHED

    def require_visible(self, scheme_code: str, period: str, viewer: Viewer) -> None:
        """Raises PeriodNotPublished unless the viewer may see `period` of the scheme."""
        if not viewer.office and self.all_states(scheme_code).get(period) != PUBLISHED:
            raise PeriodNotPublished(scheme_code, period)

    def visible(self, period: str, viewer: Viewer) -> bool:
        """Whether the viewer may see anything of `period`, in whichever scheme governs its
        year (for comparisons that reach into another period)."""
        if viewer.office:
            return True
        try:
            code, _ = self.schemes.scheme_of_period(period)
        except PeriodError:
            return False
        if code is None:
            return False
        try:
            return self.all_states(code).get(period) == PUBLISHED
        except NotFound:  # a scheme scoring does not know has nothing published
            return False

    def act(self, action: str, scheme_code: str, period: str, viewer: Viewer, reason: str = "",
            override_findings_reason: str = "") -> dict:
        """The office locks, approves, publishes or reopens a period (scoring checks its token); this
        process then asks scoring for the scheme's states again."""
        try:
            return self.periods.act(action, scheme_code, period, viewer.token, reason, override_findings_reason)
        finally:
            self.periods.forget(scheme_code)

    def forget(self, scheme_code: str) -> None:
        """After an office action made elsewhere (a recheck, a resolved tie): read the states again."""
        self.periods.forget(scheme_code)
