"""What the demo city's people score and say, deterministically (issue 20): the responsible
departments' score sheets and the units' self-evaluations that `jixiao up` submits through
scoring after streaming the year's events (jixiao.embedded.demo_people).

- **Score sheets** (docs/score-sheets.md): for each sheet-scored indicator and each of
  `SHEET_PERIODS`, every unit of the sheet gets points on every item — full marks unless the
  item's rule deducts: most units lose nothing, some lose one or two steps of the rule
  (2 points per meeting not held, 10 per case …), a few more — with the basis in words.
- **Self-evaluations** (自评): the district and county units evaluate `SELF_EVALUATION_PERIOD`,
  each giving itself its computed points on every indicator plus an optimism of 0–15 points
  (capped at 100), so that some gaps exceed the scheme's tolerance of 10 and are flagged.

Nothing here talks to a service: it turns the scheme document and computed points into rows."""
from __future__ import annotations

import random
from collections.abc import Mapping

SHEET_PERIODS = ("2026-Q1", "2026-Q2", "2026-Q3")
SELF_EVALUATION_PERIOD = "2026-Q3"
#: Points one step of each item's rule deducts, and what one step is, in words.
STEPS = {
    "responsibility": (2, "未按要求召开专题会议{n}次"), "cases": (10, "发生违纪违法案件{n}起"),
    "rectification": (5, "巡察反馈问题{n}项逾期未整改"), "system": (3, "{n}个岗位安全生产责任未落实"),
    "hazards": (8, "{n}项重大隐患逾期未整改"), "drills": (5, "{n}次应急演练未按计划开展"),
}
#: How many steps a unit loses on an item: none mostly, one or two sometimes, three rarely.
STEP_WEIGHTS = ((0, 78), (1, 15), (2, 5), (3, 2))


def sheet_indicators(document: Mapping) -> list[dict]:
    """The scheme's sheet-scored indicators (generic formula `sheet`)."""
    return [i for i in document.get("indicators", []) if (i.get("generic") or {}).get("formula") == "sheet"]


def sheet_units(document: Mapping, indicator: str) -> list[str]:
    """The units of a sheet: those of the categories the indicator is assigned to, in the scheme's order."""
    categories = {a["category"] for a in document.get("assignments", []) if a["indicator"] == indicator}
    return [u["id"] for u in document.get("units", []) if u.get("category") in categories]


def sheet_rows(document: Mapping, indicator: Mapping, period: str, seed: int = 2026) -> list[dict]:
    """The rows of the demo's sheet of `indicator` for `period`: (unit, item, points, basis, evidence)."""
    rng = random.Random(f"{seed}:sheet:{indicator['code']}:{period}")
    steps, weights = zip(*STEP_WEIGHTS, strict=True)
    rows = []
    number = 0
    for unit in sheet_units(document, indicator["code"]):
        for item in indicator["generic"]["items"]:
            step, words = STEPS.get(item["code"], (5, "{n}项未达要求"))
            lost = min(rng.choices(steps, weights)[0], item["max_points"] // step)
            evidence = ""
            if lost:
                number += 1
                evidence = f"{indicator['generic']['department'][:4].upper()}-{period}-{number:03d}"
            basis = f"{words.format(n=lost)}，扣{lost * step}分" if lost else "无扣分情形"
            rows.append({"unit_id": unit, "item": item["code"], "points": float(item["max_points"] - lost * step),
                         "basis": basis, "evidence_ref": evidence})
    return rows


def self_scores(computed: Mapping[str, float], unit_id: str, seed: int = 2026) -> list[dict]:
    """A unit's own points per indicator: its computed points plus 0–15 (at most 100), with a basis."""
    rng = random.Random(f"{seed}:self:{unit_id}")
    scores = []
    for code, points in sorted(computed.items()):
        mine = min(100.0, round(points + rng.choice((0, 0, 2, 5, 8, 12, 15)), 2))
        scores.append({"indicator_code": code, "points": mine,
                       "basis": "按序时进度完成年度任务" if mine == points else "在建项目已签约，预计季末前形成实物量"})
    return scores
