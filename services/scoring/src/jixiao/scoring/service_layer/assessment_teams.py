"""The assessment-team use cases (docs/assessment-teams.md): the office forms teams, locks
and changes the roster, closes units and reads leniency; assessors score their units on
site. The rules are domain/assessment_teams.py's.

Each change is one transaction: the round's roster and history, an assessor's entry, or —
when the office closes a unit — the closing, its events and the rescoring of the unit-periods
they change, stored together or not at all.

An assessor (role `assessor`) is their token's subject. What they score is kept per assessor
for the office; what becomes public (events, results, explanations) names them by roster
position only.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from fractions import Fraction

from google.protobuf.timestamp_pb2 import Timestamp

from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from jixiao_sdk.periods import Period

from ..adapters.assessment_repository import AssessmentRepository
from ..domain import assessment_teams as rules
from ..domain.assessment_teams import (
    AssessmentInputError,
    AssessmentStateError,
    Closing,
    Definition,
    Entry,
    Leniency,
    Round,
    ScoreRow,
    UnitState,
)
from ..domain.period_states import frozen_by
from ..domain.scheme_view import SchemeView
from .ingest import ATTRIBUTES_JSON
from .queries import SCORED_PERIOD_KINDS
from .scoring_service import ScoringService

#: The measurement unit of the events a closing gives.
POINTS = "points"


@dataclass(frozen=True)
class RoundStatus:
    """A round with what the scheme says of it, each unit's state, and whether its period is open."""

    definition: Definition
    round: Round
    units: tuple[UnitState, ...]
    period_open: bool


@dataclass(frozen=True)
class EntryStatus:
    definition: Definition
    round: Round
    entry: Entry
    team_code: str
    team_name: str
    position: int


@dataclass(frozen=True)
class Assignment:
    """An assessor's units in one round."""

    definition: Definition
    period: str
    team_code: str
    team_name: str
    position: int
    entries: tuple[Entry, ...]   # one per unit of the team, in the team's order


def event_id(scheme_code: str, indicator: str, period: str, closing: int, unit_id: str, position: int) -> str:
    """The id of the event of one assessor's total in one closing of a unit: `assessment-` and
    the first 40 hex digits of the SHA-256 of the JSON list of (scheme, indicator, period,
    closing, unit, position). The same closing always gives the same ids."""
    key = json.dumps([scheme_code, indicator, period, closing, unit_id, position], ensure_ascii=False)
    return "assessment-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


class AssessmentTeams:
    def __init__(self, service: ScoringService, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 repository: AssessmentRepository | None = None):
        self.service = service
        self.repository = repository or AssessmentRepository(service.repository.engine)
        self.unit_of_work = service.unit_of_work
        self.clock = clock

    def _now(self) -> str:
        return self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    # the office ------------------------------------------------------------------------------
    def get(self, scheme_code: str, indicator_code: str, period_text: str) -> RoundStatus:
        scheme, definition, period = self._round_of(scheme_code, indicator_code, period_text)
        current = self.repository.round(None, (scheme.code, indicator_code, period.text))
        return self._status(scheme, definition, period, current or Round(scheme.code, indicator_code, period.text))

    def set_team(self, scheme_code: str, indicator_code: str, period: str, team_code: str, name: str,
                 assessors: Sequence[str], units: Sequence[str], caller: Principal) -> RoundStatus:
        return self._change_round(scheme_code, indicator_code, period, lambda current, definition, at: rules.set_team(
            current, definition, team_code, name, list(assessors), list(units), caller.name, at))

    def lock(self, scheme_code: str, indicator_code: str, period: str, caller: Principal) -> RoundStatus:
        return self._change_round(scheme_code, indicator_code, period,
                                  lambda current, definition, at: rules.lock(current, caller.name, at))

    def replace(self, scheme_code: str, indicator_code: str, period: str, team_code: str, leaving: str,
                coming: str, reason: str, caller: Principal) -> RoundStatus:
        return self._change_round(scheme_code, indicator_code, period, lambda current, definition, at:
                                  rules.replace_assessor(current, team_code, leaving, coming, reason, caller.name, at))

    def close(self, scheme_code: str, indicator_code: str, period_text: str, unit_id: str,
              caller: Principal) -> RoundStatus:
        """Closes the unit's on-site scoring: its active assessors' submitted totals become one
        event each (by position), revising the latest closing's, and the unit is rescored."""
        scheme, definition, period = self._round_of(scheme_code, indicator_code, period_text)
        _required(unit_id=unit_id)
        key = (scheme.code, indicator_code, period.text)
        at = self._now()
        with self.unit_of_work.transaction() as connection:
            # before the round's lock, in the order ingest and rescoring take locks
            self.service.repository.lock_periods(connection, scheme.code, exclusive=False)
            self.repository.lock_round(connection, key)
            self._open(connection, scheme, period, "closing a unit's scoring")
            current = self.repository.round(connection, key) or Round(*key)
            if unit_id not in definition.units:
                raise InvalidArgument("unit_id", f"{unit_id!r} is not a unit assessed on {indicator_code}")
            latest = self.repository.latest_closings(connection, key).get(unit_id)
            state = rules.unit_state(current, definition, unit_id, self._entries(definition, connection, key, unit_id),
                                     latest)
            problem = rules.closing_problem(current, state)
            if problem is not None:
                raise FailedPrecondition(f"assessment of {indicator_code} for {period.text}: {problem}")
            closing = Closing(unit_id, (latest.closing if latest else 0) + 1, caller.name, at, state.counted)
            self.repository.add_closing(connection, key, closing)
            self.repository.add_history(connection, key, [rules.HistoryEntry(
                rules.CLOSE, caller.name, at, state.team.code, unit_id,
                detail=f"closing {closing.closing}: result {_text(state.result)} of {len(state.counted)} assessors")])
            self._store_totals(connection, scheme, definition, period, state, closing, latest, at)
        return self.get(scheme.code, indicator_code, period.text)

    def leniency(self, scheme_code: str, indicator_code: str, period_text: str) -> tuple[Definition, Round,
                                                                                            list[Leniency]]:
        """Each assessor's leniency over the round's submitted entries (every assessor who
        submitted, replaced ones included: their scores say how they score)."""
        scheme, definition, period = self._round_of(scheme_code, indicator_code, period_text)
        key = (scheme.code, indicator_code, period.text)
        current = self.repository.round(None, key) or Round(*key)
        totals = [(e.assessor, e.unit_id, e.total) for e in self._entries(definition, None, key)
                  if e.state == rules.SUBMITTED]
        return definition, current, rules.leniency(totals, definition.units)

    # the assessors ---------------------------------------------------------------------------
    def mine(self, scheme_code: str, period_text: str, caller: Principal) -> list[Assignment]:
        """The caller's units in every round of the scheme (of `period_text` when given) whose
        roster is locked and whose period is open."""
        scheme = self.service.scheme(_required(scheme_code=scheme_code))
        states = self.service.repository.period_states(None, scheme.code)
        closed = {p: row["state"] for p, row in states.items() if row["state"] != "open"}
        found = []
        for current in self.repository.rounds_of(None, scheme.code):
            if period_text and current.period != period_text:
                continue
            if current.state != rules.LOCKED or frozen_by(scheme.calendar.parse(current.period), closed):
                continue
            place = current.team_of_assessor(caller.subject)
            if place is None:
                continue
            try:
                definition = rules.definition(scheme, current.indicator_code)
            except rules.NotAnAssessment:
                continue  # the scheme's newer version no longer scores it on site
            team, member = place
            entries = {e.unit_id: e for e in self._entries(definition, None, current.key, assessor=caller.subject)}
            found.append(Assignment(definition, current.period, team.code, team.name, member.position,
                                    tuple(entries.get(u, Entry(u, caller.subject)) for u in team.units)))
        return found

    def entry(self, scheme_code: str, indicator_code: str, period_text: str, unit_id: str,
              caller: Principal) -> EntryStatus:
        scheme, definition, period = self._round_of(scheme_code, indicator_code, period_text)
        key = (scheme.code, indicator_code, period.text)
        current = self._may_score(self.repository.round(None, key) or Round(*key), definition, caller, unit_id)
        found = self._entries(definition, None, key, unit_id, caller.subject)
        return self._entry_status(definition, current, found[0] if found else Entry(unit_id, caller.subject),
                                  caller)

    def save(self, scheme_code: str, indicator_code: str, period: str, unit_id: str, rows: Sequence[ScoreRow],
             caller: Principal) -> EntryStatus:
        return self._change_entry(scheme_code, indicator_code, period, unit_id, caller,
                                  lambda entry, definition, at: rules.save(entry, definition, rows, at), True)

    def submit(self, scheme_code: str, indicator_code: str, period: str, unit_id: str,
               caller: Principal) -> EntryStatus:
        return self._change_entry(scheme_code, indicator_code, period, unit_id, caller,
                                  lambda entry, definition, at: rules.submit(entry, definition, at), False)

    # helpers ---------------------------------------------------------------------------------
    def _change_round(self, scheme_code: str, indicator_code: str, period_text: str,
                      step: Callable[[Round, Definition, str], Round]) -> RoundStatus:
        scheme, definition, period = self._round_of(scheme_code, indicator_code, period_text)
        key = (scheme.code, indicator_code, period.text)
        at = self._now()
        with self.unit_of_work.transaction() as connection:
            self.repository.lock_round(connection, key)
            self._open(connection, scheme, period, "changing the teams")
            current = self.repository.round(connection, key) or Round(*key)
            changed = _applied(step, current, definition, at, indicator_code, period.text)
            self.repository.save_round(connection, changed, len(current.history))
        return self.get(scheme.code, indicator_code, period.text)

    def _change_entry(self, scheme_code: str, indicator_code: str, period_text: str, unit_id: str,
                      caller: Principal, step: Callable[[Entry, Definition, str], Entry],
                      rows_changed: bool) -> EntryStatus:
        scheme, definition, period = self._round_of(scheme_code, indicator_code, period_text)
        _required(unit_id=unit_id)
        key = (scheme.code, indicator_code, period.text)
        at = self._now()
        with self.unit_of_work.transaction() as connection:
            self.repository.lock_round(connection, key)
            current = self._may_score(self.repository.round(connection, key) or Round(*key), definition, caller,
                                      unit_id)
            self._open(connection, scheme, period, "scoring")
            found = self._entries(definition, connection, key, unit_id, caller.subject)
            entry = found[0] if found else Entry(unit_id, caller.subject)
            changed = _applied(step, entry, definition, at, indicator_code, period.text)
            self.repository.save_entry(connection, key, changed, rows_changed)
            if changed.state == rules.SUBMITTED:
                self.repository.add_history(connection, key, [rules.HistoryEntry(
                    rules.SUBMIT, caller.name, at, current.team_of_assessor(caller.subject)[0].code, unit_id,
                    detail=f"total {_text(changed.total)}")])
        return self._entry_status(definition, current, changed, caller)

    def _entries(self, definition: Definition, connection, key, unit_id: str | None = None,
                 assessor: str | None = None) -> list[Entry]:
        """The stored entries with their rows in the scheme's order of items."""
        order = {i.code: n for n, i in enumerate(definition.items)}
        return [replace(e, rows=tuple(sorted(e.rows, key=lambda r: order.get(r.item, len(order)))))
                for e in self.repository.entries(connection, key, unit_id, assessor)]

    def _may_score(self, current: Round, definition: Definition, caller: Principal, unit_id: str) -> Round:
        if unit_id not in definition.units:
            raise InvalidArgument("unit_id", f"{unit_id!r} is not a unit assessed on {definition.indicator_code}"
                                  if unit_id else "is required")
        problem = rules.scoring_problem(current, definition, caller.subject, unit_id)
        if problem is None:
            return current
        if current.state != rules.LOCKED:
            raise FailedPrecondition(f"assessment of {definition.indicator_code} for {current.period}: {problem}")
        raise PermissionDenied(problem)

    def _open(self, connection, scheme: SchemeView, period: Period, doing: str) -> None:
        """FAILED_PRECONDITION while the period, or one enclosing it, is locked, approved or published."""
        can_write = self.service.writable_periods(connection, scheme.code)
        closed = next((p for p in period.enclosing() if p.kind in SCORED_PERIOD_KINDS and not can_write(p)), None)
        if closed is not None:
            raise FailedPrecondition(f"period: {closed.text} is closed for review (locked, approved or published); "
                                     f"reopen it before {doing}")

    def _round_of(self, scheme_code: str, indicator_code: str, period_text: str
                  ) -> tuple[SchemeView, Definition, Period]:
        _required(scheme_code=scheme_code, indicator_code=indicator_code, period=period_text)
        scheme = self.service.scheme(scheme_code)
        try:
            definition = rules.definition(scheme, indicator_code)
            period = rules.round_period(scheme, indicator_code, period_text)
        except rules.NotAnAssessment as exc:
            raise InvalidArgument("indicator_code", str(exc)) from None
        except AssessmentInputError as exc:
            raise InvalidArgument(exc.field, exc.problem) from None
        return scheme, definition, period

    def _status(self, scheme: SchemeView, definition: Definition, period: Period, current: Round) -> RoundStatus:
        key = current.key
        entries = self._entries(definition, None, key)
        latest = self.repository.latest_closings(None, key)
        units = tuple(rules.unit_state(current, definition, unit_id, entries, latest.get(unit_id))
                      for unit_id in definition.units)
        states = self.service.repository.period_states(None, scheme.code)
        closed = {p: row["state"] for p, row in states.items() if row["state"] != "open"}
        return RoundStatus(definition, current, units, frozen_by(period, closed) is None)

    def _entry_status(self, definition: Definition, current: Round, entry: Entry, caller: Principal) -> EntryStatus:
        team, member = current.team_of_assessor(caller.subject)
        return EntryStatus(definition, current, entry, team.code, team.name, member.position)

    def _store_totals(self, connection, scheme: SchemeView, definition: Definition, period: Period, state: UnitState,
                      closing: Closing, latest: Closing | None, at: str) -> None:
        """One event per counted assessor (by position, never by code), revising the latest
        closing's event of the same position; the unit-periods they change rescored."""
        key = (scheme.code, definition.indicator_code, period.text)
        earlier = {p for p, _, _ in latest.counted} if latest else set()
        entries = {m.assessor: e for m, e in state.scores}
        stamp = _timestamp(at)
        rows = []
        for position, assessor, total in closing.counted:
            entry = entries[assessor]
            rows.append({
                "event_id": event_id(*key, closing.closing, state.unit_id, position),
                "source": definition.source, "unit_id": state.unit_id, "person_id": "",
                "metric_code": definition.metric, "value": float(total), "measurement_unit": POINTS,
                "period": period.text, "period_start": period.start, "period_end": period.end,
                "observed_at": _timestamp(entry.submitted_at), "reported_at": stamp,
                "revision_of": event_id(*key, latest.closing, state.unit_id, position) if position in earlier else "",
                "evidence_ref": "",
                "attributes_json": ATTRIBUTES_JSON.encode({
                    "position": str(position), "closing": str(closing.closing), "team": state.team.name,
                    "items": ";".join(f"{r.item}={r.points:g}" for r in entry.rows)}),
                "kafka_topic": "", "kafka_partition": 0, "kafka_offset": 0,
            })
        self.service.store_derived(connection, scheme.code, rows)
        self.service.rescore_in(connection, 10**9, scheme.code)


def _applied(step, current, definition: Definition, at: str, indicator_code: str, period: str):
    try:
        return step(current, definition, at)
    except AssessmentInputError as exc:
        raise InvalidArgument(exc.field, exc.problem) from None
    except AssessmentStateError as exc:
        raise FailedPrecondition(f"assessment of {indicator_code} for {period}: {exc}") from None


def _required(**fields: str) -> str:
    for name, value in fields.items():
        if not value:
            raise InvalidArgument(name, "is required")
    return next(iter(fields.values()))


def _text(value: Fraction | None) -> str:
    return "-" if value is None else f"{float(value):.2f}"


def _timestamp(at: str) -> str:
    """An ISO time ('…Z') as stored events give their times (event_codec.timestamp_text)."""
    stamp = Timestamp()
    stamp.FromDatetime(datetime.fromisoformat(at.replace("Z", "+00:00")))
    return event_codec.timestamp_text(stamp)
