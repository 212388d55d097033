"""Scoring's score-sheet rpcs (docs/score-sheets.md), always with the caller's own token
(a department's scorer, its head, or the office), so that scoring checks who may do what and
records who did it; and a sheet's table written as CSV or XLSX, read back with the platform's
spreadsheet reader (jixiao.common.spreadsheets)."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from jixiao.common import spreadsheets
from jixiao.v1 import scoring_pb2

from .backend_errors import InvalidArgument, NotFound
from .grpc_clients import Backends

FORMATS = ("xlsx", "csv")
MAX_ROWS = 20_000


class ScoringSheets:
    def __init__(self, backends: Backends):
        self.backends = backends

    def _call(self, method: str, request, token: str) -> dict:
        return self.backends.call("scoring", method, request, token=token)

    def get(self, scheme: str, indicator: str, period: str, token: str) -> dict:
        return self._call("GetScoreSheet", scoring_pb2.GetScoreSheetRequest(
            scheme_code=scheme, indicator_code=indicator, period=period), token)

    def save(self, scheme: str, indicator: str, period: str, rows: Sequence[dict], token: str) -> dict:
        return self._call("SaveScoreSheet", scoring_pb2.SaveScoreSheetRequest(
            scheme_code=scheme, indicator_code=indicator, period=period,
            rows=[scoring_pb2.ScoreSheetRow(**row) for row in rows]), token)

    def submit(self, scheme: str, indicator: str, period: str, token: str) -> dict:
        return self._call("SubmitScoreSheet", scoring_pb2.SubmitScoreSheetRequest(
            scheme_code=scheme, indicator_code=indicator, period=period), token)

    def review(self, scheme: str, indicator: str, period: str, decision: str, comment: str, token: str) -> dict:
        return self._call("ReviewScoreSheet", scoring_pb2.ReviewScoreSheetRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, decision=decision, comment=comment), token)

    def request_correction(self, scheme: str, indicator: str, period: str, reason: str, token: str) -> dict:
        return self._call("RequestSheetCorrection", scoring_pb2.RequestSheetCorrectionRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, reason=reason), token)

    def decide_correction(self, scheme: str, indicator: str, period: str, decision: str, reason: str,
                          token: str) -> dict:
        return self._call("DecideSheetCorrection", scoring_pb2.DecideSheetCorrectionRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, decision=decision, reason=reason), token)

    def listed(self, scheme: str, periods: Sequence[str], token: str, strict: bool = False) -> list[dict]:
        """The sheets of several periods (ListScoreSheets, concurrently); a period scoring refuses is
        left out, unless `strict` (then its refusal is raised)."""
        replies = self.backends.gather("scoring", "ListScoreSheets", [
            scoring_pb2.ListScoreSheetsRequest(scheme_code=scheme, period=p) for p in periods], token=token)
        sheets = []
        for reply in replies:
            if isinstance(reply, Exception):
                if isinstance(reply, (InvalidArgument, NotFound)) and not strict:
                    continue
                raise reply
            sheets.extend(reply.get("sheets", []))
        return sheets


def write_table(lines: Sequence[Sequence[object]], file_format: str, title: str = "sheet") -> bytes:
    """The table as a CSV (UTF-8 with the byte order mark Excel looks for) or an XLSX workbook."""
    if file_format == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(lines)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for line in lines:
        sheet.append([("" if value is None else value) for value in line])
    for letter, width in zip("ABCDEFGH", (12, 16, 16, 20, 11, 9, 40, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_table(content: bytes, file_format: str, columns: Sequence[str], required: Sequence[str]):
    """(header, rows as text cells, header problems as (column, message)); raises
    spreadsheets.SpreadsheetError when the file is not a readable table."""
    table = spreadsheets.read_table(content, file_format, max_rows=MAX_ROWS, example_columns=columns)
    problems = [(p.column, p.message) for p in spreadsheets.check_header(table.header, columns, required)]
    return table.header, table.rows, problems
