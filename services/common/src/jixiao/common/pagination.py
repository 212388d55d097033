"""Page tokens for list RPCs: opaque to clients, an offset inside."""
from __future__ import annotations

import base64

from .errors import InvalidArgument

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def page_bounds(page_size: int, page_token: str) -> tuple[int, int]:
    """(offset, limit) for a request; INVALID_ARGUMENT naming the bad field."""
    if page_size < 0 or page_size > MAX_PAGE_SIZE:
        raise InvalidArgument("page_size", f"must be between 1 and {MAX_PAGE_SIZE} (0 for {DEFAULT_PAGE_SIZE})")
    offset = 0
    if page_token:
        try:
            text = base64.urlsafe_b64decode(page_token.encode("ascii")).decode("ascii")
            if not text.startswith("o:"):
                raise ValueError
            offset = int(text[2:])
            if offset < 0:
                raise ValueError
        except (ValueError, UnicodeError):
            raise InvalidArgument("page_token", "is not a token from a previous response") from None
    return offset, page_size or DEFAULT_PAGE_SIZE


def next_token(offset: int, limit: int, total: int) -> str:
    following = offset + limit
    return base64.urlsafe_b64encode(f"o:{following}".encode()).decode("ascii") if following < total else ""
