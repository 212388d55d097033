"""``jixiao-indicator-new``: create a new indicator plug-in package that passes its own test.

Usage::

    jixiao-indicator-new road-maintenance --owner transport_bureau \\
        --metric road_km_maintained --name-zh 道路养护 --name-en "Road maintenance"

creates ``./road-maintenance/`` holding the distribution ``jixiao-indicator-road-maintenance``
(module ``jixiao_indicator_road_maintenance``, entry point in ``jixiao.indicators``), a
working formula to adapt, unit tests using :mod:`jixiao_sdk.testing`, and a README.
``python -m jixiao_sdk.scaffold`` is the same.

The formula is chosen with ``--formula``:

- ``amount`` (the default): "completion against target", the sum of the ``--metric``
  figures (one, or several added up) against the target due by now, year to date;
- ``ratio``: exactly two metrics, ``--metric <numerator> --metric <denominator>``; their
  rate in the period against the target rate, failing on a zero denominator or a numerator
  above the denominator.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from string import Template

from .hookspecs import ENTRY_POINT_GROUP
from .model import CODE_PATTERN

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_CODE_RULE = "2 to 64 lower-case letters, digits and underscores, starting with a letter"

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

_AMOUNT_MODULE = Template('''\
"""$name_en ($name_zh): points for completing the target of $metrics_doc.

Formula: achievement = sum of $metrics_sum in the period / (target x expected share by now);
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
    input_metrics=($metrics_tuple),
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
$gather    due = target * expected_share(inputs)
    achievement = actual / due if due > 0 else 1.0
    points = 100.0 * clamp(achievement, 0.0, 1.0)
$explain    if inputs.as_of_period:  # year to date: name the months, e.g. 1–9月累计 / Jan–Sep
        span_zh, span_en = year_to_date_span(inputs.as_of_period, inputs.year_start_month)
        zh, en = f"{span_zh}{zh}", f"{span_en}: {en}"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=actual,
        achievement=achievement,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in events),
$components    )


@hookimpl
def jixiao_indicator_check_target(spec: IndicatorSpec, target):
    if target is None or target.value is None or target.value <= 0:
        return ["$code needs a positive target value"]
    return []
''')

# The amount formula's body for one input metric, and for several added up.
_AMOUNT_ONE = {
    "gather": '''\
    events = observations_of(inputs, "$metric")
    actual = total(events)
''',
    "explain": '''\
    zh = f"完成{num(actual)}，应完成{num(due)}，完成率{pct(achievement)}"
    en = f"{num(actual)} done of {num(due)} due ({pct(achievement)})"
''',
    "components": "",
}
_AMOUNT_SEVERAL = {
    "gather": '''\
    parts = {metric: observations_of(inputs, metric) for metric in spec.input_metrics}
    events = tuple(e for metric_events in parts.values() for e in metric_events)
    actual = total(events)
''',
    "explain": '''\
    made_of = " + ".join(f"{metric} {num(total(parts[metric]))}" for metric in parts)
    zh = f"完成{num(actual)}（{made_of}），应完成{num(due)}，完成率{pct(achievement)}"
    en = f"{num(actual)} done ({made_of}) of {num(due)} due ({pct(achievement)})"
''',
    "components": '''\
        components={metric: total(parts[metric]) for metric in parts},
''',
}

_AMOUNT_TEST = Template('''\
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

_AMOUNT_SEVERAL_TEST = Template('''\
"""Tests for the $code indicator, run offline with the jixiao-sdk testing kit."""

import jixiao_indicator_$snake as plugin
from jixiao_sdk.testing import IndicatorTestKit

METRICS = ($metrics_tuple)


def monthly(kit, amounts):
    """One event a month from January, the input metrics taking the months in turn."""
    return [kit.event(METRICS[i % len(METRICS)], amount, period=f"2026-{i + 1:02d}")
            for i, amount in enumerate(amounts)]


def test_the_metrics_add_up():
    kit = IndicatorTestKit(plugin)
    events = [kit.event(metric, float(i), period="2026-01") for i, metric in enumerate(METRICS, 1)]
    result = kit.evaluate("$code", events, target=100.0)
    assert result.raw_value == sum(range(1, len(METRICS) + 1))
    assert dict(result.components) == {metric: float(i) for i, metric in enumerate(METRICS, 1)}
    assert f"（{METRICS[0]} 1.00 + {METRICS[1]} 2.00" in result.explanation
    assert sorted(result.evidence) == sorted(e.event_id for e in events)


def test_target_met_gives_full_points():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", monthly(kit, [4.0, 3.0, 3.0]), target=10.0)
    assert result.points == 100.0
    assert result.achievement == 1.0
    assert "100.0%" in result.explanation


def test_half_way_at_mid_year_is_on_track():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", monthly(kit, [1.0] * 6), target=12.0, elapsed_share=0.5)
    assert result.points == 100.0


def test_partial_completion_gives_partial_points():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", monthly(kit, [2.5]), target=10.0)
    assert result.points == 25.0


def test_a_quarter_counts_the_year_to_date():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", monthly(kit, [1.0] * 9), target=12.0, period="2026",
                          as_of_period="2026-Q3", elapsed_share=0.75)
    assert result.points == 100.0
    assert result.explanation.startswith("1–9月累计完成9.00（")


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

_RATIO_MODULE = Template('''\
"""$name_en ($name_zh): points for a rate against a target rate.

Formula: rate = sum of `$numerator` in the period
              / sum of `$denominator` in the period;
points = 100 x clamp((rate - zero_credit_below) / (target rate - zero_credit_below), 0, 1).
The target's value is the rate that earns full points, within (0, 1], e.g. 0.95 for 95%;
the target parameter zero_credit_below (default 0) is the rate below which no points are
given. A month or quarter is scored on its own. A period whose denominator is 0, or whose
numerator exceeds its denominator, fails with the reason instead of a score.
"""

from jixiao_sdk import (
    IndicatorInput, IndicatorResult, IndicatorSpec, Target, TargetParameter, hookimpl,
)
from jixiao_sdk.helpers import (
    clamp, num, number_within, observations_of, pct, target_problems, total,
)

NUMERATOR = "$numerator"
DENOMINATOR = "$denominator"

SPEC = IndicatorSpec(
    code="$code",
    name_zh="$name_zh",
    name_en="$name_en",
    version="0.1.0",
    owner="$owner",
    input_metrics=(NUMERATOR, DENOMINATOR),
    min_points=0.0,
    max_points=100.0,
    direction="higher_is_better",
    rollup="sum",                         # counts add up; the rate is taken of the sums
    kind="score",
    formula=("rate = $numerator / $denominator;"
             " points = 100 x clamp((rate - zero_credit_below) / (target rate - zero_credit_below), 0, 1)"),
    parameters=(                          # target parameters read, besides the target rate
        TargetParameter("zero_credit_below", "rate below which no points are given,"
                        " [0, target rate); default 0"),
    ),
    period_basis="period_alone",          # a month or quarter is scored on its own
)


def _settings(target: Target | None) -> tuple[float, float]:
    """The target rate and the rate below which no points are given, checked."""
    rate = target.value if target is not None else None
    if rate is None or not 0.0 < rate <= 1.0:
        raise ValueError("$code needs a target rate within (0, 1] as its value,"
                         " e.g. 0.95")
    floor = number_within(target, "zero_credit_below", 0.0, "[0, 1)")
    if floor >= rate:
        raise ValueError(f"zero_credit_below ({pct(floor)}) must be below the target rate"
                         f" ({pct(rate)})")
    return rate, floor


@hookimpl
def jixiao_indicator_specs():
    return [SPEC]


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput):
    try:
        target, floor = _settings(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    numerator_events = observations_of(inputs, NUMERATOR)
    denominator_events = observations_of(inputs, DENOMINATOR)
    numerator, denominator = total(numerator_events), total(denominator_events)
    if numerator < 0 or denominator < 0:
        return IndicatorResult.failed(
            spec.code, f"{NUMERATOR} ({num(numerator)}) and {DENOMINATOR} ({num(denominator)})"
                       f" may not be negative in {inputs.period}")
    if denominator == 0:
        return IndicatorResult.failed(
            spec.code, f"{DENOMINATOR} is 0 in {inputs.period}: no rate of {NUMERATOR} to score")
    if numerator > denominator:
        return IndicatorResult.failed(
            spec.code, f"{NUMERATOR} ({num(numerator)}) exceeds {DENOMINATOR}"
                       f" ({num(denominator)}) in {inputs.period}: a rate cannot pass 100%")
    rate = numerator / denominator
    achievement = rate / target
    points = 100.0 * clamp((rate - floor) / (target - floor), 0.0, 1.0)
    # Chinese, then English, joined by " / " (the platform splits there: no " / " inside)
    zh = (f"{NUMERATOR} {num(numerator)}，{DENOMINATOR} {num(denominator)}，比率{pct(rate)}，"
          f"目标{pct(target)}，达成{pct(achievement)}")
    en = (f"{NUMERATOR} {num(numerator)} of {DENOMINATOR} {num(denominator)}: {pct(rate)}"
          f" against a target of {pct(target)} ({pct(achievement)})")
    if floor > 0:
        zh += f"，低于{pct(floor)}不得分"
        en += f", no points below {pct(floor)}"
    zh += f"，得分{num(points)}"
    en += f"; points {num(points)}"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=rate,
        achievement=achievement,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in numerator_events + denominator_events),
        components={"numerator": numerator, "denominator": denominator, "rate": rate},
    )


@hookimpl
def jixiao_indicator_check_target(target):
    return target_problems(_settings, target)
''')

_RATIO_TEST = Template('''\
"""Tests for the $code indicator, run offline with the jixiao-sdk testing kit."""

import jixiao_indicator_$snake as plugin
from jixiao_sdk.testing import IndicatorTestKit

NUMERATOR, DENOMINATOR = "$numerator", "$denominator"


def events(kit, numerators, denominators):
    """One event a month from January for each metric, with the given figures."""
    return kit.monthly(NUMERATOR, numerators) + kit.monthly(DENOMINATOR, denominators)


def test_target_rate_met_gives_full_points():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", events(kit, [45.0, 50.0], [50.0, 50.0]), target=0.95)
    assert result.points == 100.0
    assert result.raw_value == 0.95
    assert result.achievement == 1.0
    zh, en = result.explanation.split(" / ")  # Chinese, then English
    assert zh == f"{NUMERATOR} 95.00，{DENOMINATOR} 100.00，比率95.0%，目标95.0%，达成100.0%，得分100.00"
    assert en == (f"{NUMERATOR} 95.00 of {DENOMINATOR} 100.00: 95.0% against a target of 95.0%"
                  " (100.0%); points 100.00")
    assert len(result.evidence) == 4


def test_rate_below_target_gives_partial_points():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", events(kit, [40.0], [100.0]), target=0.8)
    assert result.raw_value == 0.4
    assert result.points == 50.0


def test_the_rate_is_of_the_period_sums_not_a_mean_of_monthly_rates():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", events(kit, [1.0, 3.0], [1.0, 7.0]), target=1.0,
                          period="2026-Q1")
    assert result.raw_value == 0.5
    assert dict(result.components) == {"numerator": 4.0, "denominator": 8.0, "rate": 0.5}


def test_no_points_below_zero_credit_below():
    kit = IndicatorTestKit(plugin)
    floor = {"zero_credit_below": 0.5}
    assert kit.evaluate("$code", events(kit, [75.0], [100.0]), target=1.0,
                        params=floor).points == 50.0
    result = kit.evaluate("$code", events(kit, [40.0], [100.0]), target=1.0, params=floor)
    assert result.points == 0.0
    assert "no points below 50.0%" in result.explanation


def test_numerator_above_denominator_fails():
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate("$code", events(kit, [11.0], [10.0]), target=0.9, expect_ok=False)
    assert result.status == "failed"
    assert result.reason == (
        f"{NUMERATOR} (11.00) exceeds {DENOMINATOR} (10.00) in 2026: a rate cannot pass 100%")


def test_zero_denominator_fails():
    kit = IndicatorTestKit(plugin)
    for figures in (events(kit, [0.0], [0.0]), []):
        result = kit.evaluate("$code", figures, target=0.9, expect_ok=False)
        assert result.status == "failed"
        assert result.reason == f"{DENOMINATOR} is 0 in 2026: no rate of {NUMERATOR} to score"


def test_target_problems_are_reported():
    kit = IndicatorTestKit(plugin)
    assert kit.check_target("$code", 0.95) == ()
    needs_rate = ("$code needs a target rate within (0, 1] as its value, e.g. 0.95",)
    assert kit.check_target("$code", None) == needs_rate
    assert kit.check_target("$code", 95.0) == needs_rate
    assert kit.check_target("$code", 0.6, params={"zero_credit_below": 0.8}) == (
        "zero_credit_below (80.0%) must be below the target rate (60.0%)",)
    assert kit.check_target("$code", 0.9, params={"last_year": 0.8}) == (
        "unknown target parameter 'last_year'; $code reads zero_credit_below",)
    result = kit.evaluate("$code", events(kit, [9.0], [10.0]), expect_ok=False)
    assert result.reason == "target: " + needs_rate[0]
''')

_AMOUNT_README = Template('''\
# jixiao-indicator-$name — $name_en ($name_zh)

A Jixiao (绩效) indicator plug-in owned by `$owner`, built on `jixiao-sdk`.

| | |
|---|---|
| indicator code | `$code` |
| $metrics_label | $metrics_readme (monthly amounts, roll-up: sum) |
| kind / points | score, 0–100 |
| period basis | year to date: a month or quarter counts the year so far |
| target parameters | none (the target's value only) |

## Formula

    achievement = actual / (target × expected share by now)
    points      = 100 × min(achievement, 1)
$actual_line
The expected share follows the target's milestones, or elapsed time without them. A month
or quarter is scored year to date: the sum since January against the share of the annual
target due by the end of that month or quarter.

## Develop

    pip install -e ".[test]"
    pytest
''')

_RATIO_README = Template('''\
# jixiao-indicator-$name — $name_en ($name_zh)

A Jixiao (绩效) indicator plug-in owned by `$owner`, built on `jixiao-sdk`.

| | |
|---|---|
| indicator code | `$code` |
| input metrics | `$numerator` (numerator), `$denominator` (denominator); roll-up: sum |
| kind / points | score, 0–100 |
| period basis | period alone: a month or quarter is scored on its own |
| target | the rate that earns full points, within (0, 1], e.g. 0.95 for 95% |
| target parameters | `zero_credit_below`: the rate below which no points are given, [0, target rate); default 0 |

## Formula

    rate        = $numerator / $denominator   (sums over the period)
    achievement = rate / target rate
    points      = 100 × clamp((rate − zero_credit_below) / (target rate − zero_credit_below), 0, 1)

A period whose `$denominator` is 0, or whose `$numerator` exceeds its `$denominator`, is not
scored: the result fails with that reason, for the figures to be corrected.

## Develop

    pip install -e ".[test]"
    pytest
''')

#: The formulas the scaffold generates (``--formula``).
FORMULAS = ("amount", "ratio")


def snake(name: str) -> str:
    """``road-maintenance`` -> ``road_maintenance``."""
    return name.replace("-", "_")


def create(name: str, directory: Path, *, code: str | None = None,
           metrics: Sequence[str] = (), formula: str = "amount",
           owner: str = "my_department", name_zh: str | None = None,
           name_en: str | None = None, metric: str | None = None) -> Path:
    """Write the package for plug-in *name* into ``directory/name`` and return that path.

    *metrics* are the input metric codes (default ``<name>_amount``; *metric* is the older
    one-metric form). *formula* is ``"amount"`` (the metrics' sum against the target, year to
    date) or ``"ratio"`` (exactly two metrics, the numerator then the denominator: their
    rate against a target rate, each period on its own).

    Raises :class:`ValueError` for a bad name, code, metric or formula (naming the
    command-line option at fault) and :class:`FileExistsError` if the target directory
    exists.
    """
    if not _NAME.match(name):
        raise ValueError(f"plug-in name {name!r} must be kebab-case, e.g. 'road-maintenance'")
    checks = (("--code: indicator code", code) if code else
              ("indicator code (the name in snake_case, else give --code)", snake(name)),
              ("--owner: owner", owner))
    for label, value in checks:
        if not CODE_PATTERN.match(value):
            raise ValueError(f"{label} {value!r} must be snake_case ({_CODE_RULE}),"
                             " e.g. 'road_maintenance'")
    code = code or snake(name)
    chosen = _metrics(metrics, metric)
    if formula not in FORMULAS:
        raise ValueError(f"--formula: {formula!r} is not a formula; choose amount or ratio")
    if formula == "ratio" and len(chosen) != 2:
        raise ValueError(
            f"--formula ratio needs exactly two --metric options, the numerator first and the"
            f" denominator second; got {len(chosen)}" + (f" ({', '.join(chosen)})" if chosen else ""))
    chosen = chosen or (f"{snake(name)}_amount",)
    values = {
        "name": name, "snake": snake(name), "code": code, "owner": owner,
        "name_zh": _plain(name_zh or name), "group": ENTRY_POINT_GROUP,
        "name_en": _plain(name_en or name.replace("-", " ").capitalize()),
        "metric": chosen[0], "metrics_tuple": ", ".join(f'"{m}"' for m in chosen)
        + ("," if len(chosen) == 1 else ""),
    }
    if formula == "ratio":
        values.update(numerator=chosen[0], denominator=chosen[1])
        module, test, readme = _RATIO_MODULE, _RATIO_TEST, _RATIO_README
    else:
        one = len(chosen) == 1
        quoted = [f"`{m}`" for m in chosen]
        fragments = _AMOUNT_ONE if one else _AMOUNT_SEVERAL
        values.update({key: Template(text).substitute(values) for key, text in fragments.items()})
        values.update(
            metrics_doc=quoted[0] if one else "its input metrics added up",
            metrics_sum=quoted[0] if one else "the input metrics",
            metrics_label="input metric" if one else "input metrics",
            metrics_readme=", ".join(quoted),
            actual_line="" if one else f"\nwhere actual = {' + '.join(chosen)} over the period.\n",
        )
        module, readme = _AMOUNT_MODULE, _AMOUNT_README
        test = _AMOUNT_TEST if one else _AMOUNT_SEVERAL_TEST
    root = directory / name
    if root.exists():
        raise FileExistsError(f"{root} already exists; choose another name or directory")
    files = {
        root / "pyproject.toml": _PYPROJECT,
        root / "README.md": readme,
        root / "src" / f"jixiao_indicator_{values['snake']}" / "__init__.py": module,
        root / "tests" / f"test_{values['snake']}.py": test,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.substitute(values), encoding="utf-8")
    return root


def _metrics(metrics: Sequence[str] | str, metric: str | None) -> tuple[str, ...]:
    """The input metric codes in order, checked: each a valid code, none twice."""
    chosen = ((metrics,) if isinstance(metrics, str) else tuple(metrics)) + ((metric,) if metric else ())
    for i, value in enumerate(chosen):
        if not isinstance(value, str) or not CODE_PATTERN.match(value):
            raise ValueError(
                f"--metric {value!r} is not a metric code: {_CODE_RULE}, e.g. 'road_km_maintained'")
        if value in chosen[:i]:
            raise ValueError(f"--metric {value!r} is given twice; name each input metric once")
    return chosen


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
    parser.add_argument("--metric", action="append", default=[], dest="metrics", metavar="METRIC",
                        help="an input metric code; repeat it for several (default:"
                             " <name>_amount); with --formula ratio the numerator, then the"
                             " denominator")
    parser.add_argument("--formula", choices=FORMULAS, default="amount",
                        help="amount (default): the metrics' sum against the target, year to"
                             " date; ratio: the first metric over the second against a target"
                             " rate, each period on its own (exactly two --metric)")
    parser.add_argument("--owner", default="my_department", help="owning department code")
    parser.add_argument("--name-zh", help="Chinese indicator name")
    parser.add_argument("--name-en", help="English indicator name")
    parser.add_argument("--directory", type=Path, default=Path.cwd(),
                        help="where to create the package (default: current directory)")
    args = parser.parse_args(argv)
    try:
        root = create(args.name, args.directory, code=args.code, metrics=args.metrics,
                      formula=args.formula, owner=args.owner, name_zh=args.name_zh,
                      name_en=args.name_en)
    except (ValueError, FileExistsError) as exc:
        parser.error(str(exc))
    print(f"created {root}\nnext:\n  cd {root}\n  pip install -e '.[test]'\n  pytest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
