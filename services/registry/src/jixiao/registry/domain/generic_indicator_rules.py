"""What must hold between a scheme's generic indicators (`indicators[].generic`, no
code needed; jixiao.common.scheme_format declares their settings) and the rest of the
document. Each generic formula is computed by a standard plug-in whose indicator code
is ``generic_<formula>`` (plugins/generic, distribution jixiao-indicator-generic), which must be active.

- The metrics a setting names (`metric`, `numerator`, `denominator`) are metrics the
  scheme knows: reported by a source or listed under `metrics`. A rate's numerator
  and denominator are two different metrics.
- `case_points`: `points_per_case` is not 0.
- `bands`: each band has the threshold its direction asks for (`at_least` when higher
  is better, `at_most` when lower is better) and no other; no threshold twice.
- `sheet`: a responsible department's code, and at least one item, each code once
  (docs/score-sheets.md).
- `assessment`: at least one item, each code once (docs/assessment-teams.md).
- `ballot`: at least one rater group, each code once; a scale of at least two choices, each
  value once, the highest above 0 (it scales the points) (docs/ballots.md).
- `rank_points`: `points_by_rank` starts above 0 (it scales the points), does not rise
  (rank 1 earns the most), `otherwise` is no more than rank 1's points, and the table is no longer
  than the smallest category the indicator is assigned to (a rank beyond the group
  cannot be reached).
- A generic indicator has a name (no plug-in gives one) and a code of its own: no active plug-in provides it, and its targets
  carry no `params` (a generic formula reads none).
- An `amount`, and a `rate` without a `target` setting, needs a target for every unit
  it is assigned to (`needing_targets`).
"""
from __future__ import annotations

from collections import Counter

Problems = list[tuple[str, str]]
BASE_PREFIX = "generic_"


def _generic(document: dict) -> list[tuple[int, dict, dict]]:
    """(index, indicator, generic block) of every generic indicator."""
    return [(i, item, item["generic"]) for i, item in enumerate(document.get("indicators") or [])
            if isinstance(item.get("generic"), dict)]


def bases(document: dict) -> dict[str, str]:
    """Generic indicator code → the code of the plug-in indicator computing its formula."""
    return {item["code"]: BASE_PREFIX + block["formula"] for _, item, block in _generic(document)}


def needing_targets(document: dict) -> frozenset[str]:
    """The generic indicators that score only against a unit's own target."""
    return frozenset(item["code"] for _, item, block in _generic(document)
                     if block["formula"] == "amount" or (block["formula"] == "rate" and block.get("target") is None))


def problems(document: dict, active_indicators: set[str] | None) -> Problems:
    found: Problems = []
    metrics = {m for source in document.get("sources") or [] for m in source.get("metrics") or []}
    metrics |= {m.get("code") for m in document.get("metrics") or []}
    units_per_category = Counter(u.get("category") for u in document.get("units") or [])
    assigned_to: dict[str, set] = {}
    for a in document.get("assignments") or []:
        assigned_to.setdefault(a.get("indicator"), set()).add(a.get("category"))
    generic_codes = set()
    for i, item, block in _generic(document):
        where = f"indicators[{i}].generic"
        code = item["code"]
        generic_codes.add(code)
        if not item.get("name"):
            found.append((f"indicators[{i}].name", "is required for a generic indicator: no plug-in names it"))
        if active_indicators is not None and code in active_indicators:
            found.append((f"indicators[{i}].code", f"{code!r} is the code of a plug-in's indicator; a generic "
                                                   "indicator needs a code of its own"))
        for key in ("metric", "numerator", "denominator"):
            if key in block and block[key] not in metrics:
                found.append((f"{where}.{key}", f"unknown metric {block[key]!r}: no source reports it and "
                                                "`metrics` does not list it"))
        formula = block["formula"]
        if formula == "rate" and block["numerator"] == block["denominator"]:
            found.append((f"{where}.denominator", f"is the numerator too ({block['numerator']!r}): a rate needs two metrics"))
        elif formula == "case_points" and block["points_per_case"] == 0:
            found.append((f"{where}.points_per_case", "must not be 0: negative for a deduction, positive for a bonus"))
        elif formula == "bands":
            found += _band_problems(where, block)
        elif formula == "rank_points":
            found += _rank_problems(where, code, block, assigned_to.get(code, set()), units_per_category)
        elif formula == "sheet":
            found += _sheet_problems(where, block)
        elif formula == "assessment":
            found += _item_problems(where, block, "an assessment")
        elif formula == "ballot":
            found += _ballot_problems(where, block)
    for i, target in enumerate(document.get("targets") or []):
        if target.get("indicator") in generic_codes and target.get("params"):
            found.append((f"targets[{i}].params", f"generic indicator {target['indicator']!r} reads no target "
                                                  "parameters (only the target's value)"))
    return found


def _band_problems(where: str, block: dict) -> Problems:
    lower_is_better = block.get("direction") == "lower_is_better"
    wanted, other = ("at_most", "at_least") if lower_is_better else ("at_least", "at_most")
    found: Problems = []
    seen: set = set()
    for j, band in enumerate(block["bands"]):
        if other in band:
            found.append((f"{where}.bands[{j}].{other}", f"a band {'when lower is better' if lower_is_better else ''}"
                          f"{'' if lower_is_better else 'when higher is better'} has {wanted}, not {other}"))
        if wanted not in band:
            found.append((f"{where}.bands[{j}]", f"needs {wanted}: the threshold a value must reach"))
        elif band[wanted] in seen:
            found.append((f"{where}.bands[{j}].{wanted}", f"{band[wanted]:g} is the threshold of an earlier band too"))
        else:
            seen.add(band[wanted])
    if not block["bands"]:
        found.append((f"{where}.bands", "names no band"))
    return found


def _sheet_problems(where: str, block: dict) -> Problems:
    found: Problems = []
    if not block["department"].strip():
        found.append((f"{where}.department", "is required: the responsible department's code"))
    return found + _item_problems(where, block, "a sheet")


def _item_problems(where: str, block: dict, what: str) -> Problems:
    """At least one item, each code once (a sheet's, an on-site assessment's)."""
    found: Problems = []
    if not block["items"]:
        found.append((f"{where}.items", f"names no item: {what} scores at least one"))
    seen: set = set()
    for j, item in enumerate(block["items"]):
        if item["code"] in seen:
            found.append((f"{where}.items[{j}].code", f"duplicate item code {item['code']!r}"))
        seen.add(item["code"])
    return found


def _ballot_problems(where: str, block: dict) -> Problems:
    found: Problems = []
    if not block["groups"]:
        found.append((f"{where}.groups", "names no rater group: a ballot needs at least one"))
    seen: set = set()
    for j, group in enumerate(block["groups"]):
        if group["code"] in seen:
            found.append((f"{where}.groups[{j}].code", f"duplicate rater group {group['code']!r}"))
        seen.add(group["code"])
    scale = block["scale"]
    if len(scale) < 2:
        found.append((f"{where}.scale", "needs at least two choices"))
    values: set = set()
    for j, choice in enumerate(scale):
        if choice["value"] in values:
            found.append((f"{where}.scale[{j}].value", f"duplicate value {choice['value']!r}: each choice has its own"))
        values.add(choice["value"])
    if scale and max(c["value"] for c in scale) <= 0:
        found.append((f"{where}.scale", "the highest value must be above 0: it scales the points"))
    return found


def _rank_problems(where: str, code: str, block: dict, categories: set, sizes: Counter) -> Problems:
    table = block["points_by_rank"]
    found: Problems = []
    if not table:
        found.append((f"{where}.points_by_rank", "names no points: give rank 1's first"))
    elif table[0] <= 0:
        found.append((f"{where}.points_by_rank[0]", "must be above 0: rank 1's points are the full score"))
    elif block.get("otherwise", 0) > table[0]:
        found.append((f"{where}.otherwise", f"{block['otherwise']:g} is more than rank 1's {table[0]:g}"))
    for j in range(1, len(table)):
        if table[j] > table[j - 1]:
            found.append((f"{where}.points_by_rank[{j}]", f"{table[j]:g} is more than rank {j}'s {table[j - 1]:g}: "
                                                          "a better rank never earns less"))
    for category in sorted(c for c in categories if isinstance(c, str)):
        if len(table) > sizes.get(category, 0):
            found.append((f"{where}.points_by_rank", f"has {len(table)} ranks but category {category!r}, which "
                                                     f"{code!r} is assigned to, has {sizes.get(category, 0)} units"))
    return found
