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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import yaml

FORMAT = "jixiao.scheme/v1"
WEIGHT_TOLERANCE = 1e-6
REQUIRED_SECTIONS = ("scheme", "categories", "units", "dimensions", "assignments")
MAX_DEPTH = 100  # a scheme is six levels deep
MAX_VALUES = 5_000_000  # a province is under a million
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
        if document_format == "json":
            data = json.loads(text)
        else:
            _check_yaml_size(text)
            data = yaml.load(text, Loader=_YAML_LOADER)
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
    for event in yaml.parse(text, Loader=_YAML_LOADER):
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


@dataclass(frozen=True)
class Kind:
    """A JSON value of one kind, named as a problem names it."""

    name: str
    test: Callable[[object], bool]


@dataclass(frozen=True)
class OrNull:
    """`shape`, or null (read as absent)."""

    shape: object


TEXT = Kind("text", lambda v: isinstance(v, str))
NUMBER = Kind("a number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
BOOL = Kind("true or false", lambda v: isinstance(v, bool))
NAME = {"zh": TEXT, "en": TEXT}

# What each part of a document must be, where validation (and scoring after
# it) reads it: {key: shape} is a mapping whose listed keys, when present,
# have those shapes (other keys are free), [shape] a list of such items, a
# Kind a scalar. A missing section is validation's to name ("is required");
# null is not an empty section. Values whose rules validation states itself
# (an assignment's weight, a metric's min and max, a grade's parts, a veto's
# cap) are left to it.
SHAPE = {
    "scheme": {"code": TEXT, "name": NAME, "progress_tolerance": NUMBER},
    "city": {"id": TEXT, "name": NAME},
    "regions": [{"id": TEXT, "name": NAME, "kind": TEXT}],
    "categories": [{"code": TEXT, "name": NAME, "subject": TEXT}],
    "units": [{"id": TEXT, "name": NAME, "short_name_zh": TEXT, "category": TEXT, "region": OrNull(TEXT)}],
    "sources": [{"code": TEXT, "name": NAME, "metrics": [TEXT]}],
    "metrics": [{"code": TEXT, "measurement_unit": TEXT}],
    "dimensions": [{"code": TEXT, "name": NAME, "weight": NUMBER, "additive": BOOL}],
    "indicators": [{"code": TEXT, "name": NAME}],
    "assignments": [{"category": TEXT, "dimension": TEXT, "indicator": TEXT, "max_points": NUMBER}],
    "targets": [{"unit": TEXT, "indicator": TEXT, "value": OrNull(NUMBER), "measurement_unit": TEXT,
                 "params": OrNull({}), "milestones": [{"period": TEXT, "share": NUMBER}]}],
    "leadership_teams": [{"id": TEXT, "unit": TEXT, "name": NAME}],
    "persons": [{"id": TEXT, "name_zh": TEXT, "name_pinyin": TEXT, "unit": TEXT, "team": OrNull(TEXT),
                 "position": NAME, "rank": TEXT}],
    "grading": [{"code": TEXT, "pool": [TEXT], "subject": TEXT, "method": TEXT, "grades": [{"name": NAME}]}],
    "vetoes": [{"indicator": TEXT, "subject": TEXT, "trigger": {"metric": TEXT}, "reason": NAME}],
    "consequences": [{"rule": TEXT, "subject": TEXT, "action": NAME}],
    "person_scoring": {"unit_weight": NUMBER, "personal_weight": NUMBER, "personal_indicator": TEXT},
}


def shape_problems(document: dict) -> list[Problem]:
    """Every part of the document that is not of the kind SHAPE says, by place:
    ``units: must be a list, not null``, ``units[3].name: must be a mapping, not text``."""
    problems: list[Problem] = []
    _check_shape(document, SHAPE, "", problems)
    return problems


def _check_shape(value, shape, path: str, problems: list[Problem]) -> None:
    or_null = ""
    if isinstance(shape, OrNull):
        if value is None:
            return
        shape, or_null = shape.shape, " or null"
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            problems.append(Problem(path, f"must be a mapping{or_null}, not {_kind_of(value)}"))
            return
        for key, inner in shape.items():
            if key in value:
                _check_shape(value[key], inner, f"{path}.{key}" if path else key, problems)
    elif isinstance(shape, list):
        if not isinstance(value, list):
            problems.append(Problem(path, f"must be a list{or_null}, not {_kind_of(value)}"))
            return
        for i, item in enumerate(value):
            _check_shape(item, shape[0], f"{path}[{i}]", problems)
    elif not shape.test(value):
        problems.append(Problem(path, f"must be {shape.name}{or_null}, not {_kind_of(value)}"))


def _kind_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    for kind, name in ((str, "text"), ((int, float), "a number"), (dict, "a mapping"), (list, "a list"),
                       (datetime, "a date and time"), (date, "a date")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _float(value) -> float:
    """A number as a float; an integer beyond the float range as an infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


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
    problems += shape_problems(document)
    if problems:  # the rules below read the sections as SHAPE says they are
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
    total = sum(_float(d.get("weight", 0)) for d in weighted.values())
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
        shares[(a.get("category"), a.get("dimension"))] += _float(weight)
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
        share = _float(person.get("unit_weight", 0)) + _float(person.get("personal_weight", 0))
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
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(_float(value)):
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
            continue
        if code in seen:
            problems.append(Problem(f"{section}[{i}].{key}", f"duplicate {key} {code!r}"))
        seen.add(code)
    return seen
