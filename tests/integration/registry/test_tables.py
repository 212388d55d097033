"""Units, persons and targets as CSV and XLSX, with row-level errors."""
import io

import pytest
from openpyxl import Workbook

from helpers import DEMO_SCHEME, demo_document
from jixiao.common.auth import Principal
from jixiao.common.errors import InvalidArgument
from jixiao.registry.bootstrap import build_service
from jixiao.registry.domain import table_imports

DEMO = demo_document()


@pytest.mark.parametrize("table", table_imports.TABLES)
@pytest.mark.parametrize("file_format", table_imports.FORMATS)
def test_export_then_import_gives_the_same_items(table, file_format):
    content = table_imports.write_table(table, DEMO, file_format)
    items, errors = table_imports.to_items(table, table_imports.read_rows(content, file_format), DEMO)
    assert errors == []
    assert items == [_normalised(table, item) for item in DEMO[table]]


def _normalised(table: str, item: dict) -> dict:
    if table == "targets":
        return {k: (float(v) if k == "value" else v) for k, v in item.items() if v not in (None, {}, [])}
    return item


def test_csv_with_bad_rows_reports_each_by_row_and_column():
    text = ("id,name_zh,name_en,category,region\n"
            "U-X1,新区,New District,district_county,R01\n"
            "U-X2,,Nameless,district_county,R01\n"
            "U-X3,三区,Third,no_such_category,R77\n"
            "U-X1,重复,Duplicate,district_county,\n")
    items, errors = table_imports.to_items("units", table_imports.read_rows(text.encode("utf-8-sig"), "csv"), DEMO)
    assert [str(e) for e in errors] == [
        "row 3, column name_zh: is required",
        "row 4, column category: unknown category 'no_such_category'",
        "row 4, column region: unknown region 'R77'",
        "row 5, column id: U-X1 repeats row 2",
    ]


def test_xlsx_targets_with_bad_values():
    book = Workbook()
    sheet = book.active
    sheet.append(["unit", "indicator", "value", "params", "milestones"])
    sheet.append(["U-R01", "investment_completion", 300, '{"last_year_value": 250}', "2026-06:0.5;2026-12:1"])
    sheet.append(["U-R01", "investment_completion", "lots", "[1]", "June"])
    sheet.append(["U-D001", "investment_completion", 1, "", ""])
    out = io.BytesIO()
    book.save(out)
    items, errors = table_imports.to_items("targets", table_imports.read_rows(out.getvalue(), "xlsx"), DEMO)
    assert items[0] == {"unit": "U-R01", "indicator": "investment_completion", "value": 300.0,
                        "params": {"last_year_value": 250}, "milestones": [{"period": "2026-06", "share": 0.5},
                                                                         {"period": "2026-12", "share": 1.0}]}
    assert [(e.row, e.column) for e in errors] == [(3, "value"), (3, "params"), (3, "milestones"), (3, "unit"), (4, "indicator")]


def test_unreadable_files_are_named():
    with pytest.raises(table_imports.TableFormatError, match="not an XLSX workbook"):
        table_imports.read_rows(b"not a zip", "xlsx")
    with pytest.raises(table_imports.TableFormatError, match="not UTF-8"):
        table_imports.read_rows("id,名称\n".encode("gb18030"), "csv")


def test_import_makes_a_new_draft_only_without_errors(database_url):
    service = build_service(database_url)
    service.submit_scheme(DEMO_SCHEME.read_text(encoding="utf-8"))
    csv_text = table_imports.write_table("persons", DEMO, "csv").decode("utf-8-sig")
    bad = csv_text.replace(",U-R01,", ",U-NOPE,", 1).encode()
    version, rows, errors = service.import_table("jiangchuan-2026", "persons", "csv", bad)
    assert version is None and rows == 835 and [(e.row, e.column) for e in errors] == [(2, "unit")]
    fewer = "\n".join(csv_text.splitlines()[:-1]).encode()
    version, rows, errors = service.import_table("jiangchuan-2026", "persons", "csv", fewer, "离任 / left office",
                                                 Principal("考核办", "office"))
    assert errors == [] and (version.version, version.reason, version.author) == (2, "离任 / left office", "考核办")
    assert len(service.get_scheme("jiangchuan-2026", 2).document["persons"]) == 834
    with pytest.raises(InvalidArgument, match="table"):
        service.import_table("jiangchuan-2026", "budgets", "csv", fewer)
    content, name = service.export_table("jiangchuan-2026", 2, "persons", "xlsx")
    assert name == "jiangchuan-2026-v2-persons.xlsx" and content[:2] == b"PK"


def test_rows_are_numbered_as_the_spreadsheet_shows_them_and_a_far_away_cell_costs_nothing():
    """The reader is jixiao.common.spreadsheets (its own tests: tests/integration/common/test_spreadsheets.py)."""
    import time
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name_zh", "category"])
    sheet.append(["U-X1", "新区", "district_county", None, "备注"])  # a note beside the table is not read
    sheet.append([])
    sheet.append(["U-X2", "", "district_county"])
    sheet.cell(50_000, 16_384, "x")  # XFD50000: the sheet declares A1:XFD50000
    out = io.BytesIO()
    book.save(out)
    started = time.monotonic()
    rows = table_imports.read_rows(out.getvalue(), "xlsx")
    assert time.monotonic() - started < 5  # it was minutes: every row padded to 16,384 cells
    items, errors = table_imports.to_items("units", rows, DEMO)
    assert [str(e) for e in errors] == ["row 4, column name_zh: is required"]  # row 3 is blank, and still counts
    assert [item["id"] for item in items] == ["U-X1"]


def test_header_problems_are_row_one_even_without_rows():
    _items, errors = table_imports.to_items("units", table_imports.read_rows(b"id,name_zh,name_zh,category\n", "csv"), DEMO)
    assert [str(e) for e in errors] == ["row 1, column name_zh: column appears more than once"]
    _items, errors = table_imports.to_items("units", table_imports.read_rows(b"id,name\n", "csv"), DEMO)
    assert [(e.row, e.column) for e in errors] == [(1, "name_zh"), (1, "category")]
