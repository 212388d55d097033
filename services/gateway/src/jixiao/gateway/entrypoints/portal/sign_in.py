"""Signing in to the portal's desks (the office's, a department's, an assessor's): the sign-in
form's flow, and the guard of the signed-in pages — the token kept in the session under its
desk's key must still be known to the tokens file, with a role of the desk, on every request;
otherwise, or when a backend no longer accepts it, the session forgets it and the reader is
sent to the desk's sign-in page. Answers are never cached."""
from __future__ import annotations

import functools
from collections.abc import Callable

from flask import make_response, redirect, render_template, request, session, url_for

from ...adapters.backend_errors import Unauthenticated


def sign_in_required(key: str, login_endpoint: str, principal_of: Callable[[str], tuple]) -> Callable:
    """A view decorator for the desk whose session entry is `key`; `principal_of(token)`
    gives (principal or None, why not)."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            token = (session.get(key) or {}).get("token")
            if not token or principal_of(token)[0] is None:
                session.pop(key, None)
                return redirect(url_for(login_endpoint, next=request.full_path.rstrip("?")))
            try:
                response = make_response(view(*args, **kwargs))
            except Unauthenticated:  # a backend no longer knows the token: sign in again
                session.pop(key, None)
                response = redirect(url_for(login_endpoint, next=request.full_path.rstrip("?")))
            response.headers["Cache-Control"] = "no-store"
            return response
        return wrapper
    return decorator


def sign_in_form(*, prefix: str, home: str, template: str, principal_of: Callable[[str], tuple], unknown: str,
                 remember: Callable[[str, object], None], **context):
    """The sign-in page of a desk and what its form does: on a POST (CSRF checked) a token that
    `principal_of` accepts is kept by `remember(token, principal)` and the reader goes on to the
    page asked for (`next`, only one of the desk's own pages under `prefix`, else `home`); a
    refused one is said on the page (401, `unknown` when no token was given)."""
    from .office_desk import check_csrf  # the portal's CSRF check lives with the office's desk

    home_url = url_for(home)
    next_page = request.values.get("next", "") or home_url
    if not next_page.startswith(prefix) or next_page.startswith("//"):
        next_page = home_url
    problem = ""
    if request.method == "POST":
        check_csrf()
        token = request.form.get("token", "").strip()
        principal, problem = principal_of(token) if token else (None, unknown)
        if principal is not None:
            remember(token, principal)
            session.permanent = True  # after: `remember` may clear the session (the office's does)
            return redirect(next_page)
    response = make_response(render_template(template, problem=problem, next_page=next_page, **context),
                             401 if problem else 200)
    response.headers["Cache-Control"] = "no-store"
    return response
