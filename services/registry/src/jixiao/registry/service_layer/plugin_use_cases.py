"""Use cases of the plug-in catalogue: register a version (a draft), list and find versions,
move one along its lifecycle (`domain.plugin_lifecycle`) and read its history."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jixiao.common.auth import Principal
from jixiao.common.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied

from ..adapters.repository import RegistryRepository
from ..domain import plugin_lifecycle as lifecycle
from ..domain.records import PLUGIN_STATUSES, PluginEvent, PluginVersion
from .audit import SYSTEM, check_reason


class PluginUseCases:
    """Part of `registry_service.RegistryService`, which gives it the repository and the clock."""

    repository: RegistryRepository
    clock: Callable[[], datetime]

    def register_plugin(self, plugin: PluginVersion, by: Principal = SYSTEM, reason: str = "") -> PluginVersion:
        """Records a new version as a draft, with who registered it, when and why."""
        check_reason(reason)
        for field in ("name", "version", "owner", "digest"):
            if not getattr(plugin, field).strip():
                raise InvalidArgument(f"plugin.{field}", "is required")
        if by.role == "department" and plugin.owner != by.subject:
            raise PermissionDenied(f"department {by.subject!r} may register only its own plug-ins, not those owned by {plugin.owner!r}")
        if not plugin.indicators:
            raise InvalidArgument("plugin.indicators", "a plug-in provides at least one indicator")
        for i, indicator in enumerate(plugin.indicators):
            problem = lifecycle.definition_problem(indicator)
            if problem:
                raise InvalidArgument(f"plugin.indicators[{i}].{problem[0]}", problem[1])
        existing = self.repository.get_plugin(plugin.name, plugin.version)
        if existing:
            if existing.digest != plugin.digest:
                raise AlreadyExists(
                    f"{plugin.name} {plugin.version} is registered with digest {existing.digest}; "
                    "a changed package needs a new version number"
                )
            return existing
        stored = PluginVersion(**{**plugin.__dict__, "status": "draft", "registered_at": self.clock()})
        self.repository.add_plugin(stored, PluginEvent(stored.name, stored.version, "draft", "", by.name, reason,
                                                       stored.registered_at))
        return stored

    def list_plugins(self, status: str = "", query: str = "") -> list[PluginVersion]:
        if status and status not in PLUGIN_STATUSES:
            raise InvalidArgument("status", f"must be one of {', '.join(PLUGIN_STATUSES)}")
        found = self.repository.list_plugins(status)
        return [p for p in found if lifecycle.matches(p, query)] if query else found

    def get_plugin(self, name: str, version: str) -> PluginVersion:
        for field, value in (("name", name), ("version", version)):
            if not value:
                raise InvalidArgument(field, "is required")
        plugin = self.repository.get_plugin(name, version)
        if plugin is None:
            raise NotFound(f"plug-in {name} {version} is not registered")
        return plugin

    def set_plugin_status(self, name: str, version: str, status: str, reason: str = "",
                          by: Principal = SYSTEM) -> tuple[PluginVersion, list[PluginVersion]]:
        """Moves a version along its lifecycle, recording who, when and why;
        returns it and the versions its activation retired."""
        check_reason(reason)
        plugin = self.get_plugin(name, version)
        problem = lifecycle.transition_problem(plugin.status, status)
        if problem:
            raise (InvalidArgument("status", problem) if status not in lifecycle.ALLOWED_FROM else FailedPrecondition(problem))
        retired = lifecycle.displaced_by(plugin, self.repository.list_plugins("active")) if status == "active" else []
        at = self.clock()
        because = f"{name} {version} became active, providing the same indicators" + (f": {reason}" if reason else "")
        self.repository.set_plugin_status(
            ([PluginEvent(name, version, status, plugin.status, by.name, reason, at)] if status != plugin.status else [])
            + [PluginEvent(p.name, p.version, "retired", p.status, by.name, because, at) for p in retired])
        return self.get_plugin(name, version), [self.get_plugin(p.name, p.version) for p in retired]

    def plugin_history(self, name: str, version: str) -> list[PluginEvent]:
        """Who registered the version and changed its status, when and why, oldest first
        (empty for what happened before the registry recorded it)."""
        self.get_plugin(name, version)
        return self.repository.plugin_history(name, version)

    def active_indicators(self) -> set[str]:
        return {i.code for p in self.repository.list_plugins("active") for i in p.indicators}
