"""Scheme documents (format `jixiao.scheme/v1`) and their validation rules.

A scheme is what the evaluation office publishes at the start of the year
("口径早出台"): the org tree, peer-group categories, dimensions and weights,
indicator assignments, targets and grading rules. `validate` lists every
problem, each naming the place in the document, so the office can fix a
draft in one pass.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from jixiao.common import scheme_format, stages, yaml_text
from jixiao.common.scheme_format import weights
from jixiao_sdk.model import undeclared_parameters
from jixiao_sdk.periods import Calendar, PeriodError

from . import generic_indicator_rules as generic_indicators

FORMAT = scheme_format.FORMAT
WEIGHT_TOLERANCE = weights.WEIGHT_TOLERANCE
MAX_DEPTH = 100  # a scheme is six levels deep
MAX_VALUES = 5_000_000  # a province is under a million


class SchemeFormatError(ValueError):
    """The text is not a YAML/JSON mapping."""


@dataclass(frozen=True)
class Problem:
    """One validation failure: where in the document, and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def parse_document(text: str, document_format: str = "") -> dict:
    """Reads a scheme document from YAML or JSON text (detected when not given)."""
    document_format = document_format or ("json" if text.lstrip().startswith("{") else "yaml")
    try:
        if document_format == "json":
            data = json.loads(text)
        else:
            _check_yaml_size(text)
            data = yaml_text.safe_load(text)
    except SchemeFormatError:
        raise
    except (ValueError, yaml.YAMLError) as exc:  # ValueError: JSON's, and integers of over 4,300 digits
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit (0.2.5 and later), in its scanner
            raise SchemeFormatError(f"nested more than {MAX_DEPTH} levels deep") from None
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise SchemeFormatError(f"not valid {document_format.upper()}: {first_line}") from None
    except RecursionError:
        raise SchemeFormatError(f"nested more than {MAX_DEPTH} levels deep") from None
    if not isinstance(data, dict):
        raise SchemeFormatError(f"a scheme document is a mapping, not {type(data).__name__}")
    _check_keys_and_depth(data)
    return data


def _check_yaml_size(text: str) -> None:
    """Refuses, from the parser's events and before anything is built, YAML
    nested deeper than MAX_DEPTH (libyaml's composer overflows the C stack
    some 10,000 levels down and takes the process with it), with more than
    MAX_VALUES values, counting each alias as what it repeats (nine nested
    aliases of ten make a 400-byte document of a billion values), or with an
    alias inside what it names (a cycle, which has no JSON)."""
    anchors: dict[str, tuple[int, int]] = {}  # anchor: (values, levels) of what it names
    open_at: list[list] = []  # per open collection: [values before it, its anchor, its levels so far]
    values = 0
    for event in yaml.parse(text, Loader=yaml_text.SAFE_LOADER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            open_at.append([values, event.anchor, 1])
            values += 1
            if len(open_at) > MAX_DEPTH:
                raise SchemeFormatError(f"nested more than {MAX_DEPTH} levels deep")
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            before, anchor, levels = open_at.pop()
            count = values - before
        elif isinstance(event, yaml.ScalarEvent):
            anchor, count, levels = event.anchor, 1, 0
            values += 1
        elif isinstance(event, yaml.AliasEvent):
            if any(event.anchor == entry[1] for entry in open_at):
                raise SchemeFormatError(f"the alias *{event.anchor} is inside what it names: a document has no cycles")
            anchor, (count, levels) = None, anchors.get(event.anchor, (1, 0))
            values += count
        else:
            continue
        if anchor:
            anchors[anchor] = (count, levels)
        if open_at:
            open_at[-1][2] = max(open_at[-1][2], levels + 1)
        if len(open_at) + levels > MAX_DEPTH:
            raise SchemeFormatError(f"nested more than {MAX_DEPTH} levels deep")
        if values > MAX_VALUES:
            raise SchemeFormatError(f"more than {MAX_VALUES:,} values (counting each alias as what it repeats)")


def _check_keys_and_depth(document: dict) -> None:
    """Keys are text, as in JSON (YAML also has numbers, dates, null: the
    canonical JSON of the document cannot sort those beside text), and
    nothing is nested deeper than MAX_DEPTH (for YAML, _check_yaml_size
    counted the depth an alias adds too)."""
    stack: list[tuple[object, str, int]] = [(document, "", 1)]
    seen: set[int] = set()  # a YAML alias is the same object again: seen once, in document order
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SchemeFormatError(f"nested more than {MAX_DEPTH} levels deep")
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key in node:
                if not isinstance(key, str):
                    raise SchemeFormatError(f"the key {key} {'in ' + path if path else 'at the top'} is not text; quote it")
            children = ((f"{path}.{key}" if path else key, value) for key, value in node.items())
        else:
            children = ((f"{path}[{i}]", value) for i, value in enumerate(node))
        stack.extend(reversed([(value, where, depth + 1) for where, value in children if isinstance(value, (dict, list))]))


def canonical_json(document: dict) -> str:
    """Canonical text of a document: sorted keys, no insignificant spaces."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def digest(document: dict) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


SERVER_FIELDS = {
    "scheme.author": "the registry records who submits each version (the signed-in account) and will not "
                     "store another author; leave the field out",
}


def shape_problems(document: dict) -> list[Problem]:
    """Every place where the document is not as the declared format says
    (`jixiao.common.scheme_format`): a value of the wrong kind, a missing required
    field, an unknown field, a value outside its choices or range, e.g.
    ``units: must be a list, not null``, ``units[3].name: must be a mapping of zh and en, not text``."""
    return [Problem(path, SERVER_FIELDS.get(path, message)) for path, message in scheme_format.check(document)]


def validate(document: dict, active_indicators: set[str] | None = None,
             target_required: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem with the document; an empty list means it can be published.

    `active_indicators`, when given, are the indicator codes some active
    plug-in provides; assigning any other indicator is a problem.
    `target_required` are the indicators that cannot score without a target:
    every unit they are assigned to needs one.
    """
    problems = shape_problems(document)
    if problems:  # the rules below read the sections as the declared format says they are
        return problems
    header = document["scheme"]
    if not header["code"].strip():
        problems.append(Problem("scheme.code", "is required"))
    categories = _codes(document, "categories", "code", problems)
    regions = _codes(document, "regions", "id", problems)
    units = _codes(document, "units", "id", problems)
    dimensions = {d.get("code"): d for d in document["dimensions"]}
    indicators = {i.get("code") for i in document.get("indicators", [])}
    generic_bases = generic_indicators.bases(document)
    target_required = frozenset(target_required) | generic_indicators.needing_targets(document)

    for i, unit in enumerate(document["units"]):
        if unit.get("category") not in categories:
            problems.append(Problem(f"units[{i}].category", f"unknown category {unit.get('category')!r} for unit {unit.get('id')!r}"))
        if unit.get("region") and unit["region"] not in regions:
            problems.append(Problem(f"units[{i}].region", f"unknown region {unit['region']!r}"))

    assigned_categories = set()
    for i, a in enumerate(document["assignments"]):
        where = f"assignments[{i}]"
        if a.get("category") not in categories:
            problems.append(Problem(f"{where}.category", f"unknown category {a.get('category')!r}"))
        if a.get("dimension") not in dimensions:
            problems.append(Problem(f"{where}.dimension", f"unknown dimension {a.get('dimension')!r}"))
        if indicators and a.get("indicator") not in indicators:
            problems.append(Problem(f"{where}.indicator", f"indicator {a.get('indicator')!r} is not listed under indicators"))
        provider = generic_bases.get(a.get("indicator"), a.get("indicator"))
        if active_indicators is not None and provider not in active_indicators:
            problems.append(Problem(f"{where}.indicator", f"no active plug-in provides {provider!r}"
                                    + (f" (the formula of generic indicator {a.get('indicator')!r})"
                                       if provider != a.get("indicator") else "")))
        if not weights.is_weight(a.get("weight", 0)):
            problems.append(Problem(f"{where}.weight", "must be a number ≥ 0"))
            continue
        assigned_categories.add(a.get("category"))
    problems += [Problem(section, message) for section, message in weights.weight_sum_problems(document)]
    used_categories = {u.get("category") for u in document["units"]}
    for category in sorted(used_categories - assigned_categories, key=str):
        problems.append(Problem("assignments", f"category {category!r} has units but no indicators"))

    assigned = {(a.get("category"), a.get("indicator")) for a in document["assignments"]}
    unit_category = {u.get("id"): u.get("category") for u in document["units"]}
    for i, t in enumerate(document.get("targets", [])):
        if t.get("unit") not in units:
            problems.append(Problem(f"targets[{i}].unit", f"unknown unit {t.get('unit')!r}"))
        elif (unit_category[t["unit"]], t.get("indicator")) not in assigned:
            problems.append(Problem(f"targets[{i}].indicator", f"{t.get('indicator')!r} is not assigned to the category of {t['unit']!r}"))

    targets = {(t.get("unit"), t.get("indicator")) for t in document.get("targets", [])}
    for unit in document["units"]:
        for a in document["assignments"]:
            if a.get("category") == unit.get("category") and a.get("indicator") in target_required \
                    and (unit.get("id"), a.get("indicator")) not in targets:
                problems.append(Problem("targets", f"unit {unit.get('id')!r} has no target for {a.get('indicator')!r}"))

    problems += _rules(document, categories, {a.get("indicator") for a in document["assignments"]})
    problems += [Problem(path, message) for path, message in generic_indicators.problems(document, active_indicators)]
    problems += _grading_periods_and_ties(document)
    problems += _metric_ranges(document)
    problems += _secret_attributes(document)
    problems += _stages(document)
    problems += _milestones(document)
    problems += _baselines(document, units)
    problems += _validation_rules(document)
    teams = _codes(document, "leadership_teams", "id", problems)
    for i, p in enumerate(document.get("persons", [])):
        if p.get("unit") not in units:
            problems.append(Problem(f"persons[{i}].unit", f"unknown unit {p.get('unit')!r}"))
        if p.get("team") and p["team"] not in teams:
            problems.append(Problem(f"persons[{i}].team", f"unknown leadership team {p['team']!r}"))
    return problems




def _rules(document: dict, categories: set, assigned: set) -> list[Problem]:
    """Grading, veto, consequence and person-scoring rules."""
    problems = []
    for i, rule in enumerate(document.get("grading", [])):
        where = f"grading[{i}]"
        for category in rule.get("pool", []):
            if category not in categories:
                problems.append(Problem(f"{where}.pool", f"unknown category {category!r}"))
        for j, grade in enumerate(rule.get("grades", [])):
            parts = grade.get("parts", 0)
            if rule.get("method") == "ratio" and (not isinstance(parts, int) or parts < 0):
                problems.append(Problem(f"{where}.grades[{j}].parts", "must be a whole number ≥ 0"))
    for i, veto in enumerate(document.get("vetoes", [])):
        if veto.get("indicator") and veto["indicator"] not in assigned:
            problems.append(Problem(f"vetoes[{i}].indicator", f"{veto['indicator']!r} is not assigned to any category"))
        if not isinstance(veto.get("cap_grade", veto.get("grade")), int):
            problems.append(Problem(f"vetoes[{i}]", "needs cap_grade (or grade) as a whole number"))
    for i, consequence in enumerate(document.get("consequences", [])):
        if not consequence.get("rule") or not consequence.get("action"):
            problems.append(Problem(f"consequences[{i}]", "needs a rule and an action"))
    person = document.get("person_scoring")
    if person:
        share = weights.as_float(person.get("unit_weight", 0)) + weights.as_float(person.get("personal_weight", 0))
        if not math.isclose(share, 1.0, abs_tol=WEIGHT_TOLERANCE):
            problems.append(Problem("person_scoring", f"unit_weight + personal_weight is {share:g}, not 1"))
        if person.get("personal_indicator") and person["personal_indicator"] not in assigned:
            problems.append(Problem("person_scoring.personal_indicator", f"{person['personal_indicator']!r} is not assigned"))
        additive = {d.get("code") for d in document["dimensions"] if d.get("additive")}
        in_additive = {a.get("indicator") for a in document["assignments"] if a.get("dimension") in additive}
        seen_deductions: set = set()
        for j, code in enumerate(person.get("personal_deductions") or []):
            where = f"person_scoring.personal_deductions[{j}]"
            if code not in assigned:
                problems.append(Problem(where, f"{code!r} is not assigned"))
            elif code not in in_additive:
                problems.append(Problem(where, f"{code!r} is not assigned to an additive (bonus and deductions) dimension"))
            if code in seen_deductions:
                problems.append(Problem(where, f"{code!r} is listed twice"))
            seen_deductions.add(code)
    return problems


def _stages(document: dict) -> list[Problem]:
    """An `assessed_in` names at least one kind of period (the declared format checks
    the kinds themselves, and the other options of jixiao.common.stages)."""
    problems = []
    for section in ("dimensions", "indicators"):
        for i, item in enumerate(document.get(section) or []):
            if item.get("assessed_in") == []:
                problems.append(Problem(f"{section}[{i}].assessed_in",
                                        f"names no period kind; use some of {', '.join(stages.PERIOD_KINDS)}"))
    return problems


def _milestones(document: dict) -> list[Problem]:
    """A target's milestones lay its plan over the year: shares from 0 to 1 that never
    fall, periods inside the scheme's year, and the whole target due by its end."""
    problems = []
    year = document["scheme"].get("year")
    calendar = stages.calendar_of(document["scheme"])
    for i, target in enumerate(document.get("targets", [])):
        milestones = target.get("milestones") or []
        if not milestones:
            continue
        where = f"targets[{i}].milestones"
        dated = []
        for j, milestone in enumerate(milestones):
            period = _period_of(str(milestone.get("period", "")), calendar)
            share = milestone.get("share")
            if period is None or (isinstance(year, int) and period.year != year):
                problems.append(Problem(f"{where}[{j}].period", f"{milestone.get('period')!r} is not a period of {year}"))
            elif not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 <= share <= 1:
                problems.append(Problem(f"{where}[{j}].share", "must be a number from 0 to 1"))
            else:
                dated.append((period.end, float(share), j))
        dated.sort()
        for (_, before, _), (_, share, j) in zip(dated, dated[1:], strict=False):
            if share < before:
                problems.append(Problem(f"{where}[{j}].share", f"{share:g} is below the share of an earlier milestone"))
        if dated and len(dated) == len(milestones):
            end, share, j = dated[-1]
            if (isinstance(year, int) and end != calendar.year(year).end) \
                    or not math.isclose(share, 1.0, abs_tol=WEIGHT_TOLERANCE):
                problems.append(Problem(where, f"must reach a share of 1 by the end of {year} (the last is {share:g} "
                                               f"at {milestones[j].get('period')})"))
    return problems


def _baselines(document: dict, units: set) -> list[Problem]:
    """Last year's figures imported for like-for-like comparison: a known unit, a metric
    the scheme knows, a period before the scheme's year, one figure per unit, metric and period."""
    problems = []
    year = document["scheme"].get("year")
    calendar = stages.calendar_of(document["scheme"])
    metrics = {m for source in document.get("sources", []) for m in source.get("metrics", [])}
    metrics |= {m.get("code") for m in document.get("metrics") or []}
    declared_units = {m.get("code"): m["measurement_unit"] for m in document.get("metrics") or [] if m.get("measurement_unit")}
    seen = set()
    for i, baseline in enumerate(document.get("baselines") or []):
        where = f"baselines[{i}]"
        for key in ("unit", "metric", "period", "value"):
            if baseline.get(key) is None:
                problems.append(Problem(f"{where}.{key}", "is required"))
        if baseline.get("unit") is not None and baseline["unit"] not in units:
            problems.append(Problem(f"{where}.unit", f"unknown unit {baseline['unit']!r}"))
        if baseline.get("metric") is not None and metrics and baseline["metric"] not in metrics:
            problems.append(Problem(f"{where}.metric", f"unknown metric {baseline['metric']!r} (no source reports it)"))
        value = baseline.get("value")
        if value is not None and not math.isfinite(weights.as_float(value)):
            problems.append(Problem(f"{where}.value", "must be a finite number"))
        unit = declared_units.get(baseline.get("metric"))
        if unit and baseline.get("measurement_unit", "") != unit:
            problems.append(Problem(f"{where}.measurement_unit",
                                    f"must be {unit!r}, the unit the scheme gives metric {baseline['metric']!r}"))
        period = _period_of(str(baseline.get("period", "")), calendar)
        if baseline.get("period") is not None and (period is None or (isinstance(year, int) and period.year >= year)):
            problems.append(Problem(f"{where}.period", f"{baseline['period']!r} is not a period before {year}"))
        key = (baseline.get("unit"), baseline.get("metric"), baseline.get("period"))
        if key in seen:
            problems.append(Problem(where, f"a second figure for {key[0]}, {key[1]}, {key[2]}"))
        seen.add(key)
    return problems


VALIDATION_OPERATORS = scheme_format.VALIDATION_OPERATORS
VALIDATION_SEVERITIES = scheme_format.VALIDATION_SEVERITIES


def _validation_rules(document: dict) -> list[Problem]:
    """The optional `validation_rules`: what must hold between two metrics of one unit
    and period (校验规则, as DHIS2 has them), checked by scoring's anomaly checks, e.g.
    ``{code: complaints_on_time_within_received, left: complaints_handled_on_time,
    operator: "<=", right: complaints_received, severity: high, name: {zh, en}}``:
    a code given once, two different metrics the scheme knows, a known operator and
    severity (medium when absent)."""
    problems = []
    metrics = {m for source in document.get("sources", []) for m in source.get("metrics", [])}
    metrics |= {m.get("code") for m in document.get("metrics") or []}
    seen: set = set()
    for i, rule in enumerate(document.get("validation_rules") or []):
        where = f"validation_rules[{i}]"
        code = rule.get("code")
        if not code:
            problems.append(Problem(f"{where}.code", "is required"))
        elif code in seen:
            problems.append(Problem(f"{where}.code", f"duplicate code {code!r}"))
        seen.add(code)
        for side in ("left", "right"):
            metric = rule.get(side)
            if not metric:
                problems.append(Problem(f"{where}.{side}", "is required: the code of a metric"))
            elif metrics and metric not in metrics:
                problems.append(Problem(f"{where}.{side}", f"unknown metric {metric!r} (no source reports it)"))
        if rule.get("left") and rule.get("left") == rule.get("right"):
            problems.append(Problem(f"{where}.right", f"compares {rule['left']!r} with itself"))
    return problems


def _period_of(text: str, calendar: Calendar):
    try:
        return calendar.parse(text)
    except PeriodError:
        return None


GRADED_PERIOD_KINDS = stages.PERIOD_KINDS
PERSON_TIE_BREAKERS = ("personal_evaluation", "unit_total")


def _grading_periods_and_ties(document: dict) -> list[Problem]:
    """A grading rule's `periods`, the kinds of period it grades (``[year]`` when
    absent: quarters and months are then ranked, not graded), and its
    `tie_breakers`, what separates totals tied at a grade boundary, in order:
    ``personal_evaluation`` or ``unit_total`` for persons, ``dimension:<code>``
    for units; only a ratio rule has such ties."""
    problems: list[Problem] = []
    dimensions = {d.get("code") for d in document.get("dimensions", [])}
    for i, rule in enumerate(document.get("grading", [])):
        where = f"grading[{i}]"
        periods = rule.get("periods", ["year"])  # kinds of the declared format's choices
        if not periods:
            problems.append(Problem(f"{where}.periods", f"must name a kind of period ({', '.join(GRADED_PERIOD_KINDS)})"))
        for j, kind in enumerate(periods):
            if periods.index(kind) < j:
                problems.append(Problem(f"{where}.periods[{j}]", f"{kind!r} is listed twice"))
        breakers = rule.get("tie_breakers", [])
        if breakers and rule.get("method") != "ratio":
            problems.append(Problem(f"{where}.tie_breakers", "only a ratio rule has ties at a grade boundary to break"))
        for j, criterion in enumerate(breakers):
            at = f"{where}.tie_breakers[{j}]"
            if rule.get("subject", "unit") == "person":
                if criterion not in PERSON_TIE_BREAKERS:
                    problems.append(Problem(at, f"{criterion!r} is not a criterion for persons "
                                                f"({', '.join(PERSON_TIE_BREAKERS)})"))
                    continue
            elif not isinstance(criterion, str) or not criterion.startswith("dimension:"):
                problems.append(Problem(at, f"{criterion!r} is not a criterion for units (dimension:<code>)"))
                continue
            elif criterion.removeprefix("dimension:") not in dimensions:
                problems.append(Problem(at, f"unknown dimension {criterion.removeprefix('dimension:')!r}"))
                continue
            if breakers.index(criterion) < j:
                problems.append(Problem(at, f"{criterion!r} is listed twice"))
    return problems


def _metric_ranges(document: dict) -> list[Problem]:
    """The optional `metrics` section: the range a reported value must lie in,
    e.g. ``{code: public_vote, measurement_unit: ballot, min: 0, max: 1}``.
    A range with a measurement unit applies to values reported in that unit."""
    problems: list[Problem] = []
    _codes(document, "metrics", "code", problems)
    reported = {m for source in document.get("sources", []) for m in source.get("metrics", [])}
    for i, metric in enumerate(document.get("metrics") or []):
        where = f"metrics[{i}]"
        if reported and metric.get("code") and metric["code"] not in reported:
            problems.append(Problem(f"{where}.code", f"no source reports metric {metric['code']!r}"))
        bounds = {}
        for key in ("min", "max"):
            value = metric.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(weights.as_float(value)):
                problems.append(Problem(f"{where}.{key}", "must be a finite number"))
            else:
                bounds[key] = float(value)
        if len(bounds) == 2 and bounds["min"] > bounds["max"]:
            problems.append(Problem(where, f"min {bounds['min']:g} is above max {bounds['max']:g}"))
    return problems


def _secret_attributes(document: dict) -> list[Problem]:
    """A metric's optional `secret_attributes`: the event attributes naming who voted or
    rated (``[voter_id]`` of a ballot), which scoring replaces by a keyed pseudonym before
    storing the event and never serves (secret ballots); names as the feeds send them."""
    problems: list[Problem] = []
    for i, metric in enumerate(document.get("metrics") or []):
        for j, name in enumerate(metric.get("secret_attributes") or []):
            if not name.strip() or name != name.strip():
                problems.append(Problem(f"metrics[{i}].secret_attributes[{j}]",
                                        f"must be an attribute name without spaces around it, not {name!r}"))
    return problems


def _codes(document: dict, section: str, key: str, problems: list[Problem]) -> set:
    seen: set = set()
    for i, item in enumerate(document.get(section) or []):
        code = item.get(key) if isinstance(item, dict) else None
        if not code:
            problems.append(Problem(f"{section}[{i}].{key}", "is required"))
            continue
        if code in seen:
            problems.append(Problem(f"{section}[{i}].{key}", f"duplicate {key} {code!r}"))
        seen.add(code)
    return seen


def target_parameter_problems(document: dict, declared: Mapping[str, Sequence[str] | None]) -> list[Problem]:
    """Every target parameter the assigned indicator's active plug-in does not read,
    named by its place: ``targets[12].params.on_time_rate: complaint_handling does not
    read 'on_time_rate' (it reads on_time_target, resolution_target, …)``.

    `declared` maps each active indicator code to the parameters its plug-in declares
    (``points.*`` is a family, as in jixiao_sdk), or to None for a version registered
    before plug-ins declared them: that indicator's target parameters are not checked.
    Targets of indicators no active plug-in provides are `validate`'s to report.
    """
    problems: list[Problem] = []
    targets = document.get("targets")
    for i, target in enumerate(targets if isinstance(targets, list) else []):
        if not isinstance(target, dict) or not isinstance(target.get("params"), dict):
            continue
        code = target.get("indicator")
        reads = declared.get(code) if isinstance(code, str) else None
        if reads is None:
            continue
        names = [name for name in target["params"] if isinstance(name, str)]
        said = f"it reads {', '.join(reads)}" if reads else "it reads no target parameters"
        for name in undeclared_parameters(reads, names):
            problems.append(Problem(f"targets[{i}].params.{name}", f"{code} does not read {name!r} ({said})"))
    return problems


def period_basis_problems(document: dict, declared: Mapping[str, str]) -> list[Problem]:
    """A scheme may assess an indicator year to date only where its active plug-in
    declares it can be (``IndicatorSpec.period_basis``); `declared` maps each active
    indicator to that declaration, or "" for a version registered before plug-ins made
    one, which is not checked (as its target parameters are not)."""
    problems: list[Problem] = []
    indicators = document.get("indicators")
    for i, indicator in enumerate(indicators if isinstance(indicators, list) else []):
        if not isinstance(indicator, dict) or indicator.get("period_basis") != stages.PERIOD_BASES[1]:
            continue
        code = indicator.get("code")
        if isinstance(code, str) and declared.get(code) and declared[code] != stages.PERIOD_BASES[1]:
            problems.append(Problem(f"indicators[{i}].period_basis",
                                    f"{code} is scored on the period alone: its plug-in does not declare year_to_date"))
    return problems
