"""Who made a change and why, as the registry records them with the changes it keeps
(a plug-in version's registration and status, a scheme version's publication, a signing
key's revocation)."""
from __future__ import annotations

from jixiao.common.auth import Principal
from jixiao.common.errors import InvalidArgument

SYSTEM = Principal("system", "office")  # who acts when a use case is called without a caller
MAX_REASON = 2000  # characters of a reason recorded with a change


def check_reason(reason: str) -> None:
    """A reason the registry can record: at most MAX_REASON characters, no NUL character
    (PostgreSQL stores none)."""
    if len(reason) > MAX_REASON:
        raise InvalidArgument("reason", f"is longer than {MAX_REASON} characters")
    if "\x00" in reason:
        raise InvalidArgument("reason", "contains a NUL character")
