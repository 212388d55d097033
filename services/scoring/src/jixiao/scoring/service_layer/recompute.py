"""The recompute use case: rescore a unit's indicators, totals and people for the
periods a change touches, inside the caller's transaction, with the active
plug-ins, each period's roll-up rule and the scheme's baselines. A base of
ScoringService, which supplies the schemes, the plug-ins and the repository.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date

from sqlalchemy import Connection

from jixiao.common.stages import PERIOD_BASES
from jixiao_sdk import IndicatorInput, IndicatorSpec, Milestone, Observation, Target
from jixiao_sdk.periods import Calendar, Period

from ..domain import period_rollup
from ..domain.persons import PersonRule, PersonWeights, person_cap
from ..domain.scheme_view import SchemeView
from ..domain.totals import IndicatorOutcome, unit_total
from .queries import SCORED_PERIOD_KINDS

PERIOD_ALONE, YEAR_TO_DATE = PERIOD_BASES


class Recomputation:
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
        specs = self.specs_of(scheme)
        assigned = {a.indicator for a in scheme.assignments_for(unit_id) if a.indicator in specs}
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
        wanted = {m for codes in work.values() for code in codes for m in specs[code].input_metrics}
        if rows is None:
            rows = self.repository.unit_events(connection, unit_id, year.start, year.end, wanted)
        if spans is None:
            spans = self.repository.unit_event_spans(connection, unit_id, year.start, year.end) if ytd else set()
        observations = [(row["period_start"], row["period_end"], self._observations.view(row)) for row in rows]
        baselines = _Baselines(self, scheme, unit_id)
        unit = scheme.units[unit_id]
        peers = _Peers(self, connection, scheme, unit.category)
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
                    metrics = specs[code].input_metrics
                    to_date_basis = code in ytd and kind != "year"
                    mine = [obs.period for obs in (to_date if to_date_basis else inside) if obs.metric_code in metrics]
                    if not mine or (to_date_basis and not has_figures):
                        # its last event was superseded or withdrawn: no result, as if never reported
                        emptied.append({"scheme_code": scheme.code, "unit_id": unit_id, "period": period.text,
                                        "indicator_code": code})
                    elif to_date_basis:
                        results.append(self._evaluate(scheme, unit_id, unit.category, code, year, to_date,
                                                      baselines.span(code, year.start, period.end), as_of=period))
                    elif code not in ytd and period_rollup.rolls_up_results(specs[code].rollup, period, mine):
                        results.append(self._rolled_up(connection, scheme, unit_id, code, period))
                    else:
                        # Last year's same span: to the end of the latest figure, as elapsed_share counts
                        # (the open year's January–September against last year's January–September).
                        until = max(end for start, end, obs in observations
                                    if obs.metric_code in metrics and period.start <= start and end <= period.end)
                        results.append(self._evaluate(scheme, unit_id, unit.category, code, period, inside,
                                                      baselines.span(code, period.start, until),
                                                      peers=peers.inside(specs[code], period)))
            self.repository.delete_indicator_results(connection, emptied)
            self.repository.replace_indicator_results(connection, results)
        self.retotal_unit(connection, scheme, unit_id, set(work))
        return set(work)

    def retotal_unit(self, connection: Connection, scheme: SchemeView, unit_id: str, periods: set[Period]) -> None:
        """Rebuilds the unit's totals for `periods` from its stored indicator results, with the
        scheme's weights (a period without results loses its total)."""
        unit = scheme.units[unit_id]
        stored: dict[str, dict[str, IndicatorOutcome]] = defaultdict(dict)
        for r in self.repository.indicator_results_for(connection, scheme.code, unit_id, [p.text for p in periods]):
            stored[r["period"]][r["indicator_code"]] = IndicatorOutcome(r["status"], r["points"], r["veto_cap"],
                                                                        r["veto_reason"], r["reason"])
        scores, unscored = [], []
        for period in sorted(periods):
            if not stored[period.text]:
                unscored.append({"scheme_code": scheme.code, "unit_id": unit_id, "period": period.text})
                continue
            total = unit_total(scheme, unit_id, stored[period.text], self.scales_of(scheme), period.kind)
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
            periods = periods | scored_periods(scheme.calendar, (row["period"] for row in events))
        periods = {p for p in periods if writable(p)}
        if not periods:
            return
        texts = [p.text for p in periods]
        unit_totals = self.repository.unit_totals(connection, scheme.code, unit_id, texts)
        kids = {kid.text for period in periods for kid in period_rollup.children(period)}
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
        spec = self.specs_of(scheme).get(code)
        rows = []
        for period in sorted(periods, key=lambda p: (SCORED_PERIOD_KINDS.index(p.kind), p)):
            unit_total = unit_totals.get(period.text, 0.0)
            for person in persons:
                previous = stored.get((person, period.text))
                inside = [row for row in by_person.get(person, ())
                          if period.start <= row["period_start"] and row["period_end"] <= period.end]
                if previous is None or changed is None or person in changed:
                    mine = [row["period"] for row in inside if spec and row["metric_code"] in spec.input_metrics]
                    if mine and period_rollup.rolls_up_results(spec.rollup, period, mine):
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
        specs = self.specs_of(scheme)
        for code in rule.deductions:
            spec = specs.get(code)
            mine = [row for row in rows if spec and row["metric_code"] in spec.input_metrics]
            if not mine or code not in assigned:
                continue
            inputs = self._inputs(spec, unit_id, scheme.units[unit_id].category, person, period,
                                  [self._observations.view(row) for row in mine], None)
            result = self._run(spec, inputs)
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
        kids = [scores[(person, kid.text)] for kid in period_rollup.children(period) if (person, kid.text) in scores]
        combined = period_rollup.combine(spec.rollup, [
            period_rollup.ChildResult(k["period"], k["personal_status"], k["personal_points"], None, None,
                               tuple(json.loads(k["evidence_json"])), explanation=k["explanation"])
            for k in kids if k["evidence_json"] != "[]"])
        return {"personal_points": combined.points, "personal_status": combined.status,
                "explanation": combined.explanation or combined.reason,
                "evidence_json": json.dumps(list(combined.evidence)), "plugin_version": self.plugin_versions[spec.code]}

    def _personal(self, scheme: SchemeView, unit_id: str, person: str, code: str, period: Period, rows: list) -> dict:
        """The personal evaluation of one person for one period."""
        specs = self.specs_of(scheme)
        if code not in specs:
            return {"personal_points": 0.0, "personal_status": "failed", "evidence_json": "[]", "plugin_version": "",
                    "explanation": f"no active plug-in computes {code!r}"}
        spec = specs[code]
        inputs = self._inputs(spec, unit_id, scheme.units[unit_id].category, person, period,
                              [self._observations.view(row) for row in rows], None)
        result = self._run(spec, inputs) if inputs.observations else None
        if result is None:
            return {"personal_points": 0.0, "personal_status": "ok", "evidence_json": "[]",
                    "plugin_version": self.plugin_versions[code], "explanation": "本期无个人评价 / no personal evaluation this period"}
        points = result.points / spec.max_points * 100.0 if result.status == "ok" and spec.max_points else 0.0
        return {"personal_points": points, "personal_status": result.status,
                "explanation": result.explanation or result.reason, "evidence_json": json.dumps(list(result.evidence)),
                "plugin_version": self.plugin_versions[code]}

    def _inputs(self, spec: IndicatorSpec, unit_id: str, category: str, person_id: str | None, period: Period,
                observations: list[Observation], target: Target | None, baseline: tuple[Observation, ...] = (),
                as_of_period: Period | None = None,
                peers: Mapping[str, list[Observation]] | None = None) -> IndicatorInput:
        """What a plug-in gets: the observations of its metrics and the share of the
        period elapsed by the end of the latest of them; for a year-to-date month or
        quarter (`as_of_period`), the year's observations up to its end and the share
        of the year elapsed at its end (序时进度); for an indicator ranking among peers
        (`needs_peers`), each peer's observations chosen the same way."""
        code = spec.code
        wanted = set(spec.input_metrics)

        def own(items: list[Observation]) -> tuple[Observation, ...]:
            kept = tuple(obs for obs in items if obs.metric_code in wanted)
            return period_rollup.latest_only(kept, period.calendar) if spec.rollup == "last" and kept else kept

        used = own(observations)
        chosen = {peer: mine for peer, items in (peers or {}).items() if (mine := own(items))}
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
            year_start_month=period.year_start_month, peers=chosen,
        )

    def _run(self, spec: IndicatorSpec, inputs: IndicatorInput):
        """The host's result; a generic indicator with its scheme's configuration."""
        if spec.settings:
            return self.host.evaluate(spec.code, inputs, spec=spec)
        return self.host.evaluate(spec.code, inputs)

    def period_basis(self, scheme: SchemeView, code: str) -> str:
        """How the indicator's months and quarters are assessed: the scheme's choice, else the plug-in's."""
        return scheme.period_basis(code, getattr(self.specs_of(scheme).get(code), "period_basis", PERIOD_ALONE))

    def _evaluate(self, scheme: SchemeView, unit_id: str, category: str, code: str, period: Period,
                  observations: list[Observation], baseline: tuple[Observation, ...] = (),
                  as_of: Period | None = None, peers: Mapping[str, list[Observation]] | None = None) -> dict:
        """One indicator's result for `period`; with `as_of` (a month or quarter of a
        year-to-date indicator) `period` is the year and the result is stored for `as_of`."""
        spec = self.specs_of(scheme)[code]
        inputs = self._inputs(spec, unit_id, category, None, period, observations,
                              _target(scheme.targets.get((unit_id, code))), baseline, as_of, peers)
        result = self._run(spec, inputs)
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
            connection, scheme.code, unit_id, [kid.text for kid in period_rollup.children(period)]) if r["indicator_code"] == code]
        combined = period_rollup.combine(self.specs_of(scheme)[code].rollup, [
            period_rollup.ChildResult(r["period"], r["status"], r["points"], r["raw_value"], r["achievement"],
                               tuple(json.loads(r["evidence_json"])), r["veto_cap"], r["veto_reason"], r["explanation"])
            for r in kids])
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

    def __init__(self, service: Recomputation, scheme: SchemeView, unit_id: str):
        self.service, self.scheme, self.unit_id = service, scheme, unit_id
        self._cache: dict[tuple, tuple[Observation, ...]] = {}

    def span(self, code: str, start: date, end: date) -> tuple[Observation, ...]:
        key = (code, start, end)
        if key not in self._cache:
            first, last = _year_before(start), _year_before(end)
            self._cache[key] = tuple(
                obs for metric in self.service.specs_of(self.scheme)[code].input_metrics
                for s, e, obs in self.scheme.baseline_observations(self.unit_id, metric) if first <= s and e <= last)
        return self._cache[key]


class _Peers:
    """The observations of every unit of a category, for an indicator ranking a unit among
    its peers (`needs_peers`): read once per recompute (each unit's figures of the year), then
    cut to a period. Units only: people are never ranked this way."""

    def __init__(self, service: Recomputation, connection: Connection, scheme: SchemeView, category: str):
        self.service, self.connection, self.scheme, self.category = service, connection, scheme, category
        self._rows: dict[tuple[str, frozenset[str]], list] = {}

    def inside(self, spec: IndicatorSpec, period: Period) -> dict[str, list[Observation]] | None:
        if not spec.needs_peers:
            return None
        year, metrics = self.scheme.year_period, frozenset(spec.input_metrics)
        found: dict[str, list[Observation]] = {}
        for unit in sorted(u.id for u in self.scheme.units.values() if u.category == self.category):
            key = (unit, metrics)
            if key not in self._rows:
                self._rows[key] = [(row["period_start"], row["period_end"], self.service._observations.view(row))
                                   for row in self.service.repository.unit_events(
                                       self.connection, unit, year.start, year.end, set(metrics))]
            mine = [obs for start, end, obs in self._rows[key] if period.start <= start and end <= period.end]
            if mine:
                found[unit] = mine
        return found


def _year_before(day: date) -> date:
    """The same day one year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def scored_periods(calendar: Calendar, texts) -> set[Period]:
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
