"""The office's review of the anomaly checks' findings (疑点复核): suspicious reports
are caught, not silently scored.

A refresh runs the checks (domain/anomalies.py) over the figures stored for a
scheme's year — every unit-level event, superseded originals included, for the
checks read the revisions themselves — with the scheme's validation rules and
categories, and keeps the findings in `scoring_findings`, each by its **key**:
a digest of its kind, unit (and the other unit of copied figures), metric,
period (to the last of a run), source, rule and the ids of the events it rests
on — except a Benford finding, keyed by its source and year alone: its evidence
is every amount of the year, which grows each month. A refresh upserts by key: a
finding found again keeps the office's review and gets the new severity, message,
numbers and evidence; a new one is `open`; one no longer found stays, flagged
(`found_now` false). Evidence that changes (a revision, another event in the
cell) is a new key, to be reviewed anew.

Findings are refreshed as events are stored (`FindingsWatch` in
entrypoints/findings_watch.py: once the consumer has caught up and the rescorer
has scored what it stored, at most every `JIXIAO_FINDINGS_REFRESH_SECONDS`),
when the office lists them and events were stored (or the scheme changed) since
this process last refreshed, and before a period is published: always with
PostgreSQL, where several scoring processes store events; with SQLite, whose one
scoring process counts what it stores, when that changed since its last refresh
(the same findings). Each refresh also keeps
the status of every Benford test (`benford_tests`), "not enough data" included.

The office marks a finding `confirmed` (a real problem), `explained` (the unit
or the feed explained it) or `false_alarm`; the last two need a comment. Every
mark is appended to `scoring_finding_marks` with who and when.

Publishing a period is refused while a high-severity finding about it — its
period, or for a run of months one of them, lies inside the period — is still
`open` (period_review.PeriodReview.act), unless the office publishes with a
reason to override, which the period's audit trail keeps.
"""
from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from jixiao_sdk.periods import Calendar, Period, PeriodError

from ..domain import anomalies
from ..domain.scheme_view import SchemeView
from .scoring_service import ScoringService

OPEN, CONFIRMED, EXPLAINED, FALSE_ALARM = "open", "confirmed", "explained", "false_alarm"
STATES = (OPEN, CONFIRMED, EXPLAINED, FALSE_ALARM)
#: The states the office marks a finding with; those that need a comment.
MARKS = (CONFIRMED, EXPLAINED, FALSE_ALARM)
NEEDS_COMMENT = frozenset({EXPLAINED, FALSE_ALARM})
SEVERITIES = anomalies.SEVERITIES  # low, medium, high
MAX_COMMENT = 2_000
KEY_LENGTH = 32  # hex digits of the key (128 bits of SHA-256)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: Kinds whose finding is about a whole set that grows as figures arrive (every amount of a
#: source's year): keyed without their evidence, so a review survives the next month's amounts.
KEYED_WITHOUT_EVIDENCE = frozenset({"benford"})


def finding_key(finding: anomalies.Finding) -> str:
    """The stable key of a finding: what it is about and the events it rests on
    (a Benford finding: its source and year only)."""
    evidence = () if finding.kind in KEYED_WITHOUT_EVIDENCE else sorted(set(finding.evidence))
    parts = [finding.kind, finding.unit_id, finding.other_unit_id, finding.metric, finding.period, finding.period_to,
             finding.source, finding.rule, *evidence]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:KEY_LENGTH]


def finding_row(scheme_code: str, finding: anomalies.Finding, at: str) -> dict:
    """A finding as stored when first found: open, not marked."""
    return {
        "scheme_code": scheme_code, "finding_key": finding_key(finding), "period": finding.period,
        "period_to": finding.period_to, "kind": finding.kind, "severity": finding.severity, "unit_id": finding.unit_id,
        "other_unit_id": finding.other_unit_id, "metric_code": finding.metric, "source": finding.source,
        "rule": finding.rule, "message_zh": finding.message_zh, "message_en": finding.message_en,
        "evidence": sorted(set(finding.evidence)),
        # numbers as JSON can hold: finite ones only
        "numbers": {k: float(v) for k, v in sorted(finding.numbers.items())
                    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)},
        "state": OPEN, "comment": "", "marked_by": "", "marked_at": "", "first_found_at": at, "last_found_at": at,
        "found_now": True,
    }


def pieces(row: dict, calendar: Calendar) -> list[Period]:
    """The periods a finding is about: its period, or every month of a run (period to period_to)."""
    try:
        first = calendar.parse(row["period"])
        if not row.get("period_to"):
            return [first]
        last = calendar.parse(row["period_to"])
    except PeriodError:
        return []
    found, month = [], calendar.containing(first.start, "month")
    while month.start <= last.end:
        found.append(month)
        month = calendar.containing(month.day_after, "month")
    return found


def about(row: dict, period: Period, calendar: Calendar) -> bool:
    """Whether a finding is about `period`: its period (a month of its run) lies inside it.
    A year's Benford finding is about the year, not about its quarters."""
    return any(period.contains(piece) for piece in pieces(row, calendar))


@dataclass(frozen=True)
class Refresh:
    """What a refresh did: findings found now, new ones, and ones no longer found."""

    found: int
    new: int
    gone: int
    at: str


class FindingsReview:
    """Refreshes, lists and marks a scheme's findings; the publish gate's question."""

    def __init__(self, service: ScoringService):
        self.service = service
        self.repository = service.repository
        self.unit_of_work = service.unit_of_work
        self._lock = threading.Lock()
        # scheme code → (its batches written, scheme version) at this process's last refresh, and when
        self._refreshed: dict[str, tuple[tuple[int, int], str]] = {}
        # scheme code → the Benford tests of its last refresh in this process
        self._benford: dict[str, tuple[anomalies.BenfordTest, ...]] = {}

    # refresh ----------------------------------------------------------------
    def refresh(self, scheme_code: str) -> Refresh:
        """Runs the anomaly checks over the scheme year's stored figures and upserts the findings."""
        scheme = self.service.scheme(scheme_code)
        with self._lock:
            marker = self._marker(scheme)
            report = self._check(scheme)
            at = now()
            by_key: dict[str, dict] = {}
            for finding in report.findings:
                row = finding_row(scheme.code, finding, at)
                by_key.setdefault(row["finding_key"], row)
            with self.unit_of_work.transaction() as connection:
                self.repository.lock_findings(connection, scheme.code)
                stored = {row["finding_key"]: row for row in self.repository.findings(connection, scheme.code)}
                new = [row for key, row in by_key.items() if key not in stored]
                again = [{**row, "first_found_at": stored[key]["first_found_at"]}
                         for key, row in by_key.items() if key in stored]
                gone = sorted(key for key, row in stored.items() if key not in by_key and row["found_now"])
                self.repository.add_findings(connection, new)
                self.repository.update_findings(connection, again)
                self.repository.set_findings_gone(connection, scheme.code, gone)
            self._refreshed[scheme.code] = (marker, at)
            self._benford[scheme.code] = report.benford
        return Refresh(found=len(by_key), new=len(new), gone=len(gone), at=at)

    def benford_tests(self, scheme_code: str) -> tuple[anomalies.BenfordTest, ...]:
        """The Benford tests of the scheme's latest refresh (refreshed first when stale):
        one per source and year, whatever their outcome."""
        code = self.service.scheme(scheme_code).code
        self.refresh_if_stale(code)
        return self._benford.get(code, ())

    def refresh_if_stale(self, scheme_code: str) -> str:
        """Refreshes unless nothing was stored and the scheme did not change since this
        process last refreshed; returns when the findings were last refreshed."""
        scheme = self.service.scheme(scheme_code)
        last = self._refreshed.get(scheme.code)
        if self.stale(scheme):
            return self.refresh(scheme.code).at
        return last[1]

    def stale(self, scheme: SchemeView) -> bool:
        """Whether this process stored events of the scheme's year (or adopted another
        version of it) since it last refreshed its findings, or never refreshed them."""
        last = self._refreshed.get(scheme.code)
        return last is None or last[0] != self._marker(scheme)

    def _marker(self, scheme: SchemeView) -> tuple[int, int]:
        return self.service.writes_by_scheme.get(scheme.code, 0), scheme.version

    def refresh_before_publishing(self, scheme_code: str) -> str:
        """Brings the findings up to date before a period is published: always with
        PostgreSQL (other scoring processes may have stored events), with SQLite's single
        scoring process when it stored events (or adopted a scheme version) since its last
        refresh — the same findings either way, the checks being a function of the stored
        events and the scheme. Returns when they were last refreshed."""
        if self.service.engine.dialect.name == "sqlite":
            return self.refresh_if_stale(scheme_code)
        return self.refresh(scheme_code).at

    def _check(self, scheme: SchemeView) -> anomalies.AnomalyReport:
        document = scheme.document
        year = scheme.year_period
        try:
            figures = [anomalies.figure_from_event(row, scheme.calendar)
                       for row in self.repository.year_figures(year.start, year.end)]
            return anomalies.check(figures, rules=anomalies.rules_from_scheme(document),
                                   categories=anomalies.categories_from_scheme(document),
                                   known_metrics=anomalies.scheme_metrics(document),
                                   year_start_month=scheme.calendar.year_start_month)
        except anomalies.AnomalyInputError as exc:
            raise FailedPrecondition(f"scheme {scheme.code}: the anomaly checks cannot run: {exc}") from None

    # reading ------------------------------------------------------------------
    def list_findings(self, scheme_code: str, period: str = "", state: str = "", min_severity: str = "") -> tuple[list[dict], str]:
        """The scheme's findings (refreshed first when stale), filtered: about `period`
        (or a period inside it), in `state`, at least `min_severity`. Most severe
        first, open before reviewed, those found now before those no longer found.
        Returns (findings, when they were last refreshed)."""
        scheme = self.service.scheme(scheme_code)
        within = self._period(scheme, period) if period else None
        if state and state not in STATES:
            raise InvalidArgument("state", f"must be one of {', '.join(STATES)}, not {state!r}")
        if min_severity and min_severity not in SEVERITIES:
            raise InvalidArgument("min_severity", f"must be one of {', '.join(SEVERITIES)}, not {min_severity!r}")
        checked_at = self.refresh_if_stale(scheme.code)
        rows = self.repository.findings(None, scheme.code)
        if within is not None:
            rows = [row for row in rows if about(row, within, scheme.calendar)]
        if state:
            rows = [row for row in rows if row["state"] == state]
        if min_severity:
            rows = [row for row in rows if SEVERITIES.index(row["severity"]) >= SEVERITIES.index(min_severity)]
        rows.sort(key=lambda row: (not row["found_now"], row["state"] != OPEN, -SEVERITIES.index(row["severity"]),
                                   anomalies.KINDS.index(row["kind"]) if row["kind"] in anomalies.KINDS else 99,
                                   row["period"], row["unit_id"], row["metric_code"], row["finding_key"]))
        return rows, checked_at

    def marks(self, scheme_code: str, keys: Iterable[str]) -> dict[str, list[dict]]:
        """finding key → its marks, oldest first."""
        return self.repository.finding_marks(scheme_code, keys)

    def open_high(self, scheme: SchemeView, period: Period) -> list[dict]:
        """The open high-severity findings about `period` (what keeps it from being published)."""
        rows = [row for row in self.repository.findings(None, scheme.code)
                if row["severity"] == "high" and row["state"] == OPEN and about(row, period, scheme.calendar)]
        return sorted(rows, key=lambda row: (not row["found_now"], row["period"], row["kind"], row["unit_id"],
                                             row["finding_key"]))

    # marking --------------------------------------------------------------------
    def mark(self, scheme_code: str, key: str, state: str, comment: str, principal: Principal) -> dict:
        """The office marks a finding `confirmed`, `explained` or `false_alarm` (the last
        two with a comment); the mark is appended with who and when. Returns the finding."""
        if principal.role != "office":
            raise PermissionDenied(f"only the evaluation office marks findings; {principal.name or 'this token'} "
                                   f"is {principal.role}")
        scheme = self.service.scheme(scheme_code)
        if not key:
            raise InvalidArgument("key", "is required: the key of a finding (ListFindings)")
        if state not in MARKS:
            raise InvalidArgument("state", f"must be one of {', '.join(MARKS)}, not {state!r}")
        comment = comment.strip()
        if state in NEEDS_COMMENT and not comment:
            raise InvalidArgument("comment", f"is required to mark a finding {state}: say why")
        if len(comment) > MAX_COMMENT:
            raise InvalidArgument("comment", f"must be at most {MAX_COMMENT:,} characters")
        at, actor = now(), principal.name or principal.role
        with self.unit_of_work.transaction() as connection:
            self.repository.lock_findings(connection, scheme.code)
            found = next((row for row in self.repository.findings(connection, scheme.code) if row["finding_key"] == key),
                         None)
            if found is None:
                raise NotFound(f"finding {key!r} is not a finding of scheme {scheme.code}")
            self.repository.mark_finding(connection, {
                "scheme_code": scheme.code, "finding_key": key, "state_before": found["state"], "state_after": state,
                "comment": comment, "actor": actor, "at": at})
        return {**found, "state": state, "comment": comment, "marked_by": actor, "marked_at": at}

    # helpers --------------------------------------------------------------------
    def _period(self, scheme: SchemeView, text: str) -> Period:
        try:
            period = scheme.calendar.parse(text)
        except PeriodError as exc:
            raise InvalidArgument("period", str(exc)) from None
        if not scheme.year_period.contains(period):
            raise InvalidArgument("period", f"{text} is outside scheme {scheme.code}'s year {scheme.year}")
        return period


def describe(rows: list[dict], shown: int = 3) -> str:
    """The first few findings in words, for a refusal: "validation_rule U-D061 complaints_… 2026-10 (key …)"."""
    listed = "; ".join(
        f"{row['kind']} {row['unit_id'] or row['source']}{(' / ' + row['other_unit_id']) if row['other_unit_id'] else ''}"
        f"{(' ' + row['metric_code']) if row['metric_code'] else ''} {row['period']}"
        f"{('–' + row['period_to']) if row['period_to'] else ''} (key {row['finding_key']})" for row in rows[:shown])
    more = f"; … ({len(rows)} in all)" if len(rows) > shown else ""
    return listed + more
