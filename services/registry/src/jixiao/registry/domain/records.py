"""What the registry keeps: plug-in versions, scheme versions and the feeds' signing keys."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PLUGIN_STATUSES = ("draft", "approved", "active", "retired")
SCHEME_STATUSES = ("draft", "published")


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    name_zh: str
    name_en: str
    input_metrics: tuple[str, ...]
    min_points: float
    max_points: float
    kind: str
    formula: str
    needs_target: bool = False
    # The target parameters the indicator reads ("points.*" is a family); only
    # meaningful when parameters_declared, which is False for versions
    # registered before plug-ins declared them (their targets are not checked).
    parameters: tuple[str, ...] = ()
    parameters_declared: bool = False
    # "period_alone" or "year_to_date"; "" (read as period_alone) for versions
    # registered before the field existed.
    period_basis: str = ""
    # True for the base of generic indicators (通用指标, e.g. "generic_rate"): it has
    # no input metrics of its own; a scheme configures indicators from it
    # (`indicators[].generic`, formula "rate" → "generic_rate").
    generic: bool = False


@dataclass(frozen=True)
class PluginVersion:
    name: str
    version: str
    owner: str
    digest: str
    status: str
    indicators: tuple[IndicatorDefinition, ...]
    registered_at: datetime


@dataclass(frozen=True)
class PluginEvent:
    """One change of a plug-in version's lifecycle: its registration (status
    "draft", no previous status) or a change of status, by whom, when and why."""

    name: str
    version: str
    status: str
    previous_status: str
    actor: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class SchemeVersion:
    code: str
    version: int
    year: int
    status: str
    digest: str
    author: str
    reason: str
    created_at: datetime
    published_at: datetime | None = None
    # Who published it (the caller's token name) and why; "" while a draft, and for
    # versions published before the registry recorded them.
    published_by: str = ""
    publication_reason: str = ""
    document: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class SourceKey:
    """A data feed's signing key: the public half of an Ed25519 pair, the source it
    signs for ("*": a relay key, for any source), who created it and when, and its
    revocation (who, when, why; revoked_at None while active). Never the private key."""

    key_id: str
    source: str
    public_key: bytes
    created_by: str
    created_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str = ""
    revoked_reason: str = ""
