"""Scoring learns of newly active plug-ins and published schemes without a restart."""
from __future__ import annotations

import json

import grpc
import pytest

from helpers import DEMO_SCHEME, eventually
from jixiao.common.auth import call_credentials
from jixiao.common.readiness import grpc_serving
from jixiao.registry.client import RegistryClient
from jixiao.registry.entrypoints.setup_command import bootstrap
from jixiao.v1 import registry_pb2 as pb
from jixiao.v1 import scoring_pb2, scoring_pb2_grpc


def active_indicators(address: str, token: str) -> dict[str, str]:
    with grpc.insecure_channel(address) as channel:
        reply = scoring_pb2_grpc.ScoringServiceStub(channel).ListIndicators(
            scoring_pb2.ListIndicatorsRequest(), timeout=5, metadata=call_credentials(token))
    return {i.code: i.plugin_version for i in reply.indicators}


@pytest.mark.fresh_platform  # starts from no published scheme, then publishes one and retires a plug-in
@pytest.mark.parametrize("platform", ["empty"], indirect=True)
def test_scoring_follows_the_registry(platform):
    assert not grpc_serving(platform.scoring_address)  # no published scheme yet
    with RegistryClient(platform.registry_address, platform.tokens.office) as office:
        bootstrap(office, DEMO_SCHEME.read_text(encoding="utf-8"), lambda text: None)
        eventually(lambda: grpc_serving(platform.scoring_address))
        # the ten plug-ins' indicators and the generic plug-in's four: two score sheets, an on-site
        # assessment, a democratic evaluation
        assert len(active_indicators(platform.scoring_address, platform.tokens.reader)) == 14

        office.call("SetPluginStatus", pb.SetPluginStatusRequest(
            name="jixiao-indicator-commendations", version=active_indicators(platform.scoring_address, platform.tokens.reader)["commendations"]
            .split("==")[1], status="retired"))
        eventually(lambda: "commendations" not in active_indicators(platform.scoring_address, platform.tokens.reader))

        document = json.loads(office.call("GetScheme", pb.GetSchemeRequest(code="jiangchuan-2026")).document_json)
        document["indicators"] = [i for i in document["indicators"] if i["code"] != "commendations"]
        document["assignments"] = [a for a in document["assignments"] if a["indicator"] != "commendations"]
        draft = office.call("SubmitScheme", pb.SubmitSchemeRequest(document=json.dumps(document, ensure_ascii=False),
                                                                   reason="取消表彰加分"))
        office.call("PublishScheme", pb.PublishSchemeRequest(code=draft.code, version=draft.version))

    def ranking_version() -> int:
        status, body = platform.get("/api/v1/schemes/jiangchuan-2026/rankings?category=district_county&period=2026")
        return status == 200 and body["scheme_version"] == 2

    eventually(ranking_version)
