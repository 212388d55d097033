"""Typed, immutable value objects exchanged between the platform and indicator plug-ins.

Every class here is a frozen dataclass. Constructors check their own fields and raise
:class:`ValueError` or :class:`TypeError` with a message naming the object and the field,
so a mistake shows up where it is made (in a plug-in's module or a unit test), not deep
inside the scoring service. Collections passed as lists or dicts are copied into tuples and
:class:`FrozenMap` objects, so a plug-in can never change what another plug-in sees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .periods import Calendar, is_period

Direction = Literal["higher_is_better", "lower_is_better"]
Rollup = Literal["sum", "last", "mean", "max"]
Kind = Literal["score", "bonus", "deduction", "veto"]
Status = Literal["ok", "failed"]
PeriodBasis = Literal["period_alone", "year_to_date"]
ParameterKind = Literal["number", "text"]

DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better")
ROLLUPS: tuple[str, ...] = ("sum", "last", "mean", "max")
KINDS: tuple[str, ...] = ("score", "bonus", "deduction", "veto")
STATUSES: tuple[str, ...] = ("ok", "failed")
PERIOD_BASES: tuple[str, ...] = ("period_alone", "year_to_date")
PARAMETER_KINDS: tuple[str, ...] = ("number", "text")

#: Indicator and metric codes: lower-case ASCII words joined by underscores.
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
_YEAR = re.compile(r"^\d{4}$")
_SUB_YEAR = re.compile(r"^\d{4}-(Q[1-4]|\d{2})$")
#: Target parameter names: lower-case words joined by dots, e.g. ``last_year_value`` or
#: ``weight.on_time``; a family ends in ``.*`` (``points.*``, ``channel_weight.*``).
PARAMETER_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$")


class FrozenMap(Mapping[str, Any]):
    """A read-only, hashable, picklable mapping with keys kept in sorted order."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        items = dict(data or {})
        for key in items:
            if not isinstance(key, str):
                raise TypeError(f"mapping keys must be str, got {key!r}")
        object.__setattr__(self, "_data", dict(sorted(items.items())))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("FrozenMap is read-only")

    def __getstate__(self) -> dict[str, Any]:
        return self._data

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "_data", state)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def freeze(value: Any, where: str = "value") -> Any:
    """A deep-frozen copy of *value*: mappings become :class:`FrozenMap` objects, lists and
    tuples become tuples, recursively; ``str``, ``int``, ``float``, ``bool`` and ``None``
    stay as they are. Anything else raises :class:`TypeError` naming *where* it is (e.g.
    ``settings.bands[0].points``). The result is hashable, picklable and equal to
    another freezing of an equal value, which is what lets a configured indicator's
    ``settings`` (a scheme's ``generic`` block) be compared and cached."""
    if isinstance(value, Mapping):
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"{where}: mapping keys must be str, got {key!r}")
        return FrozenMap({key: freeze(item, f"{where}.{key}") for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item, f"{where}[{i}]") for i, item in enumerate(value))
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"{where}: must be a mapping, a list, a str, a number, a bool or None;"
                    f" got {type(value).__name__} {value!r}")


def _set(obj: object, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


def _finite(owner: str, name: str, value: Any, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{owner}: {name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{owner}: {name} must be finite, got {value!r}")
    return number


def _text(owner: str, name: str, value: Any, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{owner}: {name} must be a str, got {value!r}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{owner}: {name} must not be empty")
    return value


def _code(owner: str, name: str, value: Any) -> str:
    _text(owner, name, value)
    if not CODE_PATTERN.match(value):
        raise ValueError(
            f"{owner}: {name} {value!r} must be lower-case ASCII letters, digits and"
            " underscores, starting with a letter (e.g. 'investment_completion')"
        )
    return value


def _choice(owner: str, name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{owner}: {name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def _period(owner: str, name: str, value: Any) -> str:
    if not isinstance(value, str) or not is_period(value):
        raise ValueError(
            f"{owner}: {name} {value!r} is not a period (YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD)"
        )
    return value


@dataclass(frozen=True)
class Observation:
    """One metric event about a unit (or person), as the platform stored it.

    ``value`` is in ``measurement_unit`` (for example ``CNY_100M`` = 亿元, ``count``,
    ``rating``); ``period`` is the period the value belongs to (a month for monthly
    statistics, a day for a ballot); ``source`` names the feed that reported it;
    ``attributes`` carries event-specific strings such as ``channel`` or ``severity``.
    """

    event_id: str
    metric_code: str
    value: float
    measurement_unit: str = ""
    period: str = ""
    source: str = ""
    attributes: Mapping[str, str] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        owner = f"Observation {self.event_id!r}"
        _text(owner, "event_id", self.event_id)
        _text(owner, "metric_code", self.metric_code)
        _set(self, "value", _finite(owner, "value", self.value))
        _text(owner, "measurement_unit", self.measurement_unit, allow_empty=True)
        if self.period:
            _period(owner, "period", self.period)
        _text(owner, "source", self.source, allow_empty=True)
        attributes = FrozenMap(self.attributes)
        for key, val in attributes.items():
            if not isinstance(val, str):
                raise TypeError(f"{owner}: attribute {key!r} must be a str, got {val!r}")
        _set(self, "attributes", attributes)


@dataclass(frozen=True)
class Milestone:
    """A point on the plan: by the end of ``period``, ``share`` (0..1) of the target is due."""

    period: str
    share: float

    def __post_init__(self) -> None:
        owner = f"Milestone {self.period!r}"
        _period(owner, "period", self.period)
        share = _finite(owner, "share", self.share)
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{owner}: share must be within [0, 1], got {share!r}")
        _set(self, "share", share)


@dataclass(frozen=True)
class Target:
    """The target a unit signed for one indicator and period (目标责任书).

    ``value`` is the target figure in ``measurement_unit`` (``None`` when the indicator has
    no single figure, e.g. a vote). ``params`` holds named numbers or strings the formula
    reads, e.g. ``{"last_year_value": 141.0}`` or ``{"channel_weight.online": 0.4}``.
    ``milestones`` lay the target out over the period (节点化); without them the plan is
    assumed to grow in proportion to elapsed time.
    """

    value: float | None = None
    measurement_unit: str = ""
    params: Mapping[str, float | str] = field(default_factory=FrozenMap)
    milestones: tuple[Milestone, ...] = ()

    def __post_init__(self) -> None:
        _set(self, "value", _finite("Target", "value", self.value, optional=True))
        _text("Target", "measurement_unit", self.measurement_unit, allow_empty=True)
        params = FrozenMap(self.params)
        for key, val in params.items():
            if isinstance(val, str):
                continue
            _finite("Target", f"params[{key!r}]", val)
        _set(self, "params", FrozenMap({k: v if isinstance(v, str) else float(v)
                                        for k, v in params.items()}))
        milestones = tuple(self.milestones)
        for milestone in milestones:
            if not isinstance(milestone, Milestone):
                raise TypeError(f"Target: milestones must be Milestone objects, got {milestone!r}")
        _set(self, "milestones", tuple(sorted(milestones, key=lambda m: (m.period, m.share))))

    def number(self, name: str, default: float | None = None) -> float | None:
        """Return numeric parameter *name*, or *default* if absent.

        Raises :class:`ValueError` if the parameter is present but not a finite number.
        """
        if name not in self.params:
            return default
        value = self.params[name]
        if isinstance(value, str):
            raise ValueError(f"target parameter {name!r} must be a number, got {value!r}")
        return value

    def text(self, name: str, default: str | None = None) -> str | None:
        """Return string parameter *name*, or *default* if absent."""
        if name not in self.params:
            return default
        value = self.params[name]
        if not isinstance(value, str):
            raise ValueError(f"target parameter {name!r} must be a string, got {value!r}")
        return value


def parameter_matches(declared: str, name: str) -> bool:
    """Tell whether the declared parameter *declared* covers the target parameter *name*.

    A plain name covers itself only; a family ``prefix.*`` covers every name that starts
    with ``prefix.`` and has something after it (``points.*`` covers ``points.national``,
    not ``points`` nor ``points.``).
    """
    if declared.endswith(".*"):
        prefix = declared[:-1]
        return name.startswith(prefix) and len(name) > len(prefix)
    return declared == name


def undeclared_parameters(declared: Iterable[str], names: Iterable[str]) -> tuple[str, ...]:
    """The *names* no entry of *declared* covers (see :func:`parameter_matches`), in order."""
    declared = tuple(declared)
    return tuple(name for name in names
                 if not any(parameter_matches(d, name) for d in declared))


@dataclass(frozen=True)
class TargetParameter:
    """A target parameter an indicator reads (``Target.params[name]``), declared in its spec.

    ``name`` is the parameter's name, e.g. ``"on_time_target"``, or a family of names
    ending in ``.*``, e.g. ``"points.*"`` for ``points.national``, ``points.provincial``,
    ...; ``description`` says what it means and its default, for the evaluation office;
    ``kind`` is ``"number"`` (read with ``target.number``) or ``"text"``
    (``target.text``). The platform refuses a target parameter no declaration covers, so a
    target that names a parameter the formula does not read is caught when the scheme is
    validated, not silently ignored.
    """

    name: str
    description: str
    kind: ParameterKind = "number"

    def __post_init__(self) -> None:
        owner = f"TargetParameter {self.name!r}"
        _text(owner, "name", self.name)
        if not PARAMETER_PATTERN.fullmatch(self.name):
            raise ValueError(
                f"{owner}: name must be lower-case ASCII words joined by dots, e.g."
                " 'last_year_value' or 'weight.on_time', or a family ending in '.*' such as"
                " 'points.*'"
            )
        _text(owner, "description", self.description)
        _choice(owner, "kind", self.kind, PARAMETER_KINDS)

    @property
    def is_family(self) -> bool:
        """``True`` for a family of parameters (a name ending in ``.*``)."""
        return self.name.endswith(".*")

    def matches(self, name: str) -> bool:
        """Tell whether target parameter *name* is this one (or one of this family)."""
        return parameter_matches(self.name, name)


@dataclass(frozen=True)
class IndicatorSpec:
    """What an indicator is: identity, inputs, points range and formula.

    ``code`` is unique across all installed plug-ins. ``min_points``/``max_points`` bound
    every result; by ``kind``: ``score`` lies in [0, 100] (100 = target fully met),
    ``bonus`` in [0, cap], ``deduction`` in [-cap, 0], ``veto`` is always 0 points and may
    carry a :class:`Veto`. ``categories`` lists the unit categories (peer groups) the
    indicator applies to; empty means all. ``rollup`` says how values of sub-periods
    combine into a longer period (``sum`` for monthly amounts, ``mean`` for ratings, ...).

    ``parameters`` declares every target parameter the formula reads, as
    :class:`TargetParameter` objects (a family such as ``points.*`` covers
    ``points.national``, ``points.provincial``, ...). A target naming any other parameter
    is refused: :meth:`IndicatorHost.check_target <jixiao_sdk.IndicatorHost.check_target>`
    reports it, and the registry will not publish a scheme with it. A spec that declares
    none reads none.

    ``period_basis`` says what a month or quarter of the indicator is measured against:

    - ``"period_alone"`` (the default): the period on its own, against its own share of the
      target; for rates, ratings, deductions and vetoes.
    - ``"year_to_date"``: the year so far, against the part of the annual target due by the
      end of the month or quarter (序时进度); for cumulative amounts such as investment or
      revenue. The platform then passes ``period`` = the year, ``as_of_period`` = the month
      or quarter assessed, and the observations from 1 January to its end (see
      :class:`IndicatorInput`).

    Generic indicators (通用指标). A spec with ``generic=True`` is the *base* of indicators
    an evaluation office configures in its scheme without code (``generic_rate``,
    ``generic_bands``, ...): it may name no ``input_metrics`` (they come from the scheme)
    and cannot be evaluated itself. The declaring plug-in implements
    ``jixiao_indicator_configure``, which turns the scheme's settings into a *configured*
    spec: the scheme's code and names, the input metrics, kind, points range, direction
    and period basis the settings imply, ``generic=False`` and ``settings`` = the
    settings, deep-frozen (:func:`freeze`). The host then evaluates the configured code
    with the base plug-in's ``jixiao_indicator_evaluate``, passing the configured spec.

    ``needs_peers=True`` asks the platform for the peer group's observations
    (:attr:`IndicatorInput.peers`): every unit of the scored unit's category, the same
    period, the same input metrics; for indicators ranking a unit among its peers.
    """

    code: str
    name_zh: str
    name_en: str
    version: str
    owner: str
    input_metrics: tuple[str, ...]
    min_points: float
    max_points: float
    direction: Direction = "higher_is_better"
    categories: tuple[str, ...] = ()
    rollup: Rollup = "sum"
    formula: str = ""
    kind: Kind = "score"
    parameters: tuple[TargetParameter, ...] = ()
    period_basis: PeriodBasis = "period_alone"
    generic: bool = False
    settings: Mapping[str, Any] = field(default_factory=FrozenMap)
    needs_peers: bool = False

    def __post_init__(self) -> None:
        owner = f"IndicatorSpec {self.code!r}"
        _code(owner, "code", self.code)
        for name in ("name_zh", "name_en", "version", "owner", "formula"):
            _text(owner, name, getattr(self, name))
        for name in ("generic", "needs_peers"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{owner}: {name} must be a bool, got {getattr(self, name)!r}")
        if not isinstance(self.settings, Mapping):
            raise TypeError(f"{owner}: settings must be a mapping, got {self.settings!r}")
        _set(self, "settings", freeze(self.settings, "settings"))
        if self.generic and self.settings:
            raise ValueError(f"{owner}: a generic (base) indicator has no settings; its configured"
                             " indicators have them")
        metrics = tuple(self.input_metrics)
        if not metrics and not self.generic:
            raise ValueError(f"{owner}: input_metrics must name at least one metric code")
        for metric in metrics:
            _code(owner, "input_metrics entry", metric)
        if len(set(metrics)) != len(metrics):
            raise ValueError(f"{owner}: input_metrics has duplicates: {metrics!r}")
        _set(self, "input_metrics", metrics)
        categories = tuple(self.categories)
        for category in categories:
            _text(owner, "categories entry", category)
        _set(self, "categories", categories)
        _choice(owner, "direction", self.direction, DIRECTIONS)
        _choice(owner, "rollup", self.rollup, ROLLUPS)
        _choice(owner, "kind", self.kind, KINDS)
        _choice(owner, "period_basis", self.period_basis, PERIOD_BASES)
        _set(self, "parameters", _parameters(owner, self.parameters))
        low = _finite(owner, "min_points", self.min_points)
        high = _finite(owner, "max_points", self.max_points)
        _set(self, "min_points", low)
        _set(self, "max_points", high)
        allowed = {
            "score": (low >= 0.0 and high <= 100.0 and low < high, "0 <= min_points < max_points <= 100"),
            "bonus": (low == 0.0 and high > 0.0, "min_points == 0 < max_points"),
            "deduction": (low < 0.0 and high == 0.0, "min_points < max_points == 0"),
            "veto": (low == 0.0 and high == 0.0, "min_points == max_points == 0"),
        }
        ok, rule = allowed[self.kind]
        if not ok:
            raise ValueError(
                f"{owner}: a {self.kind!r} indicator needs {rule}; got [{low}, {high}]"
            )

    def applies_to(self, unit_category: str) -> bool:
        """Tell whether this indicator scores units of *unit_category*."""
        return not self.categories or unit_category in self.categories

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """The names of the declared parameters, families with their ``.*``."""
        return tuple(p.name for p in self.parameters)

    def reads_parameter(self, name: str) -> bool:
        """Tell whether target parameter *name* is declared (by name or by a family)."""
        return any(p.matches(name) for p in self.parameters)


def _parameters(owner: str, parameters: Any) -> tuple[TargetParameter, ...]:
    """The declared parameters as a tuple, checked: no repeats, no name inside a family."""
    if isinstance(parameters, (str, TargetParameter)):
        raise TypeError(f"{owner}: parameters must be a sequence of TargetParameter objects,"
                        f" got {parameters!r}")
    declared = tuple(parameters)
    for parameter in declared:
        if not isinstance(parameter, TargetParameter):
            raise TypeError(f"{owner}: parameters must be TargetParameter objects, got"
                            f" {parameter!r} (write TargetParameter({parameter!r}, '<what it means>'))")
    names = [p.name for p in declared]
    for i, parameter in enumerate(declared):
        if parameter.name in names[:i]:
            raise ValueError(f"{owner}: parameter {parameter.name!r} is declared twice")
        covering = [p.name for p in declared if p.is_family and p is not parameter
                    and p.matches(parameter.name.removesuffix(".*") if parameter.is_family
                                  else parameter.name)]
        if covering:
            raise ValueError(f"{owner}: parameter {parameter.name!r} is already covered by the"
                             f" family {covering[0]!r}; declare one or the other")
    return declared


@dataclass(frozen=True)
class IndicatorInput:
    """Everything a plug-in receives to score one unit (or person) for one period.

    ``observations`` are the events (or pre-aggregated values) of the indicator's input
    metrics for this unit and period; ``target`` is the published target, if any;
    ``elapsed_share`` is how much of ``period`` has passed (1.0 once it is over), which
    lets a formula judge progress against a time-proportional or milestone plan.
    ``person_id`` is set when a leader rather than a unit is scored. Fields are in the
    order of the platform contract; ``period`` is required even though it has a
    placeholder default (it follows the optional ``person_id``).

    Year to date. When the platform scores a month or quarter of an indicator whose
    ``period_basis`` is ``"year_to_date"``, it passes:

    - ``period``: the year, e.g. ``"2026"`` (the period the target covers);
    - ``as_of_period``: the month or quarter assessed, e.g. ``"2026-Q3"``;
    - ``observations``: everything from the start of the year (1 January, or the first
      day of ``year_start_month``) to the end of ``as_of_period``;
    - ``elapsed_share``: the share of the year elapsed at the end of ``as_of_period``,
      so that :func:`jixiao_sdk.helpers.expected_share` gives the share of the annual
      plan due by then (序时进度: by the target's milestones where it has them, else by
      elapsed time).

    ``as_of_period`` is ``""`` when the period is assessed on its own (every period of a
    ``"period_alone"`` indicator) and for the year itself.

    ``baseline`` holds last year's observations of the same span: January to September
    2025 for an ``as_of_period`` of ``"2026-Q3"``, the same period last year for a period
    assessed on its own, last year (to the same day) for the year. They come from the
    baseline figures the evaluation office imported with the scheme, are of the indicator's
    input metrics only, sorted like ``observations``, and are never evidence (a result
    cites only ``observations``). ``baseline`` is empty when last year is unknown: then a
    formula states no growth for a span shorter than the year (it must not compare part
    of this year with the whole of last year).

    ``year_start_month`` is the month the scheme's year starts in: 1 (calendar years)
    unless the scheme keeps a financial year, e.g. 4 when ``"2022"`` is April 2022 to
    March 2023 and ``"2022-Q1"`` April to June 2022 (see :mod:`jixiao_sdk.periods`);
    :attr:`calendar` reads period texts with it.

    ``peers`` is filled only for an indicator whose spec sets ``needs_peers``: unit id →
    that unit's observations of the input metrics for the same span, for every unit of
    ``unit_category`` the scheme scores (the scored unit included, units without
    observations left out), sorted like ``observations``. They serve ranks and are never
    evidence (a result cites only ``observations``).
    """

    indicator_code: str
    unit_id: str
    unit_category: str
    person_id: str | None = None
    period: str = ""
    elapsed_share: float = 1.0
    observations: tuple[Observation, ...] = ()
    target: Target | None = None
    as_of_period: str = ""
    baseline: tuple[Observation, ...] = ()
    year_start_month: int = 1
    peers: Mapping[str, tuple[Observation, ...]] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        owner = f"IndicatorInput {self.indicator_code!r}/{self.unit_id!r}"
        try:
            calendar = Calendar(self.year_start_month)
        except ValueError as exc:
            raise ValueError(f"{owner}: {exc}") from None
        _text(owner, "indicator_code", self.indicator_code)
        _text(owner, "unit_id", self.unit_id)
        _text(owner, "unit_category", self.unit_category, allow_empty=True)
        _period(owner, "period", self.period)
        if self.person_id is not None:
            _text(owner, "person_id", self.person_id)
        share = _finite(owner, "elapsed_share", self.elapsed_share)
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{owner}: elapsed_share must be within [0, 1], got {share!r}")
        _set(self, "elapsed_share", share)
        observations = tuple(self.observations)
        for obs in observations:
            if not isinstance(obs, Observation):
                raise TypeError(f"{owner}: observations must be Observation objects, got {obs!r}")
        _set(self, "observations", observations)
        if self.target is not None and not isinstance(self.target, Target):
            raise TypeError(f"{owner}: target must be a Target or None, got {self.target!r}")
        _text(owner, "as_of_period", self.as_of_period, allow_empty=True)
        if self.as_of_period:
            _period(owner, "as_of_period", self.as_of_period)
            if not _YEAR.fullmatch(self.period):
                raise ValueError(f"{owner}: with as_of_period {self.as_of_period!r} the period"
                                 f" must be the year the target covers, got {self.period!r}")
            if not _SUB_YEAR.fullmatch(self.as_of_period) \
                    or calendar.parse(self.as_of_period).year != int(self.period):
                raise ValueError(f"{owner}: as_of_period {self.as_of_period!r} must be a month"
                                 f" or quarter of {self.period} (e.g. {self.period}-Q3,"
                                 f" {self.period}-05)")
        if isinstance(self.baseline, (str, Observation)):
            raise TypeError(f"{owner}: baseline must be a sequence of Observation objects")
        baseline = tuple(self.baseline)
        for obs in baseline:
            if not isinstance(obs, Observation):
                raise TypeError(f"{owner}: baseline must be Observation objects, got {obs!r}")
        _set(self, "baseline", baseline)
        if not isinstance(self.peers, Mapping):
            raise TypeError(f"{owner}: peers must be a mapping of unit id to observations")
        peers = {}
        for unit, items in self.peers.items():
            _text(owner, "peers key", unit)
            if isinstance(items, (str, Observation)):
                raise TypeError(f"{owner}: peers[{unit!r}] must be a sequence of Observation objects")
            items = tuple(items)
            for obs in items:
                if not isinstance(obs, Observation):
                    raise TypeError(f"{owner}: peers[{unit!r}] must be Observation objects, got {obs!r}")
            peers[unit] = items
        _set(self, "peers", FrozenMap(peers))

    @property
    def subject(self) -> str:
        """``unit_id`` or ``unit_id/person_id``: who is being scored, for explanations."""
        return self.unit_id if self.person_id is None else f"{self.unit_id}/{self.person_id}"

    @property
    def calendar(self) -> Calendar:
        """Reads this scheme's period texts (its year starts in ``year_start_month``)."""
        return Calendar(self.year_start_month)


@dataclass(frozen=True)
class Veto:
    """A cap on the grade of the scored unit, whatever its points (一票否决 / 降等).

    Grades are numbered from 1 (best); ``cap_grade=3`` means the unit can be graded third
    at best.
    """

    cap_grade: int
    reason: str

    def __post_init__(self) -> None:
        if isinstance(self.cap_grade, bool) or not isinstance(self.cap_grade, int):
            raise TypeError(f"Veto: cap_grade must be an int, got {self.cap_grade!r}")
        if self.cap_grade < 1:
            raise ValueError(f"Veto: cap_grade must be >= 1, got {self.cap_grade!r}")
        _text("Veto", "reason", self.reason)


@dataclass(frozen=True)
class IndicatorResult:
    """The outcome of scoring one indicator for one unit (or person) and period.

    ``raw_value`` is the measured figure (e.g. 28.23 亿元), ``achievement`` the ratio to
    the (time-adjusted) target or ``None``, ``points`` the indicator's points within the
    spec's range, ``explanation`` a human-readable account (Chinese first, then English),
    ``evidence`` the ids of the events the result rests on, ``components`` named
    intermediate figures (rates, sub-scores) for drill-down, ``veto`` a grade cap.
    A ``failed`` result carries a ``reason`` and 0 points. ``provider`` is filled in by the
    host with the ``dist==version`` of the plug-in that produced the result.
    """

    indicator_code: str
    status: Status = "ok"
    reason: str = ""
    raw_value: float | None = None
    achievement: float | None = None
    points: float = 0.0
    explanation: str = ""
    evidence: tuple[str, ...] = ()
    veto: Veto | None = None
    components: Mapping[str, float] = field(default_factory=FrozenMap)
    provider: str = ""

    def __post_init__(self) -> None:
        owner = f"IndicatorResult {self.indicator_code!r}"
        _text(owner, "indicator_code", self.indicator_code)
        _choice(owner, "status", self.status, STATUSES)
        _text(owner, "reason", self.reason, allow_empty=True)
        _set(self, "raw_value", _finite(owner, "raw_value", self.raw_value, optional=True))
        _set(self, "achievement", _finite(owner, "achievement", self.achievement, optional=True))
        _set(self, "points", _finite(owner, "points", self.points))
        _text(owner, "explanation", self.explanation, allow_empty=True)
        if isinstance(self.evidence, str):
            raise TypeError(f"{owner}: evidence must be a sequence of event ids, not a str")
        evidence = tuple(self.evidence)
        for event_id in evidence:
            _text(owner, "evidence entry", event_id)
        _set(self, "evidence", evidence)
        components = FrozenMap(self.components)
        for key, val in components.items():
            _finite(owner, f"components[{key!r}]", val)
        _set(self, "components", FrozenMap({k: float(v) for k, v in components.items()}))
        if self.veto is not None and not isinstance(self.veto, Veto):
            raise TypeError(f"{owner}: veto must be a Veto or None, got {self.veto!r}")
        if self.status == "failed" and not self.reason.strip():
            raise ValueError(f"{owner}: a failed result needs a reason")
        _text(owner, "provider", self.provider, allow_empty=True)

    @classmethod
    def failed(cls, indicator_code: str, reason: str, *, provider: str = "") -> IndicatorResult:
        """Build a ``failed`` result with 0 points and *reason*."""
        return cls(indicator_code=indicator_code, status="failed", reason=reason, provider=provider)

    @property
    def ok(self) -> bool:
        """``True`` when ``status == "ok"``."""
        return self.status == "ok"
