"""Tokens for the platform on one machine: made on first start, kept in the
data directory (hashes in tokens.yaml for the services, the tokens
themselves in tokens.secret.yaml, readable only by their owner)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from jixiao.common.tokens_cli import append
from jixiao.demo.catalog import ASSESSORS


@dataclass(frozen=True)
class LocalTokens:
    file: Path
    secrets: Path
    office: str
    service: str
    ballot_box: str  # the gateway's, to cast democratic evaluation ballots (docs/ballots.md)


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
    if "ballot_box" not in plain:  # a data directory made before ballots existed
        plain["ballot_box"] = append(file, "gateway ballot box (local)", "ballot_box", "")
        secrets.write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
        secrets.chmod(0o600)
    return LocalTokens(file, secrets, plain["office"], plain["services"], plain["ballot_box"])


#: The demo city's people (docs/demo-city.md, "The people's half"): (key in tokens.secret.yaml,
#: token name, role, subject). Made when the demo is loaded, kept with the other local tokens.
DEMO_PEOPLE = (
    ("discipline_commission scorer", "市纪委监委评分员 (demo)", "department", "discipline_commission"),
    ("discipline_commission head", "市纪委监委主要负责人 (demo)", "department_head", "discipline_commission"),
    ("emergency_bureau scorer", "市应急管理局评分员 (demo)", "department", "emergency_bureau"),
    ("emergency_bureau head", "市应急管理局主要负责人 (demo)", "department_head", "emergency_bureau"),
    ("unit U-R01", "青山区考核联络员 (demo)", "department", "U-R01"),
    *((f"assessor {code}", f"考评员{code} (demo)", "assessor", code) for code in ASSESSORS),
)


def demo_people_tokens(tokens: LocalTokens) -> dict[str, str]:
    """The demo people's tokens by key, made on first use and kept in tokens.secret.yaml
    (0600) beside the office's, their hashes in tokens.yaml."""
    plain = yaml.safe_load(tokens.secrets.read_text(encoding="utf-8")) or {}
    missing = [entry for entry in DEMO_PEOPLE if entry[0] not in plain]
    for key, name, role, subject in missing:
        plain[key] = append(tokens.file, name, role, subject)
    if missing:
        tokens.secrets.write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
        tokens.secrets.chmod(0o600)
    return {key: plain[key] for key, *_ in DEMO_PEOPLE}
