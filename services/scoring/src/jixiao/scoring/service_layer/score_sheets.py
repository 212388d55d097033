"""The score-sheet use cases (docs/score-sheets.md): get, save, sign, review, correct and
list responsible departments' sheets; the rules are domain/score_sheets.py's.

Each change is one transaction: the sheet's version, rows and history — and, when the
office accepts a sheet, the events its points become and the rescoring of the unit-periods
they change — are stored together or not at all. A department (role `department` or
`department_head`) reaches only the sheets whose `department` is its token's subject.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from jixiao_sdk.periods import Period

from ..domain import score_sheets as sheets
from ..domain.scheme_view import SchemeView
from ..domain.score_sheets import Sheet, SheetDefinition, SheetInputError, SheetRow, SheetStateError
from .ingest import ATTRIBUTES_JSON
from .queries import SCORED_PERIOD_KINDS
from .scoring_service import ScoringService

#: The measurement unit of the events an accepted sheet gives.
POINTS = "points"


@dataclass(frozen=True)
class SheetStatus:
    """A sheet's current version with what the scheme says of it and its lateness."""

    sheet: Sheet
    definition: SheetDefinition
    due_date: date
    late: bool


def event_id(scheme_code: str, indicator: str, period: str, version: int, unit_id: str, item: str) -> str:
    """The id of the event of one unit's points on one item of an accepted sheet version:
    `sheet-` and the first 40 hex digits of the SHA-256 of the JSON list of (scheme,
    indicator, period, version, unit, item). The same accepted version always gives the
    same ids, so storing it again stores nothing twice."""
    key = json.dumps([scheme_code, indicator, period, version, unit_id, item], ensure_ascii=False)
    return "sheet-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


class ScoreSheets:
    def __init__(self, service: ScoringService, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.service = service
        self.repository = service.repository
        self.unit_of_work = service.unit_of_work
        self.clock = clock

    def _now(self) -> str:
        return self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    # reads -------------------------------------------------------------------
    def get(self, scheme_code: str, indicator_code: str, period_text: str, caller: Principal) -> SheetStatus:
        scheme, definition, period = self._sheet_of(scheme_code, indicator_code, period_text, caller)
        sheet = self.repository.sheet(None, (scheme.code, indicator_code, period.text))
        return self._status(scheme, definition, sheet or sheets.new_sheet(definition, period.text))

    def list(self, scheme_code: str, period_text: str, caller: Principal) -> list[SheetStatus]:
        """The sheets of the period (without rows): every sheet-scored indicator assessed in it,
        those not started included, for the office; a department's own for a department."""
        _required(scheme_code=scheme_code, period=period_text)
        scheme = self.service.scheme(scheme_code)
        found = []
        stored = self.repository.period_sheets(scheme.code, period_text)
        for definition in sheets.definitions(scheme):
            if caller.role != "office" and definition.department != caller.subject:
                continue
            try:
                period = sheets.sheet_period(scheme, definition, period_text)
            except SheetInputError as exc:
                if "not assessed" in exc.problem:
                    continue
                raise InvalidArgument(exc.field, exc.problem) from None
            found.append(self._status(scheme, definition, stored.get(definition.indicator_code)
                                      or sheets.new_sheet(definition, period.text)))
        return found

    # changes -----------------------------------------------------------------
    def save(self, scheme_code: str, indicator_code: str, period: str, rows: Sequence[SheetRow],
             caller: Principal) -> SheetStatus:
        return self._change(scheme_code, indicator_code, period, caller,
                            lambda current, definition, at: sheets.save(current, definition, rows, caller.name, at),
                            rows_changed=True)

    def submit(self, scheme_code: str, indicator_code: str, period: str, caller: Principal) -> SheetStatus:
        return self._change(scheme_code, indicator_code, period, caller,
                            lambda current, definition, at: sheets.submit(current, definition, caller.name, at))

    def review(self, scheme_code: str, indicator_code: str, period: str, decision: str, comment: str,
               caller: Principal) -> SheetStatus:
        accept = _decision(decision, {"accept": True, "return": False})
        return self._change(scheme_code, indicator_code, period, caller,
                            lambda current, definition, at: sheets.review(current, accept, comment, caller.name, at),
                            accepting=accept)

    def request_correction(self, scheme_code: str, indicator_code: str, period: str, reason: str,
                           caller: Principal) -> SheetStatus:
        return self._change(scheme_code, indicator_code, period, caller,
                            lambda current, definition, at: sheets.request_correction(current, reason, caller.name, at))

    def decide_correction(self, scheme_code: str, indicator_code: str, period: str, decision: str, reason: str,
                          caller: Principal) -> SheetStatus:
        approve = _decision(decision, {"approve": True, "refuse": False})
        return self._change(scheme_code, indicator_code, period, caller,
                            lambda current, definition, at: sheets.decide_correction(current, approve, reason,
                                                                                      caller.name, at))

    def _change(self, scheme_code: str, indicator_code: str, period_text: str, caller: Principal,
                step: Callable[[Sheet, SheetDefinition, str], Sheet | tuple[Sheet, Sheet | None]],
                rows_changed: bool = False, accepting: bool = False) -> SheetStatus:
        """Applies `step` to the sheet's current version in one transaction and stores what it gives."""
        scheme, definition, period = self._sheet_of(scheme_code, indicator_code, period_text, caller)
        key = (scheme.code, indicator_code, period.text)
        at = self._now()
        with self.unit_of_work.transaction() as connection:
            if accepting:  # before the sheet's lock, in the order ingest and rescoring take locks
                self.repository.lock_periods(connection, scheme.code, exclusive=False)
            self.repository.lock_sheet(connection, key)
            current = self.repository.sheet(connection, key) or sheets.new_sheet(definition, period.text)
            try:
                changed = step(current, definition, at)
            except SheetInputError as exc:
                raise InvalidArgument(exc.field, exc.problem) from None
            except SheetStateError as exc:
                raise FailedPrecondition(f"sheet of {indicator_code} for {period.text}: {exc}") from None
            kept, following = changed if isinstance(changed, tuple) else (changed, None)
            new_version = kept.version != current.version
            self.repository.save_sheet(connection, kept, rows_changed or new_version, len(current.history))
            if following is not None:
                self.repository.save_sheet(connection, following, True, len(kept.history))
            if accepting:
                self._store_points(connection, scheme, definition, period, kept, at)
        return self._status(scheme, definition, following or kept)

    def _store_points(self, connection, scheme: SchemeView, definition: SheetDefinition, period: Period,
                      sheet: Sheet, at: str) -> None:
        """The accepted sheet's points as events, one per unit and item, superseding those of
        the newest accepted version before it, and the unit-periods they change rescored —
        refused while the period (or one enclosing it) is frozen by review."""
        can_write = self.service.writable_periods(connection, scheme.code)
        closed = next((p for p in period.enclosing() if p.kind in SCORED_PERIOD_KINDS and not can_write(p)), None)
        if closed is not None:
            raise FailedPrecondition(f"period: {closed.text} is closed for review (locked, approved or published); "
                                     "reopen it before accepting the sheet, whose points would change it")
        before = self.repository.accepted_sheet_before(connection, sheet.key, sheet.version)
        earlier = {(r.unit_id, r.item): event_id(*sheet.key, before.version, r.unit_id, r.item)
                   for r in before.rows} if before else {}
        reported = _timestamp(at)
        rows = [{
            "event_id": event_id(*sheet.key, sheet.version, row.unit_id, row.item),
            "source": definition.source, "unit_id": row.unit_id, "person_id": "", "metric_code": definition.metric,
            "value": float(row.points), "measurement_unit": POINTS, "period": period.text,
            "period_start": period.start, "period_end": period.end, "observed_at": _timestamp(sheet.signed_at),
            "reported_at": reported, "revision_of": earlier.get((row.unit_id, row.item), ""),
            "evidence_ref": row.evidence_ref,
            "attributes_json": ATTRIBUTES_JSON.encode({
                "item": row.item, "sheet_version": str(sheet.version), "signed_by": sheet.signed_by,
                "digest": sheet.digest, "basis": row.basis}),
            "kafka_topic": "", "kafka_partition": 0, "kafka_offset": 0,
        } for row in sheet.rows]
        self.service.store_derived(connection, scheme.code, rows)
        self.service.rescore_in(connection, 10**9, scheme.code)

    # helpers -----------------------------------------------------------------
    def _sheet_of(self, scheme_code: str, indicator_code: str, period_text: str,
                  caller: Principal) -> tuple[SchemeView, SheetDefinition, Period]:
        _required(scheme_code=scheme_code, indicator_code=indicator_code, period=period_text)
        scheme = self.service.scheme(scheme_code)
        try:
            definition = sheets.definition(scheme, indicator_code)
            period = sheets.sheet_period(scheme, definition, period_text)
        except sheets.NotASheet as exc:
            raise InvalidArgument("indicator_code", str(exc)) from None
        except SheetInputError as exc:
            raise InvalidArgument(exc.field, exc.problem) from None
        if caller.role != "office" and caller.subject != definition.department:
            raise PermissionDenied(f"the sheet of {indicator_code} is {definition.department}'s; "
                                   f"{caller.name or 'this token'} is {caller.role} of {caller.subject or 'no department'}")
        return scheme, definition, period

    def _status(self, scheme: SchemeView, definition: SheetDefinition, sheet: Sheet) -> SheetStatus:
        due = sheets.due_date(scheme, definition, sheet.period)
        return SheetStatus(sheet, definition, due,
                           sheets.is_late(due, sheets.first_signed(sheet.history), self.clock().date()))


def _required(**fields: str) -> None:
    for name, value in fields.items():
        if not value:
            raise InvalidArgument(name, "is required")


def _decision(decision: str, choices: dict[str, bool]) -> bool:
    if decision not in choices:
        raise InvalidArgument("decision", f"must be {' or '.join(choices)}, not {decision!r}")
    return choices[decision]


def _timestamp(at: str) -> str:
    """An ISO time ('…Z') as stored events give their times (event_codec.timestamp_text)."""
    stamp = Timestamp()
    stamp.FromDatetime(datetime.fromisoformat(at.replace("Z", "+00:00")))
    return event_codec.timestamp_text(stamp)
