"""The review states of a scheme's periods, spelt one way in the whole gateway
("open", "locked", "approved", "published": the short lower-case names the
JSON API answers with), and who may see a period in which state.

The office reviews a period open → locked → approved → published (and may
reopen it); the public sees published periods only.
"""
from __future__ import annotations

OPEN, LOCKED, APPROVED, PUBLISHED = "open", "locked", "approved", "published"
STATES = (OPEN, LOCKED, APPROVED, PUBLISHED)


def state_of(text: str) -> str:
    """A state as the backends spell it ('locked', 'LOCKED' or 'PERIOD_STATE_LOCKED') → 'locked';
    '' for a state this gateway does not know."""
    state = str(text or "").lower().removeprefix("period_state_")
    return state if state in STATES else ""


def shown_to(office: bool, state: str) -> bool:
    """Whether a period in `state` may be shown: to the office always, to anyone else once published."""
    return office or state == PUBLISHED
