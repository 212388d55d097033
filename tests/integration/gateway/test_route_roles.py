"""Every /api/v1 route lets in exactly the roles it names (issue 20, point 5): for each route
whose view calls `require_role(...)`, the roles are read from that call, and each role's token
is sent to it — a named role gets past the check (anything but 401/403), any other role is 403,
no token is 401. No servers: Flask's test client with backends that implement nothing, so what
is checked is the gateway's own role check, before any backend (scoring checks again, see
tests/e2e/reliability/test_security.py for every rpc)."""
from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

from helpers import make_tokens
from jixiao.common.auth import ROLES, TokenBook
from jixiao.common.tokens_cli import append
from jixiao.gateway.adapters.backend_errors import Unimplemented
from jixiao.gateway.entrypoints import wiring
from jixiao.gateway.entrypoints.flask_app import create_app

VALUES = {"int": "1", "default": "x"}


class _Nothing:
    """Backends, schemes and periods that implement nothing: a call past the role check is 501."""

    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise Unimplemented(f"{name} is not implemented here", "scoring", name)
        return refuse


def named_roles(view) -> tuple[str, ...] | None:
    """The roles of the view's `require_role(...)` call (names of tuples resolved in its module), or None."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(view)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "require_role":
            roles: list[str] = []
            for arg in node.args:
                if isinstance(arg, ast.Constant):
                    roles.append(arg.value)
                elif isinstance(arg, ast.Starred) and isinstance(arg.value, ast.Name):
                    roles.extend(view.__globals__[arg.value.id])
                else:
                    raise AssertionError(f"{view.__qualname__}: cannot read require_role's argument {ast.dump(arg)}")
            return tuple(roles)
    return None


@pytest.fixture(scope="module")
def app_and_tokens(tmp_path_factory):
    tokens = make_tokens(tmp_path_factory.mktemp("roles"))
    by_role = {"office": tokens.office, "reader": tokens.reader, "department": tokens.department,
               "feed": tokens.feed, "ballot_box": tokens.ballot_box,
               "department_head": append(tokens.file, "主要负责人", "department_head", "development_reform"),
               "assessor": append(tokens.file, "考评员", "assessor", "A01")}
    assert set(by_role) == set(ROLES), "a role without a token here: add it"
    nothing = _Nothing()
    wired = wiring.Wiring(backends=nothing, schemes=nothing, periods=nothing, uploads=nothing, publisher=nothing,
                          tokens=TokenBook.load(tokens.file))
    return create_app(wired, portal_secret_key="route-roles", service_token=""), by_role


def _routes():
    app = create_app(wiring.Wiring(backends=None, schemes=None, periods=None, uploads=None, publisher=None,
                                   tokens=None), portal_secret_key="x", service_token="")
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        roles = named_roles(app.view_functions[rule.endpoint])
        if roles is None:
            continue
        path = rule.rule
        for argument in rule.arguments:
            converter = type(rule._converters[argument]).__name__.lower().replace("converter", "")
            path = path.replace(f"<{'int:' if converter == 'integer' else ''}{argument}>",
                                VALUES["int"] if converter == "integer" else VALUES["default"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append(pytest.param(method, path, roles, id=f"{method} {rule.rule}"))
    return found


@pytest.mark.parametrize("method, path, roles", _routes())
def test_a_route_lets_in_exactly_the_roles_it_names(app_and_tokens, method, path, roles):
    app, tokens = app_and_tokens
    client = app.test_client()
    assert client.open(path, method=method, json={}).status_code == 401
    wrong = []
    for role, token in tokens.items():
        status = client.open(path, method=method, json={}, headers={"Authorization": f"Bearer {token}"}).status_code
        if role in roles and status in (401, 403):
            wrong.append(f"{role}: {status}, expected to get past the role check")
        if role not in roles and status != 403:
            wrong.append(f"{role}: {status}, expected 403")
    assert not wrong, f"{method} {path} (roles {', '.join(roles)}):\n" + "\n".join(wrong)
