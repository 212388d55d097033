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
from collections import defaultdict
from dataclasses import dataclass

import yaml

FORMAT = "jixiao.scheme/v1"
WEIGHT_TOLERANCE = 1e-6
REQUIRED_SECTIONS = ("scheme", "categories", "units", "dimensions", "assignments")
# libyaml's loader when PyYAML has it: a city's scheme parses ~10x faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        data = json.loads(text) if document_format == "json" else yaml.load(text, Loader=_YAML_LOADER)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        first_line = str(exc).strip().splitlines()[0]
        raise SchemeFormatError(f"not valid {document_format.upper()}: {first_line}") from None
    if not isinstance(data, dict):
        raise SchemeFormatError(f"a scheme document is a mapping, not {type(data).__name__}")
    return data


def canonical_json(document: dict) -> str:
    """Canonical text of a document: sorted keys, no insignificant spaces."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def digest(document: dict) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def validate(document: dict, active_indicators: set[str] | None = None,
             target_required: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem with the document; an empty list means it can be published.

    `active_indicators`, when given, are the indicator codes some active
    plug-in provides; assigning any other indicator is a problem.
    `target_required` are the indicators that cannot score without a target:
    every unit they are assigned to needs one.
    """
    problems: list[Problem] = []
    if document.get("format") != FORMAT:
        problems.append(Problem("format", f"must be {FORMAT!r}"))
    for section in REQUIRED_SECTIONS:
        if section not in document:
            problems.append(Problem(section, "is required"))
    if problems:
        return problems
    header = document["scheme"]
    for key in ("code", "year", "version"):
        if not header.get(key):
            problems.append(Problem(f"scheme.{key}", "is required"))
    categories = _codes(document, "categories", "code", problems)
    regions = _codes(document, "regions", "id", problems)
    units = _codes(document, "units", "id", problems)
    dimensions = {d.get("code"): d for d in document["dimensions"]}
    indicators = {i.get("code") for i in document.get("indicators", [])}

    for i, unit in enumerate(document["units"]):
        if unit.get("category") not in categories:
            problems.append(Problem(f"units[{i}].category", f"unknown category {unit.get('category')!r} for unit {unit.get('id')!r}"))
        if unit.get("region") and unit["region"] not in regions:
            problems.append(Problem(f"units[{i}].region", f"unknown region {unit['region']!r}"))
        if not (unit.get("name") or {}).get("zh"):
            problems.append(Problem(f"units[{i}].name.zh", f"unit {unit.get('id')!r} needs a Chinese name"))

    weighted = {c: d for c, d in dimensions.items() if not d.get("additive")}
    total = sum(float(d.get("weight", 0)) for d in weighted.values())
    if not math.isclose(total, 1.0, abs_tol=WEIGHT_TOLERANCE):
        problems.append(Problem("dimensions", f"weights of non-additive dimensions sum to {total:g}, not 1"))

    shares: dict[tuple[str, str], float] = defaultdict(float)
    for i, a in enumerate(document["assignments"]):
        where = f"assignments[{i}]"
        if a.get("category") not in categories:
            problems.append(Problem(f"{where}.category", f"unknown category {a.get('category')!r}"))
        if a.get("dimension") not in dimensions:
            problems.append(Problem(f"{where}.dimension", f"unknown dimension {a.get('dimension')!r}"))
        if indicators and a.get("indicator") not in indicators:
            problems.append(Problem(f"{where}.indicator", f"indicator {a.get('indicator')!r} is not listed under indicators"))
        if active_indicators is not None and a.get("indicator") not in active_indicators:
            problems.append(Problem(f"{where}.indicator", f"no active plug-in provides {a.get('indicator')!r}"))
        weight = a.get("weight", 0)
        if not isinstance(weight, (int, float)) or weight < 0:
            problems.append(Problem(f"{where}.weight", "must be a number ≥ 0"))
            continue
        shares[(a.get("category"), a.get("dimension"))] += float(weight)
    for (category, dimension), share in sorted(shares.items(), key=str):
        if dimension in weighted and not math.isclose(share, 1.0, abs_tol=WEIGHT_TOLERANCE):
            problems.append(Problem("assignments", f"weights for category {category!r}, dimension {dimension!r} sum to {share:g}, not 1"))
    used_categories = {u.get("category") for u in document["units"]}
    assigned_categories = {c for c, _ in shares}
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
    problems += _metric_ranges(document)
    teams = _codes(document, "leadership_teams", "id", problems)
    for i, p in enumerate(document.get("persons", [])):
        if p.get("unit") not in units:
            problems.append(Problem(f"persons[{i}].unit", f"unknown unit {p.get('unit')!r}"))
        if p.get("team") and p["team"] not in teams:
            problems.append(Problem(f"persons[{i}].team", f"unknown leadership team {p['team']!r}"))
    return problems


GRADING_METHODS = ("ratio", "threshold", "rank_only")


def _rules(document: dict, categories: set, assigned: set) -> list[Problem]:
    """Grading, veto, consequence and person-scoring rules."""
    problems = []
    for i, rule in enumerate(document.get("grading", [])):
        where = f"grading[{i}]"
        for category in rule.get("pool", []):
            if category not in categories:
                problems.append(Problem(f"{where}.pool", f"unknown category {category!r}"))
        if rule.get("method") not in GRADING_METHODS:
            problems.append(Problem(f"{where}.method", f"must be one of {', '.join(GRADING_METHODS)}"))
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
        share = float(person.get("unit_weight", 0)) + float(person.get("personal_weight", 0))
        if not math.isclose(share, 1.0, abs_tol=WEIGHT_TOLERANCE):
            problems.append(Problem("person_scoring", f"unit_weight + personal_weight is {share:g}, not 1"))
        if person.get("personal_indicator") and person["personal_indicator"] not in assigned:
            problems.append(Problem("person_scoring.personal_indicator", f"{person['personal_indicator']!r} is not assigned"))
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
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                problems.append(Problem(f"{where}.{key}", "must be a finite number"))
            else:
                bounds[key] = float(value)
        if len(bounds) == 2 and bounds["min"] > bounds["max"]:
            problems.append(Problem(where, f"min {bounds['min']:g} is above max {bounds['max']:g}"))
    return problems


def _codes(document: dict, section: str, key: str, problems: list[Problem]) -> set:
    seen: set = set()
    for i, item in enumerate(document.get(section) or []):
        code = item.get(key) if isinstance(item, dict) else None
        if not code:
            problems.append(Problem(f"{section}[{i}].{key}", "is required"))
        elif code in seen:
            problems.append(Problem(f"{section}[{i}].{key}", f"duplicate {key} {code!r}"))
        seen.add(code)
    return seen
