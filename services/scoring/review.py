"""The review use cases: period states (lock, approve, publish, reopen), the
retrospective recheck of a period, and units' self-evaluations.

Every action is recorded in `scoring_period_actions` with who, when, why and
the digest of the period's results at that moment.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from jixiao.common.periods import Period

from .domain import review
from .domain.scheme_view import SchemeView
from .service import ScoringService, Writable

MAX_DIFFERENCES = 20
MAX_SUMMARY = 20_000
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

    # states ---------------------------------------------------------------
    def state(self, scheme_code: str, period: str) -> str:
        row = self.repository.period_states(None, scheme_code).get(period)
        return row["state"] if row else review.OPEN

    def periods(self, scheme_code: str, state: str | None = None) -> list[dict]:
        """Every period with scores or a review state, newest (then longest) first."""
        self.service.scheme(scheme_code)
        stored = self.repository.period_states(None, scheme_code)
        texts = set(stored) | set(self.repository.scored_periods(scheme_code))
        rows = [stored.get(text) or _open_row(scheme_code, text) for text in texts]
        if state:
            rows = [row for row in rows if row["state"] == state]
        periods = {row["period"]: review.reviewable(row["period"]) for row in rows}
        return sorted(rows, key=lambda row: (periods[row["period"]].end, periods[row["period"]].end - periods[row["period"]].start),
                      reverse=True)

    def act(self, action: str, scheme_code: str, period_text: str, principal: Principal, reason: str = "") -> dict:
        """Moves a period to its next state (see domain.review); returns the new state row."""
        scheme = self.service.scheme(scheme_code)
        period = self._period_of(scheme, period_text)
        with self.service.writing, self.service.engine.begin() as connection:
            self.repository.lock_periods(connection, scheme.code, exclusive=True)
            before = self.repository.period_states(connection, scheme.code).get(period.text) or _open_row(scheme.code, period.text)
            step = review.plan(action, period.text, before["state"], reason)
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

    # recheck --------------------------------------------------------------
    def recheck(self, scheme_code: str, period_text: str) -> Recheck:
        """Recomputes a period from its stored events, inside a transaction
        that is rolled back, and compares with what is stored."""
        scheme = self.service.scheme(scheme_code)
        period = self._period_of(scheme, period_text)
        only = Writable.only(period)
        self.service.rescore_pending(scheme_code=scheme.code)
        with self.service.writing, self.service.engine.connect() as connection:
            transaction = connection.begin()
            try:
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
            finally:
                transaction.rollback()
        state = self.repository.period_states(None, scheme.code).get(period.text)
        stored_digest = state["result_digest"] if state and state["state"] != review.OPEN else results_digest(stored)
        recomputed_digest = results_digest(recomputed)
        differences = _differences(stored, recomputed)
        if stored_digest != results_digest(stored):
            differences.insert(0, f"stored results changed since the period was locked (digest {stored_digest[:12]})")
        return Recheck(identical=not differences and stored_digest == recomputed_digest,
                       compared=sum(len(rows) for rows in stored.values()), differences=tuple(differences[:MAX_DIFFERENCES]),
                       stored_digest=stored_digest, recomputed_digest=recomputed_digest)

    # self-evaluation --------------------------------------------------------
    def submit_self_evaluation(self, scheme_code: str, unit_id: str, period_text: str, total: float, summary: str,
                               principal: Principal) -> dict:
        scheme = self.service.scheme(scheme_code)
        if unit_id not in scheme.units:
            raise InvalidArgument("unit_id", f"{unit_id!r} is not a unit of scheme {scheme.code}")
        if principal.role != "office" and principal.subject != unit_id:
            raise PermissionDenied(f"{principal.name or 'this token'} may submit the self-evaluation of "
                                   f"{principal.subject or 'no unit'} only, not of {unit_id}")
        period = self._period_of(scheme, period_text)
        ceiling = self._ceiling(scheme, unit_id)
        if not math.isfinite(total) or not 0.0 <= total <= ceiling:
            raise InvalidArgument("total", f"must be between 0 and {ceiling:g} (the most unit {unit_id} can score)")
        if len(summary) > MAX_SUMMARY:
            raise InvalidArgument("summary", f"must be at most {MAX_SUMMARY:,} characters")
        row = {"scheme_code": scheme.code, "unit_id": unit_id, "period": period.text, "total": total,
               "summary": summary, "submitted_by": principal.name or principal.role, "submitted_at": now()}
        with self.service.writing, self.service.engine.begin() as connection:
            self.repository.lock_periods(connection, scheme.code, exclusive=False)
            closed = self.service.writable_periods(connection, scheme.code)
            if not closed(period):
                raise FailedPrecondition(f"period {period.text} is closed for review; a self-evaluation can no longer change")
            self.repository.save_self_evaluation(connection, row)
        return row

    # helpers --------------------------------------------------------------
    def _period_of(self, scheme: SchemeView, text: str) -> Period:
        if not text:
            raise InvalidArgument("period", "is required")
        period = review.reviewable(text)
        if period.year != scheme.year:
            raise InvalidArgument("period", f"{text} is outside scheme {scheme.code}'s year {scheme.year}")
        return period

    def _scheme_version(self, current: SchemeView, version: int) -> SchemeView:
        if version == current.version:
            return current
        document = self.repository.scheme_document(current.code, version)
        return SchemeView(document, version) if document is not None else current

    def _ceiling(self, scheme: SchemeView, unit_id: str) -> float:
        """100 for the weighted dimensions, plus the additive dimensions' assigned maxima."""
        additive = {d.code for d in scheme.dimensions if d.additive}
        return 100.0 + sum(a.max_points for a in scheme.assignments_for(unit_id) if a.dimension in additive and a.max_points > 0)


def _open_row(scheme_code: str, period: str) -> dict:
    return {"scheme_code": scheme_code, "period": period, "state": review.OPEN, "locked_by": "", "locked_at": "",
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
