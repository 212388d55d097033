"""The registry over a real gRPC port: who may do what, and clear statuses."""
import json

import grpc
import pytest

from helpers import DEMO_SCHEME, demo_document
from jixiao.registry.client import RegistryClient
from jixiao.registry.entrypoints.plugin_commands import installed_plugin_messages
from jixiao.v1 import registry_pb2 as pb


def status_of(address: str, token: str, method: str, request) -> grpc.StatusCode:
    with RegistryClient(address, token) as client:
        try:
            client.call(method, request)
        except grpc.RpcError as error:
            return error.code()
    return grpc.StatusCode.OK


def drc_plugin() -> pb.PluginVersion:
    return next(p for p in installed_plugin_messages() if p.name == "jixiao-indicator-investment-completion")


def test_no_token_or_an_unknown_token_is_unauthenticated(registry):
    address, _ = registry
    assert status_of(address, "", "ListPlugins", pb.ListPluginsRequest()) == grpc.StatusCode.UNAUTHENTICATED
    assert status_of(address, "jx_forged", "ListPlugins", pb.ListPluginsRequest()) == grpc.StatusCode.UNAUTHENTICATED


def test_every_role_reads(registry):
    address, tokens = registry
    for token in (tokens.office, tokens.reader, tokens.department, tokens.feed):
        assert status_of(address, token, "ListSchemeVersions", pb.ListSchemeVersionsRequest()) == grpc.StatusCode.OK


def test_departments_register_their_own_plugins_and_only_the_office_approves(registry):
    address, tokens = registry
    request = pb.RegisterPluginRequest(plugin=drc_plugin())
    assert status_of(address, tokens.other_department, "RegisterPlugin", request) == grpc.StatusCode.PERMISSION_DENIED
    assert status_of(address, tokens.feed, "RegisterPlugin", request) == grpc.StatusCode.PERMISSION_DENIED
    assert status_of(address, tokens.department, "RegisterPlugin", request) == grpc.StatusCode.OK
    approve = pb.SetPluginStatusRequest(name=request.plugin.name, version=request.plugin.version, status="approved")
    assert status_of(address, tokens.department, "SetPluginStatus", approve) == grpc.StatusCode.PERMISSION_DENIED
    assert status_of(address, tokens.office, "SetPluginStatus", approve) == grpc.StatusCode.OK


def test_only_the_office_submits_and_publishes(registry):
    address, tokens = registry
    submit = pb.SubmitSchemeRequest(document=DEMO_SCHEME.read_text(encoding="utf-8"))
    for token in (tokens.reader, tokens.department, tokens.feed):
        assert status_of(address, token, "SubmitScheme", submit) == grpc.StatusCode.PERMISSION_DENIED
        assert status_of(address, token, "PublishScheme", pb.PublishSchemeRequest(code="jiangchuan-2026", version=1)) \
            == grpc.StatusCode.PERMISSION_DENIED
    assert status_of(address, tokens.office, "SubmitScheme", submit) == grpc.StatusCode.OK


def test_invalid_arguments_name_the_field(registry):
    address, tokens = registry
    with RegistryClient(address, tokens.office) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.call("GetPlugin", pb.GetPluginRequest(version="1"))
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT and caught.value.details() == "name: is required"
        with pytest.raises(grpc.RpcError) as caught:
            client.call("ListPlugins", pb.ListPluginsRequest(status="shiny"))
        assert caught.value.details().startswith("status: must be one of")
        with pytest.raises(grpc.RpcError) as caught:
            client.call("ExportTable", pb.ExportTableRequest(code="x", table="units", file_format="pdf"))
        assert caught.value.details().startswith("file_format: must be one of")


def test_a_scheme_section_of_the_wrong_shape_is_invalid_argument_naming_it(registry):
    address, tokens = registry
    document = {**demo_document(), "person_scoring": 5}
    text = json.dumps(document, ensure_ascii=False)
    with RegistryClient(address, tokens.office) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.call("SubmitScheme", pb.SubmitSchemeRequest(document=text))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.details() == "document: person_scoring: must be a mapping, not a number"


def test_a_scheme_nested_too_deep_is_refused_and_the_registry_goes_on(registry):
    """100,000 nested YAML lists overflowed libyaml's composer: a segfault of the whole registry."""
    address, tokens = registry
    with RegistryClient(address, tokens.office) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.call("SubmitScheme", pb.SubmitSchemeRequest(document="units: " + "[" * 100_000 + "]" * 100_000))
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert caught.value.details() == "document: nested more than 100 levels deep"
    assert status_of(address, tokens.reader, "ListSchemeVersions", pb.ListSchemeVersionsRequest()) == grpc.StatusCode.OK
