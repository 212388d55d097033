"""A synthetic province-sized evaluation scheme and its year of metric events.

At scale 1: 100 regions, 10,000 units (each region: its own government,
category district_county, and 99 departments spread over the five
department categories), 100,000 leaders (10 per unit, one leadership team
per unit) and 10,000,000 metric events (1,000 per unit). A smaller scale
shrinks the regions, and with them everything else, proportionally.

The rules (categories, sources, dimensions, indicators, assignments,
grading, vetoes, person scoring) are the demo city's; the targets of each
unit are the first demo unit of its category's targets, scaled. The events
follow the demo year's mix — monthly amounts and counts, grants,
commendations, violations, accidents, year-end ratings of units and
leaders — with satisfaction ballots filling each unit's share. Everything
is deterministic: the same scale gives the same document and events.
"""
from __future__ import annotations

import copy
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta

YEAR = 2026
CODE = f"province-{YEAR}"
REGIONS_AT_FULL_SCALE = 100
UNITS_PER_REGION = 100
PERSONS_PER_UNIT = 10
EVENTS_PER_UNIT = 1000
DEPARTMENT_CATEGORIES = ("comprehensive", "economic", "social", "enforcement", "mass_org")
RULE_SECTIONS = ("categories", "sources", "dimensions", "indicators", "assignments", "grading", "vetoes",
                 "consequences", "person_scoring")
SECTORS = ("industry", "infrastructure", "real_estate", "social")
CHANNELS = ("online", "phone", "newspaper", "onsite")
UNIT_RATERS = 30
PERSON_RATERS = 11


def regions_for(scale: float) -> int:
    return max(1, round(REGIONS_AT_FULL_SCALE * scale))


def province_scheme(regions: int, demo: dict) -> dict:
    """The scheme document of a province of `regions` regions, with the demo city's rules."""
    units = _units(regions)
    templates = _target_templates(demo)
    rng = random.Random(f"{CODE}:targets")
    return {
        "format": demo["format"],
        "scheme": {**demo["scheme"], "code": CODE, "name": {"zh": f"合成省{YEAR}年度综合绩效考核方案",
                                                             "en": f"Synthetic Province {YEAR} Evaluation Scheme"}},
        "city": {"id": "PV", "name": {"zh": "合成省", "en": "Synthetic Province"}},
        "regions": [{"id": _region_id(r), "name": {"zh": f"第{r}县", "en": f"County {r}"}, "kind": "county"}
                    for r in range(1, regions + 1)],
        **{section: copy.deepcopy(demo[section]) for section in RULE_SECTIONS if section in demo},
        "units": units,
        "leadership_teams": [{"id": f"T-{u['id']}", "unit": u["id"], "name": {"zh": f"{u['name']['zh']}领导班子"}}
                             for u in units],
        "persons": [{"id": person, "name_zh": f"干部{person[2:]}", "unit": u["id"], "team": f"T-{u['id']}"}
                    for u in units for person in _persons(u["id"])],
        "targets": [_scaled(t, u["id"], rng.uniform(0.8, 1.2)) for u in units for t in templates[u["category"]]],
    }


def province_events(document: dict, total: int) -> Iterator[dict]:
    """`total` metric events spread evenly over the document's units, unit by unit."""
    units = document["units"]
    share, extra = divmod(total, len(units))
    for index, unit in enumerate(units):
        yield from _unit_events(unit, share + (index < extra))


def unit_streams(document: dict) -> list[Iterator[dict]]:
    """Each unit's events in `province_events`' order, without end: its year's
    reports, then ballots for as long as they are read."""
    return [_unit_events(unit, sys.maxsize) for unit in document["units"]]


def _region_id(number: int) -> str:
    return f"R{number:03d}"


def _units(regions: int) -> list[dict]:
    units = []
    for r in range(1, regions + 1):
        units.append({"id": f"U-{_region_id(r)}", "name": {"zh": f"第{r}县人民政府"}, "category": "district_county",
                      "region": _region_id(r)})
        for d in range(1, UNITS_PER_REGION):
            units.append({"id": f"U-{_region_id(r)}-D{d:02d}", "name": {"zh": f"第{r}县第{d}部门"},
                          "category": DEPARTMENT_CATEGORIES[d % len(DEPARTMENT_CATEGORIES)], "region": _region_id(r)})
    return units


def _persons(unit_id: str) -> list[str]:
    return [f"P-{unit_id[2:]}-{n:02d}" for n in range(1, PERSONS_PER_UNIT + 1)]


def _target_templates(demo: dict) -> dict[str, list[dict]]:
    """Per category, the targets of the demo city's first unit of that category."""
    first = {}
    for unit in demo["units"]:
        first.setdefault(unit["category"], unit["id"])
    return {category: [t for t in demo["targets"] if t["unit"] == unit] for category, unit in first.items()}


def _scaled(template: dict, unit_id: str, factor: float) -> dict:
    target = {**copy.deepcopy(template), "unit": unit_id}
    if target.get("measurement_unit") != "ratio" and target.get("value"):
        target["value"] = round(target["value"] * factor, 1)
    return target


def _unit_events(unit: dict, quota: int) -> Iterator[dict]:
    """A unit's year: the fixed reports first, then ballots up to `quota` events."""
    rng = random.Random(f"{CODE}:{unit['id']}")
    emitter = _Emitter(unit["id"])
    fixed = [*_monthly(emitter, unit["category"], rng), *_occasional(emitter, unit["category"], rng),
             *_ratings(emitter, rng)]
    yield from fixed[:quota]
    for n in range(quota - min(quota, len(fixed))):
        yield _ballot(emitter, rng, n)


class _Emitter:
    """Builds a unit's MetricEvent dicts with ids unique in the province."""

    def __init__(self, unit_id: str):
        self.unit_id = unit_id
        self.count = 0

    def __call__(self, source: str, metric: str, value: float, measurement_unit: str, period: str, *,
                 person: str = "", attributes: dict | None = None) -> dict:
        self.count += 1
        day = _last_day(period)
        return {
            "event_id": f"pv-{self.unit_id}-{self.count:05d}", "source": source, "unit_id": self.unit_id,
            "person_id": person, "metric_code": metric, "value": float(value), "measurement_unit": measurement_unit,
            "period": period, "observed_at": f"{day.isoformat()}T18:00:00+08:00",
            "reported_at": f"{(day + timedelta(days=3)).isoformat()}T09:30:00+08:00",
            "evidence_ref": f"bench://{self.unit_id}/{self.count}", "attributes": attributes or {},
        }


def _last_day(period: str) -> date:
    if len(period) == 10:
        return date.fromisoformat(period)
    month = int(period[5:7])
    return date(YEAR + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _monthly(emit: _Emitter, category: str, rng: random.Random) -> Iterator[dict]:
    """Investment and revenue (regions), complaint counts and key project milestones (all)."""
    for month in range(1, 13):
        period = f"{YEAR}-{month:02d}"
        if category == "district_county":
            for sector in SECTORS:
                yield emit("stats_bureau", "fixed_asset_investment", round(rng.uniform(1, 8), 2), "CNY_100M", period,
                           attributes={"sector": sector})
            for kind in ("tax", "non_tax"):
                yield emit("finance_bureau", "general_budget_revenue", round(rng.uniform(0.5, 4), 2), "CNY_100M",
                           period, attributes={"kind": kind})
        received = rng.randint(5, 200) if category == "district_county" else rng.randint(0, 30)
        for metric, count in (("complaints_received", received),
                              ("complaints_handled_on_time", round(received * rng.uniform(0.8, 1))),
                              ("complaints_resolved", round(received * rng.uniform(0.7, 0.97))),
                              ("complaints_escalated", round(received * rng.uniform(0, 0.04)))):
            yield emit("petition_bureau", metric, count, "count", period)
        due = rng.randint(0, 6)
        yield emit("drc", "key_project_milestones_due", due, "count", period)
        yield emit("drc", "key_project_milestones_met", rng.randint(0, due), "count", period)


def _day(rng: random.Random, first: int = 1, last: int = 365) -> str:
    return (date(YEAR, 1, 1) + timedelta(days=rng.randint(first, last) - 1)).isoformat()


def _occasional(emit: _Emitter, category: str, rng: random.Random) -> Iterator[dict]:
    """Grants (regions, economic departments), commendations, violations, accidents."""
    if category in ("district_county", "economic"):
        for number in range(10):
            yield emit("finance_bureau", "funds_won_from_higher_levels", round(rng.uniform(0.05, 2), 2), "CNY_100M",
                       _day(rng), attributes={"level": "provincial", "program": f"专项资金{number}"})
    if rng.random() < 0.1:
        yield emit("evaluation_office", "commendation", 1, "count", _day(rng), attributes={"level": "provincial"})
    if rng.random() < 0.02:
        yield emit("evaluation_office", "work_style_violation", 1, "count", _day(rng), attributes={"severity": "minor"})
    if rng.random() < 0.005:
        severity = "serious" if rng.random() < 0.2 else "general"
        yield emit("emergency_bureau", "safety_accident", 1, "count", _day(rng), attributes={"severity": severity})


def _ratings(emit: _Emitter, rng: random.Random) -> Iterator[dict]:
    """The year-end ratings of the unit and of each of its leaders; a rare criminal offence."""
    day = _day(rng, 348, 356)
    for rater in range(UNIT_RATERS):
        yield emit("evaluation_office", "leadership_rating", rng.randint(2, 5), "rating", day,
                   attributes={"rater_id": f"R{rater:02d}", "rater_group": ("city_leaders", "peers", "subordinates")[rater % 3]})
    for person in _persons(emit.unit_id):
        for rater in range(PERSON_RATERS):
            yield emit("evaluation_office", "leadership_rating", rng.randint(2, 5), "rating", day, person=person,
                       attributes={"rater_id": f"R{rater:02d}", "rater_group": ("city_leaders", "peers", "subordinates")[rater % 3]})
        if rng.random() < 0.001:
            yield emit("evaluation_office", "work_style_violation", 1, "count", _day(rng), person=person,
                       attributes={"severity": "serious", "offence": "criminal"})


def _ballot(emit: _Emitter, rng: random.Random, number: int) -> dict:
    channel = CHANNELS[number % len(CHANNELS)]
    return emit("survey_center", "public_vote", rng.choice((1.0, 1.0, 0.5, 0.0)), "ballot", _day(rng, 314, 346),
                attributes={"channel": channel, "voter_id": f"{channel}-{number:05d}"})
