"""Jixiao (绩效) indicator SDK: write, test and ship performance indicators as plug-ins.

A plug-in declares :class:`IndicatorSpec` objects and scores :class:`IndicatorInput`
into :class:`IndicatorResult` through the hooks in :mod:`jixiao_sdk.hookspecs`, marked
with :data:`hookimpl`. The platform runs plug-ins through :class:`IndicatorHost`;
departments test theirs offline with :mod:`jixiao_sdk.testing`.
"""

from .host import Evaluation, IndicatorHost
from .hookspecs import ENTRY_POINT_GROUP
from .manager import (
    IndicatorPluginManager,
    LoadProblem,
    PluginRejected,
    build_plugin_manager,
    hookimpl,
)
from .model import (
    FrozenMap,
    IndicatorInput,
    IndicatorResult,
    IndicatorSpec,
    Milestone,
    Observation,
    Target,
    TargetParameter,
    Veto,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "Evaluation",
    "FrozenMap",
    "IndicatorHost",
    "IndicatorInput",
    "IndicatorPluginManager",
    "IndicatorResult",
    "IndicatorSpec",
    "LoadProblem",
    "Milestone",
    "Observation",
    "PluginRejected",
    "Target",
    "TargetParameter",
    "Veto",
    "build_plugin_manager",
    "hookimpl",
]
