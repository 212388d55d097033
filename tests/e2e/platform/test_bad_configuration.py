"""Bad configuration: the service exits non-zero with one line saying what
is wrong and how to fix it, and no traceback."""
from __future__ import annotations

import socket

import pytest

from helpers import free_port, make_tokens, run_to_exit


def error_line(result, service: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith(f"jixiao {service}: error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """A valid base configuration the tests then break one setting of."""
    tokens = make_tokens(tmp_path)
    return {"JIXIAO_DATA_DIR": str(tmp_path / "data"), "JIXIAO_TOKENS_FILE": str(tokens.file),
            "JIXIAO_SERVICE_TOKEN": tokens.reader}


@pytest.fixture
def occupied_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_registry_port_in_use(env, occupied_port):
    result = run_to_exit("jixiao.registry", {**env, "JIXIAO_REGISTRY_PORT": str(occupied_port)})
    assert f"cannot listen on 127.0.0.1:{occupied_port}" in error_line(result, "registry")
    assert "JIXIAO_REGISTRY_PORT" in error_line(result, "registry")


def test_gateway_port_in_use(env, occupied_port):
    result = run_to_exit("jixiao.gateway", {**env, "JIXIAO_GATEWAY_PORT": str(occupied_port)})
    assert "JIXIAO_GATEWAY_PORT" in error_line(result, "gateway")


def test_scoring_with_unreachable_broker(env):
    dead = f"127.0.0.1:{free_port()}"
    result = run_to_exit("jixiao.scoring", {**env, "JIXIAO_SCORING_PORT": "0", "JIXIAO_KAFKA_BOOTSTRAP": dead})
    line = error_line(result, "scoring")
    assert f"cannot reach a Kafka broker at {dead}" in line and "JIXIAO_KAFKA_BOOTSTRAP" in line


@pytest.mark.parametrize("service, variable", [("registry", "JIXIAO_REGISTRY_DATABASE_URL"),
                                               ("scoring", "JIXIAO_SCORING_DATABASE_URL")])
def test_malformed_database_url(env, service, variable):
    result = run_to_exit(f"jixiao.{service}", {**env, variable: "this is not a url"})
    line = error_line(result, service)
    assert variable in line and "is not a database URL" in line


def test_unreachable_database(env):
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/jixiao"
    result = run_to_exit("jixiao.registry", {**env, "JIXIAO_REGISTRY_DATABASE_URL": url})
    assert "JIXIAO_REGISTRY_DATABASE_URL: cannot connect to postgresql+psycopg://nobody@" in error_line(result, "registry")


def test_missing_scheme_file(env, tmp_path):
    missing = tmp_path / "scheme.yaml"
    result = run_to_exit("jixiao.cli", {**env, "JIXIAO_SCHEME_FILE": str(missing), "JIXIAO_REGISTRY_PORT": str(free_port()),
                                        "JIXIAO_SCORING_PORT": str(free_port()), "JIXIAO_GATEWAY_PORT": str(free_port())},
                         "up")
    assert f"JIXIAO_SCHEME_FILE={missing}: No such file or directory" in error_line(result, "up")


@pytest.mark.parametrize("problem, expected", [
    (None, "JIXIAO_TOKENS_FILE is not set"),
    ("missing", "no such file; create it with `jixiao tokens init"),
    ("empty", "lists no tokens"),
    ("bad-role", "role must be one of office, department, department_head, assessor, feed, reader, ballot_box"),
])
def test_bad_tokens_file(env, tmp_path, problem, expected):
    settings = {k: v for k, v in env.items() if k != "JIXIAO_TOKENS_FILE"}
    if problem:
        path = tmp_path / f"{problem}.yaml"
        if problem == "empty":
            path.write_text("tokens: []\n", encoding="utf-8")
        if problem == "bad-role":
            path.write_text("tokens: [{name: x, role: admin, sha256: " + "0" * 64 + "}]\n", encoding="utf-8")
        settings["JIXIAO_TOKENS_FILE"] = str(path)
    assert expected in error_line(run_to_exit("jixiao.registry", settings), "registry")


def test_missing_service_token(env):
    settings = {k: v for k, v in env.items() if k != "JIXIAO_SERVICE_TOKEN"}
    assert "JIXIAO_SERVICE_TOKEN is not set" in error_line(run_to_exit("jixiao.gateway", settings), "gateway")


def test_bad_number_setting(env):
    result = run_to_exit("jixiao.scoring", {**env, "JIXIAO_SCHEME_POLL_SECONDS": "soon"})
    assert "JIXIAO_SCHEME_POLL_SECONDS='soon' is not a number" in error_line(result, "scoring")


def test_bad_feed_signatures_setting(env):
    result = run_to_exit("jixiao.scoring", {**env, "JIXIAO_FEED_SIGNATURES": "optional"})
    assert "JIXIAO_FEED_SIGNATURES='optional' is neither 'required' nor 'off'" in error_line(result, "scoring")


@pytest.mark.parametrize("content, expected", [
    (None, "No such file or directory"),
    ("not json", "not JSON"),
    ('{"format": "jixiao.feed-key/v1", "key_id": "k-1", "source": "*", "private_key": "%%%"}', "private_key is not base64"),
    ('{"format": "jixiao.feed-key/v1", "key_id": "k-1", "source": "stats_bureau", "private_key": "' + "A" * 43 + '="}',
     "signs for source 'stats_bureau' only"),
])
def test_bad_relay_key_file(env, tmp_path, content, expected):
    path = tmp_path / "relay.key"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    line = error_line(run_to_exit("jixiao.gateway", {**env, "JIXIAO_RELAY_KEY_FILE": str(path)}), "gateway")
    assert "JIXIAO_RELAY_KEY_FILE" in line and expected in line
    assert "%%%" not in line and "A" * 43 not in line, "a key file's content never reaches the error line"
