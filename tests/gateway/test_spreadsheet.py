"""Reading an uploaded file as a table (adapters/spreadsheet.py) without
servers: only the named columns are read, and the work is bounded by what the
file holds, not by how far away its farthest cell is."""
from __future__ import annotations

import io
import time

import pytest
from openpyxl import Workbook

from jixiao.gateway.adapters.spreadsheet import MAX_COLUMNS, SpreadsheetError, read_table

HEADER = ("unit_id", "metric_code", "value", "period")
ROW = ("U-R01", "fixed_asset_investment", 28.23, "2026-03")


def xlsx(cells: dict[tuple[int, int], object], header=HEADER) -> bytes:
    """A workbook with the header in row 1 and the given (row, column) cells."""
    book = Workbook()
    sheet = book.active
    for column, name in enumerate(header, start=1):
        sheet.cell(1, column, name)
    for (row, column), value in cells.items():
        sheet.cell(row, column, value)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def data_row(row: int, values=ROW) -> dict[tuple[int, int], object]:
    return {(row, column): value for column, value in enumerate(values, start=1)}


def test_a_far_away_cell_is_ignored_and_costs_nothing():
    content = xlsx({**data_row(2), (50_000, 16_384): "x"})  # XFD50000: the sheet declares A1:XFD50000
    assert len(content) < 10_000
    started = time.monotonic()
    header, rows = read_table(content, "xlsx", 100_000)
    assert time.monotonic() - started < 5  # it was ~100 s: 50,000 rows of 16,384 cells
    assert header == list(HEADER)
    assert rows == [(2, dict(zip(HEADER, ROW, strict=True)))]


def test_a_far_away_cell_alone_leaves_no_rows():
    assert read_table(xlsx({(50_000, 16_384): "x"}), "xlsx", 100_000) == (list(HEADER), [])


def test_blank_rows_count_towards_the_row_limit():
    # Rows 2 to 11 are the 10 rows below the header a limit of 10 allows, blank or not.
    header, rows = read_table(xlsx({**data_row(2), **data_row(11)}), "xlsx", 10)
    assert [number for number, _row in rows] == [2, 11]
    for far in (data_row(12), {(12, 1): "U-R01"}, {(1_048_576, 16_384): "x"}, {(1_048_576, 1): None}):
        started = time.monotonic()
        with pytest.raises(SpreadsheetError) as refused:
            read_table(xlsx({**data_row(2), **far}), "xlsx", 10)
        assert time.monotonic() - started < 5
        assert str(refused.value) == "more than 10 rows below the header, blank rows included; split the file or delete the blank rows"


def test_a_million_blank_rows_are_refused_at_the_limit():
    started = time.monotonic()
    with pytest.raises(SpreadsheetError, match="more than 100000 rows below the header, blank rows included"):
        read_table(xlsx({**data_row(2), (1_048_576, 1): "U-R02"}), "xlsx", 100_000)
    assert time.monotonic() - started < 5


def test_more_rows_than_the_limit_are_refused_in_csv_too():
    text = ",".join(HEADER) + "\n" + "U-R01,m,1,2026-03\n" + "\n" * 9
    assert len(read_table(text.encode(), "csv", 10)[1]) == 1
    for more in ("\n", "U-R02,m,1,2026-03\n"):
        with pytest.raises(SpreadsheetError, match="more than 10 rows below the header, blank rows included"):
            read_table((text + more).encode(), "csv", 10)


def test_cells_outside_the_named_columns_are_ignored_in_xlsx_and_csv():
    named = dict(zip(HEADER, ROW, strict=True))
    book = xlsx({**data_row(2), (2, 5): "备注", (2, 40): 99, (3, 7): "合计", **data_row(4)})
    assert read_table(book, "xlsx", 100) == (list(HEADER), [(2, named), (4, named)])
    # A blank name inside the header: that column is ignored too.
    header, rows = read_table(xlsx({(2, 1): "U-R01", (2, 2): "x", (2, 3): 1.5, (2, 4): "m"},
                                   header=("unit_id", None, "value", "metric_code")), "xlsx", 100)
    assert header == ["unit_id", "", "value", "metric_code"]
    assert rows == [(2, {"unit_id": "U-R01", "value": 1.5, "metric_code": "m"})]
    csv = "unit_id,metric_code,value,period,,\nU-R01,m,1,2026-03,备注,x\n,,,,,合计\n"
    assert read_table(csv.encode(), "csv", 100) == (
        list(HEADER), [(2, {"unit_id": "U-R01", "metric_code": "m", "value": "1", "period": "2026-03"})])


def test_a_header_naming_a_column_too_far_away_is_refused_naming_it():
    with pytest.raises(SpreadsheetError) as refused:
        read_table(xlsx({(1, 16_384): "note", **data_row(2)}), "xlsx", 100)
    assert str(refused.value) == (f"row 1 names a column as far as XFD; an upload has at most {MAX_COLUMNS} columns "
                                  "(A to CV): clear the cells beyond")
    widest = [f"attr.a{n}" for n in range(1, MAX_COLUMNS + 1)]
    assert len(read_table(xlsx({}, header=widest), "xlsx", 100)[0]) == MAX_COLUMNS
    with pytest.raises(SpreadsheetError, match="at most 100 columns"):
        read_table((",".join([*widest, "attr.more"]) + "\n").encode(), "csv", 100)


def test_an_empty_first_row_is_still_the_empty_file_answer():
    for content, file_format in ((xlsx({(2, 1): "unit_id"}, header=()), "xlsx"), (b"\n", "csv"), (b"", "csv")):
        with pytest.raises(SpreadsheetError, match="the file is empty"):
            read_table(content, file_format, 100)
