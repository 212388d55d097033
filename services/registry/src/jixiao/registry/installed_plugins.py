"""The indicator plug-ins installed in this Python environment, described
as the registry records them (name, version, owner, digest, indicators).

The digest identifies a build (`jixiao.common.plugin_digest`, the rule scoring
checks installed builds with), so that a changed package cannot be registered
again under the same version.
"""
from __future__ import annotations

from jixiao.common import plugin_digest
from jixiao.v1 import registry_pb2 as pb
from jixiao_sdk import IndicatorHost

from .entrypoints.grpc_servicer import definition_message


def installed_plugins() -> list[pb.PluginVersion]:
    host = IndicatorHost.discover(timeout_s=None)
    by_provider: dict[str, list] = {}
    for code, provider in host.plugin_versions().items():
        by_provider.setdefault(provider, []).append(host.specs()[code])
    digests = plugin_digest.installed_digests()
    plugins = []
    for provider, specs in sorted(by_provider.items()):
        name, _, version = provider.partition("==")
        plugins.append(pb.PluginVersion(
            name=name,
            version=version,
            owner=specs[0].owner,
            digest=digests.get(provider) or plugin_digest.digest("", ()),
            indicators=[definition_message(s, needs_target=bool(host.check_target(s.code, None)),
                                           parameters=s.parameter_names, parameters_declared=True)
                        for s in sorted(specs, key=lambda s: s.code)],
        ))
    return plugins
