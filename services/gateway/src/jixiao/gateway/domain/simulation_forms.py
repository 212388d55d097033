"""The what-if simulation's form at the office's desk (模拟测算, docs/portal.md): rows of
changes as typed, read into the changes of the JSON API's `SimulationChange`, and a refusal
that names `changes[i].field` placed back at the row and field it came from.

A row is a kind (figure, target, weight, ratio) and the fields of that kind; the form holds
the fields of every kind on every row (the page shows those of the kind chosen), and only
the chosen kind's are sent. A row left blank (no kind, nothing typed) is not a change. What
is checked here is only what must hold for the change to be sent at all — a kind for a row
with something typed, numbers where numbers belong; scoring checks what the changes mean
(a unit of the scheme, weights that still sum to 1) and has the last word.

Form fields: ``change-<row>-<field>`` (``change-0-unit_id``) and ``change-<row>-part-<grade>``
for a ratio's parts per grade; ``rows``, how many rows the form has.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

KINDS = ("figure", "target", "weight", "ratio")
#: The fields each kind sends (a ratio's `parts` come from the per-grade inputs).
KIND_FIELDS = {
    "figure": ("unit_id", "indicator_code", "metric_code", "period", "value"),
    "target": ("unit_id", "indicator_code", "value"),
    "weight": ("category", "indicator_code", "dimension_code", "weight"),
    "ratio": ("grading_code",),
}
TEXT_FIELDS = ("unit_id", "indicator_code", "metric_code", "period", "category", "dimension_code", "grading_code")
NUMBER_FIELDS = ("value", "weight")
MIN_ROWS = 3
MAX_ROWS = 50  # as the API's changes (service_layer/simulations.py MAX_CHANGES)
MAX_TEXT = 128

#: What this module finds wrong with a row, by code (the page words each).
CHOOSE_KIND = "choose_kind"
NOT_A_NUMBER = "not_a_number"
NO_CHANGES = "no_changes"

_CHANGE_FIELD = re.compile(r"^changes\[(\d+)\](?:\.(\w+))?:\s*(.*)$", re.S)
_CHANGE_MENTION = re.compile(r"changes\[(\d+)\]")


def field_name(row: int, name: str) -> str:
    return f"change-{row}-{name}"


def part_name(row: int, grade: int) -> str:
    return f"change-{row}-part-{grade}"


@dataclass(frozen=True)
class Row:
    """One row of the form as typed: its kind ("" when none chosen) and every field's text
    (the per-grade parts as ``part-<grade>``)."""

    number: int  # its place on the form, from 0
    kind: str
    typed: Mapping[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return self.typed.get(name, "")

    def is_blank(self) -> bool:
        return not self.kind and not any(v.strip() for v in self.typed.values())


@dataclass
class Reading:
    """The form read: its rows, the changes to send, and what is wrong with it.

    `sent_from[i]` is the row `changes[i]` came from; `problems` maps (row number, field) to a
    problem code — (row, "") a row's as a whole, (None, "") the form's."""

    rows: list[Row]
    changes: list[dict] = field(default_factory=list)
    sent_from: list[int] = field(default_factory=list)
    problems: dict[tuple[int | None, str], str] = field(default_factory=dict)


def row_count(asked: str | int | None) -> int:
    """How many rows the form has: `asked` (the `rows` field or parameter) within
    [MIN_ROWS, MAX_ROWS], else MIN_ROWS."""
    try:
        number = int(asked) if asked not in (None, "") else MIN_ROWS
    except (TypeError, ValueError):
        number = MIN_ROWS
    return max(min(number, MAX_ROWS), MIN_ROWS)


def read_form(form: Mapping[str, str], grades: Sequence[int]) -> Reading:
    """The posted form's rows (as many as its `rows` says, at most MAX_ROWS) and the changes
    they state; `grades` are the grade numbers a ratio row has an input for."""
    rows = [_row(form, n, grades) for n in range(row_count(form.get("rows")))]
    reading = Reading(rows=rows)
    for row in rows:
        if row.is_blank():
            continue
        if row.kind not in KINDS:
            reading.problems[(row.number, "kind")] = CHOOSE_KIND
            continue
        change, problems = _change(row)
        if problems:
            reading.problems.update({(row.number, name): code for name, code in problems.items()})
            continue
        reading.changes.append(change)
        reading.sent_from.append(row.number)
    if not reading.changes and not reading.problems:
        reading.problems[(None, "")] = NO_CHANGES
    return reading


def _row(form: Mapping[str, str], number: int, grades: Sequence[int]) -> Row:
    typed = {name: _clip(form.get(field_name(number, name), ""))
             for name in (*TEXT_FIELDS, *NUMBER_FIELDS)}
    typed.update({f"part-{grade}": _clip(form.get(part_name(number, grade), "")) for grade in grades})
    kind = form.get(field_name(number, "kind"), "").strip()
    return Row(number, kind if kind in KINDS else "", typed)


def _clip(text: str) -> str:
    return str(text)[:MAX_TEXT * 4]


def _change(row: Row) -> tuple[dict, dict[str, str]]:
    change: dict = {"kind": row.kind}
    problems: dict[str, str] = {}
    for name in KIND_FIELDS[row.kind]:
        text = row.text(name).strip()
        if not text:
            continue  # scoring says what is missing, naming the field
        if name in NUMBER_FIELDS:
            number = parse_number(text)
            if number is None:
                problems[name] = NOT_A_NUMBER
            else:
                change[name] = number
        else:
            change[name] = text
    if row.kind == "ratio":
        parts = {}
        for name, text in row.typed.items():
            if not name.startswith("part-") or not text.strip():
                continue
            number = parse_number(text)
            if number is None:
                problems["parts"] = NOT_A_NUMBER
            else:
                parts[int(name.removeprefix("part-"))] = number
        if parts:
            change["parts"] = parts
    return change, problems


def parse_number(text: str) -> float | None:
    """A number as an office types it: full-width digits, a comma for the decimal point."""
    try:
        value = float(text.strip().replace("，", ".").replace(",", ".").replace("．", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def placed(message: str, sent_from: Sequence[int]) -> tuple[tuple[int | None, str], str]:
    """Where a refusal belongs on the form, and what it says there: `changes[1].weight: …` goes
    to the row `changes[1]` came from, field `weight` ((row, "") for a row as a whole);
    `period: …` to the period, (None, "period"); anything else to the top, (None, ""). Other
    changes it mentions are named by their rows ("change 3")."""
    found = _CHANGE_FIELD.match(message)
    if found and int(found.group(1)) < len(sent_from):
        return (sent_from[int(found.group(1))], found.group(2) or ""), _rows_named(found.group(3), sent_from)
    if message.startswith("period:"):
        return (None, "period"), message.removeprefix("period:").strip()
    return (None, ""), _rows_named(message, sent_from)


def _rows_named(text: str, sent_from: Sequence[int]) -> str:
    def row(match: re.Match) -> str:
        index = int(match.group(1))
        return f"change {sent_from[index] + 1}" if index < len(sent_from) else match.group(0)
    return _CHANGE_MENTION.sub(row, text)


def compacted(rows: Sequence[Row], sent_from: Sequence[int]) -> list[Row]:
    """The rows to show with an answer: the rows sent first, in their order, so that change n
    of the answer is row n of the form; then blank rows, as many rows as before."""
    kept = [Row(n, rows[old].kind, dict(rows[old].typed)) for n, old in enumerate(sent_from)]
    while len(kept) < max(len(rows), MIN_ROWS):
        kept.append(Row(len(kept), "", {}))
    return kept


def blank_rows(count: int) -> list[Row]:
    return [Row(n, "", {}) for n in range(count)]
