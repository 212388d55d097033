"""openapi.yaml describes exactly the /api/v1 routes of the application,
is served as it is, ships in the package, and the answer checker the other
tests rely on rejects what the document does not allow."""
from __future__ import annotations

import fnmatch
import re
import tomllib

import pytest
from gateway_kit import check_against_openapi
from google.protobuf import descriptor_pool
from jsonschema import Draft202012Validator

from helpers import REPO, make_tokens
from jixiao.gateway.bootstrap import close, create_app
from jixiao.gateway.config import GatewayConfig
from jixiao.gateway.entrypoints.openapi import DOCUMENT, document
from jixiao.v1 import assessment_pb2, registry_pb2, scoring_pb2  # noqa: F401 - their messages in the default pool

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def app(tmp_path):
    tokens = make_tokens(tmp_path)
    config = GatewayConfig.from_env({"JIXIAO_TOKENS_FILE": str(tokens.file), "JIXIAO_SERVICE_TOKEN": tokens.reader})
    app = create_app(config)
    yield app
    close(app)


def routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            found |= {(method.lower(), path) for method in rule.methods if method.lower() in METHODS}
    return found


def documented() -> set[tuple[str, str]]:
    return {(method, path) for path, item in document()["paths"].items() for method in item if method in METHODS}


def test_every_route_is_documented_and_every_documented_path_is_a_route(app):
    assert routes(app) - documented() == set(), "routes missing from openapi.yaml"
    assert documented() - routes(app) == set(), "openapi.yaml paths the application does not have"


def test_operations_are_complete(app):
    spec = document()
    ids = [op["operationId"] for item in spec["paths"].values() for method, op in item.items() if method in METHODS]
    assert len(ids) == len(set(ids))
    parameters = spec["components"]["parameters"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            declared = {(parameters[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p)["name"]
                        for p in operation.get("parameters", [])}
            assert set(re.findall(r"\{([^}]+)\}", path)) <= declared, f"{method} {path}: undeclared path parameters"
            assert "200" in operation["responses"] and "401" in operation["responses"], f"{method} {path}"


def test_the_schemas_are_json_schema_and_references_resolve():
    spec = document()
    Draft202012Validator.check_schema({"$defs": spec["components"]["schemas"]})
    text = DOCUMENT.read_text(encoding="utf-8")
    for kind, name in re.findall(r'"#/components/(\w+)/(\w+)', text):
        assert name in spec["components"][kind], f"#/components/{kind}/{name} is not defined"


def test_reply_schemas_have_exactly_the_fields_of_their_proto_messages():
    """Kept true as the .proto grows: a field scoring adds fails here until openapi.yaml has it."""
    pool = descriptor_pool.Default()
    described = 0
    for name, schema in document()["components"]["schemas"].items():
        if "x-proto" not in schema:
            continue
        message = pool.FindMessageTypeByName(schema["x-proto"])
        fields = {f.name for f in message.fields}
        assert set(schema["properties"]) == fields, f"{name} ({message.full_name})"
        always = {f.name for f in message.fields if f.is_repeated or not f.has_presence}
        assert set(schema["required"]) == always, f"{name}: required must be the fields proto3 JSON always writes"
        described += 1
    assert described >= 25


def test_it_is_served_as_json(app):
    reply = app.test_client().get("/api/v1/openapi.json")
    assert reply.status_code == 200 and reply.get_json() == document()


def test_it_ships_in_the_package():
    gateway = REPO / "services" / "gateway"
    shipped = tomllib.loads((gateway / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    relative = DOCUMENT.relative_to(gateway / "src" / "jixiao" / "gateway").as_posix()
    assert any(fnmatch.fnmatch(relative, pattern) for pattern in shipped["jixiao.gateway"])


@pytest.mark.parametrize("status, body, problem", [
    (200, b'{"status": "ok", "extra": 1}', "Additional properties"),
    (200, b'{"state": "ok"}', "'status' is a required property"),
    (418, b'{}', "does not document"),
])
def test_the_answer_checker_fails_on_what_the_document_does_not_allow(status, body, problem):
    with pytest.raises(AssertionError, match=problem):
        check_against_openapi("GET", "/api/v1/health", status, "application/json", body)
    with pytest.raises(AssertionError, match="not in openapi.yaml"):
        check_against_openapi("GET", "/api/v1/nowhere", 200, "application/json", b"{}")
