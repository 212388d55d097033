"""The guard of the portal's signed-in desks (the office's, a department's): the token kept in
the session under its desk's key must still be known to the tokens file, with a role of the
desk, on every request; otherwise, or when a backend no longer accepts it, the session forgets
it and the reader is sent to the desk's sign-in page. Answers are never cached."""
from __future__ import annotations

import functools
from collections.abc import Callable

from flask import make_response, redirect, request, session, url_for

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
