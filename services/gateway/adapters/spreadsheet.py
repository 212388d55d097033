"""Reading an uploaded CSV or XLSX file as a header and numbered rows.

CSV cells are text; XLSX cells keep their type (numbers, dates), so that the
row rules can tell a number from text and catch a period that Excel turned
into a date. Rows are numbered as a spreadsheet shows them (the header is
row 1); blank rows are skipped.
"""
from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = ("csv", "xlsx")


class SpreadsheetError(ValueError):
    """The file cannot be read as a table at all; the message says why."""


def read_table(content: bytes, file_format: str, max_rows: int) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """(header, [(row number, {column: cell})]) of the first sheet."""
    if file_format == "csv":
        lines = _csv_lines(content)
    elif file_format == "xlsx":
        lines = _xlsx_lines(content)
    else:
        raise SpreadsheetError(f"the format must be one of {', '.join(FORMATS)}")
    header = [str(cell or "").strip() for cell in next(lines, [])]
    if not any(header):
        raise SpreadsheetError("the file is empty; its first row must name the columns (unit_id, metric_code, value, period …)")
    rows = []
    for number, line in enumerate(lines, start=2):
        cells = [cell.strip() if isinstance(cell, str) else cell for cell in line]
        if all(cell is None or cell == "" for cell in cells):
            continue
        if len(rows) == max_rows:
            raise SpreadsheetError(f"more than {max_rows} rows; split the file")
        rows.append((number, {name: cell for name, cell in zip(header, cells, strict=False) if name}))
    return header, rows


def _csv_lines(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError("the CSV file is not UTF-8 text (save it as 'CSV UTF-8')") from None
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise SpreadsheetError(f"the CSV file cannot be read: {exc}") from None


def _xlsx_lines(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, IndexError):
        raise SpreadsheetError("the file is not an XLSX workbook") from None
    try:
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()
