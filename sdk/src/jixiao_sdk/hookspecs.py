"""Hook specifications: the whole contract between the platform and an indicator plug-in.

A plug-in is any module or object with functions named like the hooks below and marked
with :data:`jixiao_sdk.hookimpl`. It is found through the entry-point group
``jixiao.indicators`` (see :mod:`jixiao_sdk.manager`).

Dispatch: ``jixiao_indicator_specs`` is called on every plug-in and all results are
collected. The other hooks are about one indicator; the host calls them *only on the
plug-in that declared that indicator's code*, so a plug-in never sees (and cannot break)
another plug-in's indicators. Those hooks are ``firstresult``: the first non-``None``
result is the answer.

Generic indicators: a plug-in may declare *generic* bases (``IndicatorSpec.generic``) that
an evaluation office configures in its scheme without code; ``jixiao_indicator_configure``
turns the scheme's settings into a configured spec, which the host then evaluates with
the same plug-in's ``jixiao_indicator_evaluate`` (see :meth:`IndicatorHost.configure
<jixiao_sdk.IndicatorHost.configure>`).

A plug-in may implement any subset of a hook's arguments (pluggy passes only the ones its
function names); misspelled hook or argument names are rejected at registration.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pluggy

from .model import IndicatorInput, IndicatorResult, IndicatorSpec, Target

#: The pluggy project name; hooks and markers belong to it.
PROJECT = "jixiao"
#: The entry-point group plug-in packages register under.
ENTRY_POINT_GROUP = "jixiao.indicators"
#: Every hook name starts with this prefix; other names starting with it are typos.
HOOK_PREFIX = "jixiao_indicator_"

hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    """Declare the indicators this plug-in provides.

    Receives: nothing.

    Returns: a list (or tuple) of :class:`~jixiao_sdk.IndicatorSpec`, at least one.
    Codes must be unique across all installed plug-ins; a plug-in whose code is already
    taken is rejected with a message naming both plug-ins.

    First result wins: no. Called once per plug-in when the host is built; results of all
    plug-ins are collected.
    """


@hookspec(firstresult=True)
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult | None:
    """Score one unit (or person) for one period on one indicator.

    Receives: ``spec``, the :class:`~jixiao_sdk.IndicatorSpec` this plug-in declared for
    ``inputs.indicator_code``; ``inputs``, an :class:`~jixiao_sdk.IndicatorInput` whose
    observations are only those of ``spec.input_metrics``, sorted by
    ``(metric_code, period, event_id)``.

    Returns: an :class:`~jixiao_sdk.IndicatorResult` for ``spec.code``. Return
    ``IndicatorResult.failed(code, reason)`` when the inputs do not allow a score (e.g. no
    target). The host validates the result: points finite and within
    ``[spec.min_points, spec.max_points]``, evidence ids among the input event ids, a veto
    only from a ``veto`` indicator. Anything else - an exception, a wrong type, an
    invalid field, running past the time limit - becomes a ``failed`` result with the
    reason; other indicators keep scoring. The result must depend on the arguments only
    (same inputs, identical result, including the explanation text).

    First result wins: yes (``firstresult``); only the declaring plug-in is called.
    """


@hookspec(firstresult=True)
def jixiao_indicator_check_target(spec: IndicatorSpec, target: Target | None) -> list[str] | None:
    """Check a target before the evaluation office publishes it (optional hook).

    Receives: ``spec``, the declared :class:`~jixiao_sdk.IndicatorSpec`; ``target``, the
    :class:`~jixiao_sdk.Target` about to be published (or ``None`` when there is none).

    Returns: a list of problems as sentences (empty when the target is usable), or
    ``None`` to accept it without comment. Lets a wrong target (missing plan figure,
    negative weight) be caught at year start rather than at scoring. A parameter the spec
    does not declare (``IndicatorSpec.parameters``) need not be checked here: the host
    reports it before this hook's problems.

    First result wins: yes (``firstresult``); only the declaring plug-in is called.
    """


@hookspec(firstresult=True)
def jixiao_indicator_configure(spec: IndicatorSpec, code: str, name_zh: str, name_en: str,
                               settings: Mapping[str, Any]) -> IndicatorSpec | None:
    """Configure a generic indicator from a scheme's settings (optional hook; since 0.4).

    Receives: ``spec``, the generic base :class:`~jixiao_sdk.IndicatorSpec` this plug-in
    declared (``spec.generic`` is true, e.g. ``generic_rate``); ``code``, ``name_zh`` and
    ``name_en``, the indicator as the evaluation office's scheme names it (e.g.
    ``on_time_rate``, 按时办结率); ``settings``, the scheme's ``generic`` block, deep-frozen
    (:class:`~jixiao_sdk.FrozenMap`, tuples), ``formula`` included.

    Returns: the configured :class:`~jixiao_sdk.IndicatorSpec`: ``code``, ``name_zh`` and
    ``name_en`` as received, ``generic=False``, ``settings`` equal to those received, and
    the input metrics, kind, points range, direction, roll-up, period basis (and
    ``needs_peers``) the settings imply. Raise :class:`ValueError` naming the setting
    when the settings are unusable (``"numerator: required"``,
    ``"cap: must be > 0, got -1"``); the host reports it as
    ``"<code> (<base code>): <message>"``. Later, the host evaluates ``code`` by calling
    this plug-in's ``jixiao_indicator_evaluate`` with the configured spec, and its
    ``jixiao_indicator_check_target`` with it too.

    First result wins: yes (``firstresult``); only the plug-in declaring the base is
    called, and only for a base declared ``generic``.
    """
