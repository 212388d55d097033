"""The gateway over real sockets: registry (demo scheme), scoring and the
gateway as processes on free ports against the worker's embedded broker,
one platform per test module (its own topics, group, data and tokens)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gateway_kit import Http, Platform  # noqa: E402

from helpers import make_tokens  # noqa: E402
from helpers.platform import platform_running  # noqa: E402
from jixiao.common.tokens_cli import append  # noqa: E402


@pytest.fixture(scope="module")
def platform(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("platform")
    tokens = make_tokens(folder)
    unit_token = append(tokens.file, "青山区", "department", "U-R01")
    with platform_running(broker, folder, tokens=tokens, env={"JIXIAO_FINDINGS_REFRESH_SECONDS": "1"}) as running:
        yield Platform(broker.bootstrap, running.topics, running.env, tokens, unit_token, Http(running.gateway_url),
                       running.scoring_address, running.processes)
