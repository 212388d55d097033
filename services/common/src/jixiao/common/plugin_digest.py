"""The digest that identifies a plug-in build, computed one way for the
registry (which records it when a version is registered) and for scoring
(which compares the installed build with the recorded one before it lets a
plug-in score).

The digest is SHA-256 over the distribution's METADATA and the source files
of the modules behind its entry points, so that a changed package cannot pass
for an approved version.
"""
from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path

from jixiao_sdk import ENTRY_POINT_GROUP


def installed_digests(group: str = ENTRY_POINT_GROUP) -> dict[str, str]:
    """{"name==version": digest} of every installed distribution with an entry point in `group`."""
    modules: dict[str, list[str]] = {}
    metadata: dict[str, str] = {}
    for ep in entry_points(group=group):
        if ep.dist is None:
            continue
        provider = f"{ep.dist.metadata['Name']}=={ep.dist.version}"
        modules.setdefault(provider, []).append(ep.module)
        metadata[provider] = ep.dist.read_text("METADATA") or ""
    return {provider: digest(metadata[provider], modules[provider]) for provider in sorted(modules)}


def digest(metadata: str, modules: Iterable[str]) -> str:
    """"sha256:…" over a distribution's METADATA text and the source files of `modules`' top-level packages."""
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
