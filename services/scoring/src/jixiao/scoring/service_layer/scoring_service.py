"""The scoring service: the plug-ins and the schemes it scores with, and the
rescoring of the changes ingest left pending. Its bases hold the other use cases:
ingest (ingest.py), recompute (recompute.py) and the read side (queries.py).
Free of Kafka and gRPC: the consumer hands in records and takes back the rejects.
"""
from __future__ import annotations

import json
import logging
import threading
from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import Connection, Engine

from jixiao.common import stages
from jixiao.common.errors import NotFound
from jixiao_sdk import IndicatorHost, IndicatorSpec
from jixiao_sdk.periods import Calendar, Period

from ..adapters.ballot_secrets import BallotSecrets
from ..adapters.observation_cache import DEFAULT_CAPACITY, ObservationCache
from ..adapters.repository import ScoringRepository
from ..domain import period_states, pseudonyms
from ..domain.approved_code import NOT_CHECKED, ApprovedCodeOnly, CodeCheck, check_code
from ..domain.feed_signatures import FeedVerifier
from ..domain.period_states import Writable
from ..domain.scheme_view import SchemeView, generic_base
from ..domain.totals import IndicatorScale
from .ingest import ATTRIBUTES_JSON, Ingestion
from .queries import ScoringQueries
from .recompute import Recomputation, scored_periods
from .unit_of_work import UnitOfWork

# Marks the plug-in version of results an unapproved build stands behind (failed, the plug-in not called).
UNAPPROVED_BUILD = " (unapproved build)"
log = logging.getLogger("jixiao.scoring")


class ScoringService(Ingestion, Recomputation, ScoringQueries):
    def __init__(self, engine: Engine, repository: ScoringRepository, host: IndicatorHost,
                 active: frozenset[str] | None = None, cache_events: int = DEFAULT_CAPACITY,
                 ballot_secrets: BallotSecrets | None = None, feed_verifier: FeedVerifier | None = None):
        self.engine = engine
        self.repository = repository
        # One writer at a time in this process, each write one transaction (unit_of_work.py).
        self.unit_of_work = UnitOfWork(engine)
        # Checks which feed signed each record (domain/feed_signatures.py); None: not checked (tests in one process).
        self.feed_verifier = feed_verifier
        self.ballot_secrets = ballot_secrets or BallotSecrets()  # in memory: one process, tests
        self._schemes_by_year: dict[int, SchemeView] = {}
        self._schemes_by_code: dict[str, SchemeView] = {}
        # Generic indicators (通用指标) each scheme configures: scheme code → indicator code → spec,
        # and those that could not be configured, with the reason.
        self.generic: dict[str, dict[str, IndicatorSpec]] = {}
        self.generic_problems: dict[str, dict[str, str]] = {}
        self._use_plugins(host, active)
        self._older_schemes: dict[tuple[str, int], SchemeView] = {}
        self._lock = threading.Lock()
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
        self._plugin_host = host
        self._refused = refused
        self.active = active
        self.unapproved_plugins = frozenset(refused.values())
        declared = host.specs()
        # The bases of generic indicators are not scored themselves: a scheme configures indicators from them.
        self.generic_bases = {code: declared[code] for code in usable if declared[code].generic}
        self.plugin_specs = {code: declared[code] for code in usable if not declared[code].generic}
        self._plugin_versions = {code: versions[code] + (UNAPPROVED_BUILD if code in refused else "")
                                 for code in usable}
        for scheme in list(self._schemes_by_code.values()):
            self._configure_generic(scheme)
        self._catalogue()
        if active is not None:
            missing = sorted(active - set(versions.values()))
            if missing:
                log.warning("active in the registry but not installed here: %s", ", ".join(missing))

    def _configure_generic(self, scheme: SchemeView) -> None:
        """Configures the scheme's generic indicators (`indicators[].generic`) through the host,
        from the base `generic_<formula>` of an active plug-in; one that cannot be configured
        (its base not installed or not active, unusable settings) is logged and listed in
        `generic_problems`, and has no results."""
        configured: dict[str, IndicatorSpec] = {}
        problems: dict[str, str] = {}
        for entry in scheme.generic_entries:
            code, settings = entry["code"], entry["generic"]
            base = generic_base(settings)
            if base is None:
                problems[code] = f"generic.formula: {settings.get('formula')!r} is not a formula name"
            elif code in self._plugin_host.specs():
                problems[code] = f"{code!r} is an installed plug-in's own indicator code"
            elif base not in self.generic_bases:
                problems[code] = (f"generic indicator {code!r} needs {base}, which no active plug-in provides"
                                  " (install and activate jixiao-indicator-generic)")
            else:
                names = entry.get("name") or {}
                try:
                    configured[code] = self._plugin_host.configure(
                        base, code, str(names.get("zh") or code), str(names.get("en") or names.get("zh") or code),
                        settings)
                except ValueError as exc:
                    problems[code] = str(exc)
        for code, reason in sorted(problems.items()):
            log.error("scheme %s: generic indicator %s cannot be scored: %s", scheme.code, code, reason)
        self.generic[scheme.code] = configured
        self.generic_problems[scheme.code] = problems

    def _catalogue(self) -> None:
        """The service-wide catalogue: the active plug-ins' indicators and the generic indicators
        of every known scheme (by scheme year; a later year's configuration of a code wins here,
        while each scheme is scored with its own: `specs_of`)."""
        generic: dict[str, IndicatorSpec] = {}
        for scheme in sorted(self._schemes_by_code.values(), key=lambda s: s.year):
            generic.update(self.generic.get(scheme.code, {}))
        specs = {**self.plugin_specs, **generic}
        bases = {code: generic_base(spec.settings) for code, spec in generic.items()}
        refused = {**self._refused, **{code: self._refused[base] for code, base in bases.items() if base in self._refused}}
        self.host = ApprovedCodeOnly(self._plugin_host, refused) if refused else self._plugin_host
        self.specs = dict(sorted(specs.items()))
        self.plugin_versions = {**self._plugin_versions,
                                **{code: self._plugin_versions[base] for code, base in bases.items()}}
        self.scales = {code: IndicatorScale(s.kind, s.min_points, s.max_points) for code, s in self.specs.items()}
        metric_indicators: dict[str, set[str]] = defaultdict(set)
        for code, spec in self.specs.items():
            for metric in spec.input_metrics:
                metric_indicators[metric].add(code)
        for configured in self.generic.values():  # an older scheme's configuration reads its own metrics
            for code, spec in configured.items():
                for metric in spec.input_metrics:
                    metric_indicators[metric].add(code)
        self.metric_indicators = metric_indicators
        self.known_metrics = frozenset(self.metric_indicators)
        self._scheme_specs = {code: {**self.plugin_specs, **configured} for code, configured in self.generic.items()
                              if configured}
        self._scheme_scales = {code: {**self.scales, **{c: IndicatorScale(s.kind, s.min_points, s.max_points)
                                                        for c, s in configured.items()}}
                               for code, configured in self.generic.items() if configured}

    def specs_of(self, scheme: SchemeView) -> dict[str, IndicatorSpec]:
        """The indicators scoring `scheme`: the active plug-ins' and the scheme's generic ones."""
        return self._scheme_specs.get(scheme.code, self.plugin_specs)

    def scales_of(self, scheme: SchemeView) -> dict[str, IndicatorScale]:
        """The points scales of `specs_of(scheme)`."""
        return self._scheme_scales.get(scheme.code, self.scales)

    def peer_metrics(self, scheme: SchemeView) -> frozenset[str]:
        """The metrics of the scheme's indicators that rank a unit among its peers (`needs_peers`):
        a change of one unit's figures rescores every unit of its category for them."""
        return frozenset(m for spec in self.specs_of(scheme).values() if spec.needs_peers for m in spec.input_metrics)

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
        with self.unit_of_work.transaction() as connection:
            for scheme in list(self._schemes_by_code.values()):
                self._recompute_year(connection, scheme)

    # schemes ------------------------------------------------------------
    def has_schemes(self) -> bool:
        return bool(self._schemes_by_code)

    def scheme(self, code: str) -> SchemeView:
        scheme = self._schemes_by_code.get(code)
        if scheme is None:
            raise NotFound(f"scheme {code!r} is not known to scoring: it is not published, or was published a "
                           "moment ago (scoring takes a new scheme up within seconds; try again)")
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
        its year, frozen (locked, approved, published) periods excepted.

        Once per version across scoring processes: they adopt one at a time (an advisory
        lock, PostgreSQL), and a process that finds the same document already stored for
        the version — another process stored it and rescored the year in the same
        transaction — only takes it up (`docs/scoring.md`, Several processes)."""
        scheme = SchemeView(document, version)
        with self.unit_of_work.transaction() as connection:
            self.repository.lock_units(connection, [f"{scheme.code}/adopting"])
            if self.repository.scheme_document(scheme.code, version, connection) == document:
                self._remember(scheme)
                log.info("scoring with scheme %s version %d (its year was rescored when it was stored)",
                         scheme.code, version)
                return
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
                changes.append((event_id, ATTRIBUTES_JSON.encode(clean)))
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
                         if row["state"] != period_states.OPEN})

    def _remember(self, scheme: SchemeView) -> None:
        with self._lock:
            self._schemes_by_code[scheme.code] = scheme
            self._schemes_by_year[scheme.year] = scheme
        self._configure_generic(scheme)
        self._catalogue()

    def scheme_for_period(self, text: str) -> tuple[SchemeView | None, Period]:
        """The scheme whose year a period text falls in (`stages.scheme_year_of`), and the
        period read with that scheme's calendar. Raises PeriodError for a non-period."""
        year, period = stages.scheme_year_of(text, self._calendar_of_year)
        return (None if year is None else self._schemes_by_year[year]), period

    def _calendar_of_year(self, year: int) -> Calendar | None:
        scheme = self._schemes_by_year.get(year)
        return None if scheme is None else scheme.calendar

    # rescoring ----------------------------------------------------------
    def rescore_pending(self, max_changes: int = 20_000, scheme_code: str | None = None, *, once: bool = False) -> int:
        """Rescores the stored changes not rescored yet, oldest first,
        `max_changes` per transaction (one transaction only with `once`);
        returns how many changes it cleared."""
        cleared = 0
        while True:
            with self.unit_of_work.transaction() as connection:
                done = self.rescore_in(connection, max_changes, scheme_code)
            cleared += done
            if once or done < max_changes:
                return cleared

    def _add_peers(self, touched: dict[tuple[str, str], set[tuple[str, str]]]) -> None:
        """`spread_to_peers` for the changes of every scheme, keyed by (scheme code, unit)."""
        for code in sorted({code for code, _ in touched}):
            scheme = self._schemes_by_code.get(code)
            if scheme is None:
                continue
            mine = {unit_id: changes for (c, unit_id), changes in touched.items() if c == code}
            self.spread_to_peers(scheme, mine)
            for unit_id, changes in mine.items():
                touched[(code, unit_id)] |= changes

    def spread_to_peers(self, scheme: SchemeView, touched: dict[str, set[tuple[str, str]]]) -> None:
        """A unit's figures of a metric an indicator ranking among peers reads change every
        peer's rank: each unit of its category gets the same (period, metric) changes.
        `touched` maps a unit to its changes and is extended in place."""
        metrics = self.peer_metrics(scheme)
        for unit_id, changes in list(touched.items()):
            ranked = {change for change in changes if change[1] in metrics}
            if not ranked or unit_id not in scheme.units:
                continue
            category = scheme.units[unit_id].category
            for peer in scheme.units.values():
                if peer.category == category and peer.id != unit_id:
                    touched.setdefault(peer.id, set()).update(ranked)

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
        self._add_peers(touched)
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
            periods |= scored_periods(scheme.calendar, (text for text, _ in people.get((code, unit_id), ())))
            changed = {person for _, person in people.get((code, unit_id), ())}
            self.recompute_persons(connection, scheme, unit_id, periods, changed, writable[code])
        self.repository.delete_pending(connection, [change["id"] for change in pending])
        return len(pending)
