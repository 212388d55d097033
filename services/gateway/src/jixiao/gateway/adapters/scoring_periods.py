"""A scheme's periods as scoring reviews them: ListPeriods (every page), each
period with its review state — spelt as domain/review_states.py spells it —
and who moved it when, kept for a few seconds; and the office's actions on a
period (lock, approve, publish, reopen), made with the office's own token."""
from __future__ import annotations

from jixiao.v1 import scoring_pb2

from ..domain.review_states import state_of
from .grpc_clients import Backends
from .ttl_cache import Expiring

PAGE_SIZE = 500  # the most a page of ListPeriods holds
ACTIONS = {"lock": "LockPeriod", "reopen": "ReopenPeriod", "approve": "ApprovePeriod", "publish": "PublishPeriod"}


class ScoringPeriods:
    """The periods of each scheme that have scores or a review state, in scoring's order."""

    def __init__(self, backends: Backends, ttl_seconds: float = 5.0):
        self.backends = backends
        self._cache = Expiring(ttl_seconds)

    def listed(self, scheme_code: str, *, token: str | None = None, fresh: bool = False) -> list[dict]:
        """Each period as scoring lists it ({"period", "state", "locked_by", …}), kept a few seconds;
        `fresh`: asked now, with `token` (the caller's, which scoring checks), and kept for the next."""
        periods = self._cache.get(scheme_code, lambda: self._load(scheme_code, token), fresh=fresh)
        return [dict(p) for p in periods]

    def forget(self, scheme_code: str) -> None:
        """Called after a period action, so that this process sees it at once."""
        self._cache.forget(scheme_code)

    def act(self, action: str, scheme_code: str, period: str, token: str, reason: str = "",
            override_findings_reason: str = "") -> dict:
        """Locks, approves, publishes or reopens a period as the office (its `token`); the period's new status."""
        return self.backends.call("scoring", ACTIONS[action], scoring_pb2.PeriodActionRequest(
            scheme_code=scheme_code, period=period, reason=reason, override_findings_reason=override_findings_reason),
            token=token)

    def _load(self, scheme_code: str, token: str | None) -> tuple[dict, ...]:
        periods, page_token = [], ""
        while True:
            reply = self.backends.call("scoring", "ListPeriods", scoring_pb2.ListPeriodsRequest(
                scheme_code=scheme_code, page_size=PAGE_SIZE, page_token=page_token), token=token)
            periods += [{**p, "state": state_of(p.get("state", ""))} for p in reply.get("periods", [])]
            page_token = reply.get("next_page_token", "")
            if not page_token:
                return tuple(periods)
