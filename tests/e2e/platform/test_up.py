"""`jixiao up`: the whole platform on one machine with the demo city,
stopped with Ctrl-C, and started again on the stored data."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
import yaml

from helpers import free_port
from helpers.jixiao_up import Up

# The demo year streamed and scored: ~70 s in a quiet full run; a CI run on a loaded machine
# took over 240 s. A wait only lasts this long when something is wrong.
START_TIMEOUT = 600
pytestmark = pytest.mark.timeout(2 * START_TIMEOUT + 300)


def get(url: str, token: str = "") -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return json.loads(response.read())


def test_up_runs_the_demo_city_and_restarts_on_stored_data(tmp_path):
    env = {
        "JIXIAO_DATA_DIR": str(tmp_path / "data"),
        "JIXIAO_REGISTRY_PORT": str(free_port()),
        "JIXIAO_SCORING_PORT": str(free_port()),
        "JIXIAO_GATEWAY_PORT": str(free_port()),
    }
    first = Up(env)
    bootstrap = first.wait_for(r"broker \(librdkafka mock cluster\): (\S+)", 60).group(1)
    assert bootstrap.startswith("127.0.0.1:")
    first.wait_for(r"published 12 periods", START_TIMEOUT)
    portal = first.wait_for(r"Portal: (http://\S+)", 60).group(1)
    status = get(portal + "api/v1/ingest")
    assert status["events_stored"] > 40_000
    # Every demo event was signed with its source's key, made at first start and kept in the data directory.
    assert status["rejected"] == 0
    keys = tmp_path / "data" / "feed-keys"
    key_files = {p.name: p.read_text(encoding="utf-8") for p in keys.glob("*.key")}
    assert {"relay.key", "stats_bureau.key", "petition_bureau.key"} <= set(key_files)
    assert all(oct((keys / name).stat().st_mode)[-3:] == "600" for name in key_files)
    # The office (its local token) sees the year before it is published.
    office = yaml.safe_load((tmp_path / "data" / "tokens.secret.yaml").read_text(encoding="utf-8"))["office"]
    ranking = get(portal + "api/v1/schemes/jiangchuan-2026/rankings?category=district_county&period=2026", office)
    assert ranking["total_size"] == 9
    assert [e["rank"] for e in ranking["entries"]] == list(range(1, 10))
    # The public reads the quarters the demo office published, not the open year.
    assert get(portal + "api/v1/schemes/jiangchuan-2026/rankings?category=district_county&period=2026-Q3")["total_size"] == 9
    with pytest.raises(urllib.error.HTTPError) as unpublished:
        get(portal + "api/v1/schemes/jiangchuan-2026/rankings?category=district_county&period=2026")
    assert unpublished.value.code == 404
    with urllib.request.urlopen(portal, timeout=10) as page:
        html = page.read().decode("utf-8")
    assert "绩效考核公示" in html and ranking["entries"][0]["unit_name_zh"] in html
    assert first.interrupt() == 0
    assert "stopped" in first.seen[-1]
    assert not any("Traceback" in line for line in first.seen)

    second = Up(env)
    second.wait_for(r"demo data already stored: (\d+) events", START_TIMEOUT)
    portal = second.wait_for(r"Portal: (http://\S+)", 60).group(1)
    assert {p.name: p.read_text(encoding="utf-8") for p in keys.glob("*.key")} == key_files, "the keys are kept"
    assert get(portal + "api/v1/ingest")["events_stored"] == status["events_stored"]
    assert second.interrupt() == 0
    logs = "".join(p.read_text() for p in (tmp_path / "data" / "logs").glob("*.log"))
    assert "Traceback" not in logs
    # Two runs, each ended by Ctrl-C: the services stop before the broker, and closing
    # scoring's consumer logs no ERROR (tests/e2e/platform/test_clean_stop.py).
    assert " ERROR " not in logs, [line for line in logs.splitlines() if " ERROR " in line]
