"""The score-sheet use cases of the portal's desks (docs/score-sheets.md): a department opens,
saves (by form or by spreadsheet) and signs its sheets, asks for corrections; the office lists
and reviews them and decides corrections. Scoring does each with the caller's token and has
the last word on every rule; what is refused comes back as `SheetRefused` saying where (a
unit × item input, a table's row and column, or the whole sheet), never half-saved."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from jixiao.common.spreadsheets import SpreadsheetError

from ..adapters.backend_errors import FailedPrecondition, InvalidArgument, PermissionDenied
from ..adapters.scoring_sheets import FORMATS, ScoringSheets, read_table, write_table
from ..domain import score_sheet_forms as forms

Layout = forms.Layout


@dataclass
class SheetRefused(Exception):
    """Nothing was saved: `cells` {(unit id, item, field): message} next to the inputs, `rows`
    [(row, column, message)] of an upload, `general` messages about the whole sheet, and what
    the form held (`typed`, to show it again)."""

    cells: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    general: list = field(default_factory=list)
    typed: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(self.general + [str(m) for m in self.cells.values()]
                         + [f"row {r}, {c}: {m}" for r, c, m in self.rows])


class ScoreSheetDesk:
    def __init__(self, sheets: ScoringSheets):
        self.sheets = sheets

    # reads ---------------------------------------------------------------
    def layout(self, document: Mapping, indicator: str) -> Layout | None:
        return forms.layout_of(document, indicator)

    def get(self, scheme: str, indicator: str, period: str, token: str) -> dict:
        return self.sheets.get(scheme, indicator, period, token)

    def listed(self, scheme: str, periods: Sequence[str], token: str) -> list[dict]:
        return self.sheets.listed(scheme, periods, token)

    @staticmethod
    def draft_digest(sheet: Mapping) -> str:
        """The digest the head signs when signing `sheet` as it is, as scoring computes it."""
        return sheet["content_digest"]

    # a department's steps --------------------------------------------------
    def save_form(self, scheme: str, layout: Layout, period: str, form: Mapping[str, str], token: str) -> dict:
        rows, problems, typed = forms.rows_from_form(layout, form)
        if problems:
            raise SheetRefused(cells=problems, typed=typed)
        return self._save(scheme, layout, period, rows, token, typed)

    def upload(self, scheme: str, layout: Layout, period: str, content: bytes, file_format: str, token: str) -> dict:
        """The draft replaced by the sheet of an uploaded table, every row checked first; one bad row refuses it all."""
        if file_format not in FORMATS:
            raise SheetRefused(general=["the file must be an .xlsx or .csv spreadsheet"])
        try:
            header, table, header_problems = read_table(content, file_format, forms.COLUMNS, forms.REQUIRED)
        except SpreadsheetError as error:
            where = f"row {error.row}" + (f", column {error.column}" if error.column else "") + ": " if error.row else ""
            raise SheetRefused(general=[where + str(error)]) from None
        rows, problems = forms.rows_from_table(layout, header, table, header_problems)
        if problems:
            raise SheetRefused(rows=problems)
        if not rows:
            raise SheetRefused(general=["the file has no points: fill in the points column"])
        return self._save(scheme, layout, period, rows, token, {})

    def export(self, scheme: str, layout: Layout, period: str, file_format: str, token: str,
               pick: Callable[[dict], str]) -> bytes:
        sheet = self.sheets.get(scheme, layout.indicator, period, token)
        return write_table(forms.table_of(layout, sheet.get("rows", []), pick), file_format, layout.indicator)

    def _save(self, scheme, layout, period, rows, token, typed) -> dict:
        try:
            return self.sheets.save(scheme, layout.indicator, period, [r.as_dict() for r in rows], token)
        except InvalidArgument as error:
            cells, general = {}, []
            for part in error.message.split("; "):
                place = forms.place_of(part)
                if place is not None and typed:
                    cells[place] = part
                else:
                    general.append(part)
            raise SheetRefused(cells=cells, general=general, typed=typed) from None
        except (FailedPrecondition, PermissionDenied) as error:
            raise SheetRefused(general=[error.message], typed=typed) from None

    def submit(self, scheme: str, indicator: str, period: str, expected_digest: str, token: str) -> dict:
        """The head signs the draft it was shown: refused when the draft changed since (another digest)."""
        try:
            current = self.sheets.get(scheme, indicator, period, token)
            if current.get("state") == "draft" and self.draft_digest(current) != expected_digest:
                raise SheetRefused(general=["the sheet was changed after you opened the confirmation; "
                                            "check it and sign again"])
            return self.sheets.submit(scheme, indicator, period, token)
        except (FailedPrecondition, PermissionDenied, InvalidArgument) as error:
            raise SheetRefused(general=[error.message]) from None

    def request_correction(self, scheme: str, indicator: str, period: str, reason: str, token: str) -> dict:
        return self._step(lambda: self.sheets.request_correction(scheme, indicator, period, reason, token))

    # the office's steps ------------------------------------------------------
    def review(self, scheme: str, indicator: str, period: str, decision: str, comment: str, token: str) -> dict:
        return self._step(lambda: self.sheets.review(scheme, indicator, period, decision, comment, token))

    def decide_correction(self, scheme: str, indicator: str, period: str, decision: str, reason: str,
                          token: str) -> dict:
        return self._step(lambda: self.sheets.decide_correction(scheme, indicator, period, decision, reason, token))

    @staticmethod
    def _step(call) -> dict:
        try:
            return call()
        except (FailedPrecondition, PermissionDenied, InvalidArgument) as error:
            raise SheetRefused(general=[error.message]) from None
