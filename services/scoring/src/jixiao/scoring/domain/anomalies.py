"""Anomaly checks (疑点核查): suspicious figures are caught, not silently scored.

`check(figures, …)` reads a scheme's declared validation rules and the stored
figures of its year and returns an `AnomalyReport`: the `Finding`s, each with its
kind, severity (low, medium, high), unit, metric, period, a message in Chinese and
English, the event ids it rests on and the numbers behind it; and the status of
every Benford test, including the ones that had too little data to say anything.
A finding is a question for the evaluation office (疑点), not a verdict: the
office checks it with the unit and the feed. Every threshold below is a field of
`Thresholds`, whose defaults are the numbers stated here.

Figures. A `ReportedFigure` is one stored event of a unit: unit, metric, period (its
text and its first and last day), value, measurement unit, event id, source, and
when it revises another event, `revision_of` and its `reported_at`. A figure that a
later figure revises (its event id is another figure's `revision_of`) no longer
counts: every check but the downward-revision check (e) reads only the figures
that count. A person's figures (`person_id` set: ratings of leaders) are not a
unit's figures and are left out. A figure's value must be a finite number of at
most 1e100 in size (no feed reports more; sums and squares stay finite) and its
first day no later than its last, and an event id is given once; anything else is
refused with `AnomalyInputError` naming the figure.

Cells. The figures of one unit, metric and period (same first and last day) are
added up into one cell (`math.fsum`, so the order of the figures never matters):
the sector figures of a district's monthly investment are one monthly figure.
Money (measurement units CNY, CNY_10K, CNY_100M) is converted to 亿元 first, as the
plug-ins do; other figures are added as they are. A cell whose figures are all in
a count unit (`count_units`, default ``count``) is a count. A month is a period
from the first to the last day of one calendar month; checks (b), (c), (d) and
the cumulative part of (e) look at monthly cells only (a grant won on a day, an
annual survey, a quarter reported as a whole are not compared month by month).

Robust z. The robust z of a value x against reference values V is
(x − median(V)) / s, where s = max(1.4826 × MAD(V), 0.3 × |median(V)|, floor) and
MAD is the median absolute deviation from the median (1.4826 × MAD estimates the
standard deviation of normal data; |z| ≥ 3.5 is Iglewicz and Hoaglin's cut-off for
the modified z-score). The floor of 30 % of the median (`relative_floor`) is the
seasons' share: monthly flows swing through the year (the demo's December carries
13 % of a year's investment against 8 % in an average month, more for a unit that
starts slowly), so a steady series does not flag an ordinary December. For counts
the floor is the spread of a Poisson count (below). With s = 0 (every reference
value is 0 and the figure is no count) the figure is not tested.

Severity of an outlier (b, c): |z| ≥ 3.5 (`z`) is low, |z| ≥ 5 (`z_medium`)
medium, |z| ≥ 10 (`z_high`) high. Where the 30 % floor is the spread, a month
above 2.5 times the unit's median month is at least medium, above 4 times high. A count that
differs from its reference (the median, or in (c) the unit's own level) by fewer
than 10 (`count_materiality`) is low whatever its z: small counts are noisy and
such a difference moves no score much.

(a) Validation rules (校验规则), as DHIS2 has them. A scheme may declare
``validation_rules: [{code, left: <metric>, operator: <=|<|>=|>|==, right:
<metric>, severity: low|medium|high, name: {zh, en}}]``. For each unit and period
(same first and last day) that has a cell of both metrics, the rule must hold
between the two cells' values: ``complaints_handled_on_time <=
complaints_received``. A period with a cell of only one side is skipped (a missing
figure is completeness's 缺报, not a contradiction). Equality and the bounds allow
a rounding difference of 1e-9 × max(1, |left|, |right|): values that close are
equal (``<`` and ``>`` fail on them, ``<=``, ``>=`` and ``==`` hold). A broken rule is a
finding of the rule's severity (medium when the rule names none). A rule naming an
operator, a severity or (with `known_metrics`) a metric that is not known is
refused with `AnomalyInputError`: ``validation_rules[0].operator: must be one of
<=, <, >=, >, ==``.

(b) Far from the unit's own history (偏离自身历史). Each monthly cell of a unit
and metric is compared with the unit's other months of the same metric in the
input (leave one out: the figure tested is not part of its own reference): its
robust z against them, when there are at least 6 other months
(`history_min`). For a count, s is at least √max(|median(V)|, 1), the spread of
a Poisson count: 9 complaints where 2 are usual is rare, not absurd.

Sudden jumps (环比突变): a monthly cell and the cell of the month just before,
both above 0, when the larger is at least 3.5 times the smaller (`jump_ratio`;
the demo's seasons take March to 2.3 times February), the change is at least half
the unit's median month of the metric (`jump_min_share` 0.5), and for counts at
least 5 × √(sum of the two) (`jump_count_z`; √ of the sum is the spread of the
difference of two Poisson counts). A jump is medium, high when the larger is at
least 7 times the smaller (`jump_ratio_high`); a count jump of fewer than 10 is
low. A jump from or to 0 is not a ratio and is left to the robust z. A jump is
named by the later month (`period`); a lasting shift of level shows as one jump.

(c) Outside the peers' spread (偏离同类). Units of one category differ in size
(市公安局 receives ten times the complaints of 市审计局 every month, which is
no anomaly), so peers are compared by how each moved against its own level: the
index of a monthly cell is its value divided by the median of the unit's other
months of the metric (at least 6 of them, a median above 0). The index is
compared, by robust z, with the indices of the other units of the same category
for the same metric and month, when there are at least 5 of them (`peers_min`).
For a count, s is at least 1 / √max(level, 1), the spread of a Poisson count's
index on its level. Units without a category are not compared.

(d) Figures copied across units (数据雷同). Two units whose monthly cells of one
metric are equal (to 1e-6, and not 0: equal zeros carry nothing and break a run)
for at least 3 consecutive months (`copy_min_run`), when such a run is unlikely by
chance. The chance that two units reporting independently land on the same value
v in a month is taken as g / √(2π (σa² + σb²)), at most 1, where g is the step v is
written to (1 for 184, 0.01 for 12.05) and σa, σb are 1.4826 × MAD of each unit's
monthly cells of the metric (no floor; a unit whose figures never vary gives 1:
equal constant figures prove nothing). This is the largest chance two normal
figures of those spreads have of meeting on the grid, so it errs towards chance.
A run's chance is the product over its months; a run whose chance is at most 1e-6
(`copy_chance`) is a finding, high at 1e-9 (`copy_chance_high`), else medium.
Three months of 14, 17, 12 complaints in two departments whose counts wander by
about ±4 have a chance of about 3e-4: no finding. Three months of monthly
investment to 0.01 亿元 in two counties whose months wander by ±3 亿元 have one of
about 8e-10: high. Each maximal run of a pair and metric is one finding, named by the
first unit id of the pair (`unit_id`, the other in `other_unit_id`), from
`period` to `period_to`. Each metric is judged on its own: the counts of one
unit's complaints move together (on time ≈ received), so their coincidences are
not independent evidence.

(e) Year-to-date totals that decrease (累计数下降). The demo's amounts are monthly
flows (each month adds to the year, values ≥ 0), so their year-to-date total can
only fall when an earlier figure is revised downward after later months were
reported: the "1–9月累计" a bulletin showed shrinks afterwards, the pattern of
a figure inflated to meet a milestone and quietly withdrawn. So: a figure that
revises another figure of the same unit and metric to a lower value, when the unit
already had a figure of that metric for a later period of the same (financial)
year reported no later than the revision (by `reported_at`; a later figure
without a time counts as reported), is a finding. Its numbers are the year-to-date
total through the latest such period before and after the revision; it is medium
when the drop is at least 5 % of the total before (`ytd_drop_share`), low
otherwise. For metrics reported as cumulative (year to date: `cumulative_metrics`;
the demo has none) a monthly cell below the unit's previous monthly cell of the
same year is a finding, medium when the drop is at least 5 % of the earlier value,
low otherwise; such metrics are left out of (b), (c) and (d), whose figures must
be flows.

(f) Benford's law (本福特定律). For each source and (financial) year, the first
significant digits of the amounts that count (figures in money units, values
other than 0, taken as they were reported: the individual events, not the cells)
are compared with Benford's law, P(d) = log10(1 + 1/d). Fewer than 100 amounts
(`benford_min_count`) is the status ``not_enough_data``, never a finding. Amounts
whose 95th percentile is less than 10^1.5 (about 32) times their 5th percentile
(`benford_min_orders`) is ``not_applicable``: Benford's law describes figures
spread over orders of magnitude, and a set of similar amounts (a few districts'
monthly investment by sector) departs from it without anything being wrong.
Otherwise the test computes χ² over the nine digits (8 degrees of freedom; the
p-value is exact in closed form, e^(−χ²/2) × Σ_{k<4} (χ²/2)^k / k!) and Nigrini's
mean absolute deviation MAD = mean over d of |observed share − P(d)|, with his
first-digit bands: ≤ 0.006 close conformity, ≤ 0.012 acceptable, ≤ 0.015
marginal, above nonconformity. The amounts are ``nonconforming`` — a finding —
when the departure is both significant and large: p < 0.01 (`benford_alpha`) and
MAD > 0.015 (`benford_mad`); high when p < 0.001 (`benford_alpha_high`), else
medium. Otherwise the status is ``conforms``. A Benford finding names the source
and the year, no unit; its evidence is every amount's event id.

Order. Findings are listed by kind (in the order a to f above), unit, metric,
period, the other unit, rule code and source; the Benford statuses by source and
year. The same figures in any order give the same report.
"""
from __future__ import annotations

import calendar
import math
import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations
from typing import Any

from jixiao_sdk.helpers import MONEY_UNITS
from jixiao_sdk.periods import CALENDAR_YEAR, Calendar, PeriodError

OPERATORS = ("<=", "<", ">=", ">", "==")
SEVERITIES = ("low", "medium", "high")
#: The kinds of finding, in the order they are listed (checks a to f).
KINDS = ("validation_rule", "own_history", "jump", "peers", "copied", "ytd_decrease", "benford")
KIND_NAMES = {
    "validation_rule": ("违反校验规则", "validation rule broken"),
    "own_history": ("偏离自身历史", "far from the unit's own history"),
    "jump": ("环比突变", "sudden month-on-month jump"),
    "peers": ("偏离同类", "outside the peers' spread"),
    "copied": ("数据雷同", "figures copied across units"),
    "ytd_decrease": ("累计数下降", "year-to-date total decreased"),
    "benford": ("不符合本福特定律", "amounts depart from Benford's law"),
}
BENFORD_STATUSES = ("conforms", "nonconforming", "not_enough_data", "not_applicable")
#: Benford's first-digit shares, P(d) = log10(1 + 1/d) for d = 1..9.
BENFORD = tuple(math.log10(1 + 1 / d) for d in range(1, 10))
#: Nigrini's first-digit MAD bands: (upper bound, name); above the last, "nonconformity".
NIGRINI_FIRST_DIGIT = ((0.006, "close"), (0.012, "acceptable"), (0.015, "marginal"))
MAD_TO_SD = 1.4826  # 1 / Φ⁻¹(3/4): 1.4826 × MAD estimates σ of normal data
_EQUAL = 1e-6  # values equal to this (check d)
MAX_VALUE = 1e100  # the largest size of a figure's value
_ROUNDING = 1e-9  # relative rounding allowed by a validation rule


class AnomalyInputError(ValueError):
    """A figure or a rule the checks cannot read; `field` says where."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the checks; the defaults are those of the module docstring."""

    z: float = 3.5
    z_medium: float = 5.0
    z_high: float = 10.0
    history_min: int = 6
    relative_floor: float = 0.3
    count_units: tuple[str, ...] = ("count",)
    count_materiality: float = 10.0
    jump_ratio: float = 3.5
    jump_ratio_high: float = 7.0
    jump_min_share: float = 0.5
    jump_count_z: float = 5.0
    peers_min: int = 5
    copy_min_run: int = 3
    copy_chance: float = 1e-6
    copy_chance_high: float = 1e-9
    ytd_drop_share: float = 0.05
    benford_min_count: int = 100
    benford_min_orders: float = 1.5
    benford_alpha: float = 0.01
    benford_alpha_high: float = 0.001
    benford_mad: float = 0.015
    amount_units: tuple[str, ...] = tuple(MONEY_UNITS)

    def __post_init__(self) -> None:
        for name in ("z", "z_medium", "z_high", "relative_floor", "count_materiality", "jump_ratio", "jump_ratio_high",
                     "jump_min_share", "jump_count_z", "copy_chance", "copy_chance_high", "ytd_drop_share", "benford_min_orders", "benford_alpha",
                     "benford_alpha_high", "benford_mad"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise AnomalyInputError(f"thresholds.{name}", f"must be a finite number ≥ 0, not {value!r}")
        for name in ("history_min", "peers_min", "copy_min_run", "benford_min_count"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise AnomalyInputError(f"thresholds.{name}", f"must be a whole number ≥ 1, not {value!r}")
        if not self.z <= self.z_medium <= self.z_high:
            raise AnomalyInputError("thresholds.z_medium", f"must lie between z ({self.z:g}) and z_high ({self.z_high:g})")
        if self.jump_ratio < 1 or self.jump_ratio_high < self.jump_ratio:
            raise AnomalyInputError("thresholds.jump_ratio", "must be ≥ 1 and at most jump_ratio_high")
        if self.benford_alpha_high > self.benford_alpha:
            raise AnomalyInputError("thresholds.benford_alpha_high", f"must be at most benford_alpha ({self.benford_alpha:g})")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class ReportedFigure:
    """One stored figure (event) of a unit, as its feed reported it."""

    unit_id: str
    metric: str
    period: str
    start: date
    end: date  # inclusive
    value: float
    measurement_unit: str = ""
    event_id: str = ""
    source: str = ""
    revision_of: str = ""
    reported_at: str = ""
    person_id: str = ""


@dataclass(frozen=True)
class ValidationRule:
    """One declared rule ``left operator right`` between two metrics of a unit and period."""

    code: str
    left: str
    operator: str
    right: str
    severity: str = "medium"
    name_zh: str = ""
    name_en: str = ""

    def __post_init__(self) -> None:
        where = f"validation rule {self.code!r}"
        for name in ("code", "left", "right"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise AnomalyInputError(f"{where}.{name}", f"must be non-empty text, not {value!r}")
        if self.operator not in OPERATORS:
            raise AnomalyInputError(f"{where}.operator", f"must be one of {', '.join(OPERATORS)}, not {self.operator!r}")
        if self.severity not in SEVERITIES:
            raise AnomalyInputError(f"{where}.severity", f"must be one of {', '.join(SEVERITIES)}, not {self.severity!r}")
        if self.left == self.right:
            raise AnomalyInputError(f"{where}.right", f"compares {self.left!r} with itself")

    def holds(self, left: float, right: float) -> bool:
        """Whether ``left operator right`` holds, allowing a rounding difference (values
        within it are equal: ``<`` and ``>`` then fail, ``<=``, ``>=`` and ``==`` hold)."""
        slack = _ROUNDING * max(1.0, abs(left), abs(right))
        return {"<=": left <= right + slack, "<": left < right - slack, ">=": left >= right - slack,
                ">": left > right + slack, "==": abs(left - right) <= slack}[self.operator]


@dataclass(frozen=True)
class Finding:
    """One suspicious figure (or set of figures): what, how bad, where, why, on what evidence."""

    kind: str
    severity: str
    unit_id: str
    metric: str
    period: str
    message_zh: str
    message_en: str
    evidence: tuple[str, ...] = ()
    numbers: Mapping[str, float] = field(default_factory=dict)
    period_to: str = ""  # the last period of a run (copied figures), else ""
    other_unit_id: str = ""  # the second unit of copied figures
    source: str = ""  # the source of a Benford finding
    rule: str = ""  # the validation rule's code

    def sort_key(self) -> tuple:
        return (KINDS.index(self.kind), self.unit_id, self.metric, self.period, self.other_unit_id, self.rule,
                self.source, self.period_to)


@dataclass(frozen=True)
class BenfordTest:
    """The outcome of check (f) for one source and year, a finding or not."""

    source: str
    period: str
    status: str  # conforms | nonconforming | not_enough_data | not_applicable
    count: int
    digits: tuple[int, ...] = ()  # how many amounts begin with 1, 2, …, 9
    chi_square: float | None = None
    p_value: float | None = None
    mad: float | None = None
    conformity: str = ""  # Nigrini's band: close, acceptable, marginal, nonconformity
    orders_of_magnitude: float | None = None  # log10(P95 / P5)
    reason_zh: str = ""
    reason_en: str = ""


@dataclass(frozen=True)
class AnomalyReport:
    findings: tuple[Finding, ...]
    benford: tuple[BenfordTest, ...]

    def count_by_severity(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


# -- reading the scheme and the events ------------------------------------------------------------


def scheme_metrics(document: Mapping[str, Any]) -> frozenset[str]:
    """The metrics a scheme document knows: those its sources report and its `metrics` section lists."""
    known = {m for source in document.get("sources") or () if isinstance(source, Mapping)
             for m in source.get("metrics") or () if isinstance(m, str)}
    known |= {m.get("code") for m in document.get("metrics") or () if isinstance(m, Mapping)
              and isinstance(m.get("code"), str)}
    return frozenset(known)


def rule_problems(raw: object, known_metrics: Collection[str] | None = None) -> list[tuple[str, str]]:
    """Every problem of a `validation_rules` section, as (place, message):
    ``("validation_rules[0].operator", "must be one of <=, <, >=, >, ==")``.
    `known_metrics`, when given, are the metrics a rule may name."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        return [("validation_rules", f"must be a list of rules, not {_kind_of(raw)}")]
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, rule in enumerate(raw):
        where = f"validation_rules[{i}]"
        if not isinstance(rule, Mapping):
            problems.append((where, f"must be a mapping, not {_kind_of(rule)}"))
            continue
        code = rule.get("code")
        if not isinstance(code, str) or not code.strip():
            problems.append((f"{where}.code", "is required (text)"))
        elif code in seen:
            problems.append((f"{where}.code", f"duplicate code {code!r}"))
        else:
            seen.add(code)
        for side in ("left", "right"):
            metric = rule.get(side)
            if not isinstance(metric, str) or not metric.strip():
                problems.append((f"{where}.{side}", "is required: the code of a metric"))
            elif known_metrics is not None and metric not in known_metrics:
                problems.append((f"{where}.{side}", f"unknown metric {metric!r} (no source reports it)"))
        if isinstance(rule.get("left"), str) and rule.get("left") == rule.get("right"):
            problems.append((f"{where}.right", f"compares {rule['left']!r} with itself"))
        if rule.get("operator") not in OPERATORS:
            problems.append((f"{where}.operator", f"must be one of {', '.join(OPERATORS)}"))
        if rule.get("severity") is not None and rule.get("severity") not in SEVERITIES:
            problems.append((f"{where}.severity", f"must be one of {', '.join(SEVERITIES)}"))
        name = rule.get("name")
        if name is not None and (not isinstance(name, Mapping)
                                 or not all(isinstance(name.get(k, ""), str) for k in ("zh", "en"))):
            problems.append((f"{where}.name", "must be a mapping of texts {zh, en}"))
    return problems


def rules_from_scheme(document: Mapping[str, Any]) -> tuple[ValidationRule, ...]:
    """The validation rules a scheme document declares (none without the section);
    `AnomalyInputError` naming the place of the first problem."""
    raw = document.get("validation_rules")
    problems = rule_problems(raw, scheme_metrics(document))
    if problems:
        raise AnomalyInputError(*problems[0])
    rules = []
    for rule in raw or ():
        name = rule.get("name") or {}
        rules.append(ValidationRule(code=rule["code"], left=rule["left"], operator=rule["operator"],
                                    right=rule["right"], severity=rule.get("severity") or "medium",
                                    name_zh=name.get("zh", ""), name_en=name.get("en", "")))
    return tuple(rules)


def categories_from_scheme(document: Mapping[str, Any]) -> dict[str, str]:
    """Unit id → category code, from a scheme document's `units`."""
    return {u["id"]: u.get("category") for u in document.get("units") or ()
            if isinstance(u, Mapping) and isinstance(u.get("id"), str) and isinstance(u.get("category"), str)}


def figure_from_event(event: Mapping[str, Any], calendar_: Calendar = CALENDAR_YEAR) -> ReportedFigure:
    """A ReportedFigure from a MetricEvent dict (period text) or a stored row (also
    `period_start`, `period_end`); `AnomalyInputError` naming the event when it is not one."""
    where = f"event {event.get('event_id', '')!r}" if isinstance(event, Mapping) else "event"
    if not isinstance(event, Mapping):
        raise AnomalyInputError(where, f"must be a mapping, not {_kind_of(event)}")
    for key in ("unit_id", "metric_code", "period"):
        if not isinstance(event.get(key), str) or not event.get(key):
            raise AnomalyInputError(f"{where}.{key}", "is required (text)")
    value = event.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AnomalyInputError(f"{where}.value", f"must be a number, not {_kind_of(value)}")
    start, end = event.get("period_start"), event.get("period_end")
    if not (isinstance(start, date) and isinstance(end, date)):
        try:
            period = calendar_.parse(event["period"])
        except PeriodError as exc:
            raise AnomalyInputError(f"{where}.period", str(exc)) from None
        start, end = period.start, period.end
    return ReportedFigure(unit_id=event["unit_id"], metric=event["metric_code"], period=event["period"], start=start,
                          end=end, value=float(value), measurement_unit=str(event.get("measurement_unit") or ""),
                          event_id=str(event.get("event_id") or ""), source=str(event.get("source") or ""),
                          revision_of=str(event.get("revision_of") or ""), reported_at=str(event.get("reported_at") or ""),
                          person_id=str(event.get("person_id") or ""))


# -- the checks -----------------------------------------------------------------------------------


def check(figures: Iterable[ReportedFigure], *, rules: Iterable[ValidationRule] = (),
          categories: Mapping[str, str] | None = None, cumulative_metrics: Collection[str] = (),
          known_metrics: Collection[str] | None = None, year_start_month: int = 1,
          thresholds: Thresholds = DEFAULT_THRESHOLDS) -> AnomalyReport:
    """Every check (a to f) over `figures`; see the module docstring for the rules.

    `rules` are the scheme's validation rules (`rules_from_scheme`), `categories`
    maps unit ids to their category (`categories_from_scheme`; the peer check is
    skipped without it), `cumulative_metrics` are the metrics reported as year-to-date
    totals, `known_metrics` (optional) the metrics a rule may name, and
    `year_start_month` the month the scheme's (financial) year starts in.
    """
    all_figures = _checked_figures(figures)
    rules = tuple(rules)
    for i, rule in enumerate(rules):
        if not isinstance(rule, ValidationRule):
            raise AnomalyInputError(f"rules[{i}]", f"must be a ValidationRule, not {_kind_of(rule)}")
        if known_metrics is not None:
            for side in ("left", "right"):
                if getattr(rule, side) not in known_metrics:
                    raise AnomalyInputError(f"validation rule {rule.code!r}.{side}",
                                            f"unknown metric {getattr(rule, side)!r} (no source reports it)")
    try:
        calendar_ = Calendar(year_start_month)
    except ValueError as exc:
        raise AnomalyInputError("year_start_month", str(exc)) from None
    cumulative = frozenset(cumulative_metrics)
    counting = _counting(all_figures)
    cells = _cells(counting, thresholds)
    flows = {key: cell for key, cell in cells.items() if cell.metric not in cumulative}
    series = _monthly_series(flows)
    findings: list[Finding] = []
    findings += rule_violations(cells, rules)
    findings += own_history_outliers(series, thresholds)
    findings += month_jumps(series, thresholds)
    findings += peer_outliers(series, categories or {}, thresholds)
    findings += copied_figures(series, thresholds)
    findings += ytd_decreases(all_figures, counting, _monthly_series(cells), cumulative, calendar_, thresholds)
    tests = benford_tests(counting, calendar_, thresholds)
    findings += [finding for test in tests for finding in _benford_finding(test, counting, calendar_, thresholds)]
    return AnomalyReport(tuple(sorted(findings, key=Finding.sort_key)),
                         tuple(sorted(tests, key=lambda t: (t.source, t.period))))


@dataclass(frozen=True)
class Cell:
    """The figures of one unit, metric and period, added up."""

    unit_id: str
    metric: str
    period: str
    start: date
    end: date
    value: float
    measurement_unit: str
    evidence: tuple[str, ...]
    count: bool  # every figure in a count unit

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self.end == self.start.replace(
            day=calendar.monthrange(self.start.year, self.start.month)[1])


CellKey = tuple[str, str, date, date]
SeriesKey = tuple[str, str]  # unit, metric


def _checked_figures(figures: Iterable[ReportedFigure]) -> list[ReportedFigure]:
    if isinstance(figures, (str, bytes, Mapping)) or not isinstance(figures, Iterable):
        raise AnomalyInputError("figures", f"must be a list of Figures, not {_kind_of(figures)}")
    checked, seen = [], set()
    for i, figure in enumerate(figures):
        where = f"figures[{i}]"
        if not isinstance(figure, ReportedFigure):
            raise AnomalyInputError(where, f"must be a ReportedFigure, not {_kind_of(figure)}")
        where = f"{where} (event {figure.event_id!r})" if figure.event_id else where
        for name in ("unit_id", "metric", "period"):
            if not isinstance(getattr(figure, name), str) or not getattr(figure, name):
                raise AnomalyInputError(f"{where}.{name}", "is required (text)")
        if isinstance(figure.value, bool) or not isinstance(figure.value, (int, float)) \
                or not math.isfinite(figure.value) or abs(figure.value) > MAX_VALUE:
            raise AnomalyInputError(f"{where}.value", f"must be a finite number of at most {MAX_VALUE:g} in size, "
                                                      f"not {figure.value!r}")
        if not (isinstance(figure.start, date) and isinstance(figure.end, date)) or figure.start > figure.end:
            raise AnomalyInputError(f"{where}.start", f"must be a date no later than end ({figure.start!r}, {figure.end!r})")
        if figure.event_id and figure.event_id in seen:
            raise AnomalyInputError(f"{where}.event_id", "is listed twice: an event is stored once")
        seen.add(figure.event_id)
        checked.append(figure)
    return checked


def _counting(figures: list[ReportedFigure]) -> list[ReportedFigure]:
    """The figures that count: a unit's (no person), not revised by another figure."""
    revised = {f.revision_of for f in figures if f.revision_of}
    return [f for f in figures if not f.person_id and (not f.event_id or f.event_id not in revised)]


def _cells(figures: list[ReportedFigure], t: Thresholds) -> dict[CellKey, Cell]:
    grouped: dict[CellKey, list[ReportedFigure]] = defaultdict(list)
    for figure in figures:
        grouped[(figure.unit_id, figure.metric, figure.start, figure.end)].append(figure)
    cells = {}
    for key, group in grouped.items():
        units = {f.measurement_unit for f in group}
        if units <= set(MONEY_UNITS):
            value = math.fsum(f.value * MONEY_UNITS[f.measurement_unit] for f in group)
            unit = "CNY_100M"
        else:
            value = math.fsum(f.value for f in group)
            unit = "+".join(sorted(units))
        cells[key] = Cell(unit_id=key[0], metric=key[1], period=min(f.period for f in group), start=key[2],
                          end=key[3], value=value, measurement_unit=unit,
                          evidence=tuple(sorted(f.event_id for f in group if f.event_id)),
                          count=units <= set(t.count_units))
    return cells


def _monthly_series(cells: Mapping[CellKey, Cell]) -> dict[SeriesKey, list[Cell]]:
    series: dict[SeriesKey, list[Cell]] = defaultdict(list)
    for cell in cells.values():
        if cell.is_month:
            series[(cell.unit_id, cell.metric)].append(cell)
    return {key: sorted(cells_, key=lambda c: c.start) for key, cells_ in sorted(series.items())}


def rule_violations(cells: Mapping[CellKey, Cell], rules: Iterable[ValidationRule]) -> list[Finding]:
    """Check (a): every unit and period with cells of both sides where a rule does not hold."""
    by_metric: dict[str, list[Cell]] = defaultdict(list)
    for cell in cells.values():
        by_metric[cell.metric].append(cell)
    findings = []
    for rule in rules:
        for left in by_metric.get(rule.left, ()):
            right = cells.get((left.unit_id, rule.right, left.start, left.end))
            if right is None or rule.holds(left.value, right.value):
                continue
            name_zh, name_en = rule.name_zh or rule.code, rule.name_en or rule.code
            findings.append(Finding(
                kind="validation_rule", severity=rule.severity, unit_id=left.unit_id, metric=rule.left,
                period=left.period, rule=rule.code,
                message_zh=(f"{left.period} 校验规则「{name_zh}」不成立：{rule.left} = {_num(left.value)}，"
                            f"{rule.right} = {_num(right.value)}，应满足 {rule.left} {rule.operator} {rule.right}"),
                message_en=(f"{left.period}: validation rule '{name_en}' does not hold: {rule.left} = "
                            f"{_num(left.value)}, {rule.right} = {_num(right.value)}, expected "
                            f"{rule.left} {rule.operator} {rule.right}"),
                evidence=tuple(sorted({*left.evidence, *right.evidence})),
                numbers={"left": left.value, "right": right.value, "difference": left.value - right.value}))
    return findings


def robust_z(value: float, reference: list[float], *, floor: float = 0.0,
             thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[float, float, float] | None:
    """(z, median, s) of `value` against `reference` (module docstring, Robust z), s at
    least `floor`; None when s is 0 or there is no reference."""
    if not reference:
        return None
    median = statistics.median(reference)
    mad = statistics.median(abs(v - median) for v in reference)
    scale = max(MAD_TO_SD * mad, thresholds.relative_floor * abs(median), floor)
    if scale <= 0:
        return None
    return (value - median) / scale, median, scale


def _outlier_severity(z: float, difference: float, count: bool, t: Thresholds) -> str | None:
    if abs(z) < t.z:
        return None
    if abs(z) < t.z_medium or (count and abs(difference) < t.count_materiality):
        return "low"
    return "high" if abs(z) >= t.z_high else "medium"


def own_history_outliers(series: Mapping[SeriesKey, list[Cell]], t: Thresholds = DEFAULT_THRESHOLDS) -> list[Finding]:
    """Check (b), the robust z of each monthly cell against the unit's other months."""
    findings = []
    for cells in series.values():
        if len(cells) < t.history_min + 1:
            continue
        for i, cell in enumerate(cells):
            others = [c.value for j, c in enumerate(cells) if j != i]
            floor = math.sqrt(max(abs(statistics.median(others)), 1.0)) if cell.count else 0.0
            result = robust_z(cell.value, others, floor=floor, thresholds=t)
            if result is None:
                continue
            z, median, scale = result
            severity = _outlier_severity(z, cell.value - median, cell.count, t)
            if severity is None:
                continue
            direction_zh, direction_en = ("偏高", "high") if z > 0 else ("偏低", "low")
            findings.append(Finding(
                kind="own_history", severity=severity, unit_id=cell.unit_id, metric=cell.metric, period=cell.period,
                message_zh=(f"{cell.period} {cell.metric} 为 {_num(cell.value)}，本单位其他{len(others)}个月"
                            f"中位数为 {_num(median)}，明显{direction_zh}（稳健z值 {z:.1f}，阈值 {t.z:g}）"),
                message_en=(f"{cell.metric} of {cell.period} is {_num(cell.value)} against a median of "
                            f"{_num(median)} over the unit's other {len(others)} months: unusually {direction_en} "
                            f"(robust z {z:.1f}, threshold {t.z:g})"),
                evidence=cell.evidence,
                numbers={"value": cell.value, "median": median, "scale": scale, "z": z, "months": float(len(others))}))
    return findings


def month_jumps(series: Mapping[SeriesKey, list[Cell]], t: Thresholds = DEFAULT_THRESHOLDS) -> list[Finding]:
    """Check (b), sudden month-on-month jumps."""
    findings = []
    for cells in series.values():
        level = statistics.median(c.value for c in cells)
        for before, cell in zip(cells, cells[1:], strict=False):
            if cell.start != before.end + timedelta(days=1) or before.value <= 0 or cell.value <= 0:
                continue
            ratio = cell.value / before.value
            factor = max(ratio, 1 / ratio)
            change = cell.value - before.value
            if factor < t.jump_ratio or abs(change) < t.jump_min_share * level:
                continue
            if cell.count and abs(change) < t.jump_count_z * math.sqrt(cell.value + before.value):
                continue
            severity = "high" if factor >= t.jump_ratio_high else "medium"
            if cell.count and abs(change) < t.count_materiality:
                severity = "low"
            up_zh, up_en = ("增至", "rose") if change > 0 else ("降至", "fell")
            findings.append(Finding(
                kind="jump", severity=severity, unit_id=cell.unit_id, metric=cell.metric, period=cell.period,
                message_zh=(f"{cell.metric} 由 {before.period} 的 {_num(before.value)} {up_zh} {cell.period} 的 "
                            f"{_num(cell.value)}（{factor:.1f}倍，阈值 {t.jump_ratio:g}倍）"),
                message_en=(f"{cell.metric} {up_en} from {_num(before.value)} in {before.period} to "
                            f"{_num(cell.value)} in {cell.period} ({factor:.1f}×, threshold {t.jump_ratio:g}×)"),
                evidence=tuple(sorted({*before.evidence, *cell.evidence})),
                numbers={"value": cell.value, "previous": before.value, "factor": factor, "median": level}))
    return findings


def peer_outliers(series: Mapping[SeriesKey, list[Cell]], categories: Mapping[str, str],
                  t: Thresholds = DEFAULT_THRESHOLDS) -> list[Finding]:
    """Check (c): each monthly cell's index on the unit's own level against its category's."""
    groups: dict[tuple[str, str, date], list[tuple[float, float, Cell]]] = defaultdict(list)
    for (unit_id, metric), cells in series.items():
        category = categories.get(unit_id)
        if category is None or len(cells) < t.history_min + 1:
            continue
        for i, cell in enumerate(cells):
            level = statistics.median(c.value for j, c in enumerate(cells) if j != i)
            if level > 0:
                groups[(metric, category, cell.start)].append((cell.value / level, level, cell))
    findings = []
    for (metric, category, _), entries in groups.items():
        if len(entries) - 1 < t.peers_min:
            continue
        for index, level, cell in entries:
            peers = [other for other, _, c in entries if c is not cell]
            floor = 1 / math.sqrt(max(level, 1.0)) if cell.count else 0.0
            result = robust_z(index, peers, floor=floor, thresholds=t)
            if result is None:
                continue
            z, median, scale = result
            severity = _outlier_severity(z, cell.value - level, cell.count, t)
            if severity is None:
                continue
            findings.append(Finding(
                kind="peers", severity=severity, unit_id=cell.unit_id, metric=metric, period=cell.period,
                message_zh=(f"{cell.period} {metric} 为 {_num(cell.value)}，是本单位平常水平 {_num(level)} 的 "
                            f"{index:.2f}倍；同类（{category}）其他{len(peers)}个单位同期中位数为 {median:.2f}倍"
                            f"（稳健z值 {z:.1f}，阈值 {t.z:g}）"),
                message_en=(f"{metric} of {cell.period} is {_num(cell.value)}, {index:.2f}× the unit's usual "
                            f"{_num(level)}, while the other {len(peers)} units of category {category} were at a "
                            f"median of {median:.2f}× (robust z {z:.1f}, threshold {t.z:g})"),
                evidence=cell.evidence,
                numbers={"value": cell.value, "level": level, "index": index, "peers_median_index": median,
                         "scale": scale, "z": z, "peers": float(len(peers))}))
    return findings


def grid(value: float) -> float:
    """The step `value` is written to: 1 for 184, 0.01 for 12.05, 0.1 for 12.5 (to 6 decimals)."""
    decimals = f"{abs(value):.6f}".rstrip("0").partition(".")[2]
    return 10.0 ** -len(decimals)


def coincidence_chance(value: float, spread_a: float, spread_b: float) -> float:
    """The chance that two units' figures both come out as `value` (module docstring, (d))."""
    variance = spread_a ** 2 + spread_b ** 2
    return 1.0 if variance <= 0 else min(1.0, grid(value) / math.sqrt(2 * math.pi * variance))


def copied_figures(series: Mapping[SeriesKey, list[Cell]], t: Thresholds = DEFAULT_THRESHOLDS) -> list[Finding]:
    """Check (d): runs of equal monthly cells of one metric in two units, unlikely by chance."""
    spread = {}
    by_metric: dict[str, dict[date, dict[int, list[Cell]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for key, cells in series.items():
        values = [c.value for c in cells]
        median = statistics.median(values)
        spread[key] = MAD_TO_SD * statistics.median(abs(v - median) for v in values)
        for cell in cells:
            if cell.value != 0:  # equal zeros are no evidence
                by_metric[key[1]][cell.start][round(cell.value / _EQUAL)].append(cell)
    findings = []
    for metric, months in sorted(by_metric.items()):
        equal: dict[tuple[str, str], dict[date, tuple[Cell, Cell]]] = defaultdict(dict)
        for start, buckets in months.items():
            for cells in buckets.values():
                for a, b in combinations(sorted(cells, key=lambda c: c.unit_id), 2):
                    equal[(a.unit_id, b.unit_id)][start] = (a, b)
        for (first, second), matched in sorted(equal.items()):
            for run in _runs([matched[s] for s in sorted(matched)]):
                if len(run) < t.copy_min_run:
                    continue
                chance = math.prod(coincidence_chance(a.value, spread[(first, metric)], spread[(second, metric)])
                                   for a, _ in run)
                if chance > t.copy_chance:
                    continue
                values = "、".join(_num(a.value) for a, _ in run)
                values_en = ", ".join(_num(a.value) for a, _ in run)
                start, end = run[0][0].period, run[-1][0].period
                findings.append(Finding(
                    kind="copied", severity="high" if chance <= t.copy_chance_high else "medium",
                    unit_id=first, other_unit_id=second, metric=metric, period=start, period_to=end,
                    message_zh=(f"{first} 与 {second} 的 {metric} 在 {start} 至 {end} 连续{len(run)}个月完全相同"
                                f"（{values}），两单位各自报数而如此巧合的概率约为 {chance:.1e}"),
                    message_en=(f"{first} and {second} reported identical {metric} for {len(run)} consecutive months, "
                                f"{start} to {end} ({values_en}): a chance of about {chance:.1e} for figures "
                                f"reported independently"),
                    evidence=tuple(sorted({e for a, b in run for e in (*a.evidence, *b.evidence)})),
                    numbers={"months": float(len(run)), "chance": chance}))
    return findings


def _runs(pairs: list[tuple[Cell, Cell]]) -> list[list[tuple[Cell, Cell]]]:
    """Maximal runs of consecutive months (each starting the day after the previous ends)."""
    runs: list[list[tuple[Cell, Cell]]] = []
    for pair in pairs:
        if runs and pair[0].start == runs[-1][-1][0].end + timedelta(days=1):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    return runs


def ytd_decreases(figures: list[ReportedFigure], counting: list[ReportedFigure], series: Mapping[SeriesKey, list[Cell]],
                  cumulative: Collection[str], calendar_: Calendar,
                  t: Thresholds = DEFAULT_THRESHOLDS) -> list[Finding]:
    """Check (e): downward revisions after later periods were reported; falling cumulative figures."""
    findings = []
    by_id = {f.event_id: f for f in figures if f.event_id}
    later_of: dict[tuple[str, str], list[ReportedFigure]] = defaultdict(list)
    for figure in counting:
        later_of[(figure.unit_id, figure.metric)].append(figure)
    for revision in figures:
        original = by_id.get(revision.revision_of) if revision.revision_of else None
        if original is None or revision.person_id or (original.unit_id, original.metric) != (revision.unit_id, revision.metric):
            continue
        new, old = _in_100m(revision), _in_100m(original)
        if new >= old:
            continue
        year = calendar_.year_of(original.start)
        same_year = [f for f in later_of[(original.unit_id, original.metric)]
                     if f.event_id != revision.event_id and calendar_.year_of(f.start) == year]
        later = [f for f in same_year if f.start > original.end
                 and (not f.reported_at or not revision.reported_at or f.reported_at <= revision.reported_at)]
        if not later:
            continue
        through = max(later, key=lambda f: (f.end, f.period))
        year_start = calendar_.year(year).start
        before = math.fsum([*(_in_100m(f) for f in same_year if year_start <= f.start and f.end <= through.end),
                            old])
        after = before - old + new
        drop = before - after
        share = drop / before if before > 0 else 1.0
        span = f"{calendar_.year(year).start:%Y-%m}..{through.end:%Y-%m}"
        findings.append(Finding(
            kind="ytd_decrease", severity="medium" if share >= t.ytd_drop_share else "low",
            unit_id=original.unit_id, metric=original.metric, period=original.period,
            message_zh=(f"{original.period} 的 {original.metric} 由 {_num(old)} 下调为 {_num(new)}，"
                        f"此时已报至 {through.period}，累计数（{span}）由 {_num(before)} 降为 {_num(after)}"
                        f"（减少{share:.1%}）"),
            message_en=(f"{original.metric} of {original.period} was revised down from {_num(old)} to {_num(new)} "
                        f"after figures through {through.period} were reported: the year-to-date total ({span}) "
                        f"fell from {_num(before)} to {_num(after)} ({share:.1%} less)"),
            evidence=tuple(sorted(e for e in (original.event_id, revision.event_id) if e)),
            numbers={"original": old, "revised": new, "ytd_before": before, "ytd_after": after, "drop_share": share}))
    for (unit_id, metric), cells in series.items():
        if metric not in cumulative:
            continue
        for before, cell in zip(cells, cells[1:], strict=False):
            if calendar_.year_of(before.start) != calendar_.year_of(cell.start) or cell.value >= before.value:
                continue
            drop = before.value - cell.value
            share = drop / before.value if before.value > 0 else 1.0
            findings.append(Finding(
                kind="ytd_decrease", severity="medium" if share >= t.ytd_drop_share else "low",
                unit_id=unit_id, metric=metric, period=cell.period,
                message_zh=(f"{metric} 为累计数，{cell.period} 的 {_num(cell.value)} 低于 {before.period} 的 "
                            f"{_num(before.value)}（减少{share:.1%}）"),
                message_en=(f"{metric} is reported year to date, yet {cell.period}'s {_num(cell.value)} is below "
                            f"{before.period}'s {_num(before.value)} ({share:.1%} less)"),
                evidence=tuple(sorted({*before.evidence, *cell.evidence})),
                numbers={"value": cell.value, "previous": before.value, "drop_share": share}))
    return findings


def _in_100m(figure: ReportedFigure) -> float:
    scale = MONEY_UNITS.get(figure.measurement_unit)
    return figure.value * scale if scale is not None else figure.value


def first_digit(value: float) -> int:
    """The first significant digit of a value other than 0."""
    return int(f"{abs(value):.14e}"[0])


def chi_square_p_value_8df(chi_square: float) -> float:
    """P(X ≥ χ²) for 8 degrees of freedom, exact: e^(−x/2) × Σ_{k<4} (x/2)^k / k!."""
    half = chi_square / 2
    return math.exp(-half) * sum(half ** k / math.factorial(k) for k in range(4))


def nigrini_conformity(mad: float) -> str:
    for bound, name in NIGRINI_FIRST_DIGIT:
        if mad <= bound:
            return name
    return "nonconformity"


def benford_tests(counting: list[ReportedFigure], calendar_: Calendar = CALENDAR_YEAR,
                  t: Thresholds = DEFAULT_THRESHOLDS) -> list[BenfordTest]:
    """Check (f), one test per source and year of the amounts that count."""
    groups: dict[tuple[str, int], list[float]] = defaultdict(list)
    for figure in counting:
        if figure.measurement_unit in t.amount_units and figure.value != 0:
            groups[(figure.source, calendar_.year_of(figure.start))].append(abs(figure.value))
    return [benford_test(source, str(year), values, t) for (source, year), values in sorted(groups.items())]


def benford_test(source: str, period: str, values: list[float], t: Thresholds = DEFAULT_THRESHOLDS) -> BenfordTest:
    """Check (f) on one set of amounts (values other than 0)."""
    n = len(values)
    if n < t.benford_min_count:
        return BenfordTest(source, period, "not_enough_data", n,
                           reason_zh=f"金额仅{n}个，少于{t.benford_min_count}个，不作本福特检验",
                           reason_en=f"only {n} amounts, fewer than {t.benford_min_count}: too few for a Benford test")
    digits = [0] * 9
    for value in values:
        digits[first_digit(value) - 1] += 1
    cuts = statistics.quantiles(values, n=20)
    low, high = cuts[0], cuts[-1]
    orders = math.log10(high / low) if low > 0 and high > 0 else 0.0
    if orders < t.benford_min_orders:
        return BenfordTest(source, period, "not_applicable", n, tuple(digits), orders_of_magnitude=orders,
                           reason_zh=(f"金额跨度仅{orders:.2f}个数量级（第95与第5百分位之比），不足{t.benford_min_orders:g}个，"
                                      f"本福特定律不适用"),
                           reason_en=(f"the amounts span only {orders:.2f} orders of magnitude (95th over 5th "
                                      f"percentile), under {t.benford_min_orders:g}: Benford's law does not apply"))
    chi_square = math.fsum((digits[d] - n * BENFORD[d]) ** 2 / (n * BENFORD[d]) for d in range(9))
    p_value = chi_square_p_value_8df(chi_square)
    mad = math.fsum(abs(digits[d] / n - BENFORD[d]) for d in range(9)) / 9
    conformity = nigrini_conformity(mad)
    failing = p_value < t.benford_alpha and mad > t.benford_mad
    return BenfordTest(source, period, "nonconforming" if failing else "conforms", n, tuple(digits), chi_square,
                       p_value, mad, conformity, orders,
                       reason_zh=(f"首位数字χ²={chi_square:.1f}（自由度8，p={p_value:.2g}），MAD={mad:.4f}"
                                  f"（Nigrini：{_NIGRINI_ZH[conformity]}）"),
                       reason_en=(f"first digits χ² {chi_square:.1f} (8 degrees of freedom, p {p_value:.2g}), "
                                  f"MAD {mad:.4f} (Nigrini: {conformity})"))


_NIGRINI_ZH = {"close": "高度符合", "acceptable": "可接受", "marginal": "勉强可接受", "nonconformity": "不符合"}


def _benford_finding(test: BenfordTest, counting: list[ReportedFigure], calendar_: Calendar, t: Thresholds) -> list[Finding]:
    if test.status != "nonconforming":
        return []
    evidence = tuple(sorted(f.event_id for f in counting if f.event_id and f.source == test.source
                            and f.measurement_unit in t.amount_units and f.value != 0
                            and str(calendar_.year_of(f.start)) == test.period))
    shares = ", ".join(f"{d}: {c / test.count:.1%}" for d, c in enumerate(test.digits, start=1))
    expected = ", ".join(f"{d}: {p:.1%}" for d, p in enumerate(BENFORD, start=1))
    return [Finding(
        kind="benford", severity="high" if test.p_value < t.benford_alpha_high else "medium", unit_id="", metric="",
        period=test.period, source=test.source,
        message_zh=(f"{test.source} {test.period} 年的{test.count}个金额首位数字分布不符合本福特定律："
                    f"{test.reason_zh}；实际 {shares}，应为 {expected}"),
        message_en=(f"the first digits of {test.source}'s {test.count} amounts of {test.period} depart from "
                    f"Benford's law: {test.reason_en}; observed {shares}, expected {expected}"),
        evidence=evidence,
        numbers={"count": float(test.count), "chi_square": test.chi_square, "p_value": test.p_value,
                 "mad": test.mad, "orders_of_magnitude": test.orders_of_magnitude})]


def _num(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.2f}" if abs(value) >= 0.01 else f"{value:.4g}"


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    for kind, name in ((str, "text"), ((int, float), "a number"), (Mapping, "a mapping"), (list, "a list")):
        if isinstance(value, kind):
            return name
    return type(value).__name__
