"""A read-only view of a published scheme document, indexed for scoring."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType

from jixiao.common.metric_ranges import metric_ranges

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


@dataclass(frozen=True)
class Unit:
    id: str
    name_zh: str
    name_en: str
    category: str
    region: str | None


class SchemeView:
    """Lookups the scoring rules need, built once per scheme version."""

    def __init__(self, document: dict, version: int):
        header = document["scheme"]
        self.code: str = str(header["code"])
        self.year: int = int(header["year"])
        self.version = version
        self.document = document
        self.units = MappingProxyType({
            u["id"]: Unit(u["id"], u["name"]["zh"], u["name"].get("en", ""), u["category"], u.get("region"))
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
        self.dimensions = tuple(
            Dimension(d["code"], d.get("name", {}).get("zh", d["code"]), d.get("name", {}).get("en", d["code"]),
                      float(d.get("weight", 0)), bool(d.get("additive", False)))
            for d in document["dimensions"]
        )
        by_category: dict[str, list[Assignment]] = defaultdict(list)
        for a in document["assignments"]:
            by_category[a["category"]].append(
                Assignment(a["category"], a["dimension"], a["indicator"], float(a.get("weight", 0)), float(a.get("max_points", 0)))
            )
        self.assignments = MappingProxyType({c: tuple(v) for c, v in by_category.items()})
        self.targets = MappingProxyType({(t["unit"], t["indicator"]): t for t in document.get("targets", [])})
        self.person_rule = PersonRule.from_document(document)
        self.person_vetoes = PersonVeto.all_from_document(document)
        self.metric_ranges = MappingProxyType(metric_ranges(document))
        self.source_metrics = MappingProxyType({
            s["code"]: frozenset(s.get("metrics", [])) for s in document.get("sources", [])
        })

    def assignments_for(self, unit_id: str) -> tuple[Assignment, ...]:
        return self.assignments.get(self.units[unit_id].category, ())
