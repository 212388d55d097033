"""The review use cases: period states (lock, approve, publish, reopen), the
retrospective recheck of a period, and the office's resolutions of ties at grade
boundaries. (Units' self-evaluations and work reports: self_assessment.py.)

Every action is recorded in `scoring_period_actions` with who, when, why and
the digest of the period's results at that moment. A tie's resolution is
stored, append-only, in `scoring_tie_resolutions` (the decision as given — the
order, or the grade of each tied id —, the grades it gives, which are the tie's
places when it was resolved, who, when, why) and recorded as the action
`resolve_tie`.
Publishing is refused while a rule grading the period has a boundary tie the
office has not resolved, and while a high-severity finding of the anomaly checks
about the period is still open (findings_review.py), unless the office overrides that
with a reason, which the publish action's reason records.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument
from jixiao_sdk.periods import Calendar, Period

from ..domain import period_states
from ..domain.grading import (
    BoundaryTie,
    GradedEntry,
    TieResolution,
    boundary_ties,
    grade_pool,
    not_graded_reason,
    stored_resolutions,
)
from ..domain.period_states import Writable
from ..domain.scheme_view import SchemeView
from .findings_review import FindingsReview, describe
from .scoring_service import ScoringService

MAX_DIFFERENCES = 20
MAX_REASON = 2_000
_WHO = {"lock": "locked", "approve": "approved", "publish": "published"}


@dataclass(frozen=True)
class Recheck:
    identical: bool
    compared: int
    differences: tuple[str, ...]
    stored_digest: str
    recomputed_digest: str


def results_digest(results: dict[str, list[dict]]) -> str:
    """SHA-256 over a period's stored results, in their stable order."""
    canonical = json.dumps(results, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class PeriodReview:
    def __init__(self, service: ScoringService):
        self.service = service
        self.repository = service.repository
        self.unit_of_work = service.unit_of_work
        self.findings = FindingsReview(service)

    # states ---------------------------------------------------------------
    def state(self, scheme_code: str, period: str) -> str:
        row = self.repository.period_states(None, scheme_code).get(period)
        return row["state"] if row else period_states.OPEN

    def periods(self, scheme_code: str, state: str | None = None) -> list[dict]:
        """Every period with scores or a review state, newest (then longest) first."""
        calendar = self.service.scheme(scheme_code).calendar
        stored = self.repository.period_states(None, scheme_code)
        texts = set(stored) | set(self.repository.scored_periods(scheme_code))
        rows = [stored.get(text) or _open_row(scheme_code, text) for text in texts]
        if state:
            rows = [row for row in rows if row["state"] == state]
        periods = {row["period"]: _reviewable(row["period"], calendar) for row in rows}
        return sorted(rows, key=lambda row: (periods[row["period"]].end, periods[row["period"]].end - periods[row["period"]].start),
                      reverse=True)

    def act(self, action: str, scheme_code: str, period_text: str, principal: Principal, reason: str = "",
            override_findings_reason: str = "") -> dict:
        """Moves a period to its next state (see domain/period_states.py); returns the new state row.
        Publishing refreshes the findings first and is refused while a high one about the
        period is open, unless `override_findings_reason` says why it is published anyway."""
        scheme = self.service.scheme(scheme_code)
        period = self.period_of(scheme, period_text)
        override = override_findings_reason.strip()
        if override and action != "publish":
            raise InvalidArgument("override_findings_reason", "is for publishing only")
        if len(override) > MAX_REASON:
            raise InvalidArgument("override_findings_reason", f"must be at most {MAX_REASON:,} characters")
        if action == "publish" and self.state(scheme.code, period.text) == period_states.APPROVED:
            self.findings.refresh_before_publishing(scheme.code)  # what is stored now, before the gate reads it
        with self.unit_of_work.transaction() as connection:
            self.repository.lock_periods(connection, scheme.code, exclusive=True)
            before = self.repository.period_states(connection, scheme.code).get(period.text) or _open_row(scheme.code, period.text)
            with _review_rules():
                step = period_states.plan(action, period.text, before["state"], reason, scheme.calendar,
                                          actor=principal.name or principal.role, locked_by=before["locked_by"],
                                          separate_duties=scheme.separate_duties)
            if action == "publish":
                self._refuse_pending_ties(scheme, period)
                reason = self._gate_findings(scheme, period, reason, override)
            if action == "lock":  # what was stored before the lock is scored before the digest
                self.service.rescore_in(connection, 10**9, scheme.code)
            digest = results_digest(self.repository.period_results(connection, scheme.code, period.text))
            if action in ("approve", "publish") and before["result_digest"] and digest != before["result_digest"]:
                raise FailedPrecondition(f"period {period.text}: results changed since it was locked "
                                         f"({before['result_digest'][:12]} → {digest[:12]}); reopen and lock it again")
            at, actor = now(), principal.name or principal.role
            row = _open_row(scheme.code, period.text) if action == "reopen" else dict(before)
            row.update(state=step.after, reason=reason, result_digest=digest)
            if action in _WHO:
                row[f"{_WHO[action]}_by"], row[f"{_WHO[action]}_at"] = actor, at
            self.repository.save_period_state(connection, row, {
                "scheme_code": scheme.code, "period": period.text, "action": action, "state_before": step.before,
                "state_after": step.after, "actor": actor, "at": at, "reason": reason, "result_digest": digest,
            })
        return row

    # ties at grade boundaries -------------------------------------------------
    def pending_ties(self, scheme: SchemeView, period: Period) -> list[tuple[str, BoundaryTie]]:
        """(grading code, tie) of every boundary tie not resolved, of the rules grading the period."""
        found = []
        for document in scheme.document.get("grading", []):
            try:
                rule = self.service.grading_rule(scheme, str(document.get("code", "")))
            except FailedPrecondition:  # a rule scoring cannot apply has no grades, and no ties
                continue
            if rule.grades_period(period.kind):
                _, _, graded = self.service.grades(scheme.code, rule.code, period.text)
                found += [(rule.code, tie) for tie in boundary_ties(graded) if not tie.resolved]
        return found

    def _refuse_pending_ties(self, scheme: SchemeView, period: Period) -> None:
        pending = self.pending_ties(scheme, period)
        if pending:
            listed = "; ".join(f"grading rule {code!r}: {_ids(tie.ids)} tied at {tie.total:g} "
                               f"for grades {'/'.join(map(str, tie.grades))}" for code, tie in pending)
            raise FailedPrecondition(f"period {period.text} has boundary ties the office has not resolved ({listed}); "
                                     "resolve them (ResolveGradeTie) before publishing")

    # findings (疑点) ------------------------------------------------------------
    def _gate_findings(self, scheme: SchemeView, period: Period, reason: str, override: str) -> str:
        """Refuses to publish while high findings about the period are open, unless
        overridden; returns the publish action's reason (with the override, when used)."""
        pending = self.findings.open_high(scheme, period)
        if not pending:
            return reason
        if not override:
            raise FailedPrecondition(
                f"period {period.text} has {len(pending)} open high-severity finding{'s' if len(pending) > 1 else ''} "
                f"(疑点) the office has not reviewed: {describe(pending)}; mark them (MarkFinding) or publish with "
                "override_findings_reason")
        overridden = (f"published with {len(pending)} open high-severity finding{'s' if len(pending) > 1 else ''} "
                      f"({', '.join(row['finding_key'] for row in pending[:20])}"
                      f"{', …' if len(pending) > 20 else ''}): {override}")
        return f"{reason}; {overridden}" if reason.strip() else overridden

    def resolve_tie(self, scheme_code: str, grading_code: str, period_text: str, order: list[str],
                    grades: dict[str, int], reason: str, principal: Principal) -> tuple[BoundaryTie, tuple[GradedEntry, ...]]:
        """The office decides a boundary tie: the tied ids in order, best first, or
        the grade of each (which must fill the tie's places exactly). Returns the
        tie as resolved and the tied entries' grades."""
        scheme = self.service.scheme(scheme_code)
        period = self.period_of(scheme, period_text)
        rule = self.service.grading_rule(scheme, grading_code)
        if not rule.grades_period(period.kind):
            raise FailedPrecondition(f"grading rule {rule.code!r} gives no grades in {period.text}: "
                                     f"{not_graded_reason(rule, period.kind)[1]}")
        if not reason.strip():
            raise InvalidArgument("reason", "is required: why the office decides the tie so")
        if len(reason) > MAX_REASON:
            raise InvalidArgument("reason", f"must be at most {MAX_REASON:,} characters")
        if bool(order) == bool(grades):
            raise InvalidArgument("order", "give either the order of the tied ids or the grade of each, not both")
        named = list(order) or sorted(grades)
        if len(set(named)) != len(named):
            raise InvalidArgument("order", "names an id twice")
        if self.state(scheme.code, period.text) == period_states.PUBLISHED:
            raise FailedPrecondition(f"period {period.text} is published; its grades are final")
        entries = self.service.grade_entries(scheme, rule, period.text)
        resolutions = stored_resolutions(self.repository.tie_resolutions(scheme.code, rule.code, period.text))
        ties = boundary_ties(grade_pool(rule, entries, resolutions))
        tie = next((t for t in ties if set(t.ids) == set(named)), None)
        if tie is None:
            listed = "; ".join(_ids(t.ids) for t in ties) or "none"
            raise InvalidArgument("order", f"{_ids(tuple(sorted(named)))} are not a boundary tie of grading rule "
                                           f"{rule.code!r} in {period.text} (its boundary ties: {listed})")
        places = ", ".join(f"{n} of grade {g}" for g, n in zip(tie.grades, tie.slots, strict=True))
        if grades and (any(g not in tie.grades for g in grades.values()) or
                       [sum(1 for g in grades.values() if g == grade) for grade in tie.grades] != list(tie.slots)):
            raise InvalidArgument("grades", f"the tie's places are {places}; the grades given do not fill them")
        # the decision as given (grades stay grades), with the tie's places as they are now
        decision = TieResolution(tuple(order), tie.total, reason, principal.name or principal.role, now(),
                                 tie.grades, tie.slots, grades)
        graded = {g.id: g for g in grade_pool(rule, entries, [*resolutions, decision])}
        if graded[tie.ids[0]].tie is None or graded[tie.ids[0]].tie.resolution != decision:
            raise InvalidArgument("grades" if grades else "order",
                                  f"no order of the tie gives these grades (a veto caps some of them); its places are {places}"
                                  if grades else f"this order does not fill the tie's places ({places}): a veto caps some of them")
        row = {"scheme_code": scheme.code, "grading_code": rule.code, "period": period.text, "total": tie.total,
               "tied_ids": list(tie.ids), "order": list(order), "grades": {i: graded[i].grade for i in tie.ids},
               "reason": reason, "actor": decision.by, "at": decision.at}
        shown = ", ".join(f"{i} {g}" for i, g in sorted(grades.items(), key=lambda ig: (ig[1], ig[0]))) \
            if grades else _ids(tuple(order))
        with self.unit_of_work.transaction() as connection:
            self.repository.lock_periods(connection, scheme.code, exclusive=True)
            state = self.repository.period_states(connection, scheme.code).get(period.text) or _open_row(scheme.code, period.text)
            if state["state"] == period_states.PUBLISHED:
                raise FailedPrecondition(f"period {period.text} is published; its grades are final")
            self.repository.add_tie_resolution(connection, row)
            digest = results_digest(self.repository.period_results(connection, scheme.code, period.text))
            self.repository.save_period_action(connection, {
                "scheme_code": scheme.code, "period": period.text, "action": "resolve_tie",
                "state_before": state["state"], "state_after": state["state"], "actor": decision.by, "at": decision.at,
                "reason": f"{rule.code}: {shown} (tied at {tie.total:g}): {reason}", "result_digest": digest,
            })
        resolved = tuple(graded[i] for i in (order or sorted(grades, key=lambda i: (grades[i], i))))
        return resolved[0].tie, resolved

    # recheck --------------------------------------------------------------
    def recheck(self, scheme_code: str, period_text: str) -> Recheck:
        """Recomputes a period from its stored events, inside a transaction
        that is rolled back, and compares with what is stored."""
        scheme = self.service.scheme(scheme_code)
        period = self.period_of(scheme, period_text)
        only = Writable.only(period)
        self.service.rescore_pending(scheme_code=scheme.code)
        with self.unit_of_work.rolled_back() as connection:
            stored = self.repository.period_results(connection, scheme.code, period.text)
            versions = {row["unit_id"]: row["scheme_version"] for row in stored["unit_scores"]}
            units = set(versions) | {u for u in self.repository.units_with_events(connection, period.start, period.end)
                                     if u in scheme.units}
            self.repository.lock_units(connection, (f"{scheme.code}/{unit}" for unit in units))
            for unit_id in sorted(units):
                used = self._scheme_version(scheme, versions.get(unit_id, scheme.version))
                rescored = self.service.recompute_unit(connection, used, unit_id, None, only)
                self.service.recompute_persons(connection, used, unit_id, rescored, None, only)
            recomputed = self.repository.period_results(connection, scheme.code, period.text)
        state = self.repository.period_states(None, scheme.code).get(period.text)
        stored_digest = state["result_digest"] if state and state["state"] != period_states.OPEN else results_digest(stored)
        recomputed_digest = results_digest(recomputed)
        differences = _differences(stored, recomputed)
        if stored_digest != results_digest(stored):
            differences.insert(0, f"stored results changed since the period was locked (digest {stored_digest[:12]})")
        return Recheck(identical=not differences and stored_digest == recomputed_digest,
                       compared=sum(len(rows) for rows in stored.values()), differences=tuple(differences[:MAX_DIFFERENCES]),
                       stored_digest=stored_digest, recomputed_digest=recomputed_digest)

    # helpers --------------------------------------------------------------
    def period_of(self, scheme: SchemeView, text: str) -> Period:
        if not text:
            raise InvalidArgument("period", "is required")
        period = _reviewable(text, scheme.calendar)
        if period.year != scheme.year:
            raise InvalidArgument("period", f"{text} is outside scheme {scheme.code}'s year {scheme.year}")
        return period

    def _scheme_version(self, current: SchemeView, version: int) -> SchemeView:
        return self.service.scheme_at(current.code, version)

    def unit_ceiling(self, scheme: SchemeView, unit_id: str) -> float:
        """100 for the weighted dimensions, plus the additive dimensions' assigned maxima."""
        additive = {d.code for d in scheme.dimensions if d.additive}
        return 100.0 + sum(a.max_points for a in scheme.assignments_for(unit_id) if a.dimension in additive and a.max_points > 0)


def _ids(ids: tuple[str, ...], shown: int = 20) -> str:
    """The ids of a tie, the first `shown` of a large one and how many in all."""
    return ", ".join(ids) if len(ids) <= shown else f"{', '.join(ids[:shown])} … ({len(ids)} in all)"


def _open_row(scheme_code: str, period: str) -> dict:
    return {"scheme_code": scheme_code, "period": period, "state": period_states.OPEN, "locked_by": "", "locked_at": "",
            "approved_by": "", "approved_at": "", "published_by": "", "published_at": "", "reason": "", "result_digest": ""}


def _differences(stored: dict[str, list[dict]], recomputed: dict[str, list[dict]]) -> list[str]:
    keys = {"indicator_results": ("unit_id", "indicator_code"), "unit_scores": ("unit_id",), "person_scores": ("person_id",)}
    found: list[str] = []
    for table, key in keys.items():
        before = {tuple(row[k] for k in key): row for row in stored[table]}
        after = {tuple(row[k] for k in key): row for row in recomputed[table]}
        for ident in sorted(set(before) | set(after)):
            name = f"{table} {'/'.join(ident)}"
            if ident not in after:
                found.append(f"{name}: stored but not recomputed")
            elif ident not in before:
                found.append(f"{name}: recomputed but not stored")
            else:
                found += [f"{name}: {column} {before[ident][column]!r} != {after[ident][column]!r}"
                          for column in sorted(before[ident]) if before[ident][column] != after[ident][column]]
    return found


def _reviewable(text: str, calendar: Calendar) -> Period:
    """`period_states.reviewable`, a refusal answered as INVALID_ARGUMENT."""
    with _review_rules():
        return period_states.reviewable(text, calendar)


@contextmanager
def _review_rules() -> Iterator[None]:
    """A request the review rules refuse (period_states.Refused) as the caller's error:
    INVALID_ARGUMENT naming the field, FAILED_PRECONDITION when the period's state forbids it."""
    try:
        yield
    except period_states.Refused as exc:
        if exc.field:
            raise InvalidArgument(exc.field, exc.problem) from None
        raise FailedPrecondition(exc.problem) from None
