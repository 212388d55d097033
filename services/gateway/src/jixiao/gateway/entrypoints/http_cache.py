"""HTTP caching of the JSON API.

- Every successful GET gets a strong ETag over its body; `If-None-Match`
  with that ETag is answered 304 without a body.
- Published data the public reads is `Cache-Control: public, max-age=30`;
  answers for an office or another authenticated caller, and volatile ones
  (health, ingest counters), are `private, no-store`; errors and writes
  `no-store`. `Vary: Authorization` keeps shared caches from mixing them.
- The gateway itself keeps the public answers for the same 30 seconds
  (ResponseCache): what a browser may reuse for 30 seconds, the gateway may
  too. This is safe because the public sees only published periods, and a
  published period is final: publication never goes back.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, Response, g, request

API_PREFIX = "/api/v1/"
PUBLIC_MAX_AGE = 30
PUBLIC = f"public, max-age={PUBLIC_MAX_AGE}"
PRIVATE = "private, no-store"
NO_STORE_PATHS = ("/api/v1/health", "/api/v1/ingest")


class ResponseCache:
    """Public GET answers by full URL, for `ttl` seconds, at most `size` of them."""

    def __init__(self, ttl: float = PUBLIC_MAX_AGE, size: int = 2048, max_body: int = 1024 * 1024,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl, self.size, self.max_body, self.clock = ttl, size, max_body, clock
        self._entries: OrderedDict[str, tuple[float, bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if self.clock() - entry[0] >= self.ttl:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1], entry[2]

    def put(self, key: str, body: bytes, etag: str) -> None:
        if len(body) > self.max_body:
            return
        with self._lock:
            self._entries[key] = (self.clock(), body, etag)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def install(app: Flask, cache: ResponseCache) -> None:
    """Adds the caching hooks; call before any other before_request hook, so
    that a cached public answer (a request without credentials) is served
    without further work."""

    def _cacheable() -> bool:
        """A public read: GET without credentials of any kind."""
        return (request.method == "GET" and request.path.startswith(API_PREFIX)
                and request.path not in NO_STORE_PATHS and "Authorization" not in request.headers)

    @app.before_request
    def _answer_from_cache():
        if not _cacheable():
            return None
        hit = cache.get(request.full_path)
        if hit is None:
            return None
        g.jixiao_cache_hit = True
        body, etag = hit
        if request.if_none_match.contains(etag):
            return _not_modified(etag, PUBLIC)
        return Response(body, mimetype="application/json", headers=_headers(etag, PUBLIC))

    @app.after_request
    def _cache_headers(response: Response) -> Response:
        if g.get("jixiao_cache_hit", False) or not request.path.startswith(API_PREFIX):
            return response
        response.vary.add("Authorization")
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            response.headers["Cache-Control"] = "no-store"
            return response
        private = g.get("jixiao_private", False) or request.path in NO_STORE_PATHS or "Authorization" in request.headers
        response.headers["Cache-Control"] = PRIVATE if private else PUBLIC
        response.add_etag()
        etag = response.get_etag()[0]
        if _cacheable():
            cache.put(request.full_path, response.get_data(), etag)
        if request.if_none_match.contains(etag):
            return _not_modified(etag, response.headers["Cache-Control"])
        return response


def _headers(etag: str, cache_control: str) -> dict[str, str]:
    return {"ETag": f'"{etag}"', "Cache-Control": cache_control, "Vary": "Authorization"}


def _not_modified(etag: str, cache_control: str) -> Response:
    return Response(status=304, headers=_headers(etag, cache_control))
