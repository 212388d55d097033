"""Reading an uploaded CSV or XLSX file as a header and numbered rows.

CSV cells are text; XLSX cells keep their type (numbers, dates), so that the
row rules can tell a number from text and catch a period that Excel turned
into a date. Rows are numbered as a spreadsheet shows them (the header is
row 1).

Only the columns row 1 names are read. A cell to the right of the last named
column, or under a blank name in row 1, is ignored, in CSV and XLSX alike, so
that a note or a total beside the table does not stop an upload; a row whose
named cells are all blank is skipped. (A column row 1 names but the row rules
do not know is refused by them, as a header problem.)

The work is bounded by the cells the file holds, never by the size a
workbook declares nor by how far away its farthest cell is: row 1 may name
columns up to column CV (MAX_COLUMNS), every row below it is read only as far
as row 1's last named column, and at most max_rows rows below the header are
walked, blank rows included (a file going on further is refused). An XLSX
sheet is read in openpyxl's read-only mode with its declared dimensions
dropped, since iter_rows pads every row to the last column it is given or the
sheet declares: one cell at XFD50000 used to cost about 2 ms for each of the
50,000 rows.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import closing

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = ("csv", "xlsx")
# 11 MetricEvent fields and up to 64 attributes make 75; room for blank-named columns.
MAX_COLUMNS = 100


class SpreadsheetError(ValueError):
    """The file cannot be read as a table at all; the message says why."""


def read_table(content: bytes, file_format: str, max_rows: int) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """(header, [(row number, {column: cell})]) of the first sheet.

    The header is row 1 up to its last named column; each row maps the named
    columns to their cells (text stripped; None or "" when blank)."""
    if file_format == "csv":
        lines = _csv_lines(content)
    elif file_format == "xlsx":
        lines = _xlsx_lines(content)
    else:
        raise SpreadsheetError(f"the format must be one of {', '.join(FORMATS)}")
    with closing(lines):
        first = next(lines, ())
        width = _width(first)
        if not width:
            raise SpreadsheetError("the file is empty; its first row must name the columns (unit_id, metric_code, value, period …)")
        if width > MAX_COLUMNS:
            raise SpreadsheetError(f"row 1 names a column as far as {get_column_letter(width)}; an upload has at most "
                                   f"{MAX_COLUMNS} columns (A to {get_column_letter(MAX_COLUMNS)}): clear the cells beyond")
        header = [_name(cell) for cell in first[:width]]
        rows = []
        for number, line in enumerate(lines, start=2):
            if number > max_rows + 1:
                raise SpreadsheetError(f"more than {max_rows} rows below the header, blank rows included; "
                                       "split the file or delete the blank rows")
            cells = line[:width]
            if cells.count(None) == len(cells):  # a missing or empty row, cheaply
                continue
            row = {name: cell.strip() if isinstance(cell, str) else cell
                   for name, cell in zip(header, cells, strict=False) if name}
            if all(cell is None or cell == "" for cell in row.values()):
                continue
            rows.append((number, row))
    return header, rows


def _name(cell: object) -> str:
    return str(cell or "").strip()


def _width(header: Sequence[object]) -> int:
    """The position of the last named column of row 1 (0 when none is)."""
    for position in range(len(header), 0, -1):
        if _name(header[position - 1]):
            return position
    return 0


def _csv_lines(content: bytes) -> Iterator[Sequence[object]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError("the CSV file is not UTF-8 text (save it as 'CSV UTF-8')") from None
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise SpreadsheetError(f"the CSV file cannot be read: {exc}") from None


def _xlsx_lines(content: bytes) -> Iterator[Sequence[object]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, IndexError):
        raise SpreadsheetError("the file is not an XLSX workbook") from None
    try:
        # The <dimension> a workbook declares (up to A1:XFD1048576) is not
        # trusted: without it each row is padded only to the last column asked for.
        sheet.reset_dimensions()
        header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        yield header
        # read_table refuses a header wider than MAX_COLUMNS before asking for more.
        width = min(max(_width(header), 1), MAX_COLUMNS)
        yield from sheet.iter_rows(min_row=2, max_col=width, values_only=True)
    finally:
        workbook.close()
