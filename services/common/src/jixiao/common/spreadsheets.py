"""Reading a spreadsheet file (CSV or XLSX) as a table: row 1 names the
columns, and each row below it maps them to its cells.

The gateway reads uploads of metric values with it, the registry imports of
units, persons and targets; which columns a table needs is theirs to say,
and check_header checks row 1 against it by the one rule both follow.
This module only parses the bytes it is given: it opens nothing, and writes
nothing.

Rows are numbered as a spreadsheet shows them (the header is row 1), blank
rows included, so that a problem can be reported by row. Only the columns
row 1 names are read: a cell to the right of row 1's last named column, or
under a blank name in row 1, is ignored, so that a note or a total beside the
table does not stop the file; a row whose named cells are all blank is
skipped. Every row carries every named column (blank when the row has no such
cell); when row 1 names a column twice, the row keeps the cell of the last.

Cells are text by default: stripped, blank as "", a whole number an XLSX cell
holds as 300.0 as "300", a date as str() gives it (cell_text). With
typed=True an XLSX cell keeps its type (int, float, datetime, bool; None when
blank), so that a caller can tell a number from text or catch a period Excel
turned into a date; CSV cells are text either way ("" when empty, None when
the row ends before the column). A formula reads as the value Excel last
computed and saved with it (blank when the file holds none, as in a file a
program wrote without computing it); it is never computed here.

CSV is UTF-8, with or without the byte order mark Excel writes; a file in
another encoding (GBK, UTF-16) is refused, naming the first row that is not
UTF-8. Only the first worksheet of an XLSX workbook is read.

The work is bounded by what the file holds, never by the size a workbook
declares nor by how far away its farthest cell is: a file is at most
MAX_FILE_BYTES, a workbook unpacks to at most MAX_UNPACKED_BYTES, row 1 may name columns up to column CV (MAX_COLUMNS),
each row below it is read only as far as row 1's last named column, and at
most max_rows (MAX_ROWS) rows below the header are walked, blank ones
included (a file going on further is refused). An XLSX sheet is read in
openpyxl's read-only mode with its declared dimensions dropped, since
iter_rows pads every row to the last column it is given or the sheet
declares: one cell at XFD50000 used to cost about 2 ms for each of the
50,000 rows, one at XFD1048576 hours.

Every problem is a SpreadsheetError whose message says what is wrong and
where; its row and column say where too, when the problem has a place.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = ("csv", "xlsx")
MAX_FILE_BYTES = 8 * 1024 * 1024  # the gateway's request limit
# Reading a worksheet costs ~0.5 s per MiB of XML, cells beyond the last named
# column included, and opening a workbook may parse every worksheet that does not
# declare its dimensions: this bounds a small file that unpacks to gigabytes. (An
# upload of 100,000 rows of 11 columns, as openpyxl writes it, is 4 MiB unpacking to 50.)
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
MAX_ROWS = 100_000  # below the header, blank rows included
# 11 MetricEvent fields and up to 64 attributes make 75; room for blank-named columns.
MAX_COLUMNS = 100

# What a damaged workbook raises while its sheet is parsed (truncated or bad XML,
# a number that is not one, a bad CRC, bad compressed data, a missing shared string).
_DAMAGED = (SyntaxError, ValueError, TypeError, KeyError, IndexError, AttributeError, EOFError, OSError,
            zipfile.BadZipFile, zlib.error)


class SpreadsheetError(ValueError):
    """The file cannot be read as a table; the message says why and where.

    row is the row the problem is in, as a spreadsheet numbers it (row 1 is
    the header), and column its column letter (A, B … XFD), when known."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


@dataclass(frozen=True)
class Table:
    """Row 1 up to its last named column (blank names as ""), and the rows
    below it that are not blank, numbered, as {named column: cell}.

    Iterating a table gives its (row number, row) pairs; its length is their number."""

    header: list[str]
    rows: list[tuple[int, dict[str, object]]]

    def __iter__(self) -> Iterator[tuple[int, dict[str, object]]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_table(content: bytes, file_format: str, *, max_rows: int = MAX_ROWS, typed: bool = False,
               example_columns: Sequence[str] = ()) -> Table:
    """The table of a CSV or XLSX file (the first sheet of a workbook).

    example_columns, when given, are named in the answer to a file whose row 1
    names none, as what row 1 should name."""
    if file_format not in FORMATS:
        raise SpreadsheetError(f"the file format must be one of {', '.join(FORMATS)}")
    if len(content) > MAX_FILE_BYTES:
        raise SpreadsheetError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it")
    if file_format == "csv":
        with closing(_csv_lines(content)) as lines:
            return _table(lines, max_rows, typed, example_columns)
    workbook = _workbook(content)
    try:
        with closing(_xlsx_lines(workbook.worksheets[0])) as lines:
            return _table(lines, max_rows, typed, example_columns)
    finally:
        workbook.close()


def cell_text(cell: object) -> str:
    """A cell as text: stripped, "" when blank, a whole float without its ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a number cell holding an id, a year or a count
    return str(cell).strip()


MISSING, UNKNOWN, REPEATED = "missing", "unknown", "repeated"


@dataclass(frozen=True)
class HeaderProblem:
    """A problem with row 1: the column it is about, its kind (MISSING,
    UNKNOWN or REPEATED) and the message saying it."""

    column: str
    kind: str
    message: str


def check_header(header: Sequence[str], columns: Sequence[str], required: Sequence[str] = (), *,
                 prefixes: Sequence[str] = ()) -> list[HeaderProblem]:
    """The problems with row 1 of a table whose columns are `columns`, of
    which `required` must be named ([] when there are none).

    Blank names in row 1 are not columns (the reader ignores them) and are
    never a problem. The problems come in this order:
    - each required column row 1 does not name, in the order of `required`:
      "required column is missing";
    - each column row 1 names that is neither one of `columns` or `required`
      nor a prefix of `prefixes` followed by at least one character ("attr."
      admits "attr.channel" but not "attr." alone), once, in the order of
      row 1: "unknown column; expected " and `columns` joined by ", ", then
      " or PREFIX<name>" for each prefix;
    - each column row 1 names more than once (known or not), once, in the
      order of row 1: "column appears more than once".
    It only looks at the names: a caller adds its own rules, and decides what
    a problem stops."""
    names = [name for name in header if name]
    known = set(columns) | set(required)
    expected = ", ".join(columns) + "".join(f" or {prefix}<name>" for prefix in prefixes)
    problems = [HeaderProblem(column, MISSING, "required column is missing") for column in required if column not in names]
    counts = Counter(names)  # in the order of row 1
    problems += [HeaderProblem(name, UNKNOWN, f"unknown column; expected {expected}") for name in counts
                 if name not in known and not any(name.startswith(p) and len(name) > len(p) for p in prefixes)]
    problems += [HeaderProblem(name, REPEATED, "column appears more than once") for name, count in counts.items() if count > 1]
    return problems


def _table(lines: Iterator[Sequence[object]], max_rows: int, typed: bool, example_columns: Sequence[str]) -> Table:
    first = next(lines, ())
    names = [cell_text(cell) for cell in first]
    width = _width(names)
    if not width:
        hint = f" ({', '.join(example_columns)} …)" if example_columns else ""
        raise SpreadsheetError(f"the file is empty; its first row must name the columns{hint}", row=1)
    if width > MAX_COLUMNS:
        far = get_column_letter(width)
        raise SpreadsheetError(f"row 1 names a column as far as {far}; an upload has at most {MAX_COLUMNS} columns "
                               f"(A to {get_column_letter(MAX_COLUMNS)}): clear the cells beyond", row=1, column=far)
    header = names[:width]
    named = [(position, name) for position, name in enumerate(header) if name]
    rows = []
    for number, line in enumerate(lines, start=2):
        if number > max_rows + 1:
            raise SpreadsheetError(f"more than {max_rows} rows below the header, blank rows included; "
                                   "split the file or delete the blank rows", row=number)
        if len(line) < width:
            line = (*line, *(None,) * (width - len(line)))
        if line.count(None) >= width:  # a missing or empty XLSX row, cheaply
            continue
        if typed:
            row = {name: line[position].strip() if isinstance(line[position], str) else line[position]
                   for position, name in named}
        else:
            row = {name: cell_text(line[position]) for position, name in named}
        if all(cell is None or cell == "" for cell in row.values()):
            continue
        rows.append((number, row))
    return Table(header, rows)


def _width(names: Sequence[str]) -> int:
    """The position of the last named column of row 1 (0 when none is)."""
    for position in range(len(names), 0, -1):
        if names[position - 1]:
            return position
    return 0


# CSV -----------------------------------------------------------------------
def _csv_lines(content: bytes) -> Iterator[Sequence[object]]:
    body = content[len(codecs.BOM_UTF8):] if content.startswith(codecs.BOM_UTF8) else content
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = _csv_row_at(body[:exc.start])
        raise SpreadsheetError(f"the CSV file is not UTF-8 text (row {row} is the first that is not; "
                               "save it as 'CSV UTF-8')", row=row) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        try:
            line = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SpreadsheetError(f"the CSV file cannot be read at row {number + 1}: {exc}", row=number + 1) from None
        number += 1
        yield line


def _csv_row_at(before: bytes) -> int:
    """The row of the CSV the byte after `before` is in."""
    text = before.decode("utf-8", errors="replace")
    try:
        # The "x" stands for the bad byte: it ends the row it is in, or starts a new one.
        return sum(1 for _ in csv.reader(io.StringIO(text + "x", newline="")))
    except csv.Error:
        return text.count("\n") + 1


# XLSX ----------------------------------------------------------------------
def _workbook(content: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetError("the file is not an XLSX workbook") from None
    # zipfile reads no more of a part than the size it declares (a part that holds more
    # fails its CRC check, and is refused), so the declared sizes are a bound.
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(f"the XLSX workbook unpacks to more than {MAX_UNPACKED_BYTES / (1024 * 1024):g} MiB; "
                               "keep only the table in it, or split it")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, *_DAMAGED):
        raise SpreadsheetError("the file is not an XLSX workbook") from None
    if not workbook.worksheets:
        workbook.close()
        raise SpreadsheetError("the file is not an XLSX workbook (it has no worksheet)")
    return workbook


def _xlsx_lines(sheet) -> Iterator[Sequence[object]]:
    # The <dimension> a workbook declares (up to A1:XFD1048576) is not trusted:
    # without it each row is padded only to the last column asked for.
    sheet.reset_dimensions()
    header = _damaged_at(1, lambda: next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ()))
    yield header
    # _table refuses a header wider than MAX_COLUMNS before asking for more.
    width = min(max(_width([cell_text(cell) for cell in header]), 1), MAX_COLUMNS)
    rows = _damaged_at(2, lambda: sheet.iter_rows(min_row=2, max_col=width, values_only=True))
    number = 2
    while True:
        line = _damaged_at(number, lambda: next(rows, None))
        if line is None:
            return
        number += 1
        yield line


def _damaged_at(number: int, read):
    try:
        return read()
    except _DAMAGED as exc:
        raise SpreadsheetError(f"the XLSX workbook is damaged at row {number} of its first sheet "
                               f"({type(exc).__name__}: {exc}); save it again from Excel", row=number) from None
