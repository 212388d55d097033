"""The host facade the scoring service (and the testing kit) use to run indicator plug-ins.

>>> host = IndicatorHost.discover(timeout_s=2.0)        # doctest: +SKIP
>>> host.specs()["investment_completion"].name_en         # doctest: +SKIP
'Investment completion'
>>> host.evaluate("investment_completion", inputs)        # doctest: +SKIP
IndicatorResult(indicator_code='investment_completion', status='ok', ...)

:meth:`IndicatorHost.evaluate` never raises. It isolates every call: a plug-in that
raises, returns something that is not a valid result, or runs past the per-call time limit
gives a ``failed`` result whose ``reason`` names the plug-in and the problem, and every
other indicator keeps scoring.

Time limits run each call on a pool of reused worker threads. Python cannot kill a
thread, so a call that timed out keeps running in the background and its late answer is
discarded; once a plug-in has :data:`MAX_STUCK_CALLS` such calls still running, further
calls to it fail at once instead of piling up.

Generic indicators (通用指标): :meth:`IndicatorHost.configure` turns a scheme's settings
into a configured indicator through the base plug-in's ``jixiao_indicator_configure``;
the host then evaluates (and checks targets of) the configured code with the base
plug-in's hooks and the configured spec::

    spec = host.configure("generic_rate", "on_time_rate", "按时办结率", "On-time rate",
                          {"formula": "rate", "numerator": "cases_on_time",
                           "denominator": "cases_received", "target": 0.95})
    host.evaluate("on_time_rate", inputs)
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from .hookspecs import ENTRY_POINT_GROUP
from .manager import IndicatorPluginManager, LoadProblem, PluginRecord, build_plugin_manager
from .model import (
    FrozenMap, IndicatorInput, IndicatorResult, IndicatorSpec, Observation, Target, freeze,
    undeclared_parameters,
)

log = logging.getLogger(__name__)

#: Calls of one plug-in that may still run after timing out before it is refused.
MAX_STUCK_CALLS = 4


@dataclasses.dataclass(frozen=True)
class Evaluation:
    """A result plus diagnostics: the exception behind a failure and the call's duration."""

    result: IndicatorResult
    error: BaseException | None
    elapsed_s: float


class _Failure(Exception):
    """Internal: a reason for a failed result, with the exception behind it if any."""

    def __init__(self, reason: str, error: BaseException | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error


class IndicatorHost:
    """Runs indicator plug-ins safely: discovery, catalogue and isolated evaluation."""

    def __init__(self, manager: IndicatorPluginManager, *, timeout_s: float | None = 2.0) -> None:
        """Wrap *manager*; ``timeout_s=None`` calls plug-ins inline without a time limit."""
        if timeout_s is not None and not (math.isfinite(timeout_s) and timeout_s > 0):
            raise ValueError(f"timeout_s must be a positive number or None, got {timeout_s!r}")
        self.manager = manager
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._stuck: Counter[str] = Counter()
        # Configured generic indicators: code -> (base code, spec) of the latest configure(),
        # and every configured spec ever returned (a code may be configured differently
        # by several schemes; evaluate(..., spec=) picks one).
        self._configured: dict[str, tuple[str, IndicatorSpec]] = {}
        self._configured_specs: dict[IndicatorSpec, str] = {}
        # Reused worker threads: starting a thread per call cost more than
        # most plug-ins' own work. Calls past their time limit keep a worker
        # busy until they end, hence room for every plug-in's stuck calls.
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=MAX_STUCK_CALLS * 8 + 4, thread_name_prefix="jixiao-plugin")

    @classmethod
    def discover(cls, *, timeout_s: float | None = 2.0, strict: bool = False,
                 group: str = ENTRY_POINT_GROUP) -> IndicatorHost:
        """Build a host from the installed plug-ins of entry-point *group*.

        With ``strict=False`` (the default) a plug-in that cannot be loaded or is invalid
        is skipped and listed by :meth:`problems`; with ``strict=True`` it raises
        :class:`~jixiao_sdk.PluginRejected`.
        """
        return cls(build_plugin_manager(discover=True, strict=strict, group=group),
                   timeout_s=timeout_s)

    @classmethod
    def from_plugins(cls, plugins: Iterable[object], *, timeout_s: float | None = 2.0,
                     strict: bool = True) -> IndicatorHost:
        """Build a host from the given plug-in modules or objects only (no discovery)."""
        return cls(build_plugin_manager(plugins, discover=False, strict=strict),
                   timeout_s=timeout_s)

    def specs(self) -> dict[str, IndicatorSpec]:
        """Indicator specs by code, sorted by code."""
        return self.manager.specs()

    def configured(self) -> dict[str, IndicatorSpec]:
        """Configured generic indicators by code (the latest configuration of each), sorted."""
        with self._lock:
            return {code: spec for code, (_, spec) in sorted(self._configured.items())}

    def spec(self, code: str) -> IndicatorSpec | None:
        """The declared or (latest) configured spec of *code*, or ``None``."""
        declared = self.manager.specs().get(code)
        if declared is not None:
            return declared
        with self._lock:
            found = self._configured.get(code)
        return found[1] if found else None

    def base_of(self, code: str) -> str | None:
        """The generic base code a configured *code* was configured from, or ``None``."""
        with self._lock:
            found = self._configured.get(code)
        return found[0] if found else None

    def configure(self, base_code: str, code: str, name_zh: str, name_en: str,
                  settings: Any) -> IndicatorSpec:
        """Configure generic indicator *code* from the base *base_code* and *settings* (a
        scheme's ``generic`` block); return the configured spec and remember it, so that
        :meth:`evaluate` and :meth:`check_target` accept *code*.

        Calls ``jixiao_indicator_configure`` on the plug-in declaring *base_code* only, then
        checks what it returned: an :class:`~jixiao_sdk.IndicatorSpec` with *code*, *name_zh*
        and *name_en* as asked, not generic, with ``settings`` equal to *settings* (frozen).
        Configuring a code again replaces its configuration (a new scheme version).

        Raises :class:`ValueError` (never anything else for bad input) naming *code* and
        *base_code*: the base is unknown or not generic, *code* is an installed plug-in's
        own code, the settings are unusable (the plug-in's message names the setting), or
        the plug-in returned something invalid.
        """
        where = f"indicator {code!r} ({base_code})"
        record = self.manager.owner(base_code) if isinstance(base_code, str) else None
        if record is None:
            generic = sorted(c for c, s in self.manager.specs().items() if s.generic)
            raise ValueError(f"{where}: no installed plug-in provides the generic indicator"
                             f" {base_code!r} (generic indicators here: {', '.join(generic) or 'none'})")
        base = self.manager.specs()[base_code]
        if not base.generic:
            raise ValueError(f"{where}: {base_code!r} is not a generic indicator; it cannot be"
                             " configured")
        if not isinstance(code, str) or self.manager.owner(code) is not None:
            raise ValueError(f"{where}: the code {code!r} is an installed plug-in's own indicator;"
                             " a configured indicator needs a code of its own")
        try:
            frozen = freeze(settings, "settings")
        except TypeError as exc:
            raise ValueError(f"{where}: {exc}") from None
        if not isinstance(frozen, FrozenMap):
            raise ValueError(f"{where}: settings must be a mapping, got {settings!r}")
        label = f"plug-in {record.name!r} ({record.provider})"
        call = self.manager.implementation(base_code, "jixiao_indicator_configure")
        if call is None:  # the manager refuses such a plug-in; kept for hand-built managers
            raise ValueError(f"{where}: {label} implements no jixiao_indicator_configure")
        try:
            returned = self._call(record, call, {"spec": base, "code": code, "name_zh": name_zh,
                                                 "name_en": name_en, "settings": frozen})
        except _Failure as failure:
            if isinstance(failure.error, (ValueError, TypeError)):
                raise ValueError(f"{where}: {failure.error}") from failure.error
            raise ValueError(f"{where}: {failure.reason}") from failure.error
        if not isinstance(returned, IndicatorSpec):
            raise ValueError(f"{where}: {label} jixiao_indicator_configure must return an"
                             f" IndicatorSpec, got {type(returned).__name__}")
        expected = {"code": code, "name_zh": name_zh, "name_en": name_en, "settings": frozen,
                    "generic": False}
        for field_name, wanted in expected.items():
            got = getattr(returned, field_name)
            if got != wanted:
                raise ValueError(f"{where}: {label} returned a spec whose {field_name} is"
                                 f" {got!r}, expected {wanted!r}")
        if not returned.input_metrics:
            raise ValueError(f"{where}: {label} returned a spec without input metrics")
        with self._lock:
            self._configured[code] = (base_code, returned)
            self._configured_specs[returned] = base_code
        return returned

    def plugin_versions(self) -> dict[str, str]:
        """Indicator code -> ``"dist-name==version"`` of the plug-in that provides it."""
        return {code: self.manager.owner(code).provider for code in self.manager.specs()}

    def problems(self) -> tuple[LoadProblem, ...]:
        """Plug-ins that were skipped at discovery, with the reason for each."""
        return self.manager.problems

    def evaluate(self, code: str, inputs: IndicatorInput, *,
                 spec: IndicatorSpec | None = None) -> IndicatorResult:
        """Score *inputs* on indicator *code*. Never raises: failures are ``failed`` results.

        *code* is a declared indicator or a configured generic one (:meth:`configure`);
        *spec* picks one configuration of a configured code among several this host has
        returned (one per scheme, say); by default the latest.
        """
        return self.evaluate_detailed(code, inputs, spec=spec).result

    def evaluate_detailed(self, code: str, inputs: IndicatorInput, *,
                          spec: IndicatorSpec | None = None) -> Evaluation:
        """Like :meth:`evaluate`, plus the exception behind a failure and the duration."""
        started = time.perf_counter()
        record, base_code, provider = None, None, ""
        try:
            record, base_code, spec = self._resolve(code, spec)
            provider = record.provider
            result = self._evaluate(code, record, inputs, spec, base_code)
            error = None
        except _Failure as failure:
            result = IndicatorResult.failed(str(code) or "?", failure.reason, provider=provider)
            error = failure.error
            level = logging.WARNING if error is not None else logging.INFO
            log.log(level, "indicator %s failed: %s", code, failure.reason, exc_info=error)
        return Evaluation(result=result, error=error, elapsed_s=time.perf_counter() - started)

    def check_target(self, code: str, target: Target | None) -> tuple[str, ...]:
        """Problems with *target* for indicator *code* (empty if none). Never raises.

        First every parameter of the target that the spec does not declare
        (``IndicatorSpec.parameters``), then what the owning plug-in's
        ``jixiao_indicator_check_target`` says.
        """
        try:
            record, base_code, spec = self._resolve(code, None)
        except _Failure as failure:
            return (failure.reason,)
        unknown = unknown_parameter_problems(spec, target)
        call = self.manager.implementation(base_code, "jixiao_indicator_check_target")
        if call is None:
            return unknown
        label = f"plug-in {record.name!r} ({record.provider})"
        try:
            problems = self._call(record, call, {"spec": spec, "target": target})
        except _Failure as failure:
            return (*unknown, failure.reason)
        if problems is None:
            return unknown
        if not isinstance(problems, (list, tuple)) or not all(isinstance(p, str) for p in problems):
            return (*unknown, f"{label}: jixiao_indicator_check_target must return a list of str,"
                              f" got {problems!r}")
        return (*unknown, *problems)

    def _resolve(self, code: str, spec: IndicatorSpec | None
                 ) -> tuple[PluginRecord, str, IndicatorSpec]:
        """``(plug-in, code of the hooks' owner, spec)`` for evaluating *code*."""
        record = self.manager.owner(code) if isinstance(code, str) else None
        if record is not None:
            declared = self.manager.specs()[code]
            if declared.generic:
                raise _Failure(f"{code!r} is a generic indicator: configure it from a scheme's"
                               f" settings first (IndicatorHost.configure), then evaluate the"
                               f" configured code")
            if spec is not None and spec != declared:
                raise _Failure(f"spec given for {code!r} is not the spec its plug-in declared")
            return record, code, declared
        with self._lock:
            found = self._configured.get(code) if isinstance(code, str) else None
            if spec is not None:
                base = self._configured_specs.get(spec)
                if base is None or spec.code != code:
                    raise _Failure(f"spec given for {code!r} was not configured by this host"
                                   f" (IndicatorHost.configure)")
                found = (base, spec)
        if found is None:
            raise _Failure(self._unknown(code))
        base_code, configured = found
        owner = self.manager.owner(base_code)
        if owner is None:  # pragma: no cover - bases cannot be unregistered
            raise _Failure(self._unknown(base_code))
        return owner, base_code, configured

    def _evaluate(self, code: str, record: PluginRecord, inputs: IndicatorInput,
                  spec: IndicatorSpec, hooks_of: str) -> IndicatorResult:
        label = f"plug-in {record.name!r} ({record.provider})"
        if not isinstance(inputs, IndicatorInput):
            raise _Failure(f"inputs must be an IndicatorInput, got {type(inputs).__name__}")
        if inputs.indicator_code != code:
            raise _Failure(f"inputs are for indicator {inputs.indicator_code!r}, not {code!r}")
        if not spec.applies_to(inputs.unit_category):
            raise _Failure(
                f"indicator {code!r} does not apply to unit category {inputs.unit_category!r}"
                f" (applies to: {', '.join(spec.categories)})"
            )
        prepared = _prepare(spec, inputs)
        call = self.manager.implementation(hooks_of, "jixiao_indicator_evaluate")
        returned = self._call(record, call, {"spec": spec, "inputs": prepared})
        try:
            result = _validated(spec, prepared, returned)
        except (TypeError, ValueError) as exc:
            raise _Failure(f"{label} returned an invalid result: {exc}", exc) from exc
        return dataclasses.replace(result, provider=record.provider)

    def _call(self, record: PluginRecord, call: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
        """Run *call* with the time limit; turn exceptions and timeouts into :class:`_Failure`."""
        label = f"plug-in {record.name!r} ({record.provider})"
        if self.timeout_s is None:
            try:
                return call(**kwargs)
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - isolation is the point
                raise _Failure(f"{label} raised {type(exc).__name__}: {exc}", exc) from exc
        with self._lock:
            if self._stuck[record.name] >= MAX_STUCK_CALLS:
                raise _Failure(f"{label} refused: {self._stuck[record.name]} earlier calls"
                               f" are still running after the {self.timeout_s:g} s time limit")
        future = self._pool.submit(call, **kwargs)
        try:
            return future.result(timeout=self.timeout_s)
        except concurrent.futures.TimeoutError:
            with self._lock:
                still_running = not future.done()
                if still_running:
                    self._stuck[record.name] += 1
            if still_running:
                # Outside the lock: the callback runs at once if the call has just ended.
                future.add_done_callback(lambda _: self._release(record.name))
            raise _Failure(f"{label} timed out after {self.timeout_s:g} s") from None
        except BaseException as exc:  # noqa: BLE001 - isolation is the point
            raise _Failure(f"{label} raised {type(exc).__name__}: {exc}", exc) from exc

    def _release(self, name: str) -> None:
        with self._lock:
            self._stuck[name] -= 1

    def _unknown(self, code: object) -> str:
        message = f"no installed plug-in provides indicator {code!r}"
        if self.manager.problems:
            names = ", ".join(p.plugin for p in self.manager.problems)
            message += f"; plug-ins skipped at discovery: {names} (see IndicatorHost.problems())"
        return message


def unknown_parameter_problems(spec: IndicatorSpec, target: Target | None) -> tuple[str, ...]:
    """One sentence per parameter of *target* that *spec* does not declare, in name order:
    ``unknown target parameter 'on_time_rate'; complaint_handling reads on_time_target, ...``."""
    if target is None:
        return ()
    names = undeclared_parameters(spec.parameter_names, target.params)
    reads = (f"reads {', '.join(spec.parameter_names)}" if spec.parameters
             else "reads no target parameters")
    return tuple(f"unknown target parameter {name!r}; {spec.code} {reads}" for name in names)


def _prepare(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorInput:
    """Keep only the spec's input metrics, sorted (the peers' too, and none for a spec that
    does not ask for peers); refuse duplicate event ids and a year-to-date span for an
    indicator measured period by period."""
    if inputs.as_of_period and spec.period_basis != "year_to_date":
        raise _Failure(f"inputs are year to date (as of {inputs.as_of_period}) but indicator"
                       f" {spec.code!r} has period_basis {spec.period_basis!r}")
    peers = FrozenMap({unit: own for unit, items in inputs.peers.items()
                       if (own := _own(spec, items, f"peers[{unit!r}]"))}) \
        if spec.needs_peers else FrozenMap()
    return dataclasses.replace(inputs, observations=_own(spec, inputs.observations, "inputs"),
                               baseline=_own(spec, inputs.baseline, "baseline"), peers=peers)


def _own(spec: IndicatorSpec, observations: Iterable[Observation], what: str
         ) -> tuple[Observation, ...]:
    """The observations of the spec's input metrics, sorted; each event id once."""
    wanted = set(spec.input_metrics)
    kept = sorted(
        (obs for obs in observations if obs.metric_code in wanted),
        key=lambda obs: (obs.metric_code, obs.period, obs.event_id),
    )
    counts = Counter(obs.event_id for obs in kept)
    duplicates = sorted(event_id for event_id, n in counts.items() if n > 1)
    if duplicates:
        raise _Failure(f"{what} repeat event ids {', '.join(duplicates[:5])}"
                       f"{' ...' if len(duplicates) > 5 else ''}; each event must count once")
    return tuple(kept)


def _validated(spec: IndicatorSpec, inputs: IndicatorInput, returned: Any) -> IndicatorResult:
    """Check a plug-in's return value against the spec and the inputs."""
    if returned is None:
        raise ValueError("got None (did the hook forget to return its result?)")
    if not isinstance(returned, IndicatorResult):
        raise TypeError(f"expected an IndicatorResult, got {type(returned).__name__}")
    if returned.indicator_code != spec.code:
        raise ValueError(f"indicator_code is {returned.indicator_code!r}, expected {spec.code!r}")
    if returned.status == "failed":
        return IndicatorResult.failed(spec.code, returned.reason)
    if not spec.min_points <= returned.points <= spec.max_points:
        raise ValueError(f"points {returned.points!r} outside [{spec.min_points:g},"
                         f" {spec.max_points:g}]")
    if not returned.explanation.strip():
        raise ValueError("explanation is empty; every score must explain itself")
    known = {obs.event_id for obs in inputs.observations}
    unknown = sorted(set(returned.evidence) - known)
    if unknown:
        raise ValueError(f"evidence ids not among the inputs: {', '.join(unknown[:5])}")
    if returned.veto is not None and spec.kind != "veto":
        raise ValueError(f"a {spec.kind!r} indicator may not return a veto")
    return returned
