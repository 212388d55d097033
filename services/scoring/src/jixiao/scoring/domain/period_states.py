"""Review of a scored period: open → locked → approved → published.

The office locks a period once its data is in (late events are then
rejected), reviews and approves it, and publishes it. A locked or approved
period may be reopened, with a reason; a published period is final.

With the scheme's `separate_duties`, whoever locked a period may not approve or publish it
(four eyes on publication, as DHIS2's multi-level data approval has it).

A period is *frozen* when it, or a period enclosing it, is locked, approved
or published: locking 2026-Q1 freezes 2026-01..03 too, and no event, scheme
version or plug-in version changes a frozen period's results any more.

A request the rules refuse raises `Refused`, which the service layer answers
as a bad argument (it names the field) or as a state that forbids the action.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from jixiao_sdk.periods import CALENDAR_YEAR, Calendar, Period, PeriodError

OPEN, LOCKED, APPROVED, PUBLISHED = "open", "locked", "approved", "published"
STATES = (OPEN, LOCKED, APPROVED, PUBLISHED)
REVIEWABLE_KINDS = ("month", "quarter", "year")

#: action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "lock": ((OPEN,), LOCKED),
    "reopen": ((LOCKED, APPROVED), OPEN),
    "approve": ((LOCKED,), APPROVED),
    "publish": ((APPROVED,), PUBLISHED),
}


class Refused(ValueError):
    """A review request the rules refuse: `field` names the argument at fault, or is ""
    when the period's state forbids the action."""

    def __init__(self, problem: str, field: str = ""):
        super().__init__(f"{field}: {problem}" if field else problem)
        self.problem = problem
        self.field = field


@dataclass(frozen=True)
class Transition:
    action: str
    period: Period
    before: str
    after: str


def plan(action: str, period_text: str, current: str, reason: str,
         calendar: Calendar = CALENDAR_YEAR, *, actor: str = "", locked_by: str = "",
         separate_duties: bool = False) -> Transition:
    """The transition `action` makes from `current`; raises `Refused` with a clear message.

    Separate duties (the scheme's `separate_duties`, four eyes): `actor` may not approve or
    publish a period that `locked_by` — the same name — locked. Names are compared as given
    (the token file's names); a lock recorded without a name binds nobody."""
    if action not in TRANSITIONS:
        raise Refused(f"must be one of {', '.join(TRANSITIONS)}", "action")
    period = reviewable(period_text, calendar)
    starts, after = TRANSITIONS[action]
    if current not in starts:
        allowed = " or ".join(starts)
        raise Refused(f"period {period.text} is {current}; {action} needs it {allowed}")
    if separate_duties and action in ("approve", "publish") and locked_by and actor == locked_by:
        verb = {"approve": "approves", "publish": "publishes"}[action]
        raise Refused(f"period {period.text} was locked by {actor}; the scheme separates duties, so another member "
                      f"of the office {verb} it (sign in with your own office token)")
    if action == "reopen" and not reason.strip():
        raise Refused("is required to reopen a period", "reason")
    if len(reason) > 2000:
        raise Refused("must be at most 2,000 characters", "reason")
    return Transition(action, period, current, after)


def reviewable(period_text: str, calendar: Calendar = CALENDAR_YEAR) -> Period:
    """The period, if it is one that is scored (a month, a quarter or a year), read with
    the scheme's calendar."""
    try:
        period = calendar.parse(period_text)
    except PeriodError as exc:
        raise Refused(str(exc), "period") from None
    if period.kind not in REVIEWABLE_KINDS:
        raise Refused(f"{period_text!r} is a {period.kind}; months, quarters and years are reviewed", "period")
    return period


def frozen_by(period: Period, states: Mapping[str, str]) -> str | None:
    """The period (itself or one enclosing it) whose state freezes `period`, if any."""
    for enclosing in period.enclosing():
        if states.get(enclosing.text, OPEN) != OPEN:
            return enclosing.text
    return None


def frozen(periods: Iterable[Period], states: Mapping[str, str]) -> set[Period]:
    return {p for p in periods if frozen_by(p, states) is not None}


@dataclass(frozen=True)
class Writable:
    """Which periods a recompute may rewrite: those no review state freezes."""

    closed: Mapping[str, str]  # period text → its non-open review state

    def __call__(self, period: Period) -> bool:
        return not self.closed or frozen_by(period, self.closed) is None

    @classmethod
    def only(cls, period: Period) -> Callable[[Period], bool]:
        """Just one period (a recheck recomputes that one)."""
        return lambda other: other == period
