"""The what-if simulation use case (模拟测算, domain/simulation.py): score stated changes
with the official engine — the same plug-ins, roll-ups, year-to-date rules, weights and
grading — inside a transaction that is always rolled back, and compare the period's
standings before and after. Official results never change and nothing of a simulation
is visible outside it; every simulation asked is recorded (who asked what, when).

Only what a change reaches is scored again: a unit whose figure changes is rescored for
the periods enclosing that figure (with its category's peers, for an indicator ranking
among peers), a unit whose target changes is rescored for the year, the units of a
reweighted category get their totals again from their stored results; the leaders of a
unit whose totals change get theirs again (their personal evaluations stay). Both units
and leaders are compared.
"""
from __future__ import annotations

import time
import uuid
from collections import defaultdict
from dataclasses import dataclass

from jixiao.common.auth import Principal
from jixiao.common.errors import InvalidArgument, ServiceError
from jixiao_sdk.periods import Period, PeriodError

from ..adapters.simulation_repository import SimulationRepository, changes_json
from ..domain import ranking
from ..domain import simulation as rules
from ..domain.grading import grade_pool
from ..domain.scheme_view import SchemeView
from .period_review import now
from .queries import SCORED_PERIOD_KINDS
from .scoring_service import ScoringService

SIMULATION_SOURCE = "simulation"  # the source of a figure no stored figure gave one
MAX_LISTED = 200


@dataclass(frozen=True)
class SimulationResult:
    scheme: SchemeView  # as simulated: with the changed targets, weights and ratios
    period: str
    changes: tuple[rules.Change, ...]
    differences: tuple[rules.Difference, ...]
    units_compared: int
    leaders: tuple[rules.Difference, ...]  # leaders whose total, rank or grade differ (unit_id: the person)
    replaced_figures: dict[int, int]  # figure change index → how many stored figures it replaced
    elapsed_ms: float


def _always(period: Period) -> bool:  # noqa: ARG001 - every period may change inside a simulation
    return True


class Simulation:
    def __init__(self, service: ScoringService):
        self.service = service
        self.store = SimulationRepository(service.engine)

    def simulate(self, scheme_code: str, period: str, raw_changes: list[dict], caller: Principal) -> SimulationResult:
        started = time.perf_counter()
        service = self.service
        scheme = service.scheme(scheme_code)
        asked = self._period(scheme, period)
        try:
            changes = rules.parse_changes(raw_changes, self._facts(scheme), lambda text: self._is_period(scheme, text))
            edited = rules.edited_document(scheme.document, changes)
        except rules.ChangeRefused as exc:
            raise InvalidArgument(exc.field, str(exc)) from None
        simulated = scheme if edited is scheme.document else SchemeView(edited, scheme.version)
        for index, change in enumerate(changes):
            if isinstance(change, rules.RatioChange):
                try:
                    service.grading_rule(simulated, change.grading_code)
                except ServiceError as exc:  # the rule as changed cannot be applied: its own words
                    raise InvalidArgument(f"changes[{index}].parts", str(exc)) from None
        units = self._reached(simulated, changes)
        added: list[str] = []
        replaced: dict[int, int] = {}
        try:
            with service.unit_of_work.rolled_back() as connection:
                service.repository.lock_periods(connection, scheme.code, exclusive=False)
                service.repository.lock_units(connection, (f"{scheme.code}/{unit}" for unit in units))
                before = self._standings(connection, scheme, asked)
                leaders_before = self._leader_standings(connection, scheme, asked)
                touched: dict[str, set[tuple[str, str]]] = defaultdict(set)
                for index, change in enumerate(changes):
                    if isinstance(change, rules.FigureChange):
                        event_id = f"simulation/{uuid.uuid4().hex}"
                        added.append(event_id)
                        replaced[index] = len(self.store.replace_figures(
                            connection, change.unit_id, change.metric_code, change.period,
                            self._figure_row(simulated, change, event_id, connection)))
                        touched[change.unit_id].add((change.period, change.metric_code))
                service.spread_to_peers(simulated, touched)
                rescored: dict[str, set[Period]] = defaultdict(set)  # unit → periods whose totals changed
                targets = rules.target_units(changes)
                for unit_id in sorted(targets):
                    rescored[unit_id] |= service.recompute_unit(connection, simulated, unit_id, None, _always)
                for unit_id, figures in sorted(touched.items()):
                    if unit_id not in targets:
                        rescored[unit_id] |= service.recompute_unit(connection, simulated, unit_id, figures, _always)
                categories = rules.reweighted_categories(changes, {u.category for u in scheme.units.values()})
                if categories:
                    scored = self.store.period_totals(connection, scheme.code, asked.text)
                    for unit_id in sorted(scored):
                        if simulated.units[unit_id].category in categories:
                            service.retotal_unit(connection, simulated, unit_id, {asked})
                            rescored[unit_id].add(asked)
                for unit_id, periods in sorted(rescored.items()):  # leaders' totals follow their unit's
                    service.recompute_persons(connection, simulated, unit_id, {p for p in periods if p == asked},
                                              set(), _always)
                after = self._standings(connection, simulated, asked)
                leaders_after = self._leader_standings(connection, simulated, asked)
        finally:
            for event_id in added:
                service._observations.forget(event_id)
        differences = rules.differences(before, after, changes)
        leaders = rules.differences(leaders_before, leaders_after, changes, dict(scheme.person_unit))
        elapsed = (time.perf_counter() - started) * 1000
        with service.unit_of_work.transaction() as connection:
            self.store.add_simulation(connection, {
                "scheme_code": scheme.code, "scheme_version": scheme.version, "period": asked.text,
                "changes_json": changes_json([change_summary(c) for c in changes]),
                "differences": len(differences) + len(leaders), "elapsed_ms": elapsed,
                "asked_by": caller.name, "asked_at": now()})
        return SimulationResult(simulated, asked.text, changes, differences, len(after), leaders, replaced, elapsed)

    def simulations(self, scheme_code: str) -> list[dict]:
        """The scheme's simulations asked, newest first (the last MAX_LISTED)."""
        self.service.scheme(scheme_code)
        return self.store.simulations(scheme_code, MAX_LISTED)

    # -- the parts -------------------------------------------------------------
    def _period(self, scheme: SchemeView, text: str) -> Period:
        if not self._is_period(scheme, text):
            raise InvalidArgument("period", f"{text!r} is not a month, quarter or the year of scheme {scheme.code} "
                                  f"({scheme.year_period.text})")
        return scheme.calendar.parse(text)

    @staticmethod
    def _is_period(scheme: SchemeView, text: str) -> bool:
        try:
            period = scheme.calendar.parse(text)
        except (PeriodError, TypeError, ValueError):
            return False
        year = scheme.year_period
        return period.kind in SCORED_PERIOD_KINDS and year.start <= period.start and period.end <= year.end

    def _facts(self, scheme: SchemeView) -> rules.SchemeFacts:
        specs = self.service.specs_of(scheme)
        ratio = {}
        for rule in scheme.document.get("grading") or []:
            if rule.get("method") == "ratio" and rule.get("subject", "unit") == "unit":
                ratio[str(rule.get("code"))] = frozenset(int(g["grade"]) for g in rule.get("grades") or [])
        return rules.SchemeFacts(
            units={u.id: u.category for u in scheme.units.values()},
            indicator_metrics={code: tuple(spec.input_metrics) for code, spec in specs.items()},
            assignments=frozenset((a.category, a.indicator) for items in scheme.assignments.values() for a in items),
            dimensions=frozenset(d.code for d in scheme.dimensions),
            ratio_rules=ratio,
            targets=frozenset(scheme.targets),
        )

    def _reached(self, scheme: SchemeView, changes) -> set[str]:
        """The units whose rows the simulation may write (locked first, in order)."""
        figures: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for change in changes:
            if isinstance(change, rules.FigureChange):
                figures[change.unit_id].add((change.period, change.metric_code))
        self.service.spread_to_peers(scheme, figures)
        categories = rules.reweighted_categories(changes, {u.category for u in scheme.units.values()})
        return (set(figures) | set(rules.target_units(changes))
                | {u.id for u in scheme.units.values() if u.category in categories})

    def _figure_row(self, scheme: SchemeView, change: rules.FigureChange, event_id: str, connection) -> dict:
        """The stored form of a simulated figure: like the unit's figures it replaces."""
        period = scheme.calendar.parse(change.period)
        year = scheme.year_period
        same = [row for row in self.service.repository.unit_events(connection, change.unit_id, year.start, year.end,
                                                                   {change.metric_code})]
        model = next((row for row in same if row["period"] == change.period), same[0] if same else None)
        declared = next((str(m.get("measurement_unit") or "") for m in scheme.document.get("metrics") or []
                         if m.get("code") == change.metric_code), "")
        target = scheme.targets.get((change.unit_id, change.indicator_code)) or {}
        source = next((code for code, metrics in scheme.source_metrics.items() if change.metric_code in metrics),
                      SIMULATION_SOURCE)
        stamp = now()
        return {
            "event_id": event_id, "source": model["source"] if model else source, "unit_id": change.unit_id,
            "person_id": "", "metric_code": change.metric_code, "value": change.value,
            "measurement_unit": (model["measurement_unit"] if model else declared or str(target.get("measurement_unit")
                                                                                        or "")),
            "period": period.text, "period_start": period.start, "period_end": period.end,
            "observed_at": stamp, "reported_at": stamp, "revision_of": "", "evidence_ref": "",
            "attributes_json": model["attributes_json"] if model else "{}", "kafka_topic": "",
            "kafka_partition": -1, "kafka_offset": -1,
        }

    def _standings(self, connection, scheme: SchemeView, period: Period) -> dict[str, rules.Standing]:
        """Every scored unit of the period: total, rank in its category, grade per unit rule
        that grades the period, points per indicator, read inside `connection`'s transaction."""
        totals = self.store.period_totals(connection, scheme.code, period.text)
        points = self.store.period_points(connection, scheme.code, period.text)
        by_category: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for unit_id, (total, category) in totals.items():
            by_category[category].append((unit_id, total))
        ranks = {r.unit_id: r.rank for items in by_category.values() for r in ranking.rank(items)}
        _, grades = self._graded(connection, scheme, period, "unit")
        return {unit_id: rules.Standing(unit_id, category, total, ranks[unit_id], grades.get(unit_id, {}),
                                        points.get(unit_id, {}))
                for unit_id, (total, category) in totals.items()}

    def _leader_standings(self, connection, scheme: SchemeView, period: Period) -> dict[str, rules.Standing]:
        """Every leader scored in the period: total, and rank and grade under each person grading
        rule that grades the period (the rank of the first such rule)."""
        scores = self.service.repository.period_person_scores(scheme.code, period.text, connection=connection)
        ranks, grades = self._graded(connection, scheme, period, "person")
        return {person: rules.Standing(person, scheme.units[row["unit_id"]].category, row["total"], ranks.get(person),
                                       grades.get(person, {}))
                for person, row in scores.items() if row["unit_id"] in scheme.units}

    def _graded(self, connection, scheme: SchemeView, period: Period,
                subject: str) -> tuple[dict[str, int], dict[str, dict[str, int | None]]]:
        """Under each grading rule of `subject` that grades the period, as the read side grades
        (with the office's resolutions of ties): id → rank in the first such rule's pool, and
        id → rule code → grade."""
        ranks: dict[str, int] = {}
        grades: dict[str, dict[str, int | None]] = defaultdict(dict)
        for document in scheme.document.get("grading") or []:
            if document.get("subject", "unit") != subject:
                continue
            rule = self.service.grading_rule(scheme, str(document.get("code")))
            if not rule.grades_period(period.kind):
                continue
            entries = self.service.grade_entries(scheme, rule, period.text, connection)
            for graded in grade_pool(rule, entries, self.service.tie_resolutions(scheme.code, rule.code, period.text)):
                ranks.setdefault(graded.id, graded.rank)
                grades[graded.id][rule.code] = graded.grade
        return ranks, grades


def change_summary(change: rules.Change) -> dict:
    """A change as the API states it (for the reply and the record)."""
    if isinstance(change, rules.FigureChange):
        return {"kind": "figure", "unit_id": change.unit_id, "indicator_code": change.indicator_code,
                "metric_code": change.metric_code, "period": change.period, "value": change.value}
    if isinstance(change, rules.TargetChange):
        return {"kind": "target", "unit_id": change.unit_id, "indicator_code": change.indicator_code,
                "value": change.value}
    if isinstance(change, rules.WeightChange):
        if change.dimension_code:
            return {"kind": "weight", "dimension_code": change.dimension_code, "weight": change.weight}
        return {"kind": "weight", "category": change.category, "indicator_code": change.indicator_code,
                "weight": change.weight}
    return {"kind": "ratio", "grading_code": change.grading_code, "parts": {str(g): p for g, p in change.parts}}

