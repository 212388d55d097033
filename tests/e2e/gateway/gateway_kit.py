"""Support for tests/e2e/gateway: an HTTP client whose every /api/v1 answer is
checked against the OpenAPI document (its status must be documented for the
operation and its JSON body must validate against the documented schema),
and the running platform the tests talk to."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

from jsonschema import Draft202012Validator

from helpers import ServiceProcess, Tokens, eventually
from jixiao.gateway.entrypoints.openapi import document

SCHEME = "jiangchuan-2026"


# -- OpenAPI ---------------------------------------------------------------------------

def _operations() -> list[tuple[re.Pattern, str, dict]]:
    found = []
    for template, item in document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^/}]+\}", "[^/]+", template) + "$")
        for method, operation in item.items():
            found.append((pattern, method.upper(), operation))
    return found


def check_against_openapi(method: str, path: str, status: int, content_type: str, body: bytes) -> None:
    """Fails when the answer is not what openapi.yaml documents."""
    spec = document()
    matches = [op for pattern, verb, op in _operations() if verb == method and pattern.match(path)]
    assert matches, f"{method} {path} is not in openapi.yaml"
    responses = matches[0]["responses"]
    assert str(status) in responses, f"{method} {path} answered {status}, which openapi.yaml does not document"
    response = responses[str(status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    if "content" not in response:
        assert not body, f"{method} {path} {status} has a body, openapi.yaml says none"
        return
    if "application/json" not in response["content"]:  # a file: one of the documented media types
        assert content_type.split(";")[0] in response["content"], f"{method} {path} {status} is {content_type}"
        return
    assert content_type.startswith("application/json"), f"{method} {path} {status} is {content_type}"
    schema = {**response["content"]["application/json"]["schema"], "components": spec["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(json.loads(body)), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method} {path} {status} does not match openapi.yaml: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])


# -- HTTP ------------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> dict:
        return json.loads(self.raw) if self.raw else {}

    @property
    def error(self) -> str:
        return self.body.get("error", {}).get("code", "")


@dataclass
class Http:
    url: str

    def request(self, method: str, path: str, *, token: str | None = None, json_body=None, data: bytes | None = None,
                content_type: str = "", headers: dict | None = None, check: bool = True) -> Reply:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if json_body is not None:
            data, content_type = json.dumps(json_body, ensure_ascii=False).encode(), "application/json"
        if content_type:
            sent["Content-Type"] = content_type
        request = urllib.request.Request(self.url + path, data=data, headers=sent, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                reply = Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, dict(error.headers), error.read())
        if check and path.startswith("/api/v1/"):
            check_against_openapi(method, path.split("?")[0], reply.status, reply.headers.get("Content-Type", ""), reply.raw)
        return reply

    def get(self, path: str, **options) -> Reply:
        return self.request("GET", path, **options)

    def post(self, path: str, **options) -> Reply:
        return self.request("POST", path, **options)

    def upload(self, filename: str, content: bytes, token: str, query: str = "") -> Reply:
        data, content_type = multipart("file", filename, content)
        return self.post(f"/api/v1/uploads{query}", data=data, content_type=content_type, token=token)


def multipart(field_name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


# -- the platform ------------------------------------------------------------------------

@dataclass
class Platform:
    bootstrap: str
    topics: dict[str, str]
    env: dict[str, str]
    tokens: Tokens
    unit_token: str  # a department token whose subject is the unit U-R01
    http: Http
    scoring_address: str
    processes: list[ServiceProcess] = field(default_factory=list)

    def wait_for(self, check, timeout: float = 30.0, what: str = "condition"):
        return eventually(check, timeout, what)

    def ingest(self) -> dict:
        return self.http.get("/api/v1/ingest").body

    def scored(self, unit_id: str, period: str, event_id: str) -> dict:
        """The office's view of a unit's score once `event_id` is part of it."""
        def check():
            reply = self.http.get(f"/api/v1/schemes/{SCHEME}/units/{unit_id}?period={period}", token=self.tokens.office)
            if reply.status == 200 and any(event_id in r["evidence_event_ids"] for r in reply.body["indicators"]):
                return reply.body
            return None
        return self.wait_for(check, what=f"event {event_id} in the score of {unit_id} {period}")
