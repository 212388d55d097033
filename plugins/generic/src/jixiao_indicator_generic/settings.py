"""Reading a scheme's ``generic`` block into checked settings, one class per formula.

Pure functions: each ``read_<formula>(settings)`` returns a frozen dataclass or raises
:class:`ValueError` whose message starts with the setting at fault
(``"numerator: required"``, ``"bands[1].points: must be within [0, 100], got 120"``).
Numbers may be written as integers or decimals; booleans are not numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jixiao_sdk.model import CODE_PATTERN

#: The formulas, by the value of the ``formula`` setting, and the base code of each.
BASES: dict[str, str] = {
    "rate": "generic_rate",
    "amount": "generic_amount",
    "case_points": "generic_case_points",
    "bands": "generic_bands",
    "rank_points": "generic_rank_points",
    "sheet": "generic_sheet",
    "assessment": "generic_assessment",
    "ballot": "generic_ballot",
}
DIRECTIONS = ("higher_is_better", "lower_is_better")
AGGREGATES = ("sum", "last", "mean")

_ALLOWED: dict[str, tuple[str, ...]] = {
    "rate": ("formula", "numerator", "denominator", "target", "direction"),
    "amount": ("formula", "metric"),
    "case_points": ("formula", "metric", "points_per_case", "cap"),
    "bands": ("formula", "metric", "aggregate", "direction", "bands", "otherwise"),
    "rank_points": ("formula", "metric", "aggregate", "direction", "points_by_rank", "otherwise"),
    "sheet": ("formula", "department", "department_name", "due_days", "items"),
    "assessment": ("formula", "team_rule", "items"),
    "ballot": ("formula", "groups", "scale"),
}
TEAM_RULES = ("mean", "trimmed_mean")
_BALLOT_GROUP_KEYS = ("code", "name", "weight", "min_turnout")
_BALLOT_CHOICE_KEYS = ("value", "name")
_SHEET_ITEM_KEYS = ("code", "name", "max_points", "rule")


@dataclass(frozen=True)
class Rate:
    numerator: str
    denominator: str
    target: float | None
    direction: str


@dataclass(frozen=True)
class Amount:
    metric: str


@dataclass(frozen=True)
class CasePoints:
    metric: str
    points_per_case: float
    cap: float


@dataclass(frozen=True)
class Band:
    threshold: float
    points: float


@dataclass(frozen=True)
class Bands:
    metric: str
    aggregate: str
    direction: str            # higher_is_better: at_least bands; lower_is_better: at_most bands
    bands: tuple[Band, ...]   # as the scheme lists them
    otherwise: float


@dataclass(frozen=True)
class RankPoints:
    metric: str
    aggregate: str
    direction: str
    points_by_rank: tuple[float, ...]
    otherwise: float


@dataclass(frozen=True)
class SheetItem:
    code: str
    name_zh: str            # each falls back to the other language when the scheme gives one only
    name_en: str
    max_points: float
    rule_zh: str = ""
    rule_en: str = ""


@dataclass(frozen=True)
class Sheet:
    department: str
    department_zh: str
    department_en: str
    due_days: int
    items: tuple[SheetItem, ...]   # in the scheme's order

    @property
    def max_total(self) -> float:
        return math.fsum(item.max_points for item in self.items)


@dataclass(frozen=True)
class Assessment:
    team_rule: str                 # mean | trimmed_mean
    items: tuple[SheetItem, ...]   # in the scheme's order

    @property
    def max_total(self) -> float:
        return math.fsum(item.max_points for item in self.items)


@dataclass(frozen=True)
class RaterGroup:
    code: str
    name_zh: str
    name_en: str
    weight: float
    min_turnout: float


@dataclass(frozen=True)
class Choice:
    value: float
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Ballot:
    groups: tuple[RaterGroup, ...]   # in the scheme's order
    scale: tuple[Choice, ...]        # best first, as the scheme lists it

    @property
    def top(self) -> float:
        """The scale's highest value: a mean rating of it is 100 points."""
        return max(choice.value for choice in self.scale)


def check_keys(formula: str, settings: Mapping[str, Any]) -> None:
    """Refuse a ``formula`` other than *formula* and any setting the formula does not read."""
    given = settings.get("formula", formula)
    if given != formula:
        raise ValueError(f"formula: is {given!r}, but this is the generic {formula!r} indicator"
                         f" ({BASES[formula]})")
    unknown = sorted(set(settings) - set(_ALLOWED[formula]))
    if unknown:
        raise ValueError(f"{unknown[0]}: not a setting of formula {formula!r} (settings:"
                         f" {', '.join(_ALLOWED[formula])})")


def _metric(settings: Mapping[str, Any], name: str) -> str:
    value = settings.get(name)
    if value is None:
        raise ValueError(f"{name}: required (a metric code)")
    if not isinstance(value, str) or not CODE_PATTERN.match(value):
        raise ValueError(f"{name}: must be a metric code (lower-case letters, digits and"
                         f" underscores), got {value!r}")
    return value


def _number(settings: Mapping[str, Any], name: str, default: float | None = None, *,
            where: str | None = None) -> float | None:
    value = settings.get(name)
    where = where or name
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where}: must be a finite number, got {value!r}")
    return float(value)


def _choice(settings: Mapping[str, Any], name: str, choices: tuple[str, ...], default: str) -> str:
    value = settings.get(name, default)
    if value not in choices:
        raise ValueError(f"{name}: must be one of {', '.join(choices)}, got {value!r}")
    return value


def target_in_range(value: float, where: str) -> float:
    """A rate target: within (0, 1]."""
    if not 0.0 < value <= 1.0:
        raise ValueError(f"{where}: a rate target must be within (0, 1], got {value!r}")
    return value


def read_rate(settings: Mapping[str, Any]) -> Rate:
    check_keys("rate", settings)
    numerator, denominator = _metric(settings, "numerator"), _metric(settings, "denominator")
    if numerator == denominator:
        raise ValueError(f"denominator: must differ from the numerator, both are {numerator!r}")
    target = _number(settings, "target")
    if target is not None:
        target_in_range(target, "target")
    return Rate(numerator, denominator, target, _choice(settings, "direction", DIRECTIONS,
                                                        "higher_is_better"))


def read_amount(settings: Mapping[str, Any]) -> Amount:
    check_keys("amount", settings)
    return Amount(_metric(settings, "metric"))


def read_case_points(settings: Mapping[str, Any]) -> CasePoints:
    check_keys("case_points", settings)
    metric = _metric(settings, "metric")
    per_case = _number(settings, "points_per_case")
    if per_case is None:
        raise ValueError("points_per_case: required (negative: deducted per case; positive:"
                         " added per case)")
    if per_case == 0:
        raise ValueError("points_per_case: must not be 0 (negative: deducted per case;"
                         " positive: added per case)")
    cap = _number(settings, "cap")
    if cap is None:
        raise ValueError("cap: required (the most points deducted or added in a period, > 0)")
    if cap <= 0:
        raise ValueError(f"cap: must be > 0, got {cap!r}")
    return CasePoints(metric, per_case, cap)


def _points(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where}: must be a finite number, got {value!r}")
    if not 0.0 <= value <= 100.0:
        raise ValueError(f"{where}: must be within [0, 100], got {value!r}")
    return float(value)


def read_bands(settings: Mapping[str, Any]) -> Bands:
    check_keys("bands", settings)
    metric = _metric(settings, "metric")
    aggregate = _choice(settings, "aggregate", AGGREGATES, "last")
    direction = _choice(settings, "direction", DIRECTIONS, "higher_is_better")
    wanted = "at_least" if direction == "higher_is_better" else "at_most"
    listed = settings.get("bands")
    if listed is None:
        raise ValueError("bands: required (a list of {at_least: x, points: p} or"
                         " {at_most: x, points: p})")
    if isinstance(listed, (str, Mapping)) or not isinstance(listed, (list, tuple)) or not listed:
        raise ValueError(f"bands: must be a non-empty list, got {listed!r}")
    bands = []
    for i, band in enumerate(listed):
        where = f"bands[{i}]"
        if not isinstance(band, Mapping):
            raise ValueError(f"{where}: must be a mapping like {{at_least: 0.9, points: 90}},"
                             f" got {band!r}")
        edge = [k for k in ("at_least", "at_most") if k in band]
        if edge and edge != [wanted]:
            other = "at_most" if wanted == "at_least" else "at_least"
            raise ValueError(f"{where}.{other}: a band when {direction.replace('_', ' ')} has {wanted},"
                             f" not {other}" + (" (set direction: lower_is_better for at_most bands)"
                                                if wanted == "at_least" else ""))
        if not edge:
            raise ValueError(f"{where}: needs {wanted}: the threshold a value must reach")
        extra = sorted(set(band) - {edge[0], "points"})
        if extra:
            raise ValueError(f"{where}.{extra[0]}: not a band setting (at_least or at_most, points)")
        threshold = _number(band, edge[0], where=f"{where}.{edge[0]}")
        if threshold is None:
            raise ValueError(f"{where}.{edge[0]}: required")
        if "points" not in band:
            raise ValueError(f"{where}.points: required")
        bands.append(Band(threshold, _points(band["points"], f"{where}.points")))
    thresholds = [b.threshold for b in bands]
    if len(set(thresholds)) != len(thresholds):
        raise ValueError("bands: two bands have the same edge")
    otherwise = _points(settings.get("otherwise", 0), "otherwise")
    return Bands(metric, aggregate, direction, tuple(bands), otherwise)


def read_rank_points(settings: Mapping[str, Any]) -> RankPoints:
    check_keys("rank_points", settings)
    metric = _metric(settings, "metric")
    aggregate = _choice(settings, "aggregate", AGGREGATES, "last")
    direction = _choice(settings, "direction", DIRECTIONS, "higher_is_better")
    listed = settings.get("points_by_rank")
    if listed is None:
        raise ValueError("points_by_rank: required (points for ranks 1, 2, 3, ...)")
    if isinstance(listed, (str, Mapping)) or not isinstance(listed, (list, tuple)) or not listed:
        raise ValueError(f"points_by_rank: must be a non-empty list of numbers, got {listed!r}")
    points = []
    for i, value in enumerate(listed):
        where = f"points_by_rank[{i}]"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{where}: must be a finite number, got {value!r}")
        if value < 0:
            raise ValueError(f"{where}: must be >= 0, got {value!r}")
        if points and value > points[-1]:
            raise ValueError(f"{where}: a worse rank may not earn more than a better one"
                             f" ({value!r} > {points[-1]!r})")
        points.append(float(value))
    if points[0] <= 0:
        raise ValueError(f"points_by_rank[0]: the first rank's points must be > 0, got {listed[0]!r}")
    otherwise = _number(settings, "otherwise", 0.0)
    if not 0.0 <= otherwise <= points[0]:
        raise ValueError(f"otherwise: must be within [0, {points[0]:g}] (rank 1's points),"
                         f" got {otherwise!r}")
    return RankPoints(metric, aggregate, direction, tuple(points), otherwise)


def _name(value: Any, where: str, *, required: bool = True) -> tuple[str, str]:
    """``(zh, en)`` of a name written ``{zh: ..., en: ...}`` (one language is enough)."""
    if value is None and not required:
        return "", ""
    if value is None:
        raise ValueError(f"{where}: required (a name: {{zh: ..., en: ...}})")
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: must be a name {{zh: ..., en: ...}}, got {value!r}")
    unknown = sorted(set(value) - {"zh", "en"})
    if unknown:
        raise ValueError(f"{where}.{unknown[0]}: unknown language: a name has zh and en")
    texts = {}
    for language in ("zh", "en"):
        text = value.get(language, "")
        if not isinstance(text, str):
            raise ValueError(f"{where}.{language}: must be text, got {text!r}")
        texts[language] = text.strip()
    if not texts["zh"] and not texts["en"]:
        raise ValueError(f"{where}: needs a name in Chinese (zh) or English (en)")
    return texts["zh"] or texts["en"], texts["en"] or texts["zh"]


def _items(settings: Mapping[str, Any], what: str) -> tuple[SheetItem, ...]:
    """The `items` of a sheet or an on-site assessment, each checked, in their order."""
    listed = settings.get("items")
    if listed is None:
        raise ValueError(f"items: required (the {what}'s items: {{code, name, max_points, rule}})")
    if isinstance(listed, (str, Mapping)) or not isinstance(listed, (list, tuple)) or not listed:
        raise ValueError(f"items: must be a non-empty list of items, got {listed!r}")
    items: list[SheetItem] = []
    for i, item in enumerate(listed):
        where = f"items[{i}]"
        if not isinstance(item, Mapping):
            raise ValueError(f"{where}: must be a mapping like {{code: responsibility, name: {{zh: ...}},"
                             f" max_points: 40}}, got {item!r}")
        extra = sorted(set(item) - set(_SHEET_ITEM_KEYS))
        if extra:
            raise ValueError(f"{where}.{extra[0]}: not an item setting ({', '.join(_SHEET_ITEM_KEYS)})")
        code = item.get("code")
        if code is None:
            raise ValueError(f"{where}.code: required (the item's code, unique on the {what})")
        if not isinstance(code, str) or not code.strip():
            raise ValueError(f"{where}.code: must be non-empty text, got {code!r}")
        if any(earlier.code == code for earlier in items):
            raise ValueError(f"{where}.code: duplicate item code {code!r}")
        name_zh, name_en = _name(item.get("name"), f"{where}.name")
        if item.get("max_points") is None:
            raise ValueError(f"{where}.max_points: required (the most points the item gives, > 0)")
        most = _number(item, "max_points", where=f"{where}.max_points")
        if most <= 0:
            raise ValueError(f"{where}.max_points: must be > 0, got {item['max_points']!r}")
        rule_zh, rule_en = _name(item.get("rule"), f"{where}.rule", required=False)
        items.append(SheetItem(code, name_zh, name_en, most, rule_zh, rule_en))
    return tuple(items)


def read_sheet(settings: Mapping[str, Any]) -> Sheet:
    check_keys("sheet", settings)
    department = settings.get("department")
    if department is None:
        raise ValueError("department: required (the responsible department's code)")
    if not isinstance(department, str) or not department.strip():
        raise ValueError(f"department: must be the responsible department's code, got {department!r}")
    department = department.strip()
    if settings.get("department_name") is None:
        department_zh = department_en = department
    else:
        department_zh, department_en = _name(settings["department_name"], "department_name")
    due_days = settings.get("due_days", 10)
    whole = (not isinstance(due_days, bool) and isinstance(due_days, (int, float))
             and math.isfinite(due_days) and float(due_days).is_integer())
    if not whole or due_days < 0:
        raise ValueError(f"due_days: must be a whole number of days >= 0, got {due_days!r}")
    items = _items(settings, "sheet")
    return Sheet(department, department_zh, department_en, int(due_days), items)


def read_assessment(settings: Mapping[str, Any]) -> Assessment:
    check_keys("assessment", settings)
    rule = _choice(settings, "team_rule", TEAM_RULES, "mean")
    return Assessment(rule, _items(settings, "assessment"))


def _listed(settings: Mapping[str, Any], name: str, what: str) -> list:
    listed = settings.get(name)
    if listed is None:
        raise ValueError(f"{name}: required ({what})")
    if isinstance(listed, (str, Mapping)) or not isinstance(listed, (list, tuple)) or not listed:
        raise ValueError(f"{name}: must be a non-empty list ({what}), got {listed!r}")
    return list(listed)


def _entry(item: Any, where: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise ValueError(f"{where}: must be a mapping of {', '.join(keys)}, got {item!r}")
    extra = sorted(set(item) - set(keys))
    if extra:
        raise ValueError(f"{where}.{extra[0]}: not a setting here ({', '.join(keys)})")
    return item


def read_ballot(settings: Mapping[str, Any]) -> Ballot:
    check_keys("ballot", settings)
    groups: list[RaterGroup] = []
    for i, item in enumerate(_listed(settings, "groups", "the rater groups: {code, name, weight, min_turnout}")):
        where = f"groups[{i}]"
        item = _entry(item, where, _BALLOT_GROUP_KEYS)
        code = item.get("code")
        if not isinstance(code, str) or not code.strip():
            raise ValueError(f"{where}.code: required, non-empty text, got {code!r}")
        if any(earlier.code == code for earlier in groups):
            raise ValueError(f"{where}.code: duplicate rater group {code!r}")
        name_zh, name_en = _name(item.get("name"), f"{where}.name")
        weight = _number(item, "weight", where=f"{where}.weight")
        if weight is None or weight <= 0:
            raise ValueError(f"{where}.weight: must be a number > 0, got {item.get('weight')!r}")
        least = _number(item, "min_turnout", 0.0, where=f"{where}.min_turnout")
        if not 0.0 <= least <= 1.0:
            raise ValueError(f"{where}.min_turnout: must be within [0, 1], got {least!r}")
        groups.append(RaterGroup(code, name_zh, name_en, weight, least))
    scale: list[Choice] = []
    for i, item in enumerate(_listed(settings, "scale", "the choices: {value, name}, best first")):
        where = f"scale[{i}]"
        item = _entry(item, where, _BALLOT_CHOICE_KEYS)
        value = _number(item, "value", where=f"{where}.value")
        if value is None or value < 0:
            raise ValueError(f"{where}.value: must be a number >= 0, got {item.get('value')!r}")
        if any(earlier.value == value for earlier in scale):
            raise ValueError(f"{where}.value: duplicate value {value!r}")
        name_zh, name_en = _name(item.get("name"), f"{where}.name")
        scale.append(Choice(value, name_zh, name_en))
    if len(scale) < 2:
        raise ValueError("scale: needs at least two choices")
    if max(c.value for c in scale) <= 0:
        raise ValueError("scale: the highest value must be > 0 (it scales the points)")
    return Ballot(tuple(groups), tuple(scale))


READERS = {"rate": read_rate, "amount": read_amount, "case_points": read_case_points,
           "bands": read_bands, "rank_points": read_rank_points, "sheet": read_sheet,
           "assessment": read_assessment, "ballot": read_ballot}
