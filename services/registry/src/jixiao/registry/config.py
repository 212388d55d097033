"""Registry settings, read only from environment variables (see README)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jixiao.common.config import database_url, env_port, env_str, tokens_file


@dataclass(frozen=True)
class RegistryConfig:
    host: str
    port: int
    database_url: str
    tokens_file: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> RegistryConfig:
        return cls(
            host=env_str(environ, "JIXIAO_BIND_HOST", "127.0.0.1"),
            port=env_port(environ, "JIXIAO_REGISTRY_PORT", 50051),
            database_url=database_url(environ, "JIXIAO_REGISTRY_DATABASE_URL", "registry.db"),
            tokens_file=tokens_file(environ),
        )
