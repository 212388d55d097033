"""Generic indicators without code (通用指标): configured in the scheme, scored here.

An evaluation office writes, in its scheme's ``indicators`` entry, a ``generic`` block
naming a formula and its settings; scoring configures the indicator through
``jixiao_indicator_configure`` and scores it with ``jixiao_indicator_evaluate`` below.
Seven formulas (README.md states each exactly):

- ``rate`` (``generic_rate``): numerator / denominator against a target rate;
- ``amount`` (``generic_amount``): an amount against the unit's target, year to date;
- ``case_points`` (``generic_case_points``): points per case, deducted or added, capped;
- ``bands`` (``generic_bands``): a value's band gives the points;
- ``rank_points`` (``generic_rank_points``): the rank among the peer group gives the points;
- ``sheet`` (``generic_sheet``): a responsible department's signed score sheet, item by item
  (docs/score-sheets.md);
- ``assessment`` (``generic_assessment``): an assessment team's on-site scores, the mean or
  trimmed mean of its assessors' totals (docs/assessment-teams.md).
- ``ballot`` (``generic_ballot``): a democratic evaluation (民主测评) by anonymous one-time ballot
  codes, tallied per rater group (docs/ballots.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Target, hookimpl

from . import amount, assessment, ballot, bands, case_points, rank_points, rate, sheet
from .settings import BASES, READERS, Amount, Rate, target_in_range

VERSION = "1.0.0"
OWNER = "evaluation_office"

_BASE_FORMULAS = {
    "rate": "rate = numerator / denominator (each summed over the period); points = 100 x"
            " min(1, rate / target), lower_is_better: 100 x min(1, target / rate), 100 at rate 0",
    "amount": "points = 100 x min(1, actual / (target x expected share of the plan)); year to"
              " date by default",
    "case_points": "points = sign x min(cap, |points_per_case| x cases); a deduction when"
                   " points_per_case < 0, a bonus when > 0",
    "bands": "points = the points of the best band the aggregated value reaches, else otherwise",
    "rank_points": "points = 100 x points_by_rank[rank] / points_by_rank[first], ranked within"
                   " the peer group, ties sharing the better rank; otherwise beyond the table",
    "sheet": "points = 100 x sum of the unit's item points / sum of the items' max_points, from the"
             " responsible department's accepted score sheet of the period (the highest sheet_version"
             " per item)",
    "assessment": "points = 100 x the team result / sum of the items' max_points; the team result is the"
                  " mean (or trimmed mean) of the assessors' totals the office closed for the period",
    "ballot": "points = 100 x sum(w_g x mean_g) / sum(w_g) / the scale's highest value, over the rater"
              " groups that reached their minimum turnout (ballots / codes issued); the others are"
              " flagged and left out",
}
_NAMES = {
    "rate": ("通用指标：比率", "Generic: rate"),
    "amount": ("通用指标：总量", "Generic: amount"),
    "case_points": ("通用指标：按件扣分/加分", "Generic: points per case"),
    "bands": ("通用指标：分档计分", "Generic: bands"),
    "rank_points": ("通用指标：名次赋分", "Generic: rank points"),
    "sheet": ("通用指标：考核责任单位评分表", "Generic: responsible department's score sheet"),
    "assessment": ("通用指标：考核组现场评分", "Generic: on-site assessment by a team"),
    "ballot": ("通用指标：民主测评", "Generic: democratic evaluation by ballot"),
}
SPECS = tuple(
    IndicatorSpec(code=base, name_zh=_NAMES[formula][0], name_en=_NAMES[formula][1],
                  version=VERSION, owner=OWNER, input_metrics=(), min_points=0.0,
                  max_points=100.0, kind="score", formula=_BASE_FORMULAS[formula],
                  period_basis="year_to_date" if formula == "amount" else "period_alone",
                  generic=True, needs_peers=formula == "rank_points")
    for formula, base in BASES.items()
)
_FORMULA_OF = {base: formula for formula, base in BASES.items()}
#: Each formula's module: ``configure(common, settings)`` and ``evaluate(spec, settings, inputs)``.
FORMULAS = {"rate": rate, "amount": amount, "case_points": case_points, "bands": bands,
            "rank_points": rank_points, "sheet": sheet,
            "assessment": assessment, "ballot": ballot}


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return list(SPECS)


@hookimpl
def jixiao_indicator_configure(spec: IndicatorSpec, code: str, name_zh: str, name_en: str,
                               settings: Mapping[str, Any]) -> IndicatorSpec:
    formula = _FORMULA_OF[spec.code]
    common = dict(code=code, name_zh=name_zh, name_en=name_en, version=spec.version,
                  owner=spec.owner, settings=settings, generic=False, categories=())
    return FORMULAS[formula].configure(common, READERS[formula](settings))


@hookimpl
def jixiao_indicator_check_target(spec: IndicatorSpec, target: Target | None) -> list[str]:
    if spec.generic:
        return []
    read = READERS[spec.settings["formula"]](spec.settings)
    value = target.value if target is not None else None
    if isinstance(read, Rate):
        if value is None and read.target is None:
            return ["no target: set target in the indicator's generic block or a target value"
                    " for the unit"]
        if value is not None:
            try:
                target_in_range(value, "target value")
            except ValueError as exc:
                return [str(exc)]
    if isinstance(read, Amount) and (value is None or value <= 0):
        return [f"the target value (the plan) must be a positive number, got {value!r}"]
    return []


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    formula = spec.settings["formula"]
    return FORMULAS[formula].evaluate(spec, READERS[formula](spec.settings), inputs)


__all__ = ["SPECS", "jixiao_indicator_check_target", "jixiao_indicator_configure",
           "jixiao_indicator_evaluate", "jixiao_indicator_specs"]
