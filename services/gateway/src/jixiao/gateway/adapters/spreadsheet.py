"""Reading an uploaded CSV or XLSX file of metric values as a header and
numbered rows, with the platform's one spreadsheet reader
(jixiao.common.spreadsheets: its limits, and what it reads and ignores).

What is the gateway's own: XLSX cells keep their type (numbers, dates), so
that the row rules (domain/upload_rows.py) can tell a number from text and catch
a period Excel turned into a date; and a file whose row 1 names no column is
told the columns an upload of values starts with. Which columns an upload
needs is the row rules' to check.
"""
from __future__ import annotations

from jixiao.common import spreadsheets
from jixiao.common.spreadsheets import FORMATS, MAX_COLUMNS, SpreadsheetError

__all__ = ["FORMATS", "MAX_COLUMNS", "SpreadsheetError", "read_table"]

EXAMPLE_COLUMNS = ("unit_id", "metric_code", "value", "period")


def read_table(content: bytes, file_format: str, max_rows: int) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """(header, [(row number, {column: cell})]) of the first sheet, cells typed."""
    table = spreadsheets.read_table(content, file_format, max_rows=max_rows, typed=True, example_columns=EXAMPLE_COLUMNS)
    return table.header, table.rows
