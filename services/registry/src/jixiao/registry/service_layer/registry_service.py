"""The registry's use cases as one object, the one the entry points call: the plug-in
catalogue (`plugin_use_cases`), the scheme versions (`scheme_use_cases`) and the feeds'
signing keys (`source_key_use_cases`), over one repository and one clock. Pure of gRPC,
testable against any repository."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ..adapters.repository import RegistryRepository
from .plugin_use_cases import PluginUseCases
from .scheme_use_cases import SchemeUseCases
from .source_key_use_cases import SourceKeyUseCases


def utc_now() -> datetime:
    return datetime.now(UTC)


class RegistryService(PluginUseCases, SchemeUseCases, SourceKeyUseCases):
    def __init__(self, repository: RegistryRepository, clock: Callable[[], datetime] = utc_now):
        self.repository = repository
        self.clock = clock
