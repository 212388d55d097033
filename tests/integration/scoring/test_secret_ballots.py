"""Secret ballots: voters' and raters' identifiers become keyed pseudonyms before anything
is stored, one vote per voter still counts once, dead letters carry no identifier, stored
ballots are migrated when a scheme version declares them secret, and over gRPC only the
office reads a ballot (with its pseudonym) while everyone else gets the tally."""
import json
import os
from types import SimpleNamespace

import grpc
import pytest

from helpers import make_tokens
from helpers.scoring_server import scoring_over_grpc
from helpers.small_scheme import SMALL_SCHEME
from jixiao.common import event_codec
from jixiao.common.config import ConfigError
from jixiao.scoring.adapters.ballot_secrets import BallotSecrets
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.pseudonyms import is_pseudonym, pseudonym, pseudonymize
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.v1 import scoring_pb2 as pb
from jixiao_sdk import IndicatorHost, IndicatorResult, IndicatorSpec, hookimpl

SECRET = b"s" * 32
VOTERS = ["np-2026-000406", "np-2026-000407", "wx-00c0ffee01"]


class Satisfaction:
    """Share of satisfied voters, one vote per voter (the first by event id)."""

    spec = IndicatorSpec(code="satisfaction", name_zh="满意度", name_en="Satisfaction", version="1.0", owner="test",
                         input_metrics=("vote",), min_points=0, max_points=100, formula="100 × satisfied / voters")

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        first = {}
        for o in sorted(inputs.observations, key=lambda o: o.event_id):
            first.setdefault(o.attributes["voter_id"], o)
        share = sum(o.value for o in first.values()) / len(first)
        return IndicatorResult(indicator_code=spec.code, raw_value=share, points=100 * share,
                               explanation=f"{len(first)}票 / {len(first)} ballots",
                               evidence=tuple(o.event_id for o in first.values()))


def scheme(secret: bool = True, version: int = 1) -> dict:
    return {
        **SMALL_SCHEME,
        "scheme": {**SMALL_SCHEME["scheme"], "version": version},
        "sources": [{"code": "survey", "metrics": ["vote"]}],
        "metrics": [{"code": "vote", "min": 0, "max": 1, **({"secret_attributes": ["voter_id"]} if secret else {})}],
        "dimensions": [{"code": "work", "name": {"zh": "民评", "en": "Survey"}, "weight": 1.0}],
        "indicators": [{"code": "satisfaction"}],
        "assignments": [{"category": "district", "dimension": "work", "indicator": "satisfaction", "weight": 1.0,
                         "max_points": 100}],
        "targets": [],
    }


def ballot(event_id: str, voter: str, value: float = 1.0, unit: str = "U1") -> IncomingRecord:
    data = {"event_id": event_id, "source": "survey", "unit_id": unit, "metric_code": "vote", "value": value,
            "period": "2026-12-10", "attributes": {"voter_id": voter, "channel": "newspaper"}}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


def service_with(tmp_path, document: dict, secrets: BallotSecrets | None = None):
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}",
                            IndicatorHost.from_plugins([Satisfaction()], timeout_s=None),
                            ballot_secrets=secrets or BallotSecrets(tmp_path / "ballot-secrets.yaml"))
    service.adopt_scheme(document, document["scheme"]["version"], "sha256:test")
    return service


def stored_attributes(service) -> list[dict]:
    with service.engine.connect() as connection:
        return [json.loads(text) for _, _, text in service.repository.event_attributes(
            connection, service.scheme("test-2026").year_period.start, service.scheme("test-2026").year_period.end,
            ["vote"])]


def test_a_pseudonym_is_keyed_by_scheme_attribute_and_secret():
    one = pseudonym(SECRET, "test-2026", "voter_id", VOTERS[0])
    assert is_pseudonym(one) and one == pseudonym(SECRET, "test-2026", "voter_id", VOTERS[0])
    assert one != pseudonym(SECRET, "test-2027", "voter_id", VOTERS[0])  # a new year, a new pseudonym
    assert one != pseudonym(b"t" * 32, "test-2026", "voter_id", VOTERS[0])
    assert pseudonymize({"voter_id": one, "channel": "online"}, ["voter_id"], SECRET, "test-2026") == \
        {"voter_id": one, "channel": "online"}  # never pseudonymised twice
    assert pseudonymize({"voter_id": ""}, ["voter_id"], SECRET, "test-2026") == {"voter_id": ""}
    with pytest.raises(ValueError, match="at least 32 bytes"):
        pseudonym(b"short", "test-2026", "voter_id", VOTERS[0])


def test_voters_are_stored_as_pseudonyms_and_still_vote_once(tmp_path):
    service = service_with(tmp_path, scheme())
    outcome = service.ingest([ballot("b1", VOTERS[0], 1.0), ballot("b2", VOTERS[0], 0.0), ballot("b3", VOTERS[1], 0.0)])
    assert outcome.stored == 3 and not outcome.rejected
    stored = stored_attributes(service)
    assert all(is_pseudonym(a["voter_id"]) and a["channel"] == "newspaper" for a in stored)
    assert len({a["voter_id"] for a in stored}) == 2
    result = service.unit_score("test-2026", "U1", "2026")[3][0]
    assert result["raw_value"] == pytest.approx(0.5)  # b1 (satisfied) and b3; b2 is the same voter again
    database = (tmp_path / "scoring.db").read_bytes()
    assert not any(v.encode() in database for v in VOTERS)
    # The secret lives outside the database, private to its owner.
    assert os.stat(tmp_path / "ballot-secrets.yaml").st_mode & 0o777 == 0o600


def test_a_dead_lettered_ballot_carries_no_voter(tmp_path):
    service = service_with(tmp_path, scheme())
    outcome = service.ingest([ballot("b9", VOTERS[2], unit="U9"), IncomingRecord(b"not an event", {})])
    late, unreadable = outcome.rejected
    assert late.reason == "unit_id 'U9' is not a unit of scheme test-2026"
    assert VOTERS[2].encode() not in late.record.value and b"pn-" in late.record.value
    assert event_codec.decode(late.record.value, event_codec.PROTOBUF).event_id == "b9"
    assert unreadable.record.value == b"not an event"  # what cannot be read is passed on as it came
    assert late.delivered is not late.record  # the consumer's spans still know the record as it came


def test_a_ballot_no_scheme_covers_is_dead_lettered_with_its_voter_withheld(tmp_path):
    service = service_with(tmp_path, scheme())
    stray = event_codec.from_dict({"event_id": "b-2025", "source": "survey", "unit_id": "U1", "metric_code": "vote",
                                   "value": 1.0, "period": "2025-12-10",
                                   "attributes": {"voter_id": VOTERS[0], "channel": "newspaper"}})
    [rejected] = service.ingest([IncomingRecord(event_codec.encode(stray), {})]).rejected
    assert "2025" in rejected.reason
    sent = event_codec.decode(rejected.record.value, event_codec.PROTOBUF)
    assert dict(sent.attributes) == {"voter_id": "withheld", "channel": "newspaper"} and sent.event_id == "b-2025"
    assert VOTERS[0].encode() not in rejected.record.value


def test_a_scheme_version_declaring_secret_attributes_migrates_stored_ballots(tmp_path):
    service = service_with(tmp_path, scheme(secret=False))
    service.ingest([ballot("b1", VOTERS[0], 1.0), ballot("b2", VOTERS[0], 0.0), ballot("b3", VOTERS[1], 0.0)])
    before = service.unit_score("test-2026", "U1", "2026")[1]["total"]
    assert {a["voter_id"] for a in stored_attributes(service)} == set(VOTERS[:2])
    document = scheme(secret=True, version=2)
    service.adopt_scheme(document, 2, "sha256:test2")
    assert all(is_pseudonym(a["voter_id"]) for a in stored_attributes(service))
    assert service.unit_score("test-2026", "U1", "2026")[1]["total"] == before


def test_secrets_are_kept_across_restarts_and_a_bad_file_is_named(tmp_path):
    path = tmp_path / "secrets" / "ballot-secrets.yaml"
    first = BallotSecrets(path).secret("test-2026")
    assert BallotSecrets(path).secret("test-2026") == first and len(first) >= 32
    assert BallotSecrets(path).secret("test-2027") != first
    path.write_text("test-2026: not*base64\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="the secret of scheme 'test-2026' is not base64"):
        BallotSecrets(path)
    path.write_text("test-2026: c2hvcnQ=\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="has 5 bytes; at least 32 are needed"):
        BallotSecrets(path)
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must map scheme codes to base64 secrets"):
        BallotSecrets(path)


@pytest.fixture
def grpc_scoring(tmp_path):
    tokens = make_tokens(tmp_path)
    service = service_with(tmp_path, scheme())
    service.ingest([ballot("b1", VOTERS[0], 1.0), ballot("b3", VOTERS[1], 0.0)])
    with scoring_over_grpc(service, tokens) as call:
        yield SimpleNamespace(call=call, tokens=tokens)


def test_only_the_office_reads_a_ballot_and_then_only_its_pseudonym(grpc_scoring):
    office, reader = grpc_scoring.tokens.office, grpc_scoring.tokens.reader
    event = grpc_scoring.call("GetEvent", pb.GetEventRequest(event_id="b1"), office)
    assert is_pseudonym(event.attributes["voter_id"])
    with pytest.raises(grpc.RpcError) as refused:
        grpc_scoring.call("GetEvent", pb.GetEventRequest(event_id="b1"), reader)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "secret ballot" in refused.value.details()
    request = pb.GetUnitScoreRequest(scheme_code="test-2026", unit_id="U1", period="2026")
    public = grpc_scoring.call("GetUnitScore", request, reader).indicators[0]
    assert list(public.evidence_event_ids) == [] and "2票" in public.explanation  # the tally is the evidence
    assert sorted(grpc_scoring.call("GetUnitScore", request, office).indicators[0].evidence_event_ids) == ["b1", "b3"]
