"""The democratic evaluation use cases (docs/ballots.md): the office issues and voids ballot
codes, follows the turnout and counts the ballots; the gateway's ballot box opens and casts a
ballot for an anonymous rater. The rules are domain/ballots.py's.

Each call is one transaction. Casting spends the code and stores the ballot together, or
neither: a code already spent (or void, or unknown) stores nothing. Counting stores one tally
event per rater group and subject through scoring's path for derived events
(`store_derived`), revising the previous count's, and rescores the unit-periods they change.

What is never stored, logged or answered: a code after its issue (only its keyed hash is
kept), when a code was spent, which code a ballot came from. Error messages never repeat
the code typed.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument
from jixiao_sdk.periods import Period

from ..adapters.ballot_repository import SPENT, VOID, BallotRepository, Round
from ..domain import ballots as rules
from ..domain.ballots import BallotCodeError, BallotDefinition, BallotInputError, NotABallot, Turnout
from ..domain.scheme_view import SchemeView
from .ingest import ATTRIBUTES_JSON
from .queries import SCORED_PERIOD_KINDS
from .scoring_service import ScoringService

#: The measurement unit of a tally event's value (the sum of the group's ratings).
RATING_SUM = "rating_sum"
ISSUE, VOID_ACTION, COUNT = "issue", "void", "count"


@dataclass(frozen=True)
class Paper:
    """What a ballot shows: its round, group, subjects and scale."""

    scheme: SchemeView
    definition: BallotDefinition
    period: str
    unit_id: str
    group: rules.RaterGroup
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class RoundTurnout:
    scheme: SchemeView
    definition: BallotDefinition
    period: str
    unit_id: str
    groups: tuple[Turnout, ...]
    counted: dict[str, int]
    closed: bool
    audit: tuple[dict, ...] = ()


def event_id(round_: Round, group: str, subject: str, ballots: int, issued: int) -> str:
    """The id of the tally event of one group and subject in a count: `ballot-` and the first
    40 hex digits of the SHA-256 of the JSON list of (scheme, indicator, period, unit, group,
    subject, ballots, issued). The same count gives the same ids: counting again stores nothing."""
    key = json.dumps([*round_, group, subject, ballots, issued], ensure_ascii=False)
    return "ballot-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


class Ballots:
    def __init__(self, service: ScoringService, repository: BallotRepository | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 new_id: Callable[[], str] = lambda: secrets.token_hex(16)):
        self.service = service
        self.repository = repository or BallotRepository()
        self.unit_of_work = service.unit_of_work
        self.clock = clock
        self.new_id = new_id

    def _now(self) -> str:
        return self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    # the office ----------------------------------------------------------------
    def issue(self, scheme_code: str, indicator_code: str, period_text: str, unit_id: str, group: str, count: int,
              caller: Principal) -> tuple[Paper, list[str]]:
        scheme, definition, period, unit = self._round(scheme_code, indicator_code, period_text, unit_id)
        rater_group = self._group(definition, group)
        try:
            rules.issue_count(count)
        except BallotInputError as exc:
            raise InvalidArgument(exc.field, exc.problem) from None
        key = rules.code_key(self.service.ballot_secrets.secret(scheme.code))
        codes = [rules.new_code() for _ in range(count)]
        round_ = (scheme.code, indicator_code, period.text, unit)
        with self.unit_of_work.transaction() as connection:
            self._refuse_closed(connection, scheme, period, "issuing ballot codes")
            self.repository.add_codes(connection, round_, rater_group.code, [rules.code_hash(key, c) for c in codes])
            self.repository.audit(connection, round_, rater_group.code, ISSUE, caller.name or caller.role,
                                  self._now(), count)
        return Paper(scheme, definition, period.text, unit, rater_group, rules.subjects(scheme, unit)), \
            [rules.shown(c) for c in codes]

    def void(self, scheme_code: str, indicator_code: str, period_text: str, unit_id: str, group: str,
             codes: Sequence[str], caller: Principal) -> RoundTurnout:
        scheme, definition, period, unit = self._round(scheme_code, indicator_code, period_text, unit_id)
        rater_group = self._group(definition, group)
        round_ = (scheme.code, indicator_code, period.text, unit)
        key = rules.code_key(self.service.ballot_secrets.secret(scheme.code))
        hashes = []
        for n, text in enumerate(codes):
            try:
                hashes.append(rules.code_hash(key, rules.read_code(text)))
            except BallotCodeError as exc:
                raise InvalidArgument(f"ballot_codes[{n}]", str(exc)) from None
        with self.unit_of_work.transaction() as connection:
            if hashes:
                states = self.repository.code_states(connection, round_, rater_group.code, hashes)
                for n, h in enumerate(hashes):
                    if h not in states:
                        raise InvalidArgument(f"ballot_codes[{n}]", f"not a code of group {rater_group.code} "
                                                                    "in this round")
                    if states[h] == SPENT:
                        raise FailedPrecondition(f"ballot_codes[{n}]: this code has already been used; a ballot "
                                                 "cast cannot be withdrawn")
            voided = self.repository.void(connection, round_, rater_group.code, hashes or None)
            self.repository.audit(connection, round_, rater_group.code, VOID_ACTION, caller.name or caller.role,
                                  self._now(), voided)
            return self._turnout(connection, scheme, definition, period, unit, audit=True)

    def turnout(self, scheme_code: str, indicator_code: str, period_text: str, unit_id: str) -> RoundTurnout:
        scheme, definition, period, unit = self._round(scheme_code, indicator_code, period_text, unit_id)
        with self.unit_of_work.transaction() as connection:
            return self._turnout(connection, scheme, definition, period, unit, audit=True)

    def rounds(self, scheme_code: str, period_text: str) -> list[RoundTurnout]:
        """Every ballot-scored indicator assessed in the period, and each of its units."""
        _required(scheme_code=scheme_code, period=period_text)
        scheme = self.service.scheme(scheme_code)
        found = []
        with self.unit_of_work.transaction() as connection:
            for definition in rules.definitions(scheme):
                try:
                    period = rules.round_period(scheme, definition, period_text)
                except BallotInputError as exc:
                    if "not assessed" in exc.problem:
                        continue
                    raise InvalidArgument(exc.field, exc.problem) from None
                found += [self._turnout(connection, scheme, definition, period, unit) for unit in definition.units]
        return found

    def count(self, scheme_code: str, indicator_code: str, period_text: str, unit_id: str,
              caller: Principal) -> RoundTurnout:
        """Tallies the round's ballots per group and subject into events (see the module doc)."""
        scheme, definition, period, unit = self._round(scheme_code, indicator_code, period_text, unit_id)
        round_ = (scheme.code, indicator_code, period.text, unit)
        subjects = rules.subjects(scheme, unit)
        at = self._now()
        with self.unit_of_work.transaction() as connection:
            self.service.repository.lock_periods(connection, scheme.code, exclusive=False)
            self.service.repository.lock_units(connection, ["ballots/" + "/".join(round_)])
            self._refuse_closed(connection, scheme, period, "counting the ballots")
            last = self.repository.last_counts(connection, round_)
            rows = []
            for turnout in rules.turnouts(definition, self.repository.counts(connection, round_)):
                group = turnout.group.code
                if turnout.issued == 0 and turnout.voided == 0 and group not in last:
                    continue  # no codes were ever issued to this group: not part of the round
                cast = self.repository.group_ballots(connection, round_, group)
                now = (len(cast), turnout.issued)
                if last.get(group) == now:
                    continue
                before = last.get(group)
                for subject, figures in rules.tally(subjects, cast).items():
                    rows.append(self._tally_event(definition, round_, period, group, subject, figures, now, before, at))
                self.repository.save_count(connection, round_, group, *now)
                self.repository.audit(connection, round_, group, COUNT, caller.name or caller.role, at, now[0])
            if rows:
                self.service.store_derived(connection, scheme.code, rows)
                self.service.rescore_in(connection, 10**9, scheme.code)
            return self._turnout(connection, scheme, definition, period, unit, audit=True)

    # the ballot box ------------------------------------------------------------
    def open(self, code_text: str) -> Paper:
        """The ballot paper `code_text` opens, if it may still vote."""
        with self.unit_of_work.transaction() as connection:
            paper, _ = self._usable(connection, code_text)
            return paper

    def cast(self, code_text: str, ratings: Sequence[tuple[str, float]]) -> Paper:
        """Spends the code and stores the ballot, in one transaction; nothing when refused."""
        with self.unit_of_work.transaction() as connection:
            paper, code_hash = self._usable(connection, code_text)
            try:
                found = rules.check_ratings(paper.definition, paper.subjects, ratings)
            except BallotInputError as exc:
                raise InvalidArgument(exc.field, exc.problem) from None
            if not self.repository.spend(connection, code_hash):  # another ballot took it meanwhile
                raise FailedPrecondition("ballot_code: this code has already been used")
            round_ = (paper.scheme.code, paper.definition.indicator_code, paper.period, paper.unit_id)
            self.repository.add_ballot(connection, self.new_id(), round_, paper.group.code, found)
        return paper

    # helpers -------------------------------------------------------------------
    def _usable(self, connection, code_text: str) -> tuple[Paper, str]:
        if not code_text:
            raise InvalidArgument("ballot_code", "is required: the code on your ballot slip")
        try:
            code = rules.read_code(code_text)
        except BallotCodeError as exc:
            raise InvalidArgument("ballot_code", str(exc)) from None
        hashes = {rules.code_hash(rules.code_key(self.service.ballot_secrets.secret(s)), code): s
                  for s in self.repository.schemes_with_codes(connection)}
        row = self.repository.find_code(connection, hashes) if hashes else None
        if row is None:
            raise InvalidArgument("ballot_code", "unknown code: no ballot has this code; check it against your slip")
        if row["state"] == SPENT:
            raise FailedPrecondition("ballot_code: this code has already been used")
        if row["state"] == VOID:
            raise FailedPrecondition("ballot_code: this code was withdrawn by the evaluation office")
        scheme, definition, period, unit = self._round(row["scheme_code"], row["indicator_code"], row["period"],
                                                       row["unit_id"])
        self._refuse_closed(connection, scheme, period, "voting")
        group = self._group(definition, row["rater_group"])
        return Paper(scheme, definition, period.text, unit, group, rules.subjects(scheme, unit)), row["code_hash"]

    def _round(self, scheme_code: str, indicator_code: str, period_text: str,
               unit_id: str) -> tuple[SchemeView, BallotDefinition, Period, str]:
        _required(scheme_code=scheme_code, indicator_code=indicator_code, period=period_text, unit_id=unit_id)
        scheme = self.service.scheme(scheme_code)
        try:
            definition = rules.definition(scheme, indicator_code)
            period = rules.round_period(scheme, definition, period_text)
            unit = rules.round_unit(definition, unit_id)
        except NotABallot as exc:
            raise InvalidArgument("indicator_code", str(exc)) from None
        except BallotInputError as exc:
            raise InvalidArgument(exc.field, exc.problem) from None
        return scheme, definition, period, unit

    @staticmethod
    def _group(definition: BallotDefinition, group: str) -> rules.RaterGroup:
        try:
            return definition.group(group)
        except BallotInputError as exc:
            raise InvalidArgument(exc.field, exc.problem) from None

    def _closed(self, connection, scheme: SchemeView, period: Period) -> Period | None:
        can_write = self.service.writable_periods(connection, scheme.code)
        return next((p for p in period.enclosing() if p.kind in SCORED_PERIOD_KINDS and not can_write(p)), None)

    def _refuse_closed(self, connection, scheme: SchemeView, period: Period, what: str) -> None:
        closed = self._closed(connection, scheme, period)
        if closed is not None:
            raise FailedPrecondition(f"period: {closed.text} is closed (locked, approved or published); "
                                     f"{what} is no longer possible")

    def _turnout(self, connection, scheme: SchemeView, definition: BallotDefinition, period: Period, unit: str,
                 audit: bool = False) -> RoundTurnout:
        round_ = (scheme.code, definition.indicator_code, period.text, unit)
        last = self.repository.last_counts(connection, round_)
        return RoundTurnout(scheme, definition, period.text, unit,
                            tuple(rules.turnouts(definition, self.repository.counts(connection, round_))),
                            {g: n for g, (n, _) in last.items()}, self._closed(connection, scheme, period) is not None,
                            tuple(self.repository.audit_trail(connection, round_)) if audit else ())

    def _tally_event(self, definition: BallotDefinition, round_: Round, period: Period, group: str, subject: str,
                     figures: rules.Tally, now: tuple[int, int], before: tuple[int, int] | None, at: str) -> dict:
        stamp = _timestamp(at)
        return {
            "event_id": event_id(round_, group, subject, *now),
            "source": definition.source, "unit_id": round_[3], "person_id": subject,
            "metric_code": definition.metric, "value": float(figures.total), "measurement_unit": RATING_SUM,
            "period": period.text, "period_start": period.start, "period_end": period.end,
            "observed_at": stamp, "reported_at": stamp,
            "revision_of": event_id(round_, group, subject, *before) if before else "",
            "evidence_ref": "",
            "attributes_json": ATTRIBUTES_JSON.encode({"group": group, "ballots": str(figures.ballots),
                                                       "issued": str(now[1])}),
            "kafka_topic": "", "kafka_partition": 0, "kafka_offset": 0,
        }


def _required(**fields: str) -> None:
    for name, value in fields.items():
        if not value:
            raise InvalidArgument(name, "is required")


def _timestamp(at: str) -> str:
    """An ISO time ('…Z') as stored events give their times (event_codec.timestamp_text)."""
    stamp = Timestamp()
    stamp.FromDatetime(datetime.fromisoformat(at.replace("Z", "+00:00")))
    return event_codec.timestamp_text(stamp)
