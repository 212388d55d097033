"""The plug-in lifecycle: draft → approved → active → retired.

A version is registered as a draft, approved by the evaluation office after
review, then activated; activating a version retires any other active
version providing one of the same indicator codes, so that each code is
computed by one version at a time. A retired version can be activated
again (a rollback).
"""
from __future__ import annotations

from collections.abc import Iterable

from jixiao_sdk.model import PARAMETER_PATTERN
from jixiao_sdk.model import PERIOD_BASES as SDK_PERIOD_BASES

from .records import PLUGIN_STATUSES, IndicatorDefinition, PluginVersion

ALLOWED_FROM = {
    "approved": ("draft",),
    "active": ("approved", "retired"),
    "retired": ("approved", "active"),
}


def transition_problem(current: str, target: str) -> str | None:
    """Why `current` cannot become `target`, or None when it can."""
    if target not in ALLOWED_FROM:
        return f"status must be one of {', '.join(s for s in PLUGIN_STATUSES if s != 'draft')}"
    if current == target:
        return None
    if current not in ALLOWED_FROM[target]:
        return f"a {current} version cannot become {target} (only from {' or '.join(ALLOWED_FROM[target])})"
    return None


def displaced_by(plugin: PluginVersion, active: Iterable[PluginVersion]) -> list[PluginVersion]:
    """Active versions that must retire when `plugin` becomes active."""
    codes = {i.code for i in plugin.indicators}
    return [
        other for other in active
        if (other.name, other.version) != (plugin.name, plugin.version) and codes & {i.code for i in other.indicators}
    ]


def matches(plugin: PluginVersion, query: str) -> bool:
    """Search: the text appears in the name, owner or an indicator code or name."""
    text = query.lower()
    haystack = [plugin.name, plugin.owner, *(i.code for i in plugin.indicators),
                *(i.name_zh for i in plugin.indicators), *(i.name_en for i in plugin.indicators)]
    return any(text in item.lower() for item in haystack)


PERIOD_BASES = ("", *SDK_PERIOD_BASES)  # "" for a client older than the field: period_alone


def definition_problem(indicator: IndicatorDefinition) -> tuple[str, str] | None:
    """(field, problem) for an indicator definition the registry cannot keep, or None."""
    if indicator.period_basis not in PERIOD_BASES:
        return "period_basis", f"must be one of {', '.join(SDK_PERIOD_BASES)}, not {indicator.period_basis!r}"
    if indicator.parameters and not indicator.parameters_declared:
        return "parameters", "are given, so parameters_declared must be true"
    for name in indicator.parameters:
        if not PARAMETER_PATTERN.fullmatch(name):
            return "parameters", (f"{name[:80]!r} is not a parameter name (lower-case words joined by dots,"
                                  " or a family ending in '.*')")
    if len(set(indicator.parameters)) != len(indicator.parameters):
        return "parameters", "name a parameter twice"
    return None
