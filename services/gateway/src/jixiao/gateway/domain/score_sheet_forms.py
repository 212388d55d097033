"""A responsible department's score sheet (docs/score-sheets.md) as the portal's forms and
spreadsheets show it: the sheet's layout read off the published scheme (its units and items),
the rows of a filled-in form or an uploaded table read and checked cell by cell, and the
table a sheet is downloaded as. The digest the department head signs is scoring's
(ScoreSheet.content_digest): the portal shows it, it does not compute it.

Scoring checks every row again and has the last word (SaveScoreSheet); what is checked here
is what lets the desk say a problem next to its input, or name the row and column of an
upload, before anything is sent: a whole upload or form is refused when one cell is wrong,
so nothing is half-saved.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SHEET_FORMULA = "sheet"
#: The columns of a sheet's spreadsheet, in order; `unit_name`, `item_name` and `max_points`
#: are there to read, and ignored on upload.
COLUMNS = ("unit_id", "unit_name", "item", "item_name", "max_points", "points", "basis", "evidence_ref")
REQUIRED = ("unit_id", "item", "points")
MAX_BASIS = 2000  # as scoring (jixiao.scoring.domain.score_sheets.MAX_BASIS)
MAX_EVIDENCE = 500


@dataclass(frozen=True)
class Item:
    code: str
    name: dict
    max_points: float
    rule: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """A sheet-scored indicator of a scheme: its department, items and the units it scores."""

    indicator: str
    name: dict
    department: str
    department_name: dict
    due_days: int
    items: tuple[Item, ...]
    units: tuple[tuple[str, dict], ...]  # (unit id, names), in the scheme's order
    assessed_in: tuple[str, ...]

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)

    def unit_ids(self) -> tuple[str, ...]:
        return tuple(u for u, _ in self.units)

    @property
    def max_total(self) -> float:
        return sum(i.max_points for i in self.items)


def layouts(document: Mapping) -> list[Layout]:
    """Every sheet-scored indicator of a scheme document (`generic.formula: sheet`), in its order.
    Its units are those of the categories the indicator is assigned to."""
    found = []
    for indicator in document.get("indicators", []) or []:
        generic = indicator.get("generic") or {}
        if generic.get("formula") != SHEET_FORMULA:
            continue
        code = indicator["code"]
        categories = {a.get("category") for a in document.get("assignments", []) or [] if a.get("indicator") == code}
        units = tuple((u["id"], u.get("name") or {}) for u in document.get("units", []) or []
                      if u.get("category") in categories)
        items = tuple(Item(i["code"], i.get("name") or {}, float(i.get("max_points", 0)), i.get("rule") or {})
                      for i in generic.get("items", []) or [])
        found.append(Layout(code, indicator.get("name") or {}, generic.get("department", ""),
                            generic.get("department_name") or {}, int(generic.get("due_days", 0) or 0), items, units,
                            tuple(indicator.get("assessed_in") or ())))
    return found


def layout_of(document: Mapping, indicator: str) -> Layout | None:
    return next((layout for layout in layouts(document) if layout.indicator == indicator), None)


@dataclass(frozen=True)
class Problem:
    """A problem with one input or cell: its `kind` and what it names, so that the desk can say
    it in the page's language; str() says it in English."""

    kind: str  # missing_points, not_a_number, out_of_range, too_long, unknown_unit, unknown_item, repeated
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        p = dict(self.params)
        texts = {"missing_points": "points are missing",
                 "not_a_number": "{text!r} is not a number",
                 "out_of_range": "{points:g} is outside [0, {max:g}]",
                 "too_long": "at most {limit:,} characters",
                 "unknown_unit": "{unit!r} is not a unit of this sheet",
                 "unknown_item": "{item!r} is not an item of this sheet ({items})",
                 "repeated": "unit {unit}, item {item} is already on row {row}"}
        return texts[self.kind].format(**p)


def problem(kind: str, **params) -> Problem:
    return Problem(kind, tuple(params.items()))


@dataclass(frozen=True)
class Row:
    unit_id: str
    item: str
    points: float
    basis: str = ""
    evidence_ref: str = ""

    def as_dict(self) -> dict:
        return {"unit_id": self.unit_id, "item": self.item, "points": self.points, "basis": self.basis,
                "evidence_ref": self.evidence_ref}


@dataclass
class Problems:
    """What is wrong with a form or a table: by cell ((unit id, item, field) of a form; (row
    number, column) of a table) and about the whole (`general`)."""

    cells: dict[tuple, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.cells or self.general)


def field_name(kind: str, u: int, i: int) -> str:
    """The form input of unit number `u` and item number `i` (0-based): points-0-1, basis-0-1, evidence-0-1."""
    return f"{kind}-{u}-{i}"


def parse_points(text: str) -> float | None:
    """A number as a clerk types it ("38", "38.5", "38,5", full-width digits); None when it is not one."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９．，", "0123456789.."))
    text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _check_value(layout: Layout, item: Item, points: float) -> Problem | None:
    if points < 0 or points > item.max_points:
        return problem("out_of_range", points=points, max=item.max_points)
    return None


def rows_from_form(layout: Layout, form: Mapping[str, str]) -> tuple[list[Row], dict[tuple[str, str, str], Problem], dict]:
    """The rows of the sheet's form, its problems by (unit id, item, field), and what was typed
    by (unit id, item) → {points, basis, evidence_ref} (to show the form again as it was).
    An empty points input with no basis or evidence is a row not filled in yet (a draft may
    lack rows)."""
    rows, problems, typed = [], {}, {}
    for u, (unit_id, _) in enumerate(layout.units):
        for i, item in enumerate(layout.items):
            points_text = form.get(field_name("points", u, i), "").strip()
            basis = form.get(field_name("basis", u, i), "").strip()
            evidence = form.get(field_name("evidence", u, i), "").strip()
            typed[(unit_id, item.code)] = {"points": points_text, "basis": basis, "evidence_ref": evidence}
            if not points_text:
                if basis or evidence:
                    problems[(unit_id, item.code, "points")] = problem("missing_points")
                continue
            points = parse_points(points_text)
            if points is None:
                problems[(unit_id, item.code, "points")] = problem("not_a_number", text=points_text)
                continue
            wrong = _check_value(layout, item, points)
            if wrong:
                problems[(unit_id, item.code, "points")] = wrong
            if len(basis) > MAX_BASIS:
                problems[(unit_id, item.code, "basis")] = problem("too_long", limit=MAX_BASIS)
            if len(evidence) > MAX_EVIDENCE:
                problems[(unit_id, item.code, "evidence_ref")] = problem("too_long", limit=MAX_EVIDENCE)
            rows.append(Row(unit_id, item.code, points, basis, evidence))
    return rows, problems, typed


def _column_letter(header: Sequence[str], name: str) -> str:
    if name not in header:
        return ""
    n, letters = header.index(name) + 1, ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def rows_from_table(layout: Layout, header: Sequence[str], table: Sequence[tuple[int, Mapping[str, object]]],
                    header_problems: Sequence[tuple[str, str]] = ()) -> tuple[list[Row], list[tuple[int, str, Problem | str]]]:
    """The rows of an uploaded sheet table, or its problems as (row number, column, message)
    (row 1 is the header; the column by name and letter, `points (F)`). Cells are text. A row
    whose points cell is empty is a row not filled in; every other row must name a unit and an
    item of the sheet, once, with points in [0, the item's maximum]."""
    problems: list[tuple[int, str, Problem | str]] = [(1, column, message) for column, message in header_problems]
    if problems:
        return [], problems

    def where(column: str) -> str:
        letter = _column_letter(header, column)
        return f"{column} ({letter})" if letter else column

    units = set(layout.unit_ids())
    rows, seen = [], {}
    for number, cells in table:
        unit_id = str(cells.get("unit_id") or "").strip()
        code = str(cells.get("item") or "").strip()
        points_text = str(cells.get("points") or "").strip()
        basis = str(cells.get("basis") or "").strip()
        evidence = str(cells.get("evidence_ref") or "").strip()
        if unit_id not in units:
            problems.append((number, where("unit_id"), problem("unknown_unit", unit=unit_id)))
            continue
        item = layout.item(code)
        if item is None:
            problems.append((number, where("item"), problem("unknown_item", item=code,
                                                            items=", ".join(i.code for i in layout.items))))
            continue
        if (unit_id, code) in seen:
            problems.append((number, where("unit_id"), problem("repeated", unit=unit_id, item=code,
                                                               row=seen[(unit_id, code)])))
            continue
        seen[(unit_id, code)] = number
        if not points_text:
            if basis or evidence:
                problems.append((number, where("points"), problem("missing_points")))
            continue
        points = parse_points(points_text)
        if points is None:
            problems.append((number, where("points"), problem("not_a_number", text=points_text)))
            continue
        wrong = _check_value(layout, item, points)
        if wrong:
            problems.append((number, where("points"), wrong))
            continue
        if len(basis) > MAX_BASIS:
            problems.append((number, where("basis"), problem("too_long", limit=MAX_BASIS)))
            continue
        if len(evidence) > MAX_EVIDENCE:
            problems.append((number, where("evidence_ref"), problem("too_long", limit=MAX_EVIDENCE)))
            continue
        rows.append(Row(unit_id, code, points, basis, evidence))
    return rows, problems


def table_of(layout: Layout, rows: Sequence[Mapping], pick) -> list[list[object]]:
    """The sheet as a table (COLUMNS, then one line per unit × item in the sheet's order), the
    points and basis of `rows` filled in; `pick(names)` chooses a name's language."""
    given = {(r["unit_id"], r["item"]): r for r in rows}
    lines: list[list[object]] = [list(COLUMNS)]
    for unit_id, unit_names in layout.units:
        for item in layout.items:
            row = given.get((unit_id, item.code)) or {}
            points = row.get("points", "")
            lines.append([unit_id, pick(unit_names), item.code, pick(item.name), item.max_points,
                          points if row else "", row.get("basis", ""), row.get("evidence_ref", "")])
    return lines


_NAMED_ROW = re.compile(r"unit (?P<unit>\S+), item (?P<item>[^:\s]+)")
_FIELD = re.compile(r"rows\[\d+\]\.(?P<field>points|basis|evidence_ref|unit_id|item)")


def place_of(message: str) -> tuple[str, str, str] | None:
    """(unit id, item, field) a refusal of scoring names (`rows[1].points: unit U1, item cases: …`), or None."""
    named = _NAMED_ROW.search(message)
    if named is None:
        return None
    found = _FIELD.search(message)
    return named["unit"], named["item"], found["field"] if found else "points"
