"""What-if simulation (模拟测算): the office states changes and sees what one period's
totals, ranks and grades would be. Nothing official changes: the service layer scores
the changed figures and scheme with the same engine inside a transaction it rolls back,
and these rules say what a change is, which changes are valid, how the scheme document
changes, and how the standings before and after are compared.

Changes (each names its `kind`):

- ``figure``: ``unit_id``, ``indicator_code``, ``period``, ``value`` and, when the
  indicator reads more than one metric, ``metric_code``. The unit's figures of that
  metric reported for exactly that period (a month, quarter or the year) are replaced
  by one figure of ``value``; when it reported none, the figure is added. Its
  measurement unit is that of the figures it replaces, else the metric's declared one.
- ``target``: ``unit_id``, ``indicator_code``, ``value``: the unit's target for the
  indicator (its other target settings — milestones, parameters — stay).
- ``weight``: ``category``, ``indicator_code``, ``weight``: the indicator's weight in
  the category's dimension; or ``dimension_code``, ``weight``: a dimension's weight.
  After every weight change the scheme's weight rule must still hold
  (`jixiao.common.scheme_format.weights`): change the weights of a dimension together.
- ``ratio``: ``grading_code``, ``parts`` (grade → parts): a ratio rule's distribution;
  the grades not named keep their parts, and some grade must keep parts > 0.

At most MAX_CHANGES changes; a unit's figure, a target, a weight or a grade's parts is
changed at most once per simulation. Every refusal names the field
(``changes[2].value``) in `ChangeRefused`.

Comparison: the standing of every unit of the scheme in the period — its total (none
when not scored), its rank in its category, and its grade under each unit grading rule
whose pool holds its category and that grades the period's kind — before and after; and
of every leader (a person of the scheme): their total, their rank and grade in the pool
of each person grading rule that grades the period. A
unit differs when any of these differs, or when one of its indicator results' points
differs; the differences are listed with the changes that touched the unit itself (its figure or
target, a weight of its category or of a dimension, the ratio of a rule whose grade of it
differs), in order of the category and the rank after.
"""
from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from jixiao.common.scheme_format.weights import weight_sum_problems

MAX_CHANGES = 50
KINDS = ("figure", "target", "weight", "ratio")
MAX_VALUE = 1e15  # a figure or target beyond ±this is a typing error, not a what-if


class ChangeRefused(ValueError):
    """A change that cannot be simulated; `field` names where (``changes[0].unit_id``)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FigureChange:
    unit_id: str
    indicator_code: str
    metric_code: str
    period: str
    value: float


@dataclass(frozen=True)
class TargetChange:
    unit_id: str
    indicator_code: str
    value: float


@dataclass(frozen=True)
class WeightChange:
    weight: float
    category: str = ""  # with indicator_code: an assignment's weight
    indicator_code: str = ""
    dimension_code: str = ""  # alone: a dimension's weight


@dataclass(frozen=True)
class RatioChange:
    grading_code: str
    parts: tuple[tuple[int, float], ...]  # (grade, parts), by grade


Change = FigureChange | TargetChange | WeightChange | RatioChange


@dataclass(frozen=True)
class SchemeFacts:
    """What the checks need to know of the scheme being simulated."""

    units: Mapping[str, str]  # unit id → category
    indicator_metrics: Mapping[str, tuple[str, ...]]  # indicator code → the metrics it reads
    assignments: frozenset[tuple[str, str]]  # (category, indicator) assigned
    dimensions: frozenset[str]
    ratio_rules: Mapping[str, frozenset[int]]  # ratio grading rule code → its grade numbers
    targets: frozenset[tuple[str, str]]  # (unit, indicator) with a target


def parse_changes(raw: Sequence[Mapping], facts: SchemeFacts, period_ok) -> tuple[Change, ...]:
    """The request's changes, checked; `period_ok(text)` says whether a period text is one of
    the scheme's (a month, quarter or the year). Raises ChangeRefused naming the field."""
    if not raw:
        raise ChangeRefused("changes", "state at least one change (a figure, a target, a weight or a ratio)")
    if len(raw) > MAX_CHANGES:
        raise ChangeRefused("changes", f"at most {MAX_CHANGES} changes in one simulation, not {len(raw)}")
    changes: list[Change] = []
    seen: dict[tuple, int] = {}
    for i, item in enumerate(raw):
        where = f"changes[{i}]"
        change = _parse_one(item, where, facts, period_ok)
        for key in _keys(change):
            if key in seen:
                raise ChangeRefused(where, f"changes the same thing as changes[{seen[key]}]: state each change once")
            seen[key] = i
        changes.append(change)
    return tuple(changes)


def _parse_one(item: Mapping, where: str, facts: SchemeFacts, period_ok) -> Change:
    kind = _text(item, "kind", where)
    if kind not in KINDS:
        raise ChangeRefused(f"{where}.kind", f"{kind!r} is not a kind of change ({', '.join(KINDS)})")
    if kind in ("figure", "target"):
        unit = _text(item, "unit_id", where)
        if unit not in facts.units:
            raise ChangeRefused(f"{where}.unit_id", f"{unit!r} is not a unit of the scheme")
        indicator = _text(item, "indicator_code", where)
        if (facts.units[unit], indicator) not in facts.assignments:
            raise ChangeRefused(f"{where}.indicator_code",
                                f"{indicator!r} is not an indicator unit {unit} is assessed on")
        value = _number(item, "value", where)
        if kind == "target":
            if (unit, indicator) not in facts.targets:
                raise ChangeRefused(f"{where}.indicator_code",
                                    f"unit {unit} has no target for {indicator!r} in the scheme to change")
            return TargetChange(unit, indicator, value)
        metrics = facts.indicator_metrics.get(indicator, ())
        metric = str(item.get("metric_code") or "")
        if not metric:
            if len(metrics) != 1:
                raise ChangeRefused(f"{where}.metric_code", f"{indicator!r} reads {', '.join(metrics) or 'no metric'}: "
                                    "name the metric whose figure changes")
            metric = metrics[0]
        elif metric not in metrics:
            raise ChangeRefused(f"{where}.metric_code", f"{indicator!r} does not read {metric!r} "
                                f"(it reads {', '.join(metrics) or 'no metric'})")
        period = _text(item, "period", where)
        if not period_ok(period):
            raise ChangeRefused(f"{where}.period", f"{period!r} is not a month, quarter or year of the scheme")
        return FigureChange(unit, indicator, metric, period, value)
    if kind == "weight":
        weight = _number(item, "weight", where)
        if weight < 0 or weight > 1:
            raise ChangeRefused(f"{where}.weight", f"a weight is a share from 0 to 1, not {weight:g}")
        dimension = str(item.get("dimension_code") or "")
        category, indicator = str(item.get("category") or ""), str(item.get("indicator_code") or "")
        if dimension and (category or indicator):
            raise ChangeRefused(where, "name either a dimension_code, or a category and an indicator_code")
        if dimension:
            if dimension not in facts.dimensions:
                raise ChangeRefused(f"{where}.dimension_code", f"{dimension!r} is not a dimension of the scheme")
            return WeightChange(weight, dimension_code=dimension)
        if not category:
            raise ChangeRefused(f"{where}.category", "is required (or name a dimension_code)")
        if (category, indicator) not in facts.assignments:
            raise ChangeRefused(f"{where}.indicator_code", f"{indicator!r} is not assigned to category {category!r}")
        return WeightChange(weight, category=category, indicator_code=indicator)
    code = _text(item, "grading_code", where)
    if code not in facts.ratio_rules:
        raise ChangeRefused(f"{where}.grading_code", f"{code!r} is not a ratio grading rule of the scheme "
                            f"({', '.join(sorted(facts.ratio_rules)) or 'none'})")
    parts = item.get("parts")
    if not isinstance(parts, Mapping) or not parts:
        raise ChangeRefused(f"{where}.parts", "give the parts of one grade or more: {grade: parts}")
    found = []
    for grade, value in parts.items():
        try:
            number = int(grade)
        except (TypeError, ValueError):
            raise ChangeRefused(f"{where}.parts", f"{grade!r} is not a grade number") from None
        if number not in facts.ratio_rules[code]:
            raise ChangeRefused(f"{where}.parts", f"rule {code!r} has no grade {number}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ChangeRefused(f"{where}.parts", f"grade {number}: parts must be a number ≥ 0, not {value!r}")
        found.append((number, float(value)))
    return RatioChange(code, tuple(sorted(found)))


def _keys(change: Change) -> Iterable[tuple]:
    if isinstance(change, FigureChange):
        yield ("figure", change.unit_id, change.metric_code, change.period)
    elif isinstance(change, TargetChange):
        yield ("target", change.unit_id, change.indicator_code)
    elif isinstance(change, WeightChange):
        yield ("weight", change.category, change.indicator_code, change.dimension_code)
    else:
        for grade, _ in change.parts:
            yield ("ratio", change.grading_code, grade)


def _text(item: Mapping, name: str, where: str) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ChangeRefused(f"{where}.{name}", "is required")
    return value.strip()


def _number(item: Mapping, name: str, where: str) -> float:
    value = item.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ChangeRefused(f"{where}.{name}", "is required: a number")
    if not math.isfinite(value) or abs(value) > MAX_VALUE:
        raise ChangeRefused(f"{where}.{name}", f"must be a finite number of at most {MAX_VALUE:g} in size, not {value!r}")
    return float(value)


def edited_document(document: dict, changes: Sequence[Change]) -> dict:
    """The scheme document with the changes of targets, weights and ratios made (a copy;
    `document` is left as it is). Raises ChangeRefused when the weights no longer follow
    the scheme's weight rule, or a ratio rule would give no grade parts."""
    edits = [c for c in changes if not isinstance(c, FigureChange)]
    if not edits:
        return document
    edited = copy.deepcopy(document)
    for change in edits:
        if isinstance(change, TargetChange):
            for target in edited.get("targets") or []:
                if target.get("unit") == change.unit_id and target.get("indicator") == change.indicator_code:
                    target["value"] = change.value
        elif isinstance(change, WeightChange) and change.dimension_code:
            for dimension in edited["dimensions"]:
                if dimension.get("code") == change.dimension_code:
                    dimension["weight"] = change.weight
        elif isinstance(change, WeightChange):
            for assignment in edited["assignments"]:
                if assignment.get("category") == change.category and assignment.get("indicator") == change.indicator_code:
                    assignment["weight"] = change.weight
        elif isinstance(change, RatioChange):
            rule = next(r for r in edited.get("grading") or [] if r.get("code") == change.grading_code)
            wanted = dict(change.parts)
            for grade in rule.get("grades") or []:
                if int(grade["grade"]) in wanted:
                    grade["parts"] = wanted[int(grade["grade"])]
            if not any(float(g.get("parts") or 0) > 0 for g in rule.get("grades") or []):
                raise ChangeRefused(_field_of(changes, change, "parts"),
                                    f"rule {change.grading_code!r} would have no grade with parts > 0: "
                                    "the pool could not be distributed")
    problems = weight_sum_problems(edited)
    if problems and any(isinstance(c, WeightChange) for c in edits):
        weight_changes = [c for c in edits if isinstance(c, WeightChange)]
        raise ChangeRefused(_field_of(changes, weight_changes[-1], "weight"),
                            "; ".join(message for _, message in problems)
                            + ": change the other weights of the same dimension (or category) with it")
    return edited


def _field_of(changes: Sequence[Change], change: Change, name: str) -> str:
    return f"changes[{list(changes).index(change)}].{name}"


def target_units(changes: Sequence[Change]) -> frozenset[str]:
    """The units whose targets change (every result of theirs is scored again)."""
    return frozenset(c.unit_id for c in changes if isinstance(c, TargetChange))


def reweighted_categories(changes: Sequence[Change], categories: Iterable[str]) -> frozenset[str]:
    """The categories whose totals a weight change recomputes (a dimension's weight: all)."""
    found: set[str] = set()
    for change in changes:
        if isinstance(change, WeightChange):
            found |= set(categories) if change.dimension_code else {change.category}
    return frozenset(found)


# Comparison ------------------------------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """A unit in the period: its total (None: not scored), rank in its category (None: not
    scored), grade per grading rule (None: no grade), its indicators' points. A leader's:
    `unit_id` is the person's id, `category` their unit's, `rank` in their grading pool."""

    unit_id: str
    category: str
    total: float | None
    rank: int | None
    grades: Mapping[str, int | None] = field(default_factory=dict)
    points: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorDelta:
    indicator_code: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class GradeDelta:
    grading_code: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Difference:
    unit_id: str
    category: str
    total_before: float | None
    total_after: float | None
    rank_before: int | None
    rank_after: int | None
    grades: tuple[GradeDelta, ...]
    indicators: tuple[IndicatorDelta, ...]  # those whose points differ
    changes: tuple[int, ...]  # indexes of the changes that touched this unit itself

    @property
    def directly_changed(self) -> bool:
        return bool(self.changes)


def differences(before: Mapping[str, Standing], after: Mapping[str, Standing],
                changes: Sequence[Change], unit_of: Mapping[str, str] | None = None) -> tuple[Difference, ...]:
    """Every unit whose total, rank, grade or indicator points differ between `before` and
    `after`, by category and then rank after (unscored last), then unit id.

    For leaders, `unit_of` maps each to their unit: a change touches a leader when it touches
    the unit, and a leader is listed when their total or grade differs — not for a rank alone
    (one unit's total moves the rank of every leader between its old and new place in a pool of
    hundreds; their grades are what the rule decides)."""
    found = []
    for unit_id in sorted(set(before) | set(after)):
        old, new = before.get(unit_id), after.get(unit_id)
        category = (new or old).category
        old_grades, new_grades = (old.grades if old else {}), (new.grades if new else {})
        grades = tuple(GradeDelta(code, old_grades.get(code), new_grades.get(code))
                       for code in sorted(set(old_grades) | set(new_grades))
                       if old_grades.get(code) != new_grades.get(code))
        old_points, new_points = (old.points if old else {}), (new.points if new else {})
        indicators = tuple(IndicatorDelta(code, old_points.get(code), new_points.get(code))
                           for code in sorted(set(old_points) | set(new_points))
                           if not _same(old_points.get(code), new_points.get(code)))
        total_before, total_after = (old.total if old else None), (new.total if new else None)
        rank_before, rank_after = (old.rank if old else None), (new.rank if new else None)
        unit = (unit_of or {}).get(unit_id, unit_id)
        own = tuple(i for i, c in enumerate(changes) if _touches(c, unit, category) or (
            isinstance(c, RatioChange) and any(g.grading_code == c.grading_code for g in grades)))
        ranks_count = unit_of is None
        if _same(total_before, total_after) and (rank_before == rank_after or not ranks_count) and not grades \
                and not indicators:
            continue
        found.append(Difference(unit_id, category, total_before, total_after, rank_before, rank_after, grades,
                                indicators, own))
    return tuple(sorted(found, key=lambda d: (d.category, d.rank_after is None, d.rank_after or 0, d.unit_id)))


def _touches(change: Change, unit_id: str, category: str) -> bool:
    if isinstance(change, (FigureChange, TargetChange)):
        return change.unit_id == unit_id
    if isinstance(change, WeightChange):
        return bool(change.dimension_code) or change.category == category
    return False


def _same(a: float | None, b: float | None) -> bool:
    """Equal, for totals and points as stored: both absent, or within a millionth of a point
    (a total summed in another order may differ in its last bits)."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-6)


_KIND_ZH = {"figure": "数据", "target": "目标", "weight": "权重", "ratio": "等次比例"}


def kind_of(change: Change) -> str:
    return {FigureChange: "figure", TargetChange: "target", WeightChange: "weight", RatioChange: "ratio"}[type(change)]


def explain(difference: Difference, changes: Sequence[Change], indicator_names: Mapping[str, tuple[str, str]],
            grade_names: Mapping[tuple[str, int], tuple[str, str]]) -> tuple[str, str]:
    """The difference in words, (中文, English): what moved, then why. `indicator_names` maps
    an indicator code to its (zh, en) names, `grade_names` (rule code, grade) to the grade's."""
    zh: list[str] = []
    en: list[str] = []
    if not _same(difference.total_before, difference.total_after):
        zh.append(f"总分 {_points(difference.total_before)} → {_points(difference.total_after)}")
        en.append(f"total {_points(difference.total_before)} → {_points(difference.total_after)}")
    if difference.rank_before != difference.rank_after:
        zh.append(f"排名 {_rank(difference.rank_before)} → {_rank(difference.rank_after)}")
        en.append(f"rank {_rank(difference.rank_before)} → {_rank(difference.rank_after)}")
    for grade in difference.grades:
        before = grade_names.get((grade.grading_code, grade.before), ("", "")) if grade.before else ("无等次", "no grade")
        after = grade_names.get((grade.grading_code, grade.after), ("", "")) if grade.after else ("无等次", "no grade")
        zh.append(f"等次 {before[0] or grade.before} → {after[0] or grade.after}")
        en.append(f"grade {before[1] or grade.before} → {after[1] or grade.after}")
    for item in difference.indicators:
        name_zh, name_en = indicator_names.get(item.indicator_code, (item.indicator_code, item.indicator_code))
        zh.append(f"{name_zh} {_points(item.before)} → {_points(item.after)}")
        en.append(f"{name_en} {_points(item.before)} → {_points(item.after)}")
    if difference.changes:
        zh.append("因" + "、".join(f"变更{i + 1}（{_KIND_ZH[kind_of(changes[i])]}）" for i in difference.changes))
        en.append("by " + ", ".join(f"change {i + 1} ({kind_of(changes[i])})" for i in difference.changes))
    else:
        zh.append("随其他单位的变化而变")
        en.append("moved by the changes of other units")
    return "；".join(zh), "; ".join(en)


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _rank(value: int | None) -> str:
    return "—" if value is None else str(value)
