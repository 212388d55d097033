"""The plug-in lifecycle: draft → approved → active → retired.

A version is registered as a draft, approved by the evaluation office after
review, then activated; activating a version retires any other active
version providing one of the same indicator codes, so that each code is
computed by one version at a time. A retired version can be activated
again (a rollback).
"""
from __future__ import annotations

from collections.abc import Iterable

from .records import PLUGIN_STATUSES, PluginVersion

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
