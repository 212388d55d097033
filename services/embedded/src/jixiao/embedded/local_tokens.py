"""Tokens for the platform on one machine: made on first start, kept in the
data directory (hashes in tokens.yaml for the services, the tokens
themselves in tokens.secret.yaml, readable only by their owner)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from jixiao.common.tokens_cli import append


@dataclass(frozen=True)
class LocalTokens:
    file: Path
    secrets: Path
    office: str
    service: str


def local_tokens(data: Path) -> LocalTokens:
    file, secrets = data / "tokens.yaml", data / "tokens.secret.yaml"
    if not (file.exists() and secrets.exists()):
        file.unlink(missing_ok=True)
        plain = {
            "office": append(file, "考核办 evaluation office (local)", "office", ""),
            "services": append(file, "services (local)", "reader", ""),
        }
        secrets.write_text(yaml.safe_dump(plain), encoding="utf-8")
        secrets.chmod(0o600)
    plain = yaml.safe_load(secrets.read_text(encoding="utf-8"))
    return LocalTokens(file, secrets, plain["office"], plain["services"])
