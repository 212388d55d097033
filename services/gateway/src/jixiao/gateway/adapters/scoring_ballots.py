"""Scoring's BallotService (proto/jixiao/v1/ballots.proto, docs/ballots.md): the office's calls
with the office's own token (scoring records who issued, voided or counted), a rater's with the
gateway's ballot-box token (role ballot_box), the only token scoring lets vote. Without one,
voting is closed: `NoBallotBox`."""
from __future__ import annotations

from collections.abc import Sequence

from jixiao.v1 import ballots_pb2 as pb

from .backend_errors import Unavailable
from .grpc_clients import Backends


class NoBallotBox(Unavailable):
    """The gateway has no ballot-box token (JIXIAO_BALLOT_BOX_TOKEN): nobody can vote through it."""


class ScoringBallots:
    def __init__(self, backends: Backends, ballot_box_token: str = ""):
        self.backends = backends
        self.ballot_box_token = ballot_box_token

    def _office(self, method: str, request, token: str) -> dict:
        return self.backends.call("ballots", method, request, token=token)

    def _box(self, method: str, request) -> dict:
        if not self.ballot_box_token:
            raise NoBallotBox("voting is not open on this portal (the gateway has no ballot-box token: "
                              "JIXIAO_BALLOT_BOX_TOKEN)", "scoring", method)
        return self.backends.call("ballots", method, request, token=self.ballot_box_token)

    # the office --------------------------------------------------------------
    def issue(self, scheme: str, indicator: str, period: str, unit: str, group: str, count: int, token: str) -> dict:
        return self._office("IssueBallotCodes", pb.IssueBallotCodesRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, unit_id=unit, group=group, count=count), token)

    def void(self, scheme: str, indicator: str, period: str, unit: str, group: str, codes: Sequence[str],
             token: str) -> dict:
        return self._office("VoidBallotCodes", pb.VoidBallotCodesRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, unit_id=unit, group=group,
            ballot_codes=list(codes)), token)

    def turnout(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self._office("GetBallotTurnout", pb.GetBallotTurnoutRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, unit_id=unit), token)

    def rounds(self, scheme: str, period: str, token: str) -> list[dict]:
        return self._office("ListBallotRounds", pb.ListBallotRoundsRequest(scheme_code=scheme, period=period),
                            token).get("rounds", [])

    def count(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self._office("CountBallots", pb.CountBallotsRequest(
            scheme_code=scheme, indicator_code=indicator, period=period, unit_id=unit), token)

    # the ballot box ------------------------------------------------------------
    def open(self, code: str) -> dict:
        return self._box("OpenBallot", pb.OpenBallotRequest(ballot_code=code))

    def cast(self, code: str, ratings: Sequence[tuple[str, float]]) -> dict:
        return self._box("CastBallot", pb.CastBallotRequest(
            ballot_code=code, ratings=[pb.BallotRating(subject=s, value=v) for s, v in ratings]))
