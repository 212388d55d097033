"""Running services follow their tokens file (jixiao.common.auth.TokenFile): a token
`jixiao tokens add` writes is accepted, and one removed from the file refused, without
a restart — checked on a real registry and a real gateway reading the same file. The
reload rules one by one: tests/unit/common/test_token_file.py."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
import yaml

from helpers import ServiceProcess, eventually, free_port, make_tokens
from helpers.cli import run_jixiao
from helpers.platform import stop_processes
from jixiao.common.readiness import grpc_serving, http_ok
from jixiao.common.tokens_cli import write_tokens_file

TOKENS_MADE = 6  # helpers.make_tokens: office, reader, two departments, a feed, the gateway's ballot box


@pytest.fixture
def services(tmp_path):
    """A registry and a gateway in front of it, both on the same tokens file."""
    tokens = make_tokens(tmp_path)
    registry_port, gateway_port = free_port(), free_port()
    registry_address = f"127.0.0.1:{registry_port}"
    common = {"JIXIAO_TOKENS_FILE": str(tokens.file), "JIXIAO_DATA_DIR": str(tmp_path / "data")}
    registry = ServiceProcess("jixiao.registry", {**common, "JIXIAO_REGISTRY_PORT": str(registry_port)}, tmp_path)
    processes = [registry]
    try:
        registry.wait_ready(lambda: grpc_serving(registry_address))
        gateway = ServiceProcess("jixiao.gateway", {
            **common, "JIXIAO_SERVICE_TOKEN": tokens.reader, "JIXIAO_GATEWAY_PORT": str(gateway_port),
            "JIXIAO_REGISTRY_ADDR": registry_address, "JIXIAO_SCORING_ADDR": f"127.0.0.1:{free_port()}",
            "JIXIAO_KAFKA_BOOTSTRAP": f"127.0.0.1:{free_port()}"}, tmp_path)
        processes.append(gateway)
        gateway_url = f"http://127.0.0.1:{gateway_port}"
        gateway.wait_ready(lambda: http_ok(f"{gateway_url}/api/v1/health"))
        yield tokens, registry_address, gateway_url, registry, gateway
    finally:
        stopped = stop_processes(processes)
    for module, (code, log) in stopped.items():
        assert code == 0, f"{module} exited with {code}:\n{log}"
        assert "Traceback" not in log, log


def registry_answers(address: str, token: str) -> bool:
    """Whether the registry lets `token` list the plug-ins (`jixiao plugin list`)."""
    result = run_jixiao("plugin", "list", env={"JIXIAO_REGISTRY_ADDR": address, "JIXIAO_TOKEN": token})
    assert result.returncode == 0 or "UNAUTHENTICATED" in result.stderr, result.stderr
    return result.returncode == 0


def gateway_status(url: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{url}/api/v1/schemes", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_added_and_removed_tokens_count_without_a_restart(services):
    tokens, registry_address, gateway_url, registry, gateway = services

    added = run_jixiao("tokens", "add", str(tokens.file), "--name", "新考核办", "--role", "office")
    assert added.returncode == 0, added.stderr
    token = re.search(r"^office\s+新考核办: (\S+)$", added.stdout, re.MULTILINE).group(1)
    # What the services knew before the file changed is not what lets the token in: compare.
    assert gateway_status(gateway_url, "jx_not-in-the-file")[0] == 401

    eventually(lambda: registry_answers(registry_address, token), 10, "the registry accepting the added token")
    eventually(lambda: gateway_status(gateway_url, token)[0] == 200, 10, "the gateway accepting the added token")

    data = yaml.safe_load(tokens.file.read_text(encoding="utf-8"))
    data["tokens"] = [entry for entry in data["tokens"] if entry["name"] != "新考核办"]
    write_tokens_file(tokens.file, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    eventually(lambda: not registry_answers(registry_address, token), 10, "the registry refusing the removed token")
    status, body = eventually(lambda: (reply := gateway_status(gateway_url, token))[0] == 401 and reply, 10,
                              "the gateway refusing the removed token")
    assert body["error"]["message"] == "unknown bearer token", body
    assert registry_answers(registry_address, tokens.office), "the other tokens still count"
    for process in (registry, gateway):
        assert f"changed: {TOKENS_MADE} tokens in force" in process.stderr()


def test_a_broken_tokens_file_keeps_the_tokens_in_force_and_says_so(services):
    tokens, registry_address, gateway_url, registry, gateway = services
    tokens.file.write_text("tokens: [", encoding="utf-8")
    warning = (f"WARNING jixiao.common.auth: JIXIAO_TOKENS_FILE={tokens.file}: not valid YAML; the {TOKENS_MADE} tokens "
               "read before stay in force until the file is valid again")

    def still_in(process, answers) -> bool:
        assert answers(), f"{process.module} refused the office token"
        return warning in process.stderr()

    eventually(lambda: still_in(registry, lambda: registry_answers(registry_address, tokens.office)), 10,
               "the registry's warning")
    eventually(lambda: still_in(gateway, lambda: gateway_status(gateway_url, tokens.office)[0] == 200), 10,
               "the gateway's warning")
    assert all(process.stderr().count(warning) == 1 for process in (registry, gateway)), "said once"
