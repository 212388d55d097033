"""A read-only view of a published scheme document, indexed for scoring."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from jixiao.common import stages
from jixiao.common.metric_ranges import metric_ranges
from jixiao.common.stages import DEFAULT_MISSING, assessed_kinds
from jixiao_sdk import Observation

from .persons import PersonRule, PersonVeto


@dataclass(frozen=True)
class Assignment:
    """An indicator assigned to a category inside a dimension."""

    category: str
    dimension: str
    indicator: str
    weight: float
    max_points: float


@dataclass(frozen=True)
class Dimension:
    code: str
    name_zh: str
    name_en: str
    weight: float
    additive: bool
    # The period kinds it is assessed in, and what a missing result in it counts as (jixiao.common.stages).
    assessed_in: frozenset[str] = assessed_kinds(None)
    missing: str = DEFAULT_MISSING


@dataclass(frozen=True)
class Baseline:
    """One of last year's figures imported with the scheme (for like-for-like comparison)."""

    period: str
    value: float
    measurement_unit: str


@dataclass(frozen=True)
class Unit:
    id: str
    name_zh: str
    name_en: str
    category: str
    region: str | None


def generic_base(settings) -> str | None:
    """The base indicator a scheme's `generic` block is configured from: `generic_<formula>`
    (formula `rate` → `generic_rate`), or None when `formula` is not a formula name."""
    formula = settings.get("formula") if hasattr(settings, "get") else None
    if not isinstance(formula, str) or not formula.replace("_", "").isalpha() or not formula.islower():
        return None
    return f"generic_{formula}"


class SchemeView:
    """Lookups the scoring rules need, built once per scheme version."""

    def __init__(self, document: dict, version: int):
        header = document["scheme"]
        self.code: str = str(header["code"])
        self.year: int = int(header["year"])
        #: Reads the scheme's period texts: its year may start in any month (scheme.year_start_month).
        self.calendar = stages.calendar_of(header)
        #: The scheme's year as a period (1 January to 31 December, or a financial year).
        self.year_period = self.calendar.year(self.year)
        self.version = version
        self.document = document
        self.units = MappingProxyType({
            u["id"]: Unit(u["id"], u["name"].get("zh", ""), u["name"].get("en", ""), u["category"], u.get("region"))
            for u in document["units"]
        })
        self.persons = frozenset(p["id"] for p in document.get("persons", []))
        self.person_unit = MappingProxyType({p["id"]: p["unit"] for p in document.get("persons", [])})
        by_unit: dict[str, list[str]] = defaultdict(list)
        for person in sorted(document.get("persons", []), key=lambda p: p["id"]):
            by_unit[person["unit"]].append(person["id"])
        self.unit_persons = MappingProxyType({unit: tuple(people) for unit, people in by_unit.items()})
        self.person_names = MappingProxyType({p["id"]: p.get("name_zh", "") for p in document.get("persons", [])})
        self.person_entries = MappingProxyType({p["id"]: p for p in document.get("persons", [])})
        self.unit_team = MappingProxyType({t["unit"]: t for t in reversed(document.get("leadership_teams", []))})
        members: dict[str, list[dict]] = defaultdict(list)
        for person in sorted(document.get("persons", []), key=lambda p: p["id"]):
            if person.get("team"):
                members[person["team"]].append(person)
        self.team_members = MappingProxyType({team: tuple(people) for team, people in members.items()})
        self.missing_results = str(header.get("missing_results") or DEFAULT_MISSING)
        #: Four eyes: who locked a period may not approve or publish it (domain/period_states.py).
        self.separate_duties = header.get("separate_duties") is True
        self.dimensions = tuple(
            Dimension(d["code"], d.get("name", {}).get("zh", d["code"]), d.get("name", {}).get("en", d["code"]),
                      float(d.get("weight", 0)), bool(d.get("additive", False)), assessed_kinds(d.get("assessed_in")),
                      str(d.get("missing") or self.missing_results))
            for d in document["dimensions"]
        )
        indicators = {i["code"]: i for i in document.get("indicators", []) if i.get("code")}
        #: The scheme's generic indicators (通用指标): entries with a `generic` block, configured
        #: through the plug-in host from the base `generic_<formula>` (see `generic_base`).
        self.generic_entries = tuple(i for i in indicators.values() if isinstance(i.get("generic"), dict))
        self.period_bases = MappingProxyType({code: i["period_basis"] for code, i in indicators.items()
                                              if i.get("period_basis")})
        self.indicator_assessed_in = MappingProxyType({code: assessed_kinds(i.get("assessed_in"))
                                                       for code, i in indicators.items() if "assessed_in" in i})
        baselines: dict[tuple[str, str], list[Baseline]] = defaultdict(list)
        for b in document.get("baselines", []):
            baselines[(b["unit"], b["metric"])].append(
                Baseline(str(b["period"]), float(b["value"]), str(b.get("measurement_unit", ""))))
        self.baselines = MappingProxyType({key: tuple(sorted(v, key=lambda b: b.period)) for key, v in baselines.items()})
        self._baseline_observations: dict[tuple[str, str], tuple] = {}  # memo of baseline_observations
        self._assessed: dict[tuple[str, str], bool] = {}  # memo of assessed
        by_category: dict[str, list[Assignment]] = defaultdict(list)
        for a in document["assignments"]:
            by_category[a["category"]].append(
                Assignment(a["category"], a["dimension"], a["indicator"], float(a.get("weight", 0)), float(a.get("max_points", 0)))
            )
        self.assignments = MappingProxyType({c: tuple(v) for c, v in by_category.items()})
        by_indicator: dict[str, list[Assignment]] = defaultdict(list)
        for items in by_category.values():
            for a in items:
                by_indicator[a.indicator].append(a)
        self._assigned_dimensions = MappingProxyType({code: tuple(v) for code, v in by_indicator.items()})
        self.targets = MappingProxyType({(t["unit"], t["indicator"]): t for t in document.get("targets", [])})
        self.person_rule = PersonRule.from_document(document)
        self.person_vetoes = PersonVeto.all_from_document(document)
        self.metric_ranges = MappingProxyType(metric_ranges(document))
        # metric → how often each unit assigned an indicator consuming it must report it (completeness.py)
        self.expected_reports = MappingProxyType({m["code"]: str(m["expected"]) for m in document.get("metrics") or []
                                                  if m.get("expected")})
        self.source_metrics = MappingProxyType({
            s["code"]: frozenset(s.get("metrics", [])) for s in document.get("sources", [])
        })
        # ballot metric → the attributes naming a voter or rater, pseudonymised at ingest (domain/pseudonyms.py)
        self.secret_attributes = MappingProxyType({m["code"]: frozenset(m["secret_attributes"])
                                                   for m in document.get("metrics") or [] if m.get("secret_attributes")})

    def assignments_for(self, unit_id: str) -> tuple[Assignment, ...]:
        return self.assignments.get(self.units[unit_id].category, ())

    def baseline_observations(self, unit_id: str, metric: str) -> tuple[tuple[date, date, Observation], ...]:
        """The unit's baselines of a metric as observations (source "baseline"), with their
        periods' first and last days; built once per scheme version."""
        key = (unit_id, metric)
        found = self._baseline_observations.get(key)
        if found is None:
            found = tuple(
                (period.start, period.end, Observation(f"baseline/{unit_id}/{metric}/{b.period}", metric, b.value,
                                                       b.measurement_unit, b.period, "baseline"))
                for b in self.baselines.get(key, ()) for period in (self.calendar.parse(b.period),))
            self._baseline_observations[key] = found
        return found

    def period_basis(self, indicator: str, declared: str) -> str:
        """``year_to_date`` or ``period_alone``: the scheme's choice, else the plug-in's declaration."""
        return self.period_bases.get(indicator, declared)

    def assessed(self, indicator: str, kind: str) -> bool:
        """Whether the indicator is assessed in periods of `kind`: by its own setting and by
        every dimension it is assigned to."""
        key = (indicator, kind)
        found = self._assessed.get(key)
        if found is None:
            dimensions = {a.dimension for a in self._assigned_dimensions.get(indicator, ())}
            found = kind in self.indicator_assessed_in.get(indicator, assessed_kinds(None)) and all(
                kind in d.assessed_in for d in self.dimensions if d.code in dimensions)
            self._assessed[key] = found
        return found
