"""The ballot box (service_layer/ballot_box.py) and its limit on wrong codes: five refusals within ten
minutes and the client is refused at once until the oldest is ten minutes old; clients apart."""
import pytest

from jixiao.gateway.service_layer.ballot_box import TooManyAttempts, VoteLimiter, _kind


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_five_refusals_in_the_window_slow_the_client_until_the_oldest_leaves_it():
    clock = Clock()
    limiter = VoteLimiter(clock)
    for _ in range(4):
        limiter.check("10.0.0.1")
        limiter.refused("10.0.0.1")
        clock.now += 60
    limiter.check("10.0.0.1")
    limiter.refused("10.0.0.1")  # the fifth, at 1240
    with pytest.raises(TooManyAttempts) as caught:
        limiter.check("10.0.0.1")
    assert caught.value.retry_after == 360  # the first (at 1000) leaves the window at 1600
    limiter.check("10.0.0.2")  # another client is not slowed
    clock.now = 1600.0
    limiter.check("10.0.0.1")


def test_the_limiter_holds_no_address_in_clear_and_forgets_the_oldest_clients():
    limiter = VoteLimiter(Clock(), max_clients=2)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        limiter.refused(address)
    assert len(limiter._refusals) == 2 and not any("10.0.0" in key for key in limiter._refusals)


@pytest.mark.parametrize("message, kind", [
    ("ballot_code: this code has already been used", "spent"),
    ("ballot_code: this code was withdrawn by the evaluation office", "void"),
    ("ballot_code: unknown code: no ballot has this code; check it against your slip", "unknown"),
    ("ballot_code: a ballot code is 16 letters and digits, in groups of 4", "malformed"),
    ("period: 2026 is closed (locked, approved or published); voting is no longer possible", "closed"),
    ("ratings[1].value: 77.0 is not a choice of the scale (100, 80, 60, 0)", "ratings"),
])
def test_refusals_are_told_apart_for_the_pages(message, kind):
    assert _kind(message) == kind


class FakeBallots:
    """ScoringBallots answering each call with the next of `answers` (a reply or an error to raise)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0

    def _next(self):
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def open(self, code):
        return self._next()

    def cast(self, code, ratings):
        return self._next()


def test_the_ballot_box_counts_refused_codes_not_refused_ratings():
    from jixiao.gateway.adapters.backend_errors import FailedPrecondition, InvalidArgument
    from jixiao.gateway.service_layer.ballot_box import BallotBox, BallotRefused

    spent = FailedPrecondition("ballot_code: this code has already been used")
    rating = InvalidArgument("ratings[0].value: 7.0 is not a choice of the scale (5, 1)")
    fake = FakeBallots(*([rating] * 6), *([spent] * 5), {"paper": {"unit_id": "U1"}})
    box = BallotBox(fake, VoteLimiter(Clock()))
    for _ in range(6):
        with pytest.raises(BallotRefused) as caught:
            box.cast("7KQ4-M2XD-9PFA-R3ZC", [("", 7.0)], "10.0.0.9")
        assert (caught.value.kind, caught.value.status) == ("ratings", 400)
    for _ in range(5):
        with pytest.raises(BallotRefused) as caught:
            box.open("7KQ4-M2XD-9PFA-R3ZC", "10.0.0.9")
        assert (caught.value.kind, caught.value.status) == ("spent", 409)
    with pytest.raises(TooManyAttempts):
        box.open("7KQ4-M2XD-9PFA-R3ZC", "10.0.0.9")
    assert fake.calls == 11, "a slowed client's code is not even sent to scoring"
    assert box.cast(" 7KQ4-M2XD-9PFA-R3ZC ", [("", 5.0)], "10.0.0.10") == {"unit_id": "U1"}
