"""Responsible departments' score sheets (考核责任单位评分表, docs/score-sheets.md): pure rules.

A sheet-scored indicator is a scheme indicator whose `generic` block has `formula: sheet`.
Its **sheet** for a period is one per (scheme, indicator, period):

- its **units** are the units of the categories the indicator is assigned to, by id;
- its **items** are the block's `items`, in their order, each with its `max_points`;
- a **row** gives one unit's points on one item, with a basis (基础依据, at most
  `MAX_BASIS` characters) and an optional evidence reference (at most `MAX_EVIDENCE`).

Rules (each function below states its own exactly):

- Rows are valid when their unit is a unit of the sheet, their item an item of it, each
  (unit, item) given once, and the points a finite number in [0, the item's max_points].
- The **digest** is the SHA-256 (hex) of the canonical content: the UTF-8 of the compact JSON
  (keys sorted, text unescaped) of {scheme, indicator, period, department, version, rows},
  rows sorted by (unit, item), each [unit, item, points, basis, evidence_ref].
- **States**: `draft` → (the head signs: `submit`) `submitted` → (the office: `review`)
  `accepted` | `returned`; a save of a `returned` sheet starts the next version as a `draft`.
  A `submitted` or `accepted` sheet is frozen: a change is a **correction**, requested with a
  reason by the department and decided by the office: approved, the next version starts as a
  `draft` with the same rows (the old version is kept as it was); refused, nothing changes
  but the history. Every step is a history entry (action, actor, at, reason, version).
- **Lateness**: a sheet is due `due_days` days after its period ends (in the scheme's
  calendar); it is late when its first signature (of any version) is dated after the due
  date, or, not signed yet, when today is after the due date.

Wrong transitions raise `SheetStateError` with the reason; bad input `SheetInputError`
naming the field.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from jixiao_sdk.periods import PeriodError

from .scheme_view import SchemeView

DRAFT, SUBMITTED, ACCEPTED, RETURNED = "draft", "submitted", "accepted", "returned"
STATES = (DRAFT, SUBMITTED, ACCEPTED, RETURNED)
#: The state of a sheet nobody has saved yet (listed for the office, never stored).
NOT_STARTED = "not_started"
MAX_BASIS = 2_000
MAX_EVIDENCE = 500
MAX_REASON = 2_000
DEFAULT_DUE_DAYS = 10
# History actions
SAVE, SUBMIT, ACCEPT, RETURN, REQUEST_CORRECTION, APPROVE_CORRECTION, REFUSE_CORRECTION = (
    "save", "submit", "accept", "return", "request_correction", "approve_correction", "refuse_correction")


class SheetInputError(ValueError):
    """Bad input: `field` names what is wrong (e.g. `rows[3].points`)."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class SheetStateError(Exception):
    """A transition the sheet's state does not allow, and why."""


class NotASheet(LookupError):
    """The indicator is not a sheet-scored indicator of the scheme."""


@dataclass(frozen=True)
class SheetItem:
    code: str
    name_zh: str
    name_en: str
    max_points: float


@dataclass(frozen=True)
class SheetDefinition:
    """What a scheme says of a sheet-scored indicator."""

    scheme_code: str
    indicator_code: str
    department: str
    department_name_zh: str
    due_days: int
    items: tuple[SheetItem, ...]
    units: tuple[str, ...]

    @property
    def metric(self) -> str:
        """The metric of the events an accepted sheet gives: `sheet_<indicator code>`."""
        return f"sheet_{self.indicator_code}"

    @property
    def source(self) -> str:
        """The source of those events: `sheet:<department>`."""
        return f"sheet:{self.department}"


@dataclass(frozen=True)
class SheetRow:
    unit_id: str
    item: str
    points: float
    basis: str = ""
    evidence_ref: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    action: str
    actor: str
    at: str
    reason: str = ""


@dataclass(frozen=True)
class Sheet:
    """One version of a sheet, with the history of every version before it."""

    scheme_code: str
    indicator_code: str
    period: str
    department: str
    version: int
    state: str
    rows: tuple[SheetRow, ...] = ()
    signed_by: str = ""
    signed_at: str = ""
    digest: str = ""
    review_comment: str = ""
    reviewed_by: str = ""
    reviewed_at: str = ""
    #: A correction requested and not decided yet: its reason ('' when none).
    correction_reason: str = ""
    history: tuple[HistoryEntry, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.scheme_code, self.indicator_code, self.period)


def definition(scheme: SchemeView, indicator_code: str) -> SheetDefinition:
    """The sheet of `indicator_code` in `scheme`: its department, due days (default
    `DEFAULT_DUE_DAYS`), items in the scheme's order, and units — those of the categories the
    indicator is assigned to, sorted by id. NotASheet when it is not a sheet-scored indicator."""
    entry = next((i for i in scheme.document.get("indicators", []) if i.get("code") == indicator_code), None)
    block = entry.get("generic") if entry else None
    if not isinstance(block, dict) or block.get("formula") != "sheet":
        raise NotASheet(f"indicator {indicator_code!r} of scheme {scheme.code} is not scored on a sheet "
                        "(a generic indicator with formula: sheet)")
    categories = {a.category for assigned in scheme.assignments.values() for a in assigned if a.indicator == indicator_code}
    names = block.get("department_name") or {}
    return SheetDefinition(
        scheme_code=scheme.code, indicator_code=indicator_code, department=str(block.get("department", "")),
        department_name_zh=str(names.get("zh") or block.get("department", "")),
        due_days=int(block.get("due_days", DEFAULT_DUE_DAYS)),
        items=tuple(SheetItem(str(i["code"]), str((i.get("name") or {}).get("zh", "")),
                              str((i.get("name") or {}).get("en", "")), float(i["max_points"]))
                    for i in block.get("items") or ()),
        units=tuple(sorted(u.id for u in scheme.units.values() if u.category in categories)))


def definitions(scheme: SchemeView) -> list[SheetDefinition]:
    """Every sheet-scored indicator of the scheme, in the scheme's order."""
    return [definition(scheme, i["code"]) for i in scheme.generic_entries if i["generic"].get("formula") == "sheet"]


def sheet_period(scheme: SchemeView, sheet: SheetDefinition, text: str):
    """The period `text` read in the scheme's calendar, if a sheet of the indicator may be
    kept for it: a period of the scheme's year of a kind the indicator is assessed in."""
    try:
        period = scheme.calendar.parse(text)
    except PeriodError as exc:
        raise SheetInputError("period", str(exc)) from None
    if period.year != scheme.year:
        raise SheetInputError("period", f"{period.text} is outside scheme {scheme.code} (year {scheme.year})")
    if not scheme.assessed(sheet.indicator_code, period.kind):
        raise SheetInputError("period", f"indicator {sheet.indicator_code} is not assessed in {period.kind} periods")
    return period


def check_rows(sheet: SheetDefinition, rows: Sequence[SheetRow]) -> list[SheetInputError]:
    """The problems of `rows`, each naming the row and field (`rows[i].points`): an unknown
    unit or item, a (unit, item) given twice, points not finite or outside [0, the item's
    max_points], a basis over MAX_BASIS or an evidence reference over MAX_EVIDENCE characters."""
    units, items = set(sheet.units), {i.code: i for i in sheet.items}
    seen: set[tuple[str, str]] = set()
    problems = []
    for n, row in enumerate(rows):
        where = f"rows[{n}]"
        if row.unit_id not in units:
            problems.append(SheetInputError(f"{where}.unit_id", f"{row.unit_id!r} is not a unit of the sheet of "
                                                              f"{sheet.indicator_code}"))
        item = items.get(row.item)
        if item is None:
            problems.append(SheetInputError(f"{where}.item", f"{row.item!r} is not an item of the sheet of "
                                                           f"{sheet.indicator_code} ({', '.join(items)})"))
        if (row.unit_id, row.item) in seen:
            problems.append(SheetInputError(where, f"unit {row.unit_id}, item {row.item} is given twice"))
        seen.add((row.unit_id, row.item))
        if not isinstance(row.points, (int, float)) or not math.isfinite(row.points):
            problems.append(SheetInputError(f"{where}.points", f"unit {row.unit_id}, item {row.item}: "
                                                             "must be a finite number"))
        elif row.points < 0 or (item is not None and row.points > item.max_points):
            top = f"{item.max_points:g}" if item is not None else "the item's maximum"
            problems.append(SheetInputError(f"{where}.points", f"unit {row.unit_id}, item {row.item}: "
                                                             f"{row.points:g} is outside [0, {top}]"))
        if len(row.basis) > MAX_BASIS:
            problems.append(SheetInputError(f"{where}.basis", f"must be at most {MAX_BASIS:,} characters"))
        if len(row.evidence_ref) > MAX_EVIDENCE:
            problems.append(SheetInputError(f"{where}.evidence_ref", f"must be at most {MAX_EVIDENCE:,} characters"))
    return problems


def missing_rows(sheet: SheetDefinition, rows: Sequence[SheetRow]) -> list[tuple[str, str]]:
    """The (unit, item) pairs of the sheet that `rows` give no points for, in the sheet's order."""
    given = {(row.unit_id, row.item) for row in rows}
    return [(unit, item.code) for unit in sheet.units for item in sheet.items if (unit, item.code) not in given]


def canonical_content(sheet: Sheet) -> bytes:
    """The signed content: compact JSON, keys sorted, text unescaped, UTF-8, of the sheet's
    scheme, indicator, period, department, version and rows sorted by (unit, item), each
    [unit, item, points (as a float), basis, evidence_ref]."""
    rows = sorted(([r.unit_id, r.item, float(r.points), r.basis, r.evidence_ref] for r in sheet.rows),
                  key=lambda r: (r[0], r[1]))
    content = {"scheme": sheet.scheme_code, "indicator": sheet.indicator_code, "period": sheet.period,
               "department": sheet.department, "version": sheet.version, "rows": rows}
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(sheet: Sheet) -> str:
    """SHA-256 (hex) of `canonical_content(sheet)`."""
    return hashlib.sha256(canonical_content(sheet)).hexdigest()


# transitions ---------------------------------------------------------------

def _frozen(sheet: Sheet) -> str:
    if sheet.state == ACCEPTED:
        return (f"version {sheet.version} was submitted by {sheet.signed_by} at {sheet.signed_at} and accepted by "
                f"{sheet.reviewed_by} at {sheet.reviewed_at}: frozen; request a correction")
    return f"version {sheet.version} was submitted by {sheet.signed_by} at {sheet.signed_at}: frozen; request a correction"


def _reason(field: str, text: str, required: bool = True) -> str:
    text = text.strip()
    if required and not text:
        raise SheetInputError(field, "is required: say why")
    if len(text) > MAX_REASON:
        raise SheetInputError(field, f"must be at most {MAX_REASON:,} characters")
    return text


def _logged(sheet: Sheet, action: str, actor: str, at: str, reason: str = "", **changes) -> Sheet:
    changed = replace(sheet, **changes)
    return replace(changed, history=(*sheet.history, HistoryEntry(changed.version, action, actor, at, reason)))


def new_sheet(sheet: SheetDefinition, period: str) -> Sheet:
    """A sheet nobody has saved: version 0, NOT_STARTED, no rows."""
    return Sheet(sheet.scheme_code, sheet.indicator_code, period, sheet.department, 0, NOT_STARTED)


def save(current: Sheet, definition_: SheetDefinition, rows: Sequence[SheetRow], actor: str, at: str) -> Sheet:
    """The sheet with `rows` as its whole content (a draft may lack rows). A `draft` keeps
    its version; a sheet not started becomes version 1, a `returned` one the next version,
    both `draft`. Refused (SheetStateError) when `submitted` or `accepted`; SheetInputError
    for the first problem of `check_rows`."""
    problems = check_rows(definition_, rows)
    if problems:
        raise problems[0]
    if current.state in (SUBMITTED, ACCEPTED):
        raise SheetStateError(_frozen(current))
    fresh = dict(signed_by="", signed_at="", digest="", review_comment="", reviewed_by="", reviewed_at="")
    version = current.version if current.state == DRAFT else current.version + 1
    return _logged(current, SAVE, actor, at, version=version, state=DRAFT, rows=tuple(rows), **fresh)


def submit(current: Sheet, definition_: SheetDefinition, actor: str, at: str) -> Sheet:
    """The head signs a `draft`: state `submitted`, who (`actor`), when (`at`) and the
    `digest` of its content. Refused unless `draft`, and while a unit × item has no points."""
    if current.state != DRAFT:
        if current.state in (SUBMITTED, ACCEPTED):
            raise SheetStateError(_frozen(current))
        raise SheetStateError(f"only a draft is signed; this sheet is {current.state}"
                              + (": save it first" if current.state in (NOT_STARTED, RETURNED) else ""))
    missing = missing_rows(definition_, current.rows)
    if missing:
        shown = ", ".join(f"{unit}/{item}" for unit, item in missing[:5])
        raise SheetStateError(f"{len(missing)} unit × item without points ({shown}{', …' if len(missing) > 5 else ''}); "
                              "every unit must be scored on every item before the sheet is signed")
    return _logged(current, SUBMIT, actor, at, state=SUBMITTED, signed_by=actor, signed_at=at, digest=digest(current))


def review(current: Sheet, accept: bool, comment: str, actor: str, at: str) -> Sheet:
    """The office's review of a `submitted` sheet: `accepted` (复核通过), or `returned` with a
    comment (required). Refused in any other state, and while a correction is pending."""
    comment = _reason("comment", comment, required=not accept)
    if current.state != SUBMITTED:
        raise SheetStateError(f"only a submitted sheet is reviewed; version {current.version} is "
                              f"{current.state.replace('_', ' ')}")
    if current.correction_reason:
        raise SheetStateError("a correction of this sheet is requested; decide it first")
    return _logged(current, ACCEPT if accept else RETURN, actor, at, comment, state=ACCEPTED if accept else RETURNED,
                   review_comment=comment, reviewed_by=actor, reviewed_at=at)


def request_correction(current: Sheet, reason: str, actor: str, at: str) -> Sheet:
    """The department asks to change a `submitted` or `accepted` sheet, with a reason.
    Refused in other states (a draft or a returned sheet is simply saved) and while
    another request is pending."""
    reason = _reason("reason", reason)
    if current.state not in (SUBMITTED, ACCEPTED):
        raise SheetStateError(f"version {current.version} is {current.state.replace('_', ' ')}: "
                              "save it instead; corrections are for submitted or accepted sheets")
    if current.correction_reason:
        raise SheetStateError(f"a correction is already requested ({current.correction_reason}); "
                              "the office decides it first")
    return _logged(current, REQUEST_CORRECTION, actor, at, reason, correction_reason=reason)


def decide_correction(current: Sheet, approve: bool, reason: str, actor: str, at: str) -> tuple[Sheet, Sheet | None]:
    """The office decides a pending correction request: (the sheet as kept, the new version
    or None). Approved: the current version is kept as it was, the request cleared; the next
    version starts as a `draft` with the same rows. Refused (a reason is required): nothing
    changes but the history. Refused when no correction is pending."""
    reason = _reason("reason", reason, required=not approve)
    if not current.correction_reason:
        raise SheetStateError("no correction of this sheet is requested")
    if not approve:
        return _logged(current, REFUSE_CORRECTION, actor, at, reason, correction_reason=""), None
    kept = _logged(current, APPROVE_CORRECTION, actor, at, reason, correction_reason="")
    following = replace(kept, version=current.version + 1, state=DRAFT, signed_by="", signed_at="", digest="",
                        review_comment="", reviewed_by="", reviewed_at="", history=kept.history)
    return kept, following


# lateness -------------------------------------------------------------------

def due_date(scheme: SchemeView, sheet: SheetDefinition, period: str) -> date:
    """The period's last day (in the scheme's calendar) plus the sheet's due days."""
    return scheme.calendar.parse(period).end + timedelta(days=sheet.due_days)


def first_signed(history: Sequence[HistoryEntry]) -> str:
    """When the sheet was first signed (any version): the first `submit` entry's time, or ''."""
    return next((entry.at for entry in history if entry.action == SUBMIT), "")


def is_late(due: date, first_signature: str, today: date) -> bool:
    """Whether a sheet due on `due` is late: signed first (`first_signature`, an ISO time,
    '' when never) after the due date; never signed, when `today` is after it."""
    signed = date.fromisoformat(first_signature[:10]) if first_signature else today
    return signed > due
