"""The scoring use cases: ingest a batch of records, recompute what they
touch, and answer queries. Free of Kafka and gRPC: the adapters hand in
records and take back the rejects.
"""
from __future__ import annotations

import json
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import Connection, Engine

from jixiao.common import event_codec, stages
from jixiao.common.errors import NotFound
from jixiao.common.stages import PERIOD_BASES
from jixiao.v1.metric_event_pb2 import MetricEvent
from jixiao_sdk import IndicatorHost, IndicatorInput, Milestone, Observation, Target
from jixiao_sdk.periods import Calendar, Period, PeriodError

from .adapters.ballot_secrets import BallotSecrets
from .adapters.repository import ScoringRepository
from .domain import pseudonyms, review, rollup, validation
from .domain.approved_code import NOT_CHECKED, ApprovedCodeOnly, CodeCheck, check_code
from .domain.feed_signatures import FeedVerifier
from .domain.persons import PersonRule, PersonWeights, person_cap
from .domain.scheme_view import SchemeView
from .domain.totals import IndicatorOutcome, IndicatorScale, unit_total
from .observation_cache import DEFAULT_CAPACITY, ObservationCache
from .queries import SCORED_PERIOD_KINDS, ScoringQueries

PERIOD_ALONE, YEAR_TO_DATE = PERIOD_BASES
# Marks the plug-in version of results an unapproved build stands behind (failed, the plug-in not called).
UNAPPROVED_BUILD = " (unapproved build)"
log = logging.getLogger("jixiao.scoring")
# Attributes as stored: sorted keys, json.dumps's separators, text unescaped.
_ATTRIBUTES_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class IncomingRecord:
    """A record as the transport delivered it."""

    value: bytes | None
    headers: Mapping[str, bytes]
    topic: str = ""
    partition: int = 0
    offset: int = 0
    key: bytes | None = None


@dataclass(frozen=True)
class Rejected:
    """A record not stored, and why. `record` is what may leave scoring (the dead letter: a
    ballot's voter or rater pseudonymised); `received` the record as the transport delivered
    it, the same object, by which the consumer's spans know it (never sent anywhere)."""

    record: IncomingRecord
    reason: str
    received: IncomingRecord | None = field(default=None, repr=False, compare=False)

    @property
    def delivered(self) -> IncomingRecord:
        """The record as delivered (the object the transport handed in)."""
        return self.received if self.received is not None else self.record


@dataclass(frozen=True)
class Writable:
    """Which periods a recompute may rewrite: those no review state freezes."""

    closed: Mapping[str, str]  # period text → its non-open review state

    def __call__(self, period: Period) -> bool:
        return not self.closed or review.frozen_by(period, self.closed) is None

    @classmethod
    def only(cls, period: Period) -> Callable[[Period], bool]:
        """Just one period (a recheck recomputes that one)."""
        return lambda other: other == period


@dataclass(frozen=True)
class BatchOutcome:
    stored: int
    duplicates: int
    rejected: tuple[Rejected, ...]


class ScoringService(ScoringQueries):
    def __init__(self, engine: Engine, repository: ScoringRepository, host: IndicatorHost,
                 active: frozenset[str] | None = None, cache_events: int = DEFAULT_CAPACITY,
                 ballot_secrets: BallotSecrets | None = None, feed_verifier: FeedVerifier | None = None):
        self.engine = engine
        self.repository = repository
        # Checks which feed signed each record (domain/feed_signatures.py); None: not checked (tests in one process).
        self.feed_verifier = feed_verifier
        self.ballot_secrets = ballot_secrets or BallotSecrets()  # in memory: one process, tests
        self._use_plugins(host, active)
        self._schemes_by_year: dict[int, SchemeView] = {}
        self._schemes_by_code: dict[str, SchemeView] = {}
        self._older_schemes: dict[tuple[str, int], SchemeView] = {}
        self._lock = threading.Lock()
        # One writer at a time in this process (ingest, rescoring, review actions):
        # SQLite needs it, and PostgreSQL's advisory locks order the processes.
        self.writing = threading.RLock()
        self._observations = ObservationCache(cache_events)
        # Completeness checks reused between rankings (queries.completeness_of), until events change.
        self._completeness: dict[tuple, tuple[float, object]] = {}
        self.events_written = 0  # batches that stored or withdrew events, in this process
        self.writes_by_scheme: dict[str, int] = {}  # the same, per scheme code
        for version, document in repository.latest_schemes():
            self._remember(SchemeView(document, version))

    # plug-ins -----------------------------------------------------------
    def _use_plugins(self, host: IndicatorHost, active: frozenset[str] | None, check: CodeCheck = NOT_CHECKED) -> None:
        """Scores with the installed plug-ins whose "name==version" is in `active` (all when None);
        the indicators of a version `check` found unapproved give failed results (domain/approved_code.py),
        their version marked UNAPPROVED_BUILD."""
        versions = host.plugin_versions()
        usable = sorted(code for code, provider in versions.items() if active is None or provider in active)
        refused = {code: versions[code] for code in usable if versions[code] in check.unapproved}
        self.host = ApprovedCodeOnly(host, refused) if refused else host
        self.active = active
        self.unapproved_plugins = frozenset(refused.values())
        self.specs = {code: host.specs()[code] for code in usable}
        self.plugin_versions = {code: versions[code] + (UNAPPROVED_BUILD if code in refused else "") for code in usable}
        self.scales = {code: IndicatorScale(s.kind, s.min_points, s.max_points) for code, s in self.specs.items()}
        self.metric_indicators: dict[str, set[str]] = defaultdict(set)
        for code, spec in self.specs.items():
            for metric in spec.input_metrics:
                self.metric_indicators[metric].add(code)
        self.known_metrics = frozenset(self.metric_indicators)
        if active is not None:
            missing = sorted(active - set(versions.values()))
            if missing:
                log.warning("active in the registry but not installed here: %s", ", ".join(missing))

    def adopt_plugins(self, host: IndicatorHost, active: frozenset[str], *, approved: Mapping[str, str] | None = None,
                      installed: Mapping[str, str] | None = None) -> None:
        """Switches to the plug-ins the registry has made active; rescores every
        scheme's year when that changes what computes an indicator, or when
        stored results come from versions no longer active.

        With `approved` (the digests the registry recorded) and `installed`
        (those of the installed builds), both by "name==version", a version
        whose installed build differs gives only failed results; without
        `approved` nothing is checked."""
        check = NOT_CHECKED
        if approved is not None:
            check = check_code(active & set(host.plugin_versions().values()), approved, installed or {})
            for version, (wanted, found) in check.unapproved.items():
                log.error("plug-in %s: installed code differs from the approved version (approved %s, installed %s); "
                          "its indicators give failed results until the approved build is installed", version, wanted, found)
            for version, why in check.unchecked.items():
                log.warning("plug-in %s: its installed code cannot be checked against the approved version (%s); "
                            "it scores unchecked", version, why)
        before = dict(self.plugin_versions)
        self._use_plugins(host, active, check)
        stale = self.repository.result_plugin_versions() - set(self.plugin_versions.values())
        if before == self.plugin_versions and not stale:
            return
        log.info("active indicators: %s", ", ".join(f"{c} ({v})" for c, v in self.plugin_versions.items()) or "none")
        with self.writing, self.engine.begin() as connection:
            for scheme in list(self._schemes_by_code.values()):
                self._recompute_year(connection, scheme)

    # schemes ------------------------------------------------------------
    def has_schemes(self) -> bool:
        return bool(self._schemes_by_code)

    def scheme(self, code: str) -> SchemeView:
        scheme = self._schemes_by_code.get(code)
        if scheme is None:
            raise NotFound(f"scheme {code!r} is not known to scoring")
        return scheme

    def schemes(self) -> list[SchemeView]:
        """The newest known version of every scheme."""
        with self._lock:
            return list(self._schemes_by_code.values())

    def scheme_at(self, code: str, version: int) -> SchemeView:
        """The scheme as it was at `version` (what scored a frozen period); the newest when unknown."""
        current = self.scheme(code)
        if version == current.version:
            return current
        key = (code, version)
        if key not in self._older_schemes:
            document = self.repository.scheme_document(code, version)
            self._older_schemes[key] = SchemeView(document, version) if document is not None else current
        return self._older_schemes[key]

    def scheme_versions(self) -> dict[str, int]:
        return {code: s.version for code, s in self._schemes_by_code.items()}

    def adopt_scheme(self, document: dict, version: int, digest: str) -> None:
        """Starts scoring with a newly published scheme version and rescoring
        its year, frozen (locked, approved, published) periods excepted."""
        scheme = SchemeView(document, version)
        with self.writing, self.engine.begin() as connection:
            self.repository.save_scheme(connection, scheme.code, version, scheme.year, digest, document)
            self._remember(scheme)
            self._pseudonymize_stored(connection, scheme)
            self._recompute_year(connection, scheme)
        log.info("scoring with scheme %s version %d", scheme.code, version)

    def _pseudonymize_stored(self, connection: Connection, scheme: SchemeView) -> None:
        """Ballots stored before the scheme declared their secret attributes get pseudonyms
        too (a scheme version adding `secret_attributes` migrates what is stored). Scores do
        not change: a pseudonym keeps one voter one voter."""
        if not scheme.secret_attributes:
            return
        secret = self.ballot_secrets.secret(scheme.code)  # made (or found missing) now, not at the first ballot
        year = scheme.year_period
        changes = []
        for event_id, metric, text in self.repository.event_attributes(connection, year.start, year.end,
                                                                       scheme.secret_attributes):
            attributes, names = json.loads(text), scheme.secret_attributes[metric]
            if pseudonyms.needs_pseudonyms(attributes, names):
                clean = pseudonyms.pseudonymize(attributes, names, secret, scheme.code)
                changes.append((event_id, _ATTRIBUTES_JSON.encode(clean)))
        if changes:
            self.repository.set_event_attributes(connection, changes)
            for event_id, _ in changes:
                self._observations.forget(event_id)
            log.info("scheme %s: %d stored ballots given pseudonyms", scheme.code, len(changes))

    def _recompute_year(self, connection: Connection, scheme: SchemeView) -> None:
        year = scheme.year_period
        self.repository.lock_periods(connection, scheme.code, exclusive=False)
        writable = self.writable_periods(connection, scheme.code)
        units = [u for u in self.repository.units_with_events(connection, year.start, year.end) if u in scheme.units]
        self.repository.lock_units(connection, (f"{scheme.code}/{unit}" for unit in units))
        for unit_id in units:
            self.recompute_persons(connection, scheme, unit_id,
                                   self.recompute_unit(connection, scheme, unit_id, None, writable), None, writable)

    def writable_periods(self, connection: Connection, scheme_code: str) -> Writable:
        """Whether a period's results may change: not when it is frozen by review."""
        return Writable({period: row["state"] for period, row in self.repository.period_states(connection, scheme_code).items()
                         if row["state"] != review.OPEN})

    def _remember(self, scheme: SchemeView) -> None:
        with self._lock:
            self._schemes_by_code[scheme.code] = scheme
            self._schemes_by_year[scheme.year] = scheme

    # ingest -------------------------------------------------------------
    def ingest(self, records: Sequence[IncomingRecord]) -> BatchOutcome:
        """Stores a batch and rescores everything pending, before returning."""
        outcome = self.store(records)
        self.rescore_pending()
        return outcome

    def store(self, records: Sequence[IncomingRecord]) -> BatchOutcome:
        """Validates and stores a batch (each event id once), with the changes
        it makes pending a rescore; one transaction. Rescoring follows in
        `rescore_pending`, so a burst of events of one unit is rescored once."""
        rows: list[dict] = []
        scheme_of: dict[str, str] = {}
        record_of: dict[str, IncomingRecord] = {}
        record_of_row: dict[int, IncomingRecord] = {}  # id(row) → its record (one event id may come twice)
        rejected: list[Rejected] = []
        for record in records:
            try:
                row, scheme_code = self._accept(record)
            except event_codec.EventError as exc:
                rejected.append(self._rejected(record, str(exc)))
                continue
            rows.append(row)
            scheme_of[row["event_id"]] = scheme_code
            record_of.setdefault(row["event_id"], record)
            record_of_row[id(row)] = record
        with self.writing, self.engine.begin() as connection:
            writable = {}
            for code in sorted(set(scheme_of.values())):
                self.repository.lock_periods(connection, code, exclusive=False)
                writable[code] = self.writable_periods(connection, code)
            rows, conflicts = self._screen_revisions(connection, rows)
            rows, late = self._screen_frozen(connection, rows, scheme_of, writable)
            conflicts += late
            rejected += [self._rejected(record_of[row["event_id"]], reason) for row, reason in conflicts]
            new = self.repository.store_new_events(connection, rows)
            replays = self._replays(connection, rows, new)
            rejected += [self._rejected(record_of_row[id(row)], reason) for row, reason in replays]
            revisions = [row for row in new if row["revision_of"]]
            self.repository.add_revisions(connection, revisions)
            withdrawn = self._withdraw_early_revisions(connection, new)
            withdrawn_ids = {row["event_id"] for row, _ in withdrawn}
            rejected += [self._rejected(record_of.get(row["event_id"]) or _record_of_stored(row), reason)
                         for row, reason in withdrawn]
            duplicates = len(rows) - len(new) - len(replays)
            new = [row for row in new if row["event_id"] not in withdrawn_ids]
            self.repository.add_to_counter(connection, "duplicates", duplicates)
            self.repository.add_to_counter(connection, "rejected", len(rejected))
            originals = self.repository.events_by_id(connection, [row["revision_of"] for row in revisions])
            changes = [dict(change) for change in {
                (("scheme_code", scheme_of.get(row["event_id"]) or self._scheme_code_for(row)), ("unit_id", row["unit_id"]),
                 ("period", row["period"]), ("metric_code", row["metric_code"]), ("person_id", row["person_id"]))
                for row in [*new, *originals.values(), *(row for row, _ in withdrawn)]}]
            self.repository.add_pending(connection, changes)
        if new or withdrawn:
            self.events_written += 1
            for code in {change["scheme_code"] for change in changes}:
                self.writes_by_scheme[code] = self.writes_by_scheme.get(code, 0) + 1
        return BatchOutcome(stored=len(new), duplicates=duplicates, rejected=tuple(rejected))

    def _replays(self, connection: Connection, rows: list[dict], new: list[dict]) -> list[tuple[dict, str]]:
        """The rows not stored because their event id is (another event with that id, stored
        before or earlier in the batch) whose content differs from the stored event: an event
        id names one event, so such a row is a replay, rejected with the reason. A row with
        the same content is a harmless duplicate (a redelivery, a feed sending again)."""
        stored_now = {id(row) for row in new}
        again = [row for row in rows if id(row) not in stored_now]
        if not again:
            return []
        stored = self.repository.events_by_id(connection, [row["event_id"] for row in again])
        found = []
        for row in again:
            reason = _replay_mismatch(stored[row["event_id"]], row) if row["event_id"] in stored else None
            if reason:
                log.warning("event %s arrived again with other content; rejected: %s", row["event_id"], reason)
                found.append((row, reason))
        return found

    def _withdraw_early_revisions(self, connection: Connection, new: list[dict]) -> list[tuple[dict, str]]:
        """Checks the revisions stored before their originals — now among `new` —
        as `_screen_revisions` checks one arriving after its original; withdraws
        (deletes) those that fail, with the reason, so the order of arrival
        does not decide whether another source, unit or metric may supersede
        an event."""
        arrived = {row["event_id"]: row for row in new}
        revised = self.repository.revisions_of(connection, arrived)
        if not revised:
            return []
        revisions = self.repository.events_by_id(connection, revised.values())
        withdrawn = []
        for original_id, revision_id in sorted(revised.items()):
            revision = revisions[revision_id]
            reason = _revision_mismatch(arrived[original_id], revision)
            if reason:
                log.warning("revision %s arrived before event %s and does not match it; withdrawn: %s",
                            revision_id, original_id, reason)
                withdrawn.append((revision, reason))
                self._observations.forget(revision_id)
        self.repository.withdraw_revisions(connection, [row["event_id"] for row, _ in withdrawn])
        return withdrawn

    def rescore_pending(self, max_changes: int = 20_000, scheme_code: str | None = None, *, once: bool = False) -> int:
        """Rescores the stored changes not rescored yet, oldest first,
        `max_changes` per transaction (one transaction only with `once`);
        returns how many changes it cleared."""
        cleared = 0
        while True:
            with self.writing, self.engine.begin() as connection:
                done = self.rescore_in(connection, max_changes, scheme_code)
            cleared += done
            if once or done < max_changes:
                return cleared

    def rescore_in(self, connection: Connection, max_changes: int, scheme_code: str | None = None) -> int:
        """Takes up to `max_changes` pending changes and rescores what they
        touch inside the caller's transaction; returns how many it took."""
        pending = self.repository.take_pending(connection, max_changes, scheme_code)
        if not pending:
            return 0
        touched: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        people: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        for change in pending:
            key = (change["scheme_code"], change["unit_id"])
            if change["person_id"]:
                people[key].add((change["period"], change["person_id"]))
            else:
                touched[key].add((change["period"], change["metric_code"]))
        writable: dict[str, Writable] = {}
        for code in sorted({code for code, _ in {*touched, *people}}):
            self.repository.lock_periods(connection, code, exclusive=False)
            writable[code] = self.writable_periods(connection, code)
        self.repository.lock_units(connection, (f"{code}/{unit}" for code, unit in {*touched, *people}))
        for code, unit_id in sorted({*touched, *people}):
            scheme = self._schemes_by_code.get(code)
            if scheme is None or unit_id not in scheme.units:
                continue  # a scheme this process has not adopted yet would not have stored the change
            periods = self.recompute_unit(connection, scheme, unit_id, touched[(code, unit_id)], writable[code]) \
                if (code, unit_id) in touched else set()
            periods |= _scored_periods(scheme.calendar, (text for text, _ in people.get((code, unit_id), ())))
            changed = {person for _, person in people.get((code, unit_id), ())}
            self.recompute_persons(connection, scheme, unit_id, periods, changed, writable[code])
        self.repository.delete_pending(connection, [change["id"] for change in pending])
        return len(pending)

    def _screen_frozen(self, connection: Connection, rows: list[dict], scheme_of: Mapping[str, str],
                       writable: Mapping[str, Writable]) -> tuple[list[dict], list[tuple[dict, str]]]:
        """Keeps the rows that change no frozen period; the others with the reason.

        A revision counts against the period of the event it supersedes too.
        A row already stored is kept: a repeated delivery is a duplicate, not
        a late event.
        """
        if not any(w.closed for w in writable.values()):
            return rows, []
        stored = self.repository.events_by_id(connection, [row["event_id"] for row in rows])
        originals = self.repository.events_by_id(connection, [row["revision_of"] for row in rows if row["revision_of"]])
        kept, late = [], []
        for row in rows:
            if row["event_id"] in stored:
                kept.append(row)
                continue
            can_write = writable[scheme_of[row["event_id"]]]
            periods = [row["period"]] + ([originals[row["revision_of"]]["period"]] if row["revision_of"] in originals else [])
            calendar = self._schemes_by_code[scheme_of[row["event_id"]]].calendar
            closed = next((p for text in periods for p in calendar.parse(text).enclosing()
                           if p.kind in SCORED_PERIOD_KINDS and not can_write(p)), None)
            if closed is None:
                closed = self._frozen_later(row, periods, scheme_of[row["event_id"]], can_write)
            if closed is None:
                kept.append(row)
            else:
                late.append((row, f"period: {closed.text} is closed for review (locked, approved or published); "
                                  "late events are not scored — ask the evaluation office to reopen it"))
        return kept, late

    def _frozen_later(self, row: dict, periods: list[str], scheme_code: str, can_write: Writable) -> Period | None:
        """A frozen month or quarter after the event whose year-to-date result the event
        would change: a unit-level figure of a metric that a year-to-date indicator
        assigned to the unit consumes counts in every later month and quarter of the year."""
        if row["person_id"] or not can_write.closed:
            return None
        scheme = self._schemes_by_code[scheme_code]
        unit = scheme.units.get(row["unit_id"])
        if unit is None:
            return None
        feeds = {code for code in self.metric_indicators.get(row["metric_code"], ())
                 if self.period_basis(scheme, code) == YEAR_TO_DATE}
        if not feeds & {a.indicator for a in scheme.assignments_for(unit.id)}:
            return None
        ends = [scheme.calendar.parse(text).end for text in periods]
        frozen = sorted(period for period in (scheme.calendar.parse(text) for text in can_write.closed)
                        if period.kind != "year" and period.year == scheme.year and any(period.end >= end for end in ends))
        return frozen[0] if frozen else None

    def _screen_revisions(self, connection: Connection, rows: list[dict]) -> tuple[list[dict], list[tuple[dict, str]]]:
        """Keeps revisions that may supersede their original; the others with the reason.

        A revision supersedes one original of the same source, unit and
        metric; an original is revised at most once (revise the revision to
        correct again). A revision may arrive before its original: the
        original is then stored already superseded, if the revision passes
        the same checks (`_withdraw_early_revisions`).
        """
        candidates = [row for row in rows if row["revision_of"]]
        if not candidates:
            return rows, []
        stored = self.repository.events_by_id(connection, [row["event_id"] for row in candidates])
        originals = self.repository.events_by_id(connection, [row["revision_of"] for row in candidates])
        revised = self.repository.revisions_of(connection, [row["revision_of"] for row in candidates])
        conflicts = []
        for row in candidates:
            original_id = row["revision_of"]
            if row["event_id"] in stored or revised.get(original_id) == row["event_id"]:
                continue  # a repeated delivery of the same revision: stored once, like any event
            original = originals.get(original_id)
            if original_id in revised:
                conflicts.append((row, f"revision_of: event {original_id} is already revised by {revised[original_id]}; "
                                       "revise that event instead"))
            elif original and _revision_mismatch(original, row):
                conflicts.append((row, _revision_mismatch(original, row)))
            else:
                revised[original_id] = row["event_id"]
        rejected_ids = {id(row) for row, _ in conflicts}
        return [row for row in rows if id(row) not in rejected_ids], conflicts

    def _scheme_code_for(self, row: dict) -> str:
        return self.scheme_for_period(row["period"])[0].code

    def scheme_for_period(self, text: str) -> tuple[SchemeView | None, Period]:
        """The scheme whose year a period text falls in (`stages.scheme_year_of`), and the
        period read with that scheme's calendar. Raises PeriodError for a non-period."""
        year, period = stages.scheme_year_of(text, self._calendar_of_year)
        return (None if year is None else self._schemes_by_year[year]), period

    def _calendar_of_year(self, year: int) -> Calendar | None:
        scheme = self._schemes_by_year.get(year)
        return None if scheme is None else scheme.calendar

    def _accept(self, record: IncomingRecord) -> tuple[dict, str]:
        """The event's row and the code of the scheme it falls under; raises EventError."""
        content_type = (record.headers.get(event_codec.CONTENT_TYPE_HEADER) or b"").decode("latin-1") or None
        event = event_codec.decode(record.value, content_type)
        if self.feed_verifier is not None:
            unsigned = self.feed_verifier.rejection(record.key, record.value, record.headers, event.source)
            if unsigned:
                raise event_codec.EventError(unsigned)
        try:
            scheme, period = self.scheme_for_period(event_codec.period_of(event))
        except PeriodError as exc:
            raise event_codec.EventError(f"period: {exc}") from None
        if scheme is None:
            raise event_codec.EventError(f"no published scheme covers the period {period.text}")
        reason = validation.rejection_reason(
            scheme, source=event.source, unit_id=event.unit_id, person_id=event.person_id,
            metric_code=event.metric_code, period=period, known_metrics=self.known_metrics,
            value=event.value, measurement_unit=event.measurement_unit,
        )
        if reason:
            raise event_codec.EventError(reason)
        return {
            "event_id": event.event_id,
            "source": event.source,
            "unit_id": event.unit_id,
            "person_id": event.person_id,
            "metric_code": event.metric_code,
            "value": event.value,
            "measurement_unit": event.measurement_unit,
            "period": period.text,
            "period_start": period.start,
            "period_end": period.end,
            "observed_at": event_codec.timestamp_text(event.observed_at),
            "reported_at": event_codec.timestamp_text(event.reported_at),
            "revision_of": event.revision_of,
            "evidence_ref": event.evidence_ref,
            "attributes_json": _ATTRIBUTES_JSON.encode(self._without_secrets(scheme, event)) if event.attributes else "{}",
            "kafka_topic": record.topic,
            "kafka_partition": record.partition,
            "kafka_offset": record.offset,
        }, scheme.code

    def _without_secrets(self, scheme: SchemeView, event) -> dict[str, str]:
        """The event's attributes, a ballot's voter or rater as a pseudonym (domain/pseudonyms.py)."""
        attributes = dict(event.attributes)
        names = scheme.secret_attributes.get(event.metric_code)
        if not names or not pseudonyms.needs_pseudonyms(attributes, names):
            return attributes
        return pseudonyms.pseudonymize(attributes, names, self.ballot_secrets.secret(scheme.code), scheme.code)

    def _rejected(self, record: IncomingRecord, reason: str) -> Rejected:
        return Rejected(self._secret_free(record), reason, received=record)

    def _secret_free(self, record: IncomingRecord) -> IncomingRecord:
        """The record as it may leave scoring (a dead letter): a ballot's voter or rater
        pseudonymised and the event re-encoded — withheld when no scheme covers its period,
        as any scheme declares them secret; as it came when it cannot be read."""
        try:
            content_type = (record.headers.get(event_codec.CONTENT_TYPE_HEADER) or b"").decode("latin-1") or None
            event = event_codec.decode(record.value, content_type)
        except event_codec.EventError:
            return record
        try:
            scheme, _ = self.scheme_for_period(event_codec.period_of(event))
        except (event_codec.EventError, PeriodError):
            scheme = None
        if scheme is not None:
            names = scheme.secret_attributes.get(event.metric_code) or ()
        else:
            with self._lock:
                names = {name for known in self._schemes_by_code.values()
                         for name in known.secret_attributes.get(event.metric_code) or ()}
        if not names or not pseudonyms.needs_pseudonyms(dict(event.attributes), names):
            return record
        clean = (self._without_secrets(scheme, event) if scheme is not None
                 else pseudonyms.withhold(dict(event.attributes), names))
        event.attributes.clear()
        event.attributes.update(clean)
        headers = {**record.headers, event_codec.CONTENT_TYPE_HEADER: event_codec.PROTOBUF.encode()}
        return replace(record, value=event_codec.encode(event), headers=headers)

    # recompute ----------------------------------------------------------
    def recompute_unit(self, connection: Connection, scheme: SchemeView, unit_id: str,
                       changes: set[tuple[str, str]] | None, writable: Callable[[Period], bool]) -> set[Period]:
        """Rescores what `changes` — (period, metric) pairs of new events — touch,
        in the periods `writable` allows; returns the periods rescored.

        Only indicators consuming a changed metric are re-evaluated, for the
        scored periods enclosing the change; the unit's totals for those
        periods are then rebuilt from all its stored results. With `changes`
        None every assigned indicator is re-evaluated for every writable
        period with events (a new scheme version, a recheck).
        """
        year = scheme.year_period
        assigned = {a.indicator for a in scheme.assignments_for(unit_id) if a.indicator in self.specs}
        ytd = {code for code in assigned if self.period_basis(scheme, code) == YEAR_TO_DATE}
        rows = spans = None
        if changes is None:
            self.repository.delete_results(connection, scheme.code, unit_id,
                                           [p.text for p in scheme.calendar.scored_periods(scheme.year) if writable(p)])
            rows = self.repository.unit_events(connection, unit_id, year.start, year.end)
            changes = {(row["period"], row["metric_code"]) for row in rows}
            spans = {(row["period_start"], row["period_end"]) for row in rows}
        # An indicator has a result for a period when events of its metrics lie
        # inside (year to date: inside the year up to the period's end, and the
        # unit has figures in the period itself): the same whether the events
        # came one by one or all at once.
        affected = {metric: assigned & self.metric_indicators.get(metric, set()) for _, metric in changes}
        work: dict[Period, set[str]] = defaultdict(set)
        later = [p for p in scheme.calendar.scored_periods(scheme.year) if p.kind != "year"]
        for text, metric in changes:
            changed = scheme.calendar.parse(text)
            for period in changed.enclosing():
                if period.kind in SCORED_PERIOD_KINDS and writable(period):
                    work[period].update(affected[metric] | ytd)
            for code in affected[metric] & ytd:  # a figure counts in every later year-to-date period
                for period in later:
                    if period.end >= changed.end and writable(period):
                        work[period].add(code)
        wanted = {m for codes in work.values() for code in codes for m in self.specs[code].input_metrics}
        if rows is None:
            rows = self.repository.unit_events(connection, unit_id, year.start, year.end, wanted)
        if spans is None:
            spans = self.repository.unit_event_spans(connection, unit_id, year.start, year.end) if ytd else set()
        observations = [(row["period_start"], row["period_end"], self._observations.view(row)) for row in rows]
        baselines = _Baselines(self, scheme, unit_id)
        unit = scheme.units[unit_id]
        for kind in SCORED_PERIOD_KINDS:  # months first: quarters and years may roll up their results
            results, emptied = [], []
            for period, indicators in sorted(item for item in work.items() if item[0].kind == kind):
                inside = [obs for start, end, obs in observations if period.start <= start and end <= period.end]
                to_date: list[Observation] = []
                has_figures = False
                if kind != "year" and indicators & ytd:
                    to_date = [obs for start, end, obs in observations if end <= period.end]
                    has_figures = any(period.start <= start and end <= period.end for start, end in spans)
                for code in sorted(indicators):
                    metrics = self.specs[code].input_metrics
                    to_date_basis = code in ytd and kind != "year"
                    mine = [obs.period for obs in (to_date if to_date_basis else inside) if obs.metric_code in metrics]
                    if not mine or (to_date_basis and not has_figures):
                        # its last event was superseded or withdrawn: no result, as if never reported
                        emptied.append({"scheme_code": scheme.code, "unit_id": unit_id, "period": period.text,
                                        "indicator_code": code})
                    elif to_date_basis:
                        results.append(self._evaluate(scheme, unit_id, unit.category, code, year, to_date,
                                                      baselines.span(code, year.start, period.end), as_of=period))
                    elif code not in ytd and rollup.rolls_up_results(self.specs[code].rollup, period, mine):
                        results.append(self._rolled_up(connection, scheme, unit_id, code, period))
                    else:
                        # Last year's same span: to the end of the latest figure, as elapsed_share counts
                        # (the open year's January–September against last year's January–September).
                        until = max(end for start, end, obs in observations
                                    if obs.metric_code in metrics and period.start <= start and end <= period.end)
                        results.append(self._evaluate(scheme, unit_id, unit.category, code, period, inside,
                                                      baselines.span(code, period.start, until)))
            self.repository.delete_indicator_results(connection, emptied)
            self.repository.replace_indicator_results(connection, results)
        stored: dict[str, dict[str, IndicatorOutcome]] = defaultdict(dict)
        for r in self.repository.indicator_results_for(connection, scheme.code, unit_id, [p.text for p in work]):
            stored[r["period"]][r["indicator_code"]] = IndicatorOutcome(r["status"], r["points"], r["veto_cap"],
                                                                        r["veto_reason"], r["reason"])
        scores, unscored = [], []
        for period in sorted(work):
            if not stored[period.text]:
                unscored.append({"scheme_code": scheme.code, "unit_id": unit_id, "period": period.text})
                continue
            total = unit_total(scheme, unit_id, stored[period.text], self.scales, period.kind)
            scores.append({
                "scheme_code": scheme.code,
                "unit_id": unit_id,
                "period": period.text,
                "scheme_version": scheme.version,
                "category": unit.category,
                "total": total.total,
                "dimensions_json": total.breakdown_json(),
                "veto_cap": total.veto_cap,
            })
        self.repository.delete_unit_scores(connection, unscored)
        self.repository.replace_unit_scores(connection, scores)
        return set(work)

    def recompute_persons(self, connection: Connection, scheme: SchemeView, unit_id: str, periods: set[Period],
                          changed: set[str] | None, writable: Callable[[Period], bool]) -> None:
        """Rescores a unit's people for `periods`: the personal evaluation of the
        `changed` people (all when None) is evaluated again, the others' is
        reused, and every total follows the unit's total."""
        rule = scheme.person_rule
        persons = scheme.unit_persons.get(unit_id, ())
        if rule is None or not persons:
            return
        year = scheme.year_period
        events = None
        if changed is None:  # everything: the periods of the people's own events count too
            events = self.repository.person_events(connection, unit_id, year.start, year.end)
            periods = periods | _scored_periods(scheme.calendar, (row["period"] for row in events))
        periods = {p for p in periods if writable(p)}
        if not periods:
            return
        texts = [p.text for p in periods]
        unit_totals = self.repository.unit_totals(connection, scheme.code, unit_id, texts)
        kids = {kid.text for period in periods for kid in rollup.children(period)}
        stored = self.repository.stored_person_scores(connection, scheme.code, unit_id, [*texts, *kids])
        if events is None and (changed or len([k for k in stored if k[1] not in kids]) < len(persons) * len(texts)
                               or not set(texts) <= set(unit_totals)):
            events = self.repository.person_events(connection, unit_id, year.start, year.end)
        by_person: dict[str, list] = defaultdict(list)
        for row in events or ():
            by_person[row["person_id"]].append(row)
        # A period neither the unit nor any of its people has events in any more has no person scores.
        unscored = {p for p in periods if p.text not in unit_totals and not any(
            p.start <= row["period_start"] and row["period_end"] <= p.end for row in events or ())}
        self.repository.delete_person_scores(connection, scheme.code, unit_id, [p.text for p in unscored])
        gone = {p.text for p in unscored}
        stored = {key: row for key, row in stored.items() if key[1] not in gone}  # a quarter must not roll them up
        periods -= unscored
        vetoes = scheme.person_vetoes
        veto_metrics = {v.metric for v in vetoes}
        code = rule.personal_indicator
        spec = self.specs.get(code)
        rows = []
        for period in sorted(periods, key=lambda p: (SCORED_PERIOD_KINDS.index(p.kind), p)):
            unit_total = unit_totals.get(period.text, 0.0)
            for person in persons:
                previous = stored.get((person, period.text))
                inside = [row for row in by_person.get(person, ())
                          if period.start <= row["period_start"] and row["period_end"] <= period.end]
                if previous is None or changed is None or person in changed:
                    mine = [row["period"] for row in inside if spec and row["metric_code"] in spec.input_metrics]
                    if mine and rollup.rolls_up_results(spec.rollup, period, mine):
                        personal = self._personal_rolled_up(spec, person, period, stored)
                    else:
                        personal = self._personal(scheme, unit_id, person, code, period, inside)
                    cap, reason = person_cap(vetoes, ((r["metric_code"], json.loads(r["attributes_json"]))
                                                      for r in inside if r["metric_code"] in veto_metrics))
                    deduction = self._person_deductions(scheme, rule, unit_id, person, period, inside)
                else:
                    personal = {k: previous[k] for k in ("personal_points", "personal_status", "explanation",
                                                          "evidence_json", "plugin_version")}
                    cap, reason = previous["veto_cap"], previous["veto_reason"]
                    deduction = {k: previous[k] for k in ("deduction_points", "deduction_explanation",
                                                           "deduction_evidence_json")}
                weights = person_weights(scheme, rule, period.kind, personal)
                row = {
                    "scheme_code": scheme.code, "person_id": person, "period": period.text, "unit_id": unit_id,
                    "scheme_version": scheme.version, "unit_total": unit_total,
                    "total": rule.total(unit_total, personal["personal_points"], weights, deduction["deduction_points"]),
                    "veto_cap": cap, "veto_reason": reason, **personal, **deduction,
                }
                rows.append(row)
                stored[(person, period.text)] = row  # a quarter rolls up the months just rescored
        self.repository.replace_person_scores(connection, rows)

    def _person_deductions(self, scheme: SchemeView, rule: PersonRule, unit_id: str, person: str, period: Period,
                           rows: list) -> dict:
        """The leader's own deductions in a period (person_scoring.personal_deductions), each
        indicator's plug-in over the person's events of its metrics inside the period."""
        points, texts, evidence = 0.0, [], []
        assigned = {a.indicator: a for a in scheme.assignments_for(unit_id)}
        for code in rule.deductions:
            spec = self.specs.get(code)
            mine = [row for row in rows if spec and row["metric_code"] in spec.input_metrics]
            if not mine or code not in assigned:
                continue
            inputs = self._inputs(code, unit_id, scheme.units[unit_id].category, person, period,
                                  [self._observations.view(row) for row in mine], None)
            result = self.host.evaluate(code, inputs)
            if result.status != "ok":
                texts.append(f"{code}: {result.reason}")
                continue
            span = max(abs(spec.max_points), abs(spec.min_points))
            points += result.points * assigned[code].max_points / span if span else 0.0  # scaled as a unit's are
            texts.append(result.explanation)
            evidence += result.evidence
        return {"deduction_points": points, "deduction_explanation": "；".join(texts),
                "deduction_evidence_json": json.dumps(sorted(set(evidence)))}

    def _personal_rolled_up(self, spec, person: str, period: Period, scores: Mapping[tuple[str, str], dict]) -> dict:
        """A person's evaluation for a quarter or year from the sub-periods that had one."""
        kids = [scores[(person, kid.text)] for kid in rollup.children(period) if (person, kid.text) in scores]
        combined = rollup.combine(spec.rollup, [
            rollup.ChildResult(k["period"], k["personal_status"], k["personal_points"], None, None,
                               tuple(json.loads(k["evidence_json"]))) for k in kids if k["evidence_json"] != "[]"])
        return {"personal_points": combined.points, "personal_status": combined.status,
                "explanation": combined.explanation or combined.reason,
                "evidence_json": json.dumps(list(combined.evidence)), "plugin_version": self.plugin_versions[spec.code]}

    def _personal(self, scheme: SchemeView, unit_id: str, person: str, code: str, period: Period, rows: list) -> dict:
        """The personal evaluation of one person for one period."""
        if code not in self.specs:
            return {"personal_points": 0.0, "personal_status": "failed", "evidence_json": "[]", "plugin_version": "",
                    "explanation": f"no active plug-in computes {code!r}"}
        spec = self.specs[code]
        inputs = self._inputs(code, unit_id, scheme.units[unit_id].category, person, period,
                              [self._observations.view(row) for row in rows], None)
        result = self.host.evaluate(code, inputs) if inputs.observations else None
        if result is None:
            return {"personal_points": 0.0, "personal_status": "ok", "evidence_json": "[]",
                    "plugin_version": self.plugin_versions[code], "explanation": "本期无个人评价 / no personal evaluation this period"}
        points = result.points / spec.max_points * 100.0 if result.status == "ok" and spec.max_points else 0.0
        return {"personal_points": points, "personal_status": result.status,
                "explanation": result.explanation or result.reason, "evidence_json": json.dumps(list(result.evidence)),
                "plugin_version": self.plugin_versions[code]}

    def _inputs(self, code: str, unit_id: str, category: str, person_id: str | None, period: Period,
                observations: list[Observation], target: Target | None, baseline: tuple[Observation, ...] = (),
                as_of_period: Period | None = None) -> IndicatorInput:
        """What a plug-in gets: the observations of its metrics and the share of the
        period elapsed by the end of the latest of them; for a year-to-date month or
        quarter (`as_of_period`), the year's observations up to its end and the share
        of the year elapsed at its end (序时进度)."""
        wanted = set(self.specs[code].input_metrics)
        used = tuple(obs for obs in observations if obs.metric_code in wanted)
        if self.specs[code].rollup == "last" and used:
            used = rollup.latest_only(used, period.calendar)
        if as_of_period is not None:
            elapsed = period.elapsed_share(as_of_period.end)
        else:
            as_of = max((period.calendar.parse(obs.period).end for obs in used), default=period.start)
            elapsed = period.elapsed_share(as_of) if used else 0.0
        return IndicatorInput(
            indicator_code=code, unit_id=unit_id, unit_category=category, person_id=person_id, period=period.text,
            elapsed_share=elapsed, observations=used, target=target,
            as_of_period=as_of_period.text if as_of_period is not None else "",
            baseline=tuple(obs for obs in baseline if obs.metric_code in wanted),
            year_start_month=period.year_start_month,
        )

    def period_basis(self, scheme: SchemeView, code: str) -> str:
        """How the indicator's months and quarters are assessed: the scheme's choice, else the plug-in's."""
        return scheme.period_basis(code, getattr(self.specs[code], "period_basis", PERIOD_ALONE))

    def _evaluate(self, scheme: SchemeView, unit_id: str, category: str, code: str, period: Period,
                  observations: list[Observation], baseline: tuple[Observation, ...] = (),
                  as_of: Period | None = None) -> dict:
        """One indicator's result for `period`; with `as_of` (a month or quarter of a
        year-to-date indicator) `period` is the year and the result is stored for `as_of`."""
        inputs = self._inputs(code, unit_id, category, None, period, observations,
                              _target(scheme.targets.get((unit_id, code))), baseline, as_of)
        result = self.host.evaluate(code, inputs)
        return {
            "scheme_code": scheme.code,
            "unit_id": unit_id,
            "period": (as_of or period).text,
            "indicator_code": code,
            "scheme_version": scheme.version,
            "status": result.status,
            "reason": result.reason,
            "raw_value": result.raw_value,
            "achievement": result.achievement,
            "points": result.points,
            "explanation": result.explanation,
            "evidence_json": json.dumps(list(result.evidence)),
            "plugin_version": self.plugin_versions.get(code, ""),
            "veto_cap": result.veto.cap_grade if result.veto else None,
            "veto_reason": result.veto.reason if result.veto else "",
        }

    def _rolled_up(self, connection: Connection, scheme: SchemeView, unit_id: str, code: str, period: Period) -> dict:
        """An indicator's result for a quarter or year combined from its children's stored results."""
        kids = [r for r in self.repository.indicator_results_for(
            connection, scheme.code, unit_id, [kid.text for kid in rollup.children(period)]) if r["indicator_code"] == code]
        combined = rollup.combine(self.specs[code].rollup, [
            rollup.ChildResult(r["period"], r["status"], r["points"], r["raw_value"], r["achievement"],
                               tuple(json.loads(r["evidence_json"])), r["veto_cap"], r["veto_reason"]) for r in kids])
        return {
            "scheme_code": scheme.code, "unit_id": unit_id, "period": period.text, "indicator_code": code,
            "scheme_version": scheme.version, "status": combined.status, "reason": combined.reason,
            "raw_value": combined.raw_value, "achievement": combined.achievement, "points": combined.points,
            "explanation": combined.explanation, "evidence_json": json.dumps(list(combined.evidence)),
            "plugin_version": self.plugin_versions.get(code, ""), "veto_cap": combined.veto_cap,
            "veto_reason": combined.veto_reason,
        }


def person_weights(scheme: SchemeView, rule: PersonRule, kind: str, personal: Mapping) -> PersonWeights:
    """The weights of a leader's total in a period of `kind`, from the stored personal evaluation."""
    evaluated = personal["personal_status"] == "ok" and personal["evidence_json"] != "[]"
    return rule.weights(scheme.assessed(rule.personal_indicator, kind), evaluated)


class _Baselines:
    """Last year's observations of a unit over a span shifted back one year, for
    like-for-like comparison: the baseline figures the office imported with this year's
    scheme. (Not last year's stored events: a score must not depend on whether, or
    when, last year's events were stored.)"""

    def __init__(self, service: ScoringService, scheme: SchemeView, unit_id: str):
        self.service, self.scheme, self.unit_id = service, scheme, unit_id
        self._cache: dict[tuple, tuple[Observation, ...]] = {}

    def span(self, code: str, start: date, end: date) -> tuple[Observation, ...]:
        key = (code, start, end)
        if key not in self._cache:
            first, last = _year_before(start), _year_before(end)
            self._cache[key] = tuple(
                obs for metric in self.service.specs[code].input_metrics
                for s, e, obs in self.scheme.baseline_observations(self.unit_id, metric) if first <= s and e <= last)
        return self._cache[key]


def _year_before(day: date) -> date:
    """The same day one year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _scored_periods(calendar: Calendar, texts) -> set[Period]:
    """The scored periods (month, quarter, year) enclosing each period text."""
    return {p for text in texts for p in calendar.parse(text).enclosing() if p.kind in SCORED_PERIOD_KINDS}


def _target(entry: dict | None) -> Target | None:
    if entry is None:
        return None
    value = entry.get("value")
    return Target(
        value=float(value) if value is not None else None,
        measurement_unit=entry.get("measurement_unit", ""),
        params={k: v for k, v in (entry.get("params") or {}).items()},
        milestones=tuple(Milestone(str(m["period"]), float(m["share"])) for m in entry.get("milestones", [])),
    )


def _revision_mismatch(original: Mapping, revision: Mapping) -> str | None:
    """Why `revision` may not supersede `original`, or None."""
    if original["source"] != revision["source"]:
        return f"revision_of: event {original['event_id']} was reported by source {original['source']!r}"
    if (original["unit_id"], original["metric_code"]) != (revision["unit_id"], revision["metric_code"]):
        return f"revision_of: event {original['event_id']} is about another unit or metric"
    return None


# What an event says, as stored: a redelivery must say the same (its reported_at and Kafka position may differ).
# The source comes first: a feed replaying another source's event id learns that source from the reason, never
# its figures (a feed signs only for its own source).
_CONTENT_FIELDS = ("source", "unit_id", "person_id", "metric_code", "value", "measurement_unit", "period",
                   "observed_at", "revision_of", "evidence_ref")


def _replay_mismatch(stored: Mapping, row: Mapping) -> str | None:
    """Why `row` is not the stored event of its id again, or None when it says the same."""
    event_id = row["event_id"]
    for name in _CONTENT_FIELDS:
        if stored[name] != row[name]:
            return (f"event_id: {event_id} is already stored with another {name} ({str(stored[name])[:60]!r}, "
                    f"not {str(row[name])[:60]!r}); an event id names one event: report a correction as a new "
                    "event whose revision_of names it")
    if json.loads(stored["attributes_json"] or "{}") != json.loads(row["attributes_json"] or "{}"):
        return (f"event_id: {event_id} is already stored with other attributes; an event id names one event: "
                "report a correction as a new event whose revision_of names it")
    return None


def _record_of_stored(row: Mapping) -> IncomingRecord:
    """A stored event as a record again (protobuf), from where it was consumed: for a dead letter
    about an event stored in an earlier batch."""
    event = MetricEvent(
        event_id=row["event_id"], source=row["source"], unit_id=row["unit_id"], person_id=row["person_id"],
        metric_code=row["metric_code"], value=row["value"], measurement_unit=row["measurement_unit"],
        period=row["period"], revision_of=row["revision_of"], evidence_ref=row["evidence_ref"],
        attributes=json.loads(row["attributes_json"]),
    )
    for field in ("observed_at", "reported_at"):
        if row[field]:
            getattr(event, field).FromDatetime(datetime.fromisoformat(row[field]))
    return IncomingRecord(event_codec.encode(event), {event_codec.CONTENT_TYPE_HEADER: event_codec.PROTOBUF.encode()},
                          row["kafka_topic"], row["kafka_partition"], row["kafka_offset"], row["unit_id"].encode())
