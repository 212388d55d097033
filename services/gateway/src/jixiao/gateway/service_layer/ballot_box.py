"""The public side of democratic evaluation ballots (docs/ballots.md): a rater without an
account opens a ballot paper with a code and casts it once, through the gateway's ballot box.
Scoring has the last word on every code and ballot; what it refuses comes back as
`BallotRefused` with a kind the pages translate (`spent`, `void`, `unknown`, `malformed`,
`closed`, `ratings`), never repeating the code typed.

**Repeated wrong codes are slowed** (`VoteLimiter`): a client whose codes were refused
`MAX_REFUSALS` times (5) within `WINDOW_SECONDS` (10 minutes) is refused at once, without
asking scoring, until the oldest of those refusals is older than the window (429 with
Retry-After). A client is its address as the gateway sees it (behind a proxy: the proxy's,
so the limit should then be kept by the proxy as well), held in memory only as an HMAC under a
key made at start, in at most `MAX_CLIENTS` entries (the oldest forgotten first), never logged
nor stored. Each gateway process keeps its own count (gunicorn's workers: up to workers × 5).
A 75-bit code is not guessable at any such rate; the limit keeps typo storms and scripted
probing from loading scoring.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..adapters.backend_errors import FailedPrecondition, InvalidArgument
from ..adapters.scoring_ballots import ScoringBallots

MAX_REFUSALS = 5
WINDOW_SECONDS = 600.0
MAX_CLIENTS = 100_000


class TooManyAttempts(Exception):
    """The client's codes were refused too often lately; it may try again after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many wrong ballot codes from this device; try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass
class BallotRefused(Exception):
    """Scoring refused the code or the ballot; nothing was stored. `kind`: spent, void, unknown,
    malformed, closed or ratings; `message` scoring's words (naming the field)."""

    kind: str
    message: str
    status: int = 400

    def __str__(self) -> str:
        return self.message


class VoteLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic, max_refusals: int = MAX_REFUSALS,
                 window: float = WINDOW_SECONDS, max_clients: int = MAX_CLIENTS):
        self.clock = clock
        self.max_refusals = max_refusals
        self.window = window
        self.max_clients = max_clients
        self._key = secrets.token_bytes(32)
        self._refusals: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _client(self, address: str) -> str:
        return hmac.new(self._key, address.encode("utf-8", "replace"), hashlib.sha256).hexdigest()

    def check(self, address: str) -> None:
        """TooManyAttempts while the client has `max_refusals` refusals inside the window."""
        now = self.clock()
        with self._lock:
            times = self._refusals.get(self._client(address))
            if not times:
                return
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.max_refusals:
                raise TooManyAttempts(max(1, math.ceil(times[0] + self.window - now)))

    def refused(self, address: str) -> None:
        now = self.clock()
        with self._lock:
            client = self._client(address)
            times = self._refusals.pop(client, None) or deque()
            times.append(now)
            self._refusals[client] = times
            while len(self._refusals) > self.max_clients:
                self._refusals.popitem(last=False)


def _kind(message: str) -> str:
    text = message.lower()
    if "already been used" in text:
        return "spent"
    if "withdrawn" in text:
        return "void"
    if "unknown code" in text:
        return "unknown"
    if text.startswith("ballot_code"):
        return "malformed"
    if text.startswith("period") and "closed" in text:
        return "closed"
    return "ratings"


class BallotBox:
    def __init__(self, ballots: ScoringBallots, limiter: VoteLimiter | None = None):
        self.ballots = ballots
        self.limiter = limiter or VoteLimiter()

    def open(self, code: str, client: str) -> dict:
        """The paper `code` opens; BallotRefused, TooManyAttempts."""
        return self._ask(client, lambda: self.ballots.open(code.strip()))

    def cast(self, code: str, ratings: Sequence[tuple[str, float]], client: str) -> dict:
        """Casts the ballot (the code spent and the ballot stored together); the paper voted on."""
        return self._ask(client, lambda: self.ballots.cast(code.strip(), ratings)).get("paper", {})

    def _ask(self, client: str, call: Callable[[], dict]) -> dict:
        self.limiter.check(client)
        try:
            return call()
        except (InvalidArgument, FailedPrecondition) as error:
            kind = _kind(error.message)
            if kind in ("spent", "void", "unknown", "malformed"):
                self.limiter.refused(client)
            raise BallotRefused(kind, error.message, 409 if isinstance(error, FailedPrecondition) else 400) from None
