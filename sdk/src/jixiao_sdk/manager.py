"""Building the plug-in manager: discovery, registration and validation of plug-ins.

:func:`build_plugin_manager` creates a fresh :class:`IndicatorPluginManager` each time it
is called (nothing happens at import time). It discovers plug-ins through the entry-point
group ``jixiao.indicators`` and registers each one only after checking it:

* every function whose name starts with ``jixiao_`` is a known hook and is marked with
  ``@hookimpl`` (a typo such as ``jixiao_indicator_evalute`` is rejected with a
  suggestion); argument names match the hook specification (pluggy checks this);
* ``jixiao_indicator_specs`` returns valid :class:`~jixiao_sdk.IndicatorSpec` objects
  and the plug-in implements ``jixiao_indicator_evaluate``;
* a plug-in declaring a generic indicator (``IndicatorSpec.generic``) implements
  ``jixiao_indicator_configure``;
* indicator codes are unique across plug-ins: the first plug-in in sorted
  ``(distribution, entry point)`` order keeps a code, a later one claiming it is rejected.

In ``strict`` mode a rejected plug-in raises :class:`PluginRejected`; otherwise it is
skipped and recorded in :attr:`IndicatorPluginManager.problems`, so one department's
broken package cannot keep the platform's other indicators from scoring.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import pluggy

from . import hookspecs
from .hookspecs import ENTRY_POINT_GROUP, HOOK_PREFIX, PROJECT
from .model import IndicatorSpec

log = logging.getLogger(__name__)

#: Marks a function as the implementation of a hook: ``@hookimpl def jixiao_indicator_specs()``.
hookimpl = pluggy.HookimplMarker(PROJECT)

HOOK_NAMES: tuple[str, ...] = tuple(
    sorted(name for name in dir(hookspecs) if name.startswith(HOOK_PREFIX))
)


class PluginRejected(Exception):
    """A plug-in failed validation; the message names the plug-in and what is wrong."""


@dataclass(frozen=True)
class LoadProblem:
    """A plug-in that could not be loaded or was rejected, and why."""

    plugin: str
    reason: str


@dataclass(frozen=True)
class PluginRecord:
    """A registered plug-in: its name, provider (``dist==version``) and indicator specs."""

    name: str
    provider: str
    plugin: object
    specs: tuple[IndicatorSpec, ...]


class IndicatorPluginManager:
    """A pluggy :class:`~pluggy.PluginManager` plus the catalogue of validated indicators."""

    def __init__(self, *, strict: bool = True) -> None:
        self.strict = strict
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self._records: dict[str, PluginRecord] = {}
        self._owners: dict[str, PluginRecord] = {}
        self._problems: list[LoadProblem] = []

    @property
    def problems(self) -> tuple[LoadProblem, ...]:
        """Plug-ins skipped in non-strict mode, with reasons, in discovery order."""
        return tuple(self._problems)

    @property
    def records(self) -> tuple[PluginRecord, ...]:
        """Registered plug-ins in registration order."""
        return tuple(self._records.values())

    def specs(self) -> dict[str, IndicatorSpec]:
        """All registered indicator specs by code, sorted by code."""
        return {code: _spec_of(self._owners[code], code) for code in sorted(self._owners)}

    def owner(self, code: str) -> PluginRecord | None:
        """The plug-in that declared indicator *code*, or ``None``."""
        return self._owners.get(code)

    def implementation(self, code: str, hook_name: str) -> Callable[..., Any] | None:
        """A callable running *hook_name* on the plug-in that owns *code* only.

        The callable takes the hook's arguments as keywords and passes on those the
        implementation names. ``None`` when there is no owner or it lacks the hook.
        """
        record = self._owners.get(code)
        if record is None:
            return None
        return _implementation_of(self.pm, record.plugin, hook_name)

    def register(self, plugin: object, *, name: str | None = None,
                 provider: str | None = None) -> PluginRecord | None:
        """Validate and register *plugin*; return its record.

        Without *name*, a module is named after itself and an object after its class
        (``Class-2``, ``Class-3``... for further objects of the same class).

        In strict mode a bad plug-in raises :class:`PluginRejected`; otherwise it is
        recorded as a problem and ``None`` is returned.
        """
        if name is None:
            base = name = _default_name(plugin)
            suffix = 1
            while name in self._records or self.pm.get_plugin(name) is not None:
                suffix += 1
                name = f"{base}-{suffix}"
        try:
            return self._register(plugin, name, provider or _provider_of(plugin, name))
        except PluginRejected as exc:
            if self.strict:
                raise
            log.error("%s", exc)
            self._problems.append(LoadProblem(name, str(exc)))
            return None

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> None:
        """Load and register every plug-in of entry-point *group*, in sorted order."""
        entry_points = sorted(
            metadata.entry_points(group=group),
            key=lambda ep: ((ep.dist.name if ep.dist else ""), ep.name, ep.value),
        )
        seen: set[tuple[str, str]] = set()
        for ep in entry_points:
            if (ep.name, ep.value) in seen:  # the same distribution found twice on sys.path
                continue
            seen.add((ep.name, ep.value))
            dist = f"{ep.dist.name}=={ep.dist.version}" if ep.dist else f"{ep.name} (no distribution)"
            try:
                plugin = ep.load()
            except Exception as exc:  # noqa: BLE001 - any import error of a plug-in is reported
                message = (f"plug-in {ep.name!r} ({dist}): cannot load entry point"
                           f" {ep.value!r}: {type(exc).__name__}: {exc}")
                if self.strict:
                    raise PluginRejected(message) from exc
                log.error("%s", message)
                self._problems.append(LoadProblem(ep.name, message))
                continue
            self.register(plugin, name=ep.name, provider=dist)

    def _register(self, plugin: object, name: str, provider: str) -> PluginRecord:
        label = f"plug-in {name!r} ({provider})"
        if name in self._records or self.pm.get_plugin(name) is not None:
            raise PluginRejected(f"{label}: a plug-in named {name!r} is already registered")
        self._check_hook_names(plugin, label)
        try:
            self.pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            detail = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
            raise PluginRejected(f"{label}: {detail}") from exc
        try:
            specs = self._declared_specs(plugin, label)
        except PluginRejected:
            self.pm.unregister(plugin)
            raise
        record = PluginRecord(name=name, provider=provider, plugin=plugin, specs=specs)
        self._records[name] = record
        for spec in specs:
            self._owners[spec.code] = record
        log.info("registered %s: %s", label, ", ".join(spec.code for spec in specs))
        return record

    def _check_hook_names(self, plugin: object, label: str) -> None:
        for attr in sorted(dir(plugin)):
            value = getattr(plugin, attr, None) if not attr.startswith("__") else None
            if not callable(value) or inspect.isclass(value):
                continue
            is_hook = attr in HOOK_NAMES
            opts = self.pm.parse_hookimpl_opts(plugin, attr)
            if not is_hook and (attr.startswith("jixiao_") or opts is not None):
                close = difflib.get_close_matches(attr, HOOK_NAMES, n=1, cutoff=0.3)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                what = "is marked @hookimpl but" if opts is not None else "starts with 'jixiao_' but"
                raise PluginRejected(f"{label}: {attr!r} {what} is not a hook of jixiao-sdk{hint}"
                                     f" (hooks: {', '.join(HOOK_NAMES)})")
            if not is_hook:
                continue
            if opts is None:
                raise PluginRejected(f"{label}: {attr!r} is not marked with @hookimpl")
            if opts.get("hookwrapper") or opts.get("wrapper"):
                raise PluginRejected(f"{label}: {attr!r}: hook wrappers are not supported")
            if opts.get("specname"):
                raise PluginRejected(f"{label}: {attr!r}: specname= is not supported")

    def _declared_specs(self, plugin: object, label: str) -> tuple[IndicatorSpec, ...]:
        declare = _implementation_of(self.pm, plugin, "jixiao_indicator_specs")
        if declare is None:
            raise PluginRejected(f"{label}: implements no 'jixiao_indicator_specs' hook")
        if _implementation_of(self.pm, plugin, "jixiao_indicator_evaluate") is None:
            raise PluginRejected(f"{label}: implements no 'jixiao_indicator_evaluate' hook")
        try:
            declared = declare()
        except Exception as exc:  # noqa: BLE001 - reported with the plug-in's name
            raise PluginRejected(
                f"{label}: jixiao_indicator_specs raised {type(exc).__name__}: {exc}"
            ) from exc
        if isinstance(declared, IndicatorSpec) or not isinstance(declared, (list, tuple)):
            raise PluginRejected(
                f"{label}: jixiao_indicator_specs must return a list of IndicatorSpec,"
                f" got {type(declared).__name__}"
            )
        if not declared:
            raise PluginRejected(f"{label}: jixiao_indicator_specs returned no indicators")
        codes: set[str] = set()
        if any(isinstance(spec, IndicatorSpec) and spec.generic for spec in declared) \
                and _implementation_of(self.pm, plugin, "jixiao_indicator_configure") is None:
            raise PluginRejected(f"{label}: declares a generic indicator but implements no"
                                 " 'jixiao_indicator_configure' hook")
        for spec in declared:
            if not isinstance(spec, IndicatorSpec):
                raise PluginRejected(
                    f"{label}: jixiao_indicator_specs returned {spec!r}, not an IndicatorSpec"
                )
            if spec.code in codes:
                raise PluginRejected(f"{label}: declares indicator {spec.code!r} twice")
            codes.add(spec.code)
            taken = self._owners.get(spec.code)
            if taken is not None:
                raise PluginRejected(
                    f"{label}: indicator code {spec.code!r} is already provided by"
                    f" plug-in {taken.name!r} ({taken.provider}); codes must be unique"
                )
        return tuple(declared)


def build_plugin_manager(plugins: Iterable[object] = (), *, discover: bool = True,
                         strict: bool = True,
                         group: str = ENTRY_POINT_GROUP) -> IndicatorPluginManager:
    """Create a plug-in manager, register *plugins*, then (if *discover*) installed ones.

    *plugins* are modules or objects carrying hook implementations (handy in tests);
    discovered plug-ins come from entry-point *group*. See the module docstring for the
    checks and for what *strict* changes.
    """
    manager = IndicatorPluginManager(strict=strict)
    for plugin in plugins:
        manager.register(plugin)
    if discover:
        manager.load_entry_points(group)
    return manager


def _spec_of(record: PluginRecord, code: str) -> IndicatorSpec:
    return next(spec for spec in record.specs if spec.code == code)


def _implementation_of(pm: pluggy.PluginManager, plugin: object,
                       hook_name: str) -> Callable[..., Any] | None:
    caller = getattr(pm.hook, hook_name)
    for impl in caller.get_hookimpls():
        if impl.plugin is plugin:
            function, argnames = impl.function, impl.argnames

            def call(**kwargs: Any) -> Any:
                return function(*(kwargs[arg] for arg in argnames))

            return call
    return None


def _default_name(plugin: object) -> str:
    if inspect.ismodule(plugin):
        return plugin.__name__
    return getattr(plugin, "__name__", None) or type(plugin).__qualname__


@functools.cache
def _packages_distributions() -> dict[str, list[str]]:
    """Top-level module -> distributions, computed once per process (it scans every dist)."""
    return metadata.packages_distributions()


def _provider_of(plugin: object, name: str) -> str:
    """``dist==version`` of the installed distribution that ships *plugin*, if any."""
    module = plugin.__name__ if inspect.ismodule(plugin) else getattr(plugin, "__module__", "")
    top = (module or "").split(".")[0]
    for dist_name in _packages_distributions().get(top, []):
        try:
            return f"{dist_name}=={metadata.version(dist_name)}"
        except metadata.PackageNotFoundError:
            continue
    return f"{name} (not installed)"
