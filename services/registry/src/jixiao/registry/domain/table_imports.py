"""Units, persons and targets as spreadsheet tables (CSV or XLSX).

Offices keep their org lists and target letters in spreadsheets; these
functions turn one table into the items of a scheme section and back, and
report every bad row by its row number (the header is row 1) and column.
Files are read by the platform's one spreadsheet reader
(jixiao.common.spreadsheets, which only parses the bytes it is given: its
limits, and what it reads and ignores); which columns each table needs is
checked here, by the reader's rule for row 1 (check_header).
"""
from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook

from jixiao.common import spreadsheets
from jixiao.common.spreadsheets import FORMATS, Table

TABLES = ("units", "persons", "targets")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


# The file cannot be read as a table at all (the message says why and where);
# the reader's error, by the name the service catches.
TableFormatError = spreadsheets.SpreadsheetError


COLUMNS = {
    "units": ("id", "name_zh", "name_en", "short_name_zh", "category", "region"),
    "persons": ("id", "name_zh", "name_pinyin", "unit", "team", "position_zh", "position_en", "rank"),
    "targets": ("unit", "indicator", "value", "measurement_unit", "params", "milestones"),
}
REQUIRED = {
    "units": ("id", "name_zh", "category"),
    "persons": ("id", "name_zh", "unit"),
    "targets": ("unit", "indicator"),
}


# reading ------------------------------------------------------------------
def read_rows(content: bytes, file_format: str) -> Table:
    """The header and the data rows as (row number, {column: text}), in file order."""
    return spreadsheets.read_table(content, file_format)


def to_items(table: str, rows: Table, document: dict) -> tuple[list[dict], list[RowError]]:
    """Scheme items from a table's rows, checked against the rest of `document`."""
    if table not in TABLES:
        raise TableFormatError(f"table must be one of {', '.join(TABLES)}")
    errors: list[RowError] = []
    header = spreadsheets.check_header(rows.header, COLUMNS[table], REQUIRED[table])
    missing = [p for p in header if p.kind == spreadsheets.MISSING]
    if missing:  # the rows cannot be read without them
        return [], [RowError(1, p.column, p.message) for p in missing]
    errors += [RowError(1, p.column, p.message) for p in header]
    convert = {"units": _unit, "persons": _person, "targets": _target}[table]
    context = _Context.of(document, table)
    items, seen = [], {}
    for number, row in rows:
        row_errors: list[RowError] = []
        for column in REQUIRED[table]:
            if not row.get(column):
                row_errors.append(RowError(number, column, "is required"))
        if not row_errors:
            item = convert(row, number, context, row_errors)
            key = context.key(item)
            if key in seen:
                row_errors.append(RowError(number, COLUMNS[table][0], f"{'/'.join(key)} repeats row {seen[key]}"))
            seen[key] = number
            items.append(item)
        errors += row_errors
    return items, errors


@dataclass(frozen=True)
class _Context:
    categories: frozenset
    regions: frozenset
    units: frozenset
    teams: frozenset
    assigned: frozenset
    unit_category: dict
    key: Callable[[dict], tuple]

    @classmethod
    def of(cls, document: dict, table: str) -> _Context:
        units = document.get("units", [])
        return cls(
            categories=frozenset(c.get("code") for c in document.get("categories", [])),
            regions=frozenset(r.get("id") for r in document.get("regions", [])),
            units=frozenset(u.get("id") for u in units),
            teams=frozenset(t.get("id") for t in document.get("leadership_teams", [])),
            assigned=frozenset((a.get("category"), a.get("indicator")) for a in document.get("assignments", [])),
            unit_category={u.get("id"): u.get("category") for u in units},
            key=(lambda item: (item["unit"], item["indicator"])) if table == "targets" else (lambda item: (item["id"],)),
        )


def _unit(row, number, context, errors) -> dict:
    if row["category"] not in context.categories:
        errors.append(RowError(number, "category", f"unknown category {row['category']!r}"))
    if row.get("region") and row["region"] not in context.regions:
        errors.append(RowError(number, "region", f"unknown region {row['region']!r}"))
    item = {"id": row["id"], "name": {"zh": row["name_zh"], "en": row.get("name_en", "")}, "category": row["category"],
            "region": row.get("region") or None}
    if row.get("short_name_zh"):
        item["short_name_zh"] = row["short_name_zh"]
    return item


def _person(row, number, context, errors) -> dict:
    if row["unit"] not in context.units:
        errors.append(RowError(number, "unit", f"unknown unit {row['unit']!r}"))
    if row.get("team") and row["team"] not in context.teams:
        errors.append(RowError(number, "team", f"unknown leadership team {row['team']!r}"))
    person = {"id": row["id"], "name_zh": row["name_zh"], "name_pinyin": row.get("name_pinyin", ""), "unit": row["unit"],
              "team": row.get("team") or None, "rank": row.get("rank", "")}
    position = {key: row[f"position_{key}"] for key in ("zh", "en") if row.get(f"position_{key}")}
    if position:  # a name needs one language; a row without a position has none
        person["position"] = position
    return person


def _target(row, number, context, errors) -> dict:
    item: dict = {"unit": row["unit"], "indicator": row["indicator"]}
    if row["unit"] not in context.units:
        errors.append(RowError(number, "unit", f"unknown unit {row['unit']!r}"))
    elif (context.unit_category[row["unit"]], row["indicator"]) not in context.assigned:
        errors.append(RowError(number, "indicator", f"{row['indicator']!r} is not assigned to the category of {row['unit']!r}"))
    if row.get("value"):
        try:
            value = float(row["value"])
            if not math.isfinite(value):
                raise ValueError
            item["value"] = value
        except ValueError:
            errors.append(RowError(number, "value", f"{row['value']!r} is not a number"))
    if row.get("measurement_unit"):
        item["measurement_unit"] = row["measurement_unit"]
    if row.get("params"):
        try:
            params = json.loads(row["params"])
            if not isinstance(params, dict):
                raise ValueError
            item["params"] = params
        except ValueError:
            errors.append(RowError(number, "params", 'must be a JSON object, e.g. {"last_year_value": 246.6}'))
    if row.get("milestones"):
        milestones = []
        for part in row["milestones"].split(";"):
            period, _, share = part.strip().partition(":")
            try:
                milestones.append({"period": period.strip(), "share": float(share)})
            except ValueError:
                errors.append(RowError(number, "milestones", f"{part.strip()!r} is not PERIOD:SHARE, e.g. 2026-06:0.45"))
                break
        item["milestones"] = milestones
    return item


# writing ------------------------------------------------------------------
def to_rows(table: str, document: dict) -> list[dict[str, str]]:
    items = document.get(table, [])
    if table == "units":
        return [{"id": u["id"], "name_zh": u["name"].get("zh", ""), "name_en": u["name"].get("en", ""),
                 "short_name_zh": u.get("short_name_zh", ""), "category": u["category"], "region": u.get("region") or ""}
                for u in items]
    if table == "persons":
        return [{"id": p["id"], "name_zh": p["name_zh"], "name_pinyin": p.get("name_pinyin", ""), "unit": p["unit"],
                 "team": p.get("team") or "", "position_zh": (p.get("position") or {}).get("zh", ""),
                 "position_en": (p.get("position") or {}).get("en", ""), "rank": p.get("rank", "")} for p in items]
    if table == "targets":
        return [{"unit": t["unit"], "indicator": t["indicator"], "value": _number(t.get("value")),
                 "measurement_unit": t.get("measurement_unit", ""),
                 "params": json.dumps(t["params"], ensure_ascii=False, sort_keys=True) if t.get("params") else "",
                 "milestones": ";".join(f"{m['period']}:{_number(m['share'])}" for m in t.get("milestones", []))}
                for t in items]
    raise TableFormatError(f"table must be one of {', '.join(TABLES)}")


def _number(value) -> str:
    return "" if value is None else str(value)


def write_table(table: str, document: dict, file_format: str) -> bytes:
    rows = to_rows(table, document)
    columns = COLUMNS[table]
    if file_format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")  # with BOM: Excel then opens Chinese text correctly
    if file_format == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = table
        sheet.append(list(columns))
        for row in rows:
            sheet.append([row[c] for c in columns])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise TableFormatError(f"file_format must be one of {', '.join(FORMATS)}")
