"""The indicator plug-ins installed in this Python environment, described
as the registry records them (name, version, owner, digest, indicators).

The digest identifies a build (`jixiao.common.plugin_digest`, the rule scoring
checks installed builds with), so that a changed package cannot be registered
again under the same version.
"""
from __future__ import annotations

import dataclasses

from jixiao.common import plugin_digest
from jixiao_sdk import IndicatorHost

from ..domain.records import IndicatorDefinition, PluginVersion


def installed_plugins() -> list[PluginVersion]:
    """One record per installed distribution, not yet registered: no status, no registration time."""
    host = IndicatorHost.discover(timeout_s=None)
    by_provider: dict[str, list] = {}
    for code, provider in host.plugin_versions().items():
        by_provider.setdefault(provider, []).append(host.specs()[code])
    digests = plugin_digest.installed_digests()
    plugins = []
    for provider, specs in sorted(by_provider.items()):
        name, _, version = provider.partition("==")
        plugins.append(PluginVersion(
            name=name,
            version=version,
            owner=specs[0].owner,
            digest=digests.get(provider) or plugin_digest.digest("", ()),
            status="",
            indicators=tuple(definition(s, needs_target=not s.generic and bool(host.check_target(s.code, None)))
                             for s in sorted(specs, key=lambda s: s.code)),
            registered_at=None,
        ))
    return plugins


def definition(spec, needs_target: bool) -> IndicatorDefinition:
    """The record of an SDK indicator spec: its fields of the same names, the names of the
    target parameters it declares, and whether it needs a target."""
    overrides = {"needs_target": needs_target, "parameters": tuple(spec.parameter_names), "parameters_declared": True}
    values = {f.name: overrides[f.name] if f.name in overrides else getattr(spec, f.name)
              for f in dataclasses.fields(IndicatorDefinition)}
    return IndicatorDefinition(**{**values, "input_metrics": tuple(values["input_metrics"])})
