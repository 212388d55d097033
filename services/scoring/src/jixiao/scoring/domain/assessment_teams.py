"""Assessment teams scoring units on site (考核组现场考核, docs/assessment-teams.md): pure rules.

An assessment-scored indicator is a scheme indicator whose `generic` block has
`formula: assessment`. For each period it is assessed in there is one **round**
(scheme, indicator, period):

- its **units** are the units of the categories the indicator is assigned to;
- its **items** are the block's `items`, each with its `max_points`; its **team rule** the
  block's `team_rule` (`mean` unless it says `trimmed_mean`);
- its **teams** (考核组) each have a code, a name, a **roster** of assessors (考评员, by their
  codes: their tokens' subject) in order — an assessor's **position** is their place on it,
  1, 2, … — and the units assigned to the team. An assessor is on one team of a round, a unit
  assigned to one team.

Rules (each function states its own exactly):

- **States** of a round: `forming` (the office sets teams: create, change, remove) →
  `locked` (名册锁定: the office locks the roster; each team has at least one assessor and one
  unit). After the lock the roster changes only by a **replacement**: the office names the
  assessor leaving, the one coming and a reason; the newcomer takes the same position, the
  one replaced stays on the roster as inactive (who replaced them, when, why). Every step is a
  history entry (action, actor, at, team, unit, detail, reason).
- **Scoring**: an assessor scores a unit only when the round is locked, they are an active
  member of a team and the unit is assigned to that team; each item at most once, points a
  finite number in [0, the item's max_points], a basis of at most MAX_BASIS characters. An
  entry (the assessor's scores of a unit) is a `draft` until submitted, then frozen for
  them; submitting needs every item scored.
- **Team result** of a unit: the team rule over the totals (sum of item points) of its
  active assessors who submitted (`team_result`).
- **Closing**: the office closes a unit's scoring when every active assessor of its team
  submitted and those scores differ from the latest closing's (`closing_problem`).
- **Leniency** (宽严度): `leniency`.

Numbers are exact: points are read as `Fraction(str(points))`, so 0.1 is one tenth.
Wrong steps raise `AssessmentStateError` with the reason; bad input `AssessmentInputError`
naming the field. No message names an assessor by code (only by position): refusals travel in
gRPC statuses, which traces may record.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from jixiao_sdk.periods import PeriodError

from .scheme_view import SchemeView

FORMING, LOCKED = "forming", "locked"
NOT_STARTED, DRAFT, SUBMITTED = "not_started", "draft", "submitted"
MEAN, TRIMMED_MEAN = "mean", "trimmed_mean"
TEAM_RULES = (MEAN, TRIMMED_MEAN)
MAX_BASIS = 2_000
MAX_REASON = 2_000
MAX_NAME = 100
#: An assessor's or a team's code: a letter or digit, then letters, digits, `_`, `.`, `-`; at most 64.
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# History actions
SET_TEAM, REMOVE_TEAM, LOCK, REPLACE, SAVE, SUBMIT, CLOSE = (
    "set_team", "remove_team", "lock", "replace", "save", "submit", "close")


class AssessmentInputError(ValueError):
    """Bad input: `field` names what is wrong (e.g. `rows[2].points`)."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class AssessmentStateError(Exception):
    """A step the round's or the entry's state does not allow, and why."""


class NotAnAssessment(LookupError):
    """The indicator is not an assessment-scored indicator of the scheme."""


@dataclass(frozen=True)
class Item:
    code: str
    name_zh: str
    name_en: str
    max_points: Fraction
    rule_zh: str = ""
    rule_en: str = ""


@dataclass(frozen=True)
class Definition:
    """What a scheme says of an assessment-scored indicator."""

    scheme_code: str
    indicator_code: str
    name_zh: str
    name_en: str
    team_rule: str
    items: tuple[Item, ...]
    #: unit id → its category, for the units of the categories the indicator is assigned to
    units: dict[str, str]

    @property
    def metric(self) -> str:
        """The metric of the events a closing gives: `assessment_<indicator code>`."""
        return f"assessment_{self.indicator_code}"

    @property
    def source(self) -> str:
        """The source of those events: `assessment:<indicator code>`."""
        return f"assessment:{self.indicator_code}"

    @property
    def max_total(self) -> Fraction:
        return sum((i.max_points for i in self.items), Fraction(0))


@dataclass(frozen=True)
class Member:
    position: int
    assessor: str
    active: bool = True
    joined_at: str = ""
    left_at: str = ""
    replaced_by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Team:
    code: str
    name: str
    members: tuple[Member, ...]   # every member, by position then joining; the active one per position counts
    units: tuple[str, ...]

    @property
    def roster(self) -> tuple[Member, ...]:
        """The active members, by position."""
        return tuple(sorted((m for m in self.members if m.active), key=lambda m: m.position))


@dataclass(frozen=True)
class HistoryEntry:
    action: str
    actor: str
    at: str
    team: str = ""
    unit_id: str = ""
    detail: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Round:
    scheme_code: str
    indicator_code: str
    period: str
    state: str = FORMING
    locked_by: str = ""
    locked_at: str = ""
    teams: tuple[Team, ...] = ()
    history: tuple[HistoryEntry, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.scheme_code, self.indicator_code, self.period)

    def team(self, code: str) -> Team | None:
        return next((t for t in self.teams if t.code == code), None)

    def team_of_unit(self, unit_id: str) -> Team | None:
        return next((t for t in self.teams if unit_id in t.units), None)

    def team_of_assessor(self, assessor: str) -> tuple[Team, Member] | None:
        """The team on which `assessor` is an active member, with their place on it."""
        for team in self.teams:
            for member in team.roster:
                if member.assessor == assessor:
                    return team, member
        return None


@dataclass(frozen=True)
class ScoreRow:
    item: str
    points: float
    basis: str = ""


@dataclass(frozen=True)
class Entry:
    """One assessor's scores of one unit."""

    unit_id: str
    assessor: str
    state: str = NOT_STARTED
    rows: tuple[ScoreRow, ...] = ()
    saved_at: str = ""
    submitted_at: str = ""

    @property
    def total(self) -> Fraction:
        return sum((exact(r.points) for r in self.rows), Fraction(0))


@dataclass(frozen=True)
class Closing:
    unit_id: str
    closing: int
    closed_by: str
    closed_at: str
    #: (position, assessor, total) of the scores it counted, by position
    counted: tuple[tuple[int, str, Fraction], ...]


def exact(points: float) -> Fraction:
    """A number of points as the exact fraction of its shortest decimal text (0.1 → 1/10)."""
    return Fraction(repr(float(points)))


# -- the scheme's side -------------------------------------------------------------------------

def definition(scheme: SchemeView, indicator_code: str) -> Definition:
    """The round definition of `indicator_code` in `scheme`: names, team rule (default
    `mean`), items in the scheme's order, units of the categories the indicator is assigned
    to. NotAnAssessment when it is not an assessment-scored indicator."""
    entry = next((i for i in scheme.document.get("indicators", []) if i.get("code") == indicator_code), None)
    block = entry.get("generic") if entry else None
    if not isinstance(block, dict) or block.get("formula") != "assessment":
        raise NotAnAssessment(f"indicator {indicator_code!r} of scheme {scheme.code} is not scored on site by "
                              "assessment teams (a generic indicator with formula: assessment)")
    categories = {a.category for assigned in scheme.assignments.values() for a in assigned
                  if a.indicator == indicator_code}
    names = entry.get("name") or {}

    def text(value, language):
        return str((value or {}).get(language) or (value or {}).get("zh" if language == "en" else "en") or "")

    return Definition(
        scheme_code=scheme.code, indicator_code=indicator_code,
        name_zh=text(names, "zh") or indicator_code, name_en=text(names, "en") or indicator_code,
        team_rule=str(block.get("team_rule") or MEAN),
        items=tuple(Item(str(i["code"]), text(i.get("name"), "zh"), text(i.get("name"), "en"),
                         exact(i["max_points"]), text(i.get("rule"), "zh"), text(i.get("rule"), "en"))
                    for i in block.get("items") or ()),
        units={u.id: u.category for u in sorted(scheme.units.values(), key=lambda u: u.id)
               if u.category in categories})


def definitions(scheme: SchemeView) -> list[Definition]:
    """Every assessment-scored indicator of the scheme, in the scheme's order."""
    return [definition(scheme, i["code"]) for i in scheme.generic_entries
            if i["generic"].get("formula") == "assessment"]


def round_period(scheme: SchemeView, indicator_code: str, text: str):
    """The period `text` in the scheme's calendar, if a round of the indicator may be held
    for it: a period of the scheme's year of a kind the indicator is assessed in."""
    try:
        period = scheme.calendar.parse(text)
    except PeriodError as exc:
        raise AssessmentInputError("period", str(exc)) from None
    if period.year != scheme.year:
        raise AssessmentInputError("period", f"{period.text} is outside scheme {scheme.code} (year {scheme.year})")
    if not scheme.assessed(indicator_code, period.kind):
        raise AssessmentInputError("period", f"indicator {indicator_code} is not assessed in {period.kind} periods")
    return period


# -- the roster --------------------------------------------------------------------------------

def _reason(field: str, text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise AssessmentInputError(field, "is required: say why")
    if len(text) > MAX_REASON or "\x00" in text:
        raise AssessmentInputError(field, f"must be at most {MAX_REASON:,} characters, without NUL")
    return text


def _code(field: str, value: str, what: str) -> str:
    if not CODE.match(value or ""):
        shown = f"{value!r} is not" if field == "team_code" else "is not"   # a rater's code is never echoed
        raise AssessmentInputError(field, f"{shown} {what} code (a letter or digit, then letters, digits, '_', "
                                          "'.', '-'; at most 64)")
    return value


def _logged(round_: Round, entry: HistoryEntry, **changes) -> Round:
    return replace(round_, history=(*round_.history, entry), **changes)


def set_team(current: Round, definition_: Definition, code: str, name: str, assessors: Sequence[str],
             units: Sequence[str], actor: str, at: str) -> Round:
    """The round with team `code` created or replaced (assessors in roster order, units), or
    removed when both lists are empty. Only while `forming`. Refused, naming the field: a bad
    team or assessor code, a name over MAX_NAME characters, an assessor twice or on another
    team, a unit not of the round, twice or assigned to another team; a new team with no
    assessors or no units."""
    if current.state != FORMING:
        raise AssessmentStateError(f"the roster was locked by {current.locked_by} at {current.locked_at}: "
                                   "teams no longer change; replace an assessor with a reason instead")
    _code("team_code", code, "a team")
    name = (name or "").strip()
    if len(name) > MAX_NAME or "\x00" in name:
        raise AssessmentInputError("name", f"must be at most {MAX_NAME} characters")
    others = [t for t in current.teams if t.code != code]
    if not assessors and not units:
        if current.team(code) is None:
            raise AssessmentInputError("team_code", f"there is no team {code!r} to remove")
        return _logged(current, HistoryEntry(REMOVE_TEAM, actor, at, code), teams=tuple(others))
    elsewhere = {m.assessor: t.code for t in others for m in t.roster}
    for n, assessor in enumerate(assessors):
        _code(f"assessors[{n}]", assessor, "an assessor")
        if assessor in assessors[:n]:
            raise AssessmentInputError(f"assessors[{n}]", "is on the team already (earlier in the list)")
        if assessor in elsewhere:
            raise AssessmentInputError(f"assessors[{n}]", f"is on team {elsewhere[assessor]} already")
    assigned = {u: t.code for t in others for u in t.units}
    for n, unit in enumerate(units):
        if unit not in definition_.units:
            raise AssessmentInputError(f"unit_ids[{n}]", f"{unit!r} is not a unit assessed on "
                                                         f"{definition_.indicator_code}")
        if unit in units[:n]:
            raise AssessmentInputError(f"unit_ids[{n}]", f"{unit} is listed twice")
        if unit in assigned:
            raise AssessmentInputError(f"unit_ids[{n}]", f"{unit} is assigned to team {assigned[unit]} already")
    if not assessors:
        raise AssessmentInputError("assessors", "a team needs at least one assessor")
    if not units:
        raise AssessmentInputError("unit_ids", "a team needs at least one unit")
    team = Team(code, name or code, tuple(Member(n + 1, a, joined_at=at) for n, a in enumerate(assessors)),
                tuple(units))
    teams = tuple(sorted((*others, team), key=lambda t: t.code))
    detail = f"{name or code}: {', '.join(assessors)} → {', '.join(units)}"
    return _logged(current, HistoryEntry(SET_TEAM, actor, at, code, detail=detail), teams=teams)


def lock(current: Round, actor: str, at: str) -> Round:
    """The round locked (名册锁定): only a `forming` round with at least one team."""
    if current.state == LOCKED:
        raise AssessmentStateError(f"the roster was locked by {current.locked_by} at {current.locked_at} already")
    if not current.teams:
        raise AssessmentStateError("no team is formed yet: form a team with assessors and units first")
    return _logged(current, HistoryEntry(LOCK, actor, at, detail=f"{len(current.teams)} teams"),
                   state=LOCKED, locked_by=actor, locked_at=at)


def replace_assessor(current: Round, team_code: str, leaving: str, coming: str, reason: str,
                     actor: str, at: str) -> Round:
    """The round with `leaving` replaced on team `team_code` by `coming`, who takes the same
    position; `leaving` stays on the roster, inactive, with who replaced them, when and why.
    Only once `locked`; `coming` must not be an active member of any team of the round."""
    if current.state != LOCKED:
        raise AssessmentStateError("the roster is not locked yet: change the team itself")
    reason = _reason("reason", reason)
    team = current.team(team_code)
    if team is None:
        raise AssessmentInputError("team_code", f"there is no team {team_code!r}")
    member = next((m for m in team.roster if m.assessor == leaving), None)
    if member is None:
        raise AssessmentInputError("assessor", f"is not an active assessor of team {team_code}")
    _code("replacement", coming, "an assessor")
    taken = current.team_of_assessor(coming)
    if taken is not None:
        raise AssessmentInputError("replacement", f"is an assessor of team {taken[0].code} already")
    members = tuple(replace(m, active=False, left_at=at, replaced_by=coming, reason=reason) if m == member else m
                    for m in team.members) + (Member(member.position, coming, joined_at=at),)
    teams = tuple(replace(t, members=members) if t.code == team_code else t for t in current.teams)
    return _logged(current, HistoryEntry(REPLACE, actor, at, team_code,
                                         detail=f"{member.position}: {leaving} → {coming}", reason=reason),
                   teams=teams)


# -- on-site scores ----------------------------------------------------------------------------

def scoring_problem(current: Round, definition_: Definition, assessor: str, unit_id: str) -> str | None:
    """Why `assessor` may not score `unit_id` in this round, or None: the roster not locked,
    the assessor on no team (or replaced), the unit not of the round or not their team's."""
    if current.state != LOCKED:
        return "the roster is not locked yet: scoring starts once the office locks it"
    found = current.team_of_assessor(assessor)
    if found is None:
        return (f"the caller is not an active assessor of any team assessing {definition_.indicator_code} in "
                f"{current.period}")
    if unit_id not in definition_.units:
        return f"{unit_id!r} is not a unit assessed on {definition_.indicator_code}"
    if unit_id not in found[0].units:
        return f"unit {unit_id} is not assigned to team {found[0].code}"
    return None


def check_rows(definition_: Definition, rows: Sequence[ScoreRow]) -> list[AssessmentInputError]:
    """The problems of `rows`, each naming the row and field (`rows[i].points`): an unknown
    item, an item twice, points not finite or outside [0, the item's max_points], a basis
    over MAX_BASIS characters or with NUL."""
    items = {i.code: i for i in definition_.items}
    seen: set[str] = set()
    problems = []
    for n, row in enumerate(rows):
        where = f"rows[{n}]"
        item = items.get(row.item)
        if item is None:
            problems.append(AssessmentInputError(f"{where}.item", f"{row.item!r} is not an item of "
                                                                  f"{definition_.indicator_code} ({', '.join(items)})"))
        elif row.item in seen:
            problems.append(AssessmentInputError(f"{where}.item", f"{row.item} is scored twice"))
        seen.add(row.item)
        if not math.isfinite(row.points):
            problems.append(AssessmentInputError(f"{where}.points", "must be a finite number"))
        elif item is not None and not 0 <= exact(row.points) <= item.max_points:
            problems.append(AssessmentInputError(f"{where}.points", f"item {row.item}: {row.points:g} is outside "
                                                                    f"[0, {float(item.max_points):g}]"))
        if len(row.basis) > MAX_BASIS or "\x00" in row.basis:
            problems.append(AssessmentInputError(f"{where}.basis", f"must be at most {MAX_BASIS:,} characters"))
    return problems


def save(current: Entry, definition_: Definition, rows: Sequence[ScoreRow], at: str) -> Entry:
    """The entry with `rows` as its draft: refused once submitted, or with a bad row (the first
    problem of `check_rows`)."""
    if current.state == SUBMITTED:
        raise AssessmentStateError(f"submitted at {current.submitted_at}: frozen, the scores are kept as submitted")
    problems = check_rows(definition_, rows)
    if problems:
        raise problems[0]
    order = {i.code: n for n, i in enumerate(definition_.items)}
    ordered = tuple(sorted((ScoreRow(r.item, float(r.points), r.basis.strip()) for r in rows),
                           key=lambda r: order[r.item]))
    return replace(current, state=DRAFT, rows=ordered, saved_at=at)


def submit(current: Entry, definition_: Definition, at: str) -> Entry:
    """The entry submitted: a draft with every item scored; frozen from then on."""
    if current.state == SUBMITTED:
        raise AssessmentStateError(f"submitted at {current.submitted_at} already")
    if current.state == NOT_STARTED:
        raise AssessmentStateError("nothing is saved yet: score every item first")
    missing = [i.code for i in definition_.items if i.code not in {r.item for r in current.rows}]
    if missing:
        raise AssessmentStateError(f"{len(missing)} item(s) without points ({', '.join(missing)})")
    return replace(current, state=SUBMITTED, submitted_at=at)


# -- results -----------------------------------------------------------------------------------

def team_result(totals: Sequence[Fraction], rule: str) -> tuple[Fraction, bool]:
    """``(result, trimmed)`` of the assessors' totals by the team rule:

    - ``mean``: Σ totals / n;
    - ``trimmed_mean`` with n ≥ 3: (Σ totals − the highest − the lowest) / (n − 2) — one
      highest and one lowest dropped, once each even when several share them;
    - ``trimmed_mean`` with n < 3: the plain mean (nothing is dropped; ``trimmed`` is False).

    ValueError with no totals."""
    if not totals:
        raise ValueError("a team result needs at least one total")
    if rule == TRIMMED_MEAN and len(totals) >= 3:
        return (sum(totals, Fraction(0)) - max(totals) - min(totals)) / (len(totals) - 2), True
    return sum(totals, Fraction(0)) / len(totals), False


@dataclass(frozen=True)
class UnitState:
    unit_id: str
    team: Team | None
    #: (member, entry) for every member of the team who ever held a place, active ones first by position
    scores: tuple[tuple[Member, Entry], ...]
    counted: tuple[tuple[int, str, Fraction], ...]   # (position, assessor, total) of the active submitted
    expected: int
    result: Fraction | None
    latest: Closing | None

    @property
    def complete(self) -> bool:
        return self.expected > 0 and len(self.counted) == self.expected

    @property
    def can_close(self) -> bool:
        return self.complete and (self.latest is None or self.latest.counted != self.counted)


def unit_state(current: Round, definition_: Definition, unit_id: str, entries: Iterable[Entry],
               latest: Closing | None) -> UnitState:
    """The unit's scoring as the office sees it: the team's members with their entries, the
    active assessors' submitted totals (`counted`), the team result over them (None when
    none), and the latest closing."""
    team = current.team_of_unit(unit_id)
    by_assessor = {e.assessor: e for e in entries if e.unit_id == unit_id}
    if team is None:
        return UnitState(unit_id, None, (), (), 0, None, latest)
    members = (*team.roster, *(m for m in team.members if not m.active))
    scores = tuple((m, by_assessor.get(m.assessor, Entry(unit_id, m.assessor))) for m in members)
    counted = tuple((m.position, m.assessor, e.total) for m, e in scores if m.active and e.state == SUBMITTED)
    result = team_result([t for _, _, t in counted], definition_.team_rule)[0] if counted else None
    return UnitState(unit_id, team, scores, counted, len(team.roster), result, latest)


def closing_problem(current: Round, state: UnitState) -> str | None:
    """Why the office may not close the unit's scoring now, or None: the roster not locked,
    the unit assigned to no team, an active assessor who has not submitted, or nothing changed
    since the latest closing (the same assessors with the same totals)."""
    if current.state != LOCKED:
        return "the roster is not locked yet"
    if state.team is None:
        return f"unit {state.unit_id} is assigned to no team"
    waiting = [str(m.position) for m, e in state.scores if m.active and e.state != SUBMITTED]
    if waiting:
        return f"unit {state.unit_id}: assessor(s) {', '.join(waiting)} of team {state.team.code} have not submitted"
    if not state.can_close:
        return (f"unit {state.unit_id} was closed with these scores already (closing {state.latest.closing} by "
                f"{state.latest.closed_by} at {state.latest.closed_at})")
    return None


# -- leniency ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Leniency:
    assessor: str
    units: int                                       # units compared
    leniency: Fraction | None                        # None when no unit could be compared
    by_category: tuple[tuple[str, int, Fraction], ...]   # (category, units, leniency), by category


def leniency(totals: Iterable[tuple[str, str, Fraction]], categories: dict[str, str]) -> list[Leniency]:
    """Each assessor's leniency (宽严度) from submitted totals `(assessor, unit, total)`:

    for assessor a and a unit u that a and at least one other assessor scored,
        d(a, u) = total(a, u) − mean{ total(b, u) : b ≠ a scored u };
    leniency(a) = the mean of d(a, u) over those units (positive: a scores more generously
    than the colleagues who scored the same units; negative: more strictly), and per unit
    category c (`categories[u]`) the same mean over those units of category c only. Units that
    only a scored are not compared; an assessor with none has leniency None and no categories.
    Exact fractions. Sorted by leniency, the most generous first (None last), then assessor."""
    by_unit: dict[str, dict[str, Fraction]] = {}
    for assessor, unit, total in totals:
        by_unit.setdefault(unit, {})[assessor] = total
    deviations: dict[str, list[tuple[str, Fraction]]] = {}
    for unit, scored in by_unit.items():
        for assessor, total in scored.items():
            deviations.setdefault(assessor, [])
            others = [t for b, t in scored.items() if b != assessor]
            if others:
                deviations[assessor].append((unit, total - sum(others, Fraction(0)) / len(others)))
    found = []
    for assessor, ds in deviations.items():
        per_category: dict[str, list[Fraction]] = {}
        for unit, d in ds:
            per_category.setdefault(categories.get(unit, ""), []).append(d)
        found.append(Leniency(assessor, len(ds), sum((d for _, d in ds), Fraction(0)) / len(ds) if ds else None,
                              tuple((c, len(v), sum(v, Fraction(0)) / len(v)) for c, v in sorted(per_category.items()))))
    return sorted(found, key=lambda x: (x.leniency is None, -(x.leniency or 0), x.assessor))
