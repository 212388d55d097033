"""The indicator plug-ins installed in this Python environment, described
as the registry records them (name, version, owner, digest, indicators).

The digest identifies a build: SHA-256 over the distribution's metadata and
the source files of the modules behind its entry points, so that a changed
package cannot be registered again under the same version.
"""
from __future__ import annotations

import hashlib
import importlib.util
from importlib.metadata import entry_points
from pathlib import Path

from jixiao.v1 import registry_pb2 as pb
from jixiao_sdk import ENTRY_POINT_GROUP, IndicatorHost

from .entrypoints.grpc_servicer import definition_message


def installed_plugins() -> list[pb.PluginVersion]:
    host = IndicatorHost.discover(timeout_s=None)
    by_provider: dict[str, list] = {}
    for code, provider in host.plugin_versions().items():
        by_provider.setdefault(provider, []).append(host.specs()[code])
    modules: dict[str, list[str]] = {}
    metadata: dict[str, str] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.dist is None:
            continue
        provider = f"{ep.dist.metadata['Name']}=={ep.dist.version}"
        modules.setdefault(provider, []).append(ep.module)
        metadata[provider] = ep.dist.read_text("METADATA") or ""
    plugins = []
    for provider, specs in sorted(by_provider.items()):
        name, _, version = provider.partition("==")
        plugins.append(pb.PluginVersion(
            name=name,
            version=version,
            owner=specs[0].owner,
            digest=_digest(metadata.get(provider, ""), modules.get(provider, [])),
            indicators=[definition_message(s, needs_target=bool(host.check_target(s.code, None)),
                                           parameters=s.parameter_names, parameters_declared=True)
                        for s in sorted(specs, key=lambda s: s.code)],
        ))
    return plugins


def _digest(metadata: str, modules: list[str]) -> str:
    sha = hashlib.sha256(metadata.encode("utf-8"))
    for module in sorted(set(modules)):
        for path in sorted(_source_files(module)):
            sha.update(str(path.name).encode())
            sha.update(path.read_bytes())
    return "sha256:" + sha.hexdigest()


def _source_files(module: str) -> list[Path]:
    spec = importlib.util.find_spec(module.split(".")[0])
    if spec is None:
        return []
    if spec.submodule_search_locations:
        return [p for location in spec.submodule_search_locations for p in Path(location).rglob("*.py")]
    return [Path(spec.origin)] if spec.origin else []
