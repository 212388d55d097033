"""``jixiao-indicator-new``: create a new indicator plug-in package that passes its own test.

Usage::

    jixiao-indicator-new road-maintenance --owner transport_bureau \\
        --metric road_km_maintained --name-zh 道路养护 --name-en "Road maintenance"

creates ``./road-maintenance/`` holding the distribution ``jixiao-indicator-road-maintenance``
(module ``jixiao_indicator_road_maintenance``, entry point in ``jixiao.indicators``), a
working "completion against target" formula to adapt, a unit test using
:mod:`jixiao_sdk.testing`, and a README. ``python -m jixiao_sdk.scaffold`` is the same.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

from .hookspecs import ENTRY_POINT_GROUP
from .model import CODE_PATTERN

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

_PYPROJECT = Template('''\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "jixiao-indicator-$name"
version = "0.1.0"
description = "Jixiao indicator: $name_en ($name_zh)"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["jixiao-sdk>=0.3,<1"]

[project.optional-dependencies]
test = ["pytest"]

[project.entry-points."$group"]
$snake = "jixiao_indicator_$snake"

[tool.setuptools.packages.find]
where = ["src"]
''')

_MODULE = Template('''\
"""$name_en ($name_zh): points for completing the target of `$metric`.

Formula: achievement = sum of `$metric` in the period / (target x expected share by now);
points = 100 x min(achievement, 1). The expected share follows the target's milestones,
or elapsed time when there are none. A month or quarter is scored year to date: the sum
since January against the share of the annual target due by its end.
"""

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, hookimpl
from jixiao_sdk.helpers import (
    clamp, expected_share, num, observations_of, pct, total, year_to_date_span,
)

SPEC = IndicatorSpec(
    code="$code",
    name_zh="$name_zh",
    name_en="$name_en",
    version="0.1.0",
    owner="$owner",
    input_metrics=("$metric",),
    min_points=0.0,
    max_points=100.0,
    direction="higher_is_better",
    rollup="sum",
    kind="score",
    formula="points = 100 x min(actual / (target x expected share), 1)",
    parameters=(),                        # target parameters read (TargetParameter): none yet
    period_basis="year_to_date",          # a month or quarter counts the year so far
)


@hookimpl
def jixiao_indicator_specs():
    return [SPEC]


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput):
    target = inputs.target.value if inputs.target else None
    if target is None or target <= 0:
        return IndicatorResult.failed(spec.code, "no positive target value set")
    events = observations_of(inputs, "$metric")
    actual = total(events)
    due = target * expected_share(inputs)
    achievement = actual / due if due > 0 else 1.0
    points = 100.0 * clamp(achievement, 0.0, 1.0)
    zh = f"完成{num(actual)}，应完成{num(due)}，完成率{pct(achievement)}"
    en = f"{num(actual)} done of {num(due)} due ({pct(achievement)})"
    if inputs.as_of_period:  # year to date: name the months, e.g. 1–9月累计 / Jan–Sep
        span_zh, span_en = year_to_date_span(inputs.as_of_period, inputs.year_start_month)
        zh, en = f"{span_zh}{zh}", f"{span_en}: {en}"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=actual,
        achievement=achievement,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in events),
    )


@hookimpl
def jixiao_indicator_check_target(spec: IndicatorSpec, target):
    if target is None or target.value is None or target.value <= 0:
        return ["$code needs a positive target value"]
    return []
''')

_TEST = Template('''\
"""Tests for the $code indicator, run offline with the jixiao-sdk testing kit."""

import jixiao_indicator_$snake as plugin
from jixiao_sdk.testing import IndicatorTestKit


def test_target_met_gives_full_points():
    kit = IndicatorTestKit(plugin)
    events = kit.monthly("$metric", [4.0, 3.0, 3.0])
    result = kit.evaluate("$code", events, target=10.0)
    assert result.points == 100.0
    assert result.achievement == 1.0
    assert "100.0%" in result.explanation


def test_half_way_at_mid_year_is_on_track():
    kit = IndicatorTestKit(plugin)
    events = kit.monthly("$metric", [1.0] * 6)
    result = kit.evaluate("$code", events, target=12.0, elapsed_share=0.5)
    assert result.points == 100.0


def test_partial_completion_gives_partial_points():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", kit.monthly("$metric", [2.5]), target=10.0)
    assert result.points == 25.0


def test_a_quarter_counts_the_year_to_date():
    kit = IndicatorTestKit(plugin)
    events = kit.monthly("$metric", [1.0] * 9)
    result = kit.evaluate("$code", events, target=12.0, period="2026", as_of_period="2026-Q3",
                          elapsed_share=0.75)
    assert result.points == 100.0
    assert result.explanation.startswith("1–9月累计完成9.00，应完成9.00")


def test_unknown_target_parameters_are_reported():
    kit = IndicatorTestKit(plugin)
    assert kit.check_target("$code", 10.0, params={"last_year": 8.0}) == (
        "unknown target parameter 'last_year'; $code reads no target parameters",)


def test_missing_target_is_reported():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", [], expect_ok=False)
    assert result.status == "failed"
    assert kit.check_target("$code", None) == ("$code needs a positive target value",)
''')

_README = Template('''\
# jixiao-indicator-$name — $name_en ($name_zh)

A Jixiao (绩效) indicator plug-in owned by `$owner`, built on `jixiao-sdk`.

| | |
|---|---|
| indicator code | `$code` |
| input metric | `$metric` (monthly amounts, roll-up: sum) |
| kind / points | score, 0–100 |
| period basis | year to date: a month or quarter counts the year so far |
| target parameters | none (the target's value only) |

## Formula

    achievement = actual / (target × expected share by now)
    points      = 100 × min(achievement, 1)

The expected share follows the target's milestones, or elapsed time without them. A month
or quarter is scored year to date: the sum since January against the share of the annual
target due by the end of that month or quarter.

## Develop

    pip install -e ".[test]"
    pytest
''')


def snake(name: str) -> str:
    """``road-maintenance`` -> ``road_maintenance``."""
    return name.replace("-", "_")


def create(name: str, directory: Path, *, code: str | None = None, metric: str | None = None,
           owner: str = "my_department", name_zh: str | None = None,
           name_en: str | None = None) -> Path:
    """Write the package for plug-in *name* into ``directory/name`` and return that path.

    Raises :class:`ValueError` for a bad name or code and :class:`FileExistsError` if the
    target directory exists.
    """
    if not _NAME.match(name):
        raise ValueError(f"plug-in name {name!r} must be kebab-case, e.g. 'road-maintenance'")
    code = code or snake(name)
    metric = metric or f"{snake(name)}_amount"
    for label, value in (("indicator code", code), ("metric code", metric), ("owner", owner)):
        if not CODE_PATTERN.match(value):
            raise ValueError(f"{label} {value!r} must be snake_case, e.g. 'road_maintenance'")
    values = {
        "name": name, "snake": snake(name), "code": code, "metric": metric, "owner": owner,
        "name_zh": _plain(name_zh or name), "group": ENTRY_POINT_GROUP,
        "name_en": _plain(name_en or name.replace("-", " ").capitalize()),
    }
    root = directory / name
    if root.exists():
        raise FileExistsError(f"{root} already exists; choose another name or directory")
    files = {
        root / "pyproject.toml": _PYPROJECT,
        root / "README.md": _README,
        root / "src" / f"jixiao_indicator_{values['snake']}" / "__init__.py": _MODULE,
        root / "tests" / f"test_{values['snake']}.py": _TEST,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.substitute(values), encoding="utf-8")
    return root


def _plain(text: str) -> str:
    if any(ch in text for ch in '"\\$\n'):
        raise ValueError(f"names may not contain quotes, backslashes, '$' or newlines: {text!r}")
    return text


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point of ``jixiao-indicator-new``."""
    parser = argparse.ArgumentParser(
        prog="jixiao-indicator-new",
        description="Create a new Jixiao indicator plug-in package in ./<name>/.",
    )
    parser.add_argument("name", help="kebab-case plug-in name, e.g. road-maintenance")
    parser.add_argument("--code", help="indicator code (default: the name in snake_case)")
    parser.add_argument("--metric", help="input metric code (default: <name>_amount)")
    parser.add_argument("--owner", default="my_department", help="owning department code")
    parser.add_argument("--name-zh", help="Chinese indicator name")
    parser.add_argument("--name-en", help="English indicator name")
    parser.add_argument("--directory", type=Path, default=Path.cwd(),
                        help="where to create the package (default: current directory)")
    args = parser.parse_args(argv)
    try:
        root = create(args.name, args.directory, code=args.code, metric=args.metric,
                      owner=args.owner, name_zh=args.name_zh, name_en=args.name_en)
    except (ValueError, FileExistsError) as exc:
        parser.exit(2, f"jixiao-indicator-new: error: {exc}\n")
    print(f"created {root}\nnext:\n  cd {root}\n  pip install -e '.[test]'\n  pytest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
