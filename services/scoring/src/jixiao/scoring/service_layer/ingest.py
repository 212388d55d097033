"""The ingest use case: validate a batch of records as the transport delivered
them (decoded, signed by their source's key, inside a published scheme), store
each event once with the changes it makes pending a rescore, and return the
rejects with their reasons (dead letters as they may leave scoring). A base of
ScoringService, which supplies the schemes, the plug-ins and the repository.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection

from jixiao.common import event_codec
from jixiao.common.stages import PERIOD_BASES
from jixiao.v1.metric_event_pb2 import MetricEvent
from jixiao_sdk.periods import Period, PeriodError

from ..domain import pseudonyms, validation
from ..domain.period_states import Writable
from ..domain.records import BatchOutcome, IncomingRecord, Rejected
from ..domain.scheme_view import SchemeView
from .queries import SCORED_PERIOD_KINDS

PERIOD_ALONE, YEAR_TO_DATE = PERIOD_BASES
log = logging.getLogger("jixiao.scoring")
# Attributes as stored: sorted keys, json.dumps's separators, text unescaped.
ATTRIBUTES_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


class Ingestion:
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
                rejected.append(self._rejected(record, str(exc), exc.code))
                continue
            rows.append(row)
            scheme_of[row["event_id"]] = scheme_code
            record_of.setdefault(row["event_id"], record)
            record_of_row[id(row)] = record
        with self.unit_of_work.transaction() as connection:
            writable = {}
            for code in sorted(set(scheme_of.values())):
                self.repository.lock_periods(connection, code, exclusive=False)
                writable[code] = self.writable_periods(connection, code)
            rows, conflicts = self._screen_revisions(connection, rows)
            rows, late = self._screen_frozen(connection, rows, scheme_of, writable)
            rejected += [self._rejected(record_of[row["event_id"]], reason, "revision") for row, reason in conflicts]
            rejected += [self._rejected(record_of[row["event_id"]], reason, "period_closed") for row, reason in late]
            new = self.repository.store_new_events(connection, rows)
            replays = self._replays(connection, rows, new)
            rejected += [self._rejected(record_of_row[id(row)], reason, "replay") for row, reason in replays]
            revisions = [row for row in new if row["revision_of"]]
            self.repository.add_revisions(connection, revisions)
            withdrawn = self._withdraw_early_revisions(connection, new)
            withdrawn_ids = {row["event_id"] for row, _ in withdrawn}
            rejected += [self._rejected(record_of.get(row["event_id"]) or _record_of_stored(row), reason, "revision")
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

    def store_derived(self, connection: Connection, scheme_code: str, rows: Sequence[dict]) -> list[dict]:
        """Stores events scoring derived itself — the points of a score sheet the office
        accepted (service_layer/score_sheets.py) — inside the caller's transaction: each
        event id once (an id stored before stores nothing), the supersessions their
        `revision_of` make, and the changes pending a rescore; returns the rows stored now.

        Unlike `store`, no feed signature is checked, nor the scheme's sources and metrics:
        no feed sent these events and nothing outside scoring reaches this method (the
        consumer and the gateway's uploads go through `store`). Their provenance is the
        sheet's own signature (its head, time and digest, in each event's attributes) and the
        office's acceptance, both in the sheet's history. The caller derives each event id
        from what the event is (scheme, indicator, period, version, unit, item), so its
        content cannot differ from a stored event of the same id, and revises only events it
        derived before, each once."""
        new = self.repository.store_new_events(connection, rows)
        self.repository.add_revisions(connection, [row for row in new if row["revision_of"]])
        changes = [dict(change) for change in {
            (("scheme_code", scheme_code), ("unit_id", row["unit_id"]), ("period", row["period"]),
             ("metric_code", row["metric_code"]), ("person_id", row["person_id"])) for row in new}]
        self.repository.add_pending(connection, changes)
        if new:
            self.events_written += 1
            self.writes_by_scheme[scheme_code] = self.writes_by_scheme.get(scheme_code, 0) + 1
        return new

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

    def _accept(self, record: IncomingRecord) -> tuple[dict, str]:
        """The event's row and the code of the scheme it falls under; raises EventError."""
        content_type = (record.headers.get(event_codec.CONTENT_TYPE_HEADER) or b"").decode("latin-1") or None
        event = event_codec.decode(record.value, content_type)
        if self.feed_verifier is not None:
            unsigned = self.feed_verifier.rejection(record.key, record.value, record.headers, event.source)
            if unsigned:
                raise event_codec.EventError(unsigned, "signature")
        try:
            scheme, period = self.scheme_for_period(event_codec.period_of(event))
        except PeriodError as exc:
            raise event_codec.EventError(f"period: {exc}") from None
        if scheme is None:
            raise event_codec.EventError(f"no published scheme covers the period {period.text}", "no_scheme")
        refused = validation.rejection_reason(
            scheme, source=event.source, unit_id=event.unit_id, person_id=event.person_id,
            metric_code=event.metric_code, period=period, known_metrics=self.known_metrics,
            value=event.value, measurement_unit=event.measurement_unit,
        )
        if refused:
            raise event_codec.EventError(refused[1], refused[0])
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
            "attributes_json": ATTRIBUTES_JSON.encode(self._without_secrets(scheme, event)) if event.attributes else "{}",
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

    def _rejected(self, record: IncomingRecord, reason: str, code: str) -> Rejected:
        return Rejected(self._secret_free(record), reason, code, received=record)

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
    for name in ("observed_at", "reported_at"):
        if row[name]:
            getattr(event, name).FromDatetime(datetime.fromisoformat(row[name]))
    return IncomingRecord(event_codec.encode(event), {event_codec.CONTENT_TYPE_HEADER: event_codec.PROTOBUF.encode()},
                          row["kafka_topic"], row["kafka_partition"], row["kafka_offset"], row["unit_id"].encode())
