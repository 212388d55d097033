"""No layer imports from a layer above it, the domain is pure, the services stay apart and
what they share depends on none of them: the contracts in pyproject.toml's
[tool.importlinter], checked by import-linter over the installed parts."""
import subprocess
import sys
import tomllib
from pathlib import Path

from helpers import REPO

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"  # installed by the dev extra


def test_every_contract_is_kept():
    done = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_each_service_is_held_to_the_same_layers():
    contracts = {c["id"]: c for c in tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["importlinter"]["contracts"]}
    for service in ("registry", "scoring", "gateway"):
        layers = contracts[f"{service}-layers"]["layers"]
        assert layers == [f"jixiao.{service}.{layer}" for layer in
                          ("bootstrap", "entrypoints", "service_layer", "adapters", "domain")]
        package = REPO / "services" / service / "src" / "jixiao" / service
        assert (package / "config.py").is_file() and (package / "bootstrap.py").is_file()
