"""Fixtures of tests/contracts/deploy: the overlays rendered once per test process."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import jixiao_deploy_checks as checks  # noqa: E402


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[dict]]:
    return {overlay: checks.render(checks.K8S / "overlays" / overlay) for overlay in checks.OVERLAYS}
