"""The one spreadsheet reader (jixiao.common.spreadsheets) that the gateway's
uploads and the registry's table imports share: only the named columns are
read, the work is bounded by what the file holds, not by how far away its
farthest cell is, and a file that cannot be read is answered saying why and
where."""
from __future__ import annotations

import io
import struct
import time
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from jixiao.common import spreadsheets
from jixiao.common.spreadsheets import MAX_COLUMNS, SpreadsheetError, Table, cell_text, read_table

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


def typed(content: bytes, file_format: str, max_rows: int) -> tuple[list[str], list]:
    table = read_table(content, file_format, max_rows=max_rows, typed=True)
    return table.header, table.rows


def rewritten(content: bytes, part: str, change) -> bytes:
    """The workbook with one part's bytes changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == part else data)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


# -- the far-away cell and the limits -----------------------------------------------------

def test_a_far_away_cell_is_ignored_and_costs_nothing():
    content = xlsx({**data_row(2), (50_000, 16_384): "x"})  # XFD50000: the sheet declares A1:XFD50000
    assert len(content) < 10_000
    started = time.monotonic()
    header, rows = typed(content, "xlsx", 100_000)
    assert time.monotonic() - started < 5  # it was ~100 s: 50,000 rows of 16,384 cells
    assert header == list(HEADER)
    assert rows == [(2, dict(zip(HEADER, ROW, strict=True)))]


def test_a_far_away_cell_alone_leaves_no_rows():
    assert typed(xlsx({(50_000, 16_384): "x"}), "xlsx", 100_000) == (list(HEADER), [])


def test_blank_rows_count_towards_the_row_limit():
    # Rows 2 to 11 are the 10 rows below the header a limit of 10 allows, blank or not.
    header, rows = typed(xlsx({**data_row(2), **data_row(11)}), "xlsx", 10)
    assert [number for number, _row in rows] == [2, 11]
    for far in (data_row(12), {(12, 1): "U-R01"}, {(1_048_576, 16_384): "x"}, {(1_048_576, 1): None}):
        started = time.monotonic()
        with pytest.raises(SpreadsheetError) as refused:
            typed(xlsx({**data_row(2), **far}), "xlsx", 10)
        assert time.monotonic() - started < 5
        assert str(refused.value) == "more than 10 rows below the header, blank rows included; split the file or delete the blank rows"
        assert refused.value.row == 12


def test_a_million_blank_rows_are_refused_at_the_default_limit():
    started = time.monotonic()
    with pytest.raises(SpreadsheetError, match="more than 100000 rows below the header, blank rows included"):
        read_table(xlsx({**data_row(2), (1_048_576, 1): "U-R02"}), "xlsx")  # text cells, MAX_ROWS
    assert time.monotonic() - started < 5


def test_more_rows_than_the_limit_are_refused_in_csv_too():
    text = ",".join(HEADER) + "\n" + "U-R01,m,1,2026-03\n" + "\n" * 9
    assert len(read_table(text.encode(), "csv", max_rows=10)) == 1
    for more in ("\n", "U-R02,m,1,2026-03\n"):
        with pytest.raises(SpreadsheetError, match="more than 10 rows below the header, blank rows included"):
            read_table((text + more).encode(), "csv", max_rows=10)


def test_cells_outside_the_named_columns_are_ignored_in_xlsx_and_csv():
    named = dict(zip(HEADER, ROW, strict=True))
    book = xlsx({**data_row(2), (2, 5): "备注", (2, 40): 99, (3, 7): "合计", **data_row(4)})
    assert typed(book, "xlsx", 100) == (list(HEADER), [(2, named), (4, named)])
    # A blank name inside the header: that column is ignored too.
    header, rows = typed(xlsx({(2, 1): "U-R01", (2, 2): "x", (2, 3): 1.5, (2, 4): "m"},
                              header=("unit_id", None, "value", "metric_code")), "xlsx", 100)
    assert header == ["unit_id", "", "value", "metric_code"]
    assert rows == [(2, {"unit_id": "U-R01", "value": 1.5, "metric_code": "m"})]
    csv = "unit_id,metric_code,value,period,,\nU-R01,m,1,2026-03,备注,x\n,,,,,合计\n"
    assert typed(csv.encode(), "csv", 100) == (
        list(HEADER), [(2, {"unit_id": "U-R01", "metric_code": "m", "value": "1", "period": "2026-03"})])


def test_a_header_naming_a_column_too_far_away_is_refused_naming_it():
    with pytest.raises(SpreadsheetError) as refused:
        read_table(xlsx({(1, 16_384): "note", **data_row(2)}), "xlsx")
    assert str(refused.value) == (f"row 1 names a column as far as XFD; an upload has at most {MAX_COLUMNS} columns "
                                  "(A to CV): clear the cells beyond")
    assert (refused.value.row, refused.value.column) == (1, "XFD")
    widest = [f"attr.a{n}" for n in range(1, MAX_COLUMNS + 1)]
    assert len(read_table(xlsx({}, header=widest), "xlsx").header) == MAX_COLUMNS
    with pytest.raises(SpreadsheetError, match="at most 100 columns") as refused:
        read_table((",".join([*widest, "attr.more"]) + "\n").encode(), "csv")
    assert refused.value.column == "CW"


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read():
    with pytest.raises(SpreadsheetError, match="the file is larger than 8 MiB; split it"):
        read_table(b"unit_id\n" + b"U-R01\n" * (8 * 1024 * 1024 // 6), "csv")


def test_a_workbook_unpacking_beyond_the_limit_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", 1024 * 1024)  # the real limit is 128 MiB
    content = xlsx(data_row(2))
    assert len(read_table(content, "xlsx")) == 1
    for pads in ([1024 * 1024], [600 * 1024, 600 * 1024]):  # one part, or all parts together
        padded = io.BytesIO(content)
        with zipfile.ZipFile(padded, "a", zipfile.ZIP_DEFLATED) as archive:
            for number, size in enumerate(pads):
                archive.writestr(f"xl/media/pad{number}.bin", bytes(size))
        assert len(padded.getvalue()) < 20_000
        with pytest.raises(SpreadsheetError) as refused:
            read_table(padded.getvalue(), "xlsx")
        assert str(refused.value) == "the XLSX workbook unpacks to more than 1 MiB; keep only the table in it, or split it"


def test_a_part_holding_more_than_it_declares_is_damaged_not_read_on():
    """The unpacked limit trusts the sizes the archive declares: zipfile reads no more than that."""
    content = bytearray(xlsx({**data_row(2), **data_row(3)}))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo(SHEET)
    entry = content.find(b"PK\x01\x02")  # the first central directory entry
    while content[entry + 46:entry + 46 + len(SHEET)] != SHEET.encode():  # the sheet's
        entry = content.find(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", content, entry + 24, 300)  # declares 300 bytes unpacked
    struct.pack_into("<I", content, info.header_offset + 22, 300)
    with pytest.raises(SpreadsheetError, match="^the file is not an XLSX workbook$"):  # its first 16 KB are read on opening
        read_table(bytes(content), "xlsx")


# -- header, rows and cells ------------------------------------------------------------------

def test_an_empty_first_row_is_the_empty_file_answer():
    for content, file_format in ((xlsx({(2, 1): "unit_id"}, header=()), "xlsx"), (b"\n", "csv"), (b"", "csv"),
                                 (b"\xef\xbb\xbf", "csv"), (b" , ,\nU-R01,m\n", "csv")):
        with pytest.raises(SpreadsheetError, match="^the file is empty; its first row must name the columns$"):
            read_table(content, file_format)
    with pytest.raises(SpreadsheetError) as refused:
        read_table(b"", "csv", example_columns=HEADER)
    assert str(refused.value) == "the file is empty; its first row must name the columns (unit_id, metric_code, value, period …)"


def test_cells_are_text_unless_typed():
    when = datetime(2026, 3, 1)
    content = xlsx({(2, 1): " U-R01 ", (2, 2): 300, (2, 3): 300.0, (2, 4): 1.5, (2, 5): when, (2, 6): True},
                   header=("id", "int", "whole", "float", "date", "flag", "blank"))
    text = read_table(content, "xlsx")
    assert text.rows == [(2, {"id": "U-R01", "int": "300", "whole": "300", "float": "1.5", "date": "2026-03-01 00:00:00",
                              "flag": "True", "blank": ""})]
    assert read_table(content, "xlsx", typed=True).rows == [
        (2, {"id": "U-R01", "int": 300, "whole": 300, "float": 1.5, "date": when, "flag": True, "blank": None})]
    assert [cell_text(cell) for cell in (None, " a ", 2026.0, 1e20, float("nan"), 7)] == \
        ["", "a", "2026", "100000000000000000000", "nan", "7"]


def test_every_row_carries_every_named_column_and_keeps_its_number():
    csv = "id,name_zh,category\n\nU-X1\n , ,\nU-X2,二区,district_county,extra\n"
    table = read_table(csv.encode(), "csv")
    assert table == Table(["id", "name_zh", "category"], [
        (3, {"id": "U-X1", "name_zh": "", "category": ""}),
        (5, {"id": "U-X2", "name_zh": "二区", "category": "district_county"})])
    assert len(table) == 2 and list(table) == table.rows
    assert read_table(b"id,name\nU-X1\n", "csv", typed=True).rows == [(2, {"id": "U-X1", "name": None})]


def test_a_column_named_twice_is_in_the_header_twice_and_the_last_cell_wins():
    table = read_table(b"id,name,id\nU-1,a,U-2\n", "csv")
    assert table.header == ["id", "name", "id"] and table.rows == [(2, {"id": "U-2", "name": "a"})]


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them():
    """A quoted cell may hold a line break: it is still one row. The BOM Excel writes is dropped, CRLF read."""
    csv = '\ufeffid,note\r\nU-1,"two\r\nlines"\r\nU-2,"引号 ""quoted"""\r\n'
    table = read_table(csv.encode(), "csv")
    assert table.header == ["id", "note"]
    assert table.rows == [(2, {"id": "U-1", "note": "two\r\nlines"}), (3, {"id": "U-2", "note": '引号 "quoted"'})]


def test_formulas_are_never_computed():
    book = Workbook()
    book.active.append(["id", "value"])
    book.active.append(["U-1", "=1+1"])  # openpyxl saves no computed value: it reads as blank
    content = io.BytesIO()
    book.save(content)
    assert read_table(content.getvalue(), "xlsx").rows == [(2, {"id": "U-1", "value": ""})]
    # In CSV a formula is text like any other.
    assert read_table(b"id,value\nU-1,=cmd|' /C calc'!A0\n", "csv").rows == [(2, {"id": "U-1", "value": "=cmd|' /C calc'!A0"})]


# -- files that cannot be read ------------------------------------------------------------------

def test_a_csv_file_in_another_encoding_is_refused_naming_the_row():
    gbk = "id,名称\nU-1,新区\n".encode("gb18030")
    with pytest.raises(SpreadsheetError) as refused:
        read_table(gbk, "csv")
    assert str(refused.value) == "the CSV file is not UTF-8 text (row 1 is the first that is not; save it as 'CSV UTF-8')"
    assert refused.value.row == 1
    later = "\ufeffid,name\nU-1,a\nU-2,\"b\nc\"\nU-3,".encode() + "新区\n".encode("gb18030")
    with pytest.raises(SpreadsheetError, match=r"not UTF-8 text \(row 4 is the first") as refused:
        read_table(later, "csv")
    assert refused.value.row == 4
    for utf16 in ("id,name\n".encode("utf-16"), b"\xff\xfe\x00garbage"):
        with pytest.raises(SpreadsheetError, match="not UTF-8 text"):
            read_table(utf16, "csv")


def test_a_csv_file_the_csv_reader_refuses_is_answered_naming_the_row():
    long = "x" * 200_000  # over the csv module's field limit (131,072)
    with pytest.raises(SpreadsheetError, match=r"^the CSV file cannot be read at row 3: field larger than field limit") as refused:
        read_table(f'id,note\nU-1,a\nU-2,"{long}"\n'.encode(), "csv")
    assert refused.value.row == 3


@pytest.mark.parametrize("content", [b"not a zip", b"", b"PK\x03\x04" + b"\x00" * 40, xlsx({})[:500]])
def test_what_is_not_a_workbook_is_named(content):
    with pytest.raises(SpreadsheetError, match="^the file is not an XLSX workbook$"):
        read_table(content, "xlsx")


def test_a_zip_that_is_not_a_workbook_is_named():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    with pytest.raises(SpreadsheetError, match="^the file is not an XLSX workbook"):
        read_table(out.getvalue(), "xlsx")


@pytest.mark.parametrize("change, row", [
    (lambda xml: xml[:len(xml) * 3 // 4], 3),  # cut short
    (lambda xml: xml.replace(b"<v>28.23</v>", b"<v>lots</v>", 1), 2),  # a number cell that holds none
    (lambda xml: xml.replace(b'<row r="2"', b'<row r="two"', 1), 2),
])
def test_a_damaged_workbook_is_answered_naming_the_row(change, row):
    content = rewritten(xlsx({**data_row(2), **data_row(3)}), SHEET, change)
    with pytest.raises(SpreadsheetError, match=f"^the XLSX workbook is damaged at row {row} of its first sheet") as refused:
        read_table(content, "xlsx")
    assert refused.value.row == row


def test_an_unknown_format_is_named():
    with pytest.raises(SpreadsheetError, match="^the file format must be one of csv, xlsx$"):
        read_table(b"id\n", "pdf")


# check_header: the one rule for row 1 -----------------------------------------
def test_check_header_passes_a_header_naming_known_and_prefixed_columns():
    assert spreadsheets.check_header(["unit_id", "", "value", "attr.channel"], ("unit_id", "value", "period"),
                                     ("unit_id", "value"), prefixes=("attr.",)) == []


def test_check_header_names_missing_then_unknown_then_repeated_columns_in_order():
    problems = spreadsheets.check_header(["colour", "id", "size", "id", "colour", "colour", ""],
                                         ("id", "name_zh", "category"), ("name_zh", "category"))
    assert [(p.column, p.kind) for p in problems] == [
        ("name_zh", spreadsheets.MISSING), ("category", spreadsheets.MISSING),
        ("colour", spreadsheets.UNKNOWN), ("size", spreadsheets.UNKNOWN),  # once each, in the order of row 1
        ("colour", spreadsheets.REPEATED), ("id", spreadsheets.REPEATED)]  # known or not
    assert [p.message for p in problems] == [
        "required column is missing", "required column is missing",
        "unknown column; expected id, name_zh, category", "unknown column; expected id, name_zh, category",
        "column appears more than once", "column appears more than once"]


def test_check_header_admits_a_prefix_only_with_a_name_after_it_and_says_so():
    problems = spreadsheets.check_header(["value", "attr.", "attr.x", "attrx"], ("value", "period"),
                                         prefixes=("attr.",))
    assert [(p.column, p.message) for p in problems] == [
        ("attr.", "unknown column; expected value, period or attr.<name>"),
        ("attrx", "unknown column; expected value, period or attr.<name>")]


def test_check_header_treats_a_required_column_as_known_and_ignores_blank_names():
    assert spreadsheets.check_header(["", "id", ""], (), ("id",)) == []
    assert spreadsheets.check_header(["", ""], ("id",), ("id",)) == [
        spreadsheets.HeaderProblem("id", spreadsheets.MISSING, "required column is missing")]
