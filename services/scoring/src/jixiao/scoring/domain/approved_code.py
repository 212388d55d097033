"""Only approved code scores: the installed build of each plug-in version the
registry made active must have the digest the registry recorded when that
version was registered (`jixiao.common.plugin_digest` computes both).

A version whose installed build differs still has its indicators in the
scheme, but each of their results is `failed` with UNAPPROVED_REASON and no
points; the plug-in is not called. A version that cannot be checked (the
registry recorded no digest, as an old row may, or the build has no
installed distribution to compute one from) scores as before, and is
reported as unchecked so that the caller can say so.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jixiao_sdk import IndicatorHost, IndicatorInput, IndicatorResult

UNAPPROVED_REASON = "installed code differs from the approved version"
NO_RECORDED_DIGEST = "the registry recorded no digest for it"
NO_INSTALLED_DIGEST = "no installed distribution to compute its digest from"


@dataclass(frozen=True)
class CodeCheck:
    """The outcome for the plug-in versions ("name==version") checked."""

    # version → (approved digest, installed digest), for builds that differ
    unapproved: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # version → why it could not be checked
    unchecked: Mapping[str, str] = field(default_factory=dict)


NOT_CHECKED = CodeCheck()


def check_code(versions: Iterable[str], approved: Mapping[str, str], installed: Mapping[str, str]) -> CodeCheck:
    """Compares each version's installed digest with its approved one."""
    unapproved: dict[str, tuple[str, str]] = {}
    unchecked: dict[str, str] = {}
    for version in sorted(set(versions)):
        wanted, found = (approved.get(version) or "").strip(), (installed.get(version) or "").strip()
        if not wanted:
            unchecked[version] = NO_RECORDED_DIGEST
        elif not found:
            unchecked[version] = NO_INSTALLED_DIGEST
        elif wanted != found:
            unapproved[version] = (wanted, found)
    return CodeCheck(unapproved, unchecked)


class ApprovedCodeOnly:
    """A plug-in host that answers a failed result, without calling the
    plug-in, for the indicators in `refused` (code → "name==version" of the
    unapproved build; a generic indicator configured from an unapproved base is
    refused too); everything else goes to `host`."""

    def __init__(self, host: IndicatorHost, refused: Mapping[str, str]):
        self.host = host
        self.refused = dict(refused)

    def evaluate(self, code: str, inputs: IndicatorInput, **options) -> IndicatorResult:
        if code in self.refused:
            return IndicatorResult.failed(code, UNAPPROVED_REASON, provider=self.refused[code])
        return self.host.evaluate(code, inputs, **options)

    def __getattr__(self, name: str):
        return getattr(self.host, name)
