"""Targets mean what they say: a target parameter the indicator's active plug-in does not
declare is refused by scheme validation, naming the field (issue 16)."""
import copy
import dataclasses
from datetime import UTC, datetime

import pytest
import yaml

from helpers import DEMO_SCHEME, demo_document
from jixiao.common.errors import FailedPrecondition, InvalidArgument
from jixiao.registry.adapters.installed_plugins import installed_plugins
from jixiao.registry.bootstrap import build_service
from jixiao.registry.client import RegistryClient
from jixiao.registry.domain import scheme as schemes
from jixiao.registry.domain.records import IndicatorDefinition, PluginVersion
from jixiao.registry.entrypoints.plugin_commands import installed_plugin_messages
from jixiao.v1 import registry_pb2 as pb
from jixiao_sdk import IndicatorHost

DEMO_TEXT = DEMO_SCHEME.read_text(encoding="utf-8")
DEMO = demo_document()
COMPLAINTS = "complaint_handling"
READS = "on_time_target, resolution_target, weight.on_time, weight.resolution, points_per_escalation"


def declared_by_installed_plugins() -> dict[str, tuple[str, ...]]:
    return {code: spec.parameter_names for code, spec in IndicatorHost.discover(timeout_s=None).specs().items()}


def first_target(document: dict, indicator: str) -> int:
    return next(i for i, t in enumerate(document["targets"]) if t["indicator"] == indicator)


def test_every_demo_target_parameter_is_read_by_its_plugin():
    assert schemes.target_parameter_problems(DEMO, declared_by_installed_plugins()) == []
    complaints = DEMO["targets"][first_target(DEMO, COMPLAINTS)]
    assert set(complaints["params"]) == {"on_time_target", "resolution_target"}


def test_an_undeclared_parameter_is_named_with_its_field():
    document = copy.deepcopy(DEMO)
    i = first_target(document, COMPLAINTS)
    document["targets"][i]["params"] = {"on_time_rate": 0.95, "resolution_target": 0.9}
    found = [str(p) for p in schemes.target_parameter_problems(document, declared_by_installed_plugins())]
    assert found == [f"targets[{i}].params.on_time_rate: complaint_handling does not read 'on_time_rate'"
                     f" (it reads {READS})"]


def test_families_none_declared_and_versions_that_declare_nothing():
    document = {"targets": [
        {"unit": "U1", "indicator": "public_evaluation", "params": {"channel_weight.wechat": 0.2, "channel_weight": 1}},
        {"unit": "U1", "indicator": "road_maintenance", "params": {"plan_share": 0.5}},
        {"unit": "U1", "indicator": "legacy", "params": {"anything": 1}},
        {"unit": "U1", "indicator": "not_active", "params": {"anything": 1}},
        {"unit": "U1", "indicator": "road_maintenance", "params": None},
        "not a mapping",
    ]}
    declared = {"public_evaluation": ("channel_weight.*", "min_ballots"), "road_maintenance": (), "legacy": None}
    assert [str(p) for p in schemes.target_parameter_problems(document, declared)] == [
        "targets[0].params.channel_weight: public_evaluation does not read 'channel_weight'"
        " (it reads channel_weight.*, min_ballots)",
        "targets[1].params.plan_share: road_maintenance does not read 'plan_share' (it reads no target parameters)",
    ]
    assert schemes.target_parameter_problems({"targets": "wrong shape"}, declared) == []


# --- Through the registry service ------------------------------------------------------------

@pytest.fixture
def service(database_url):
    return build_service(database_url)


def definitions(declare: bool) -> tuple[IndicatorDefinition, ...]:
    """The demo's indicators as the installed plug-ins define them; without `declare`, as a
    version registered before plug-ins declared their parameters."""
    host = IndicatorHost.discover(timeout_s=None)
    return tuple(
        IndicatorDefinition(code, s.name_zh, s.name_en, s.input_metrics, s.min_points, s.max_points, s.kind, s.formula,
                            parameters=s.parameter_names if declare else (), parameters_declared=declare,
                            period_basis=s.period_basis if declare else "")
        for code, s in host.specs().items())


def activate(service, declare: bool, version: str = "1.0") -> None:
    service.register_plugin(PluginVersion("standard-indicators", version, "evaluation_office", f"sha256:{version}", "",
                                          definitions(declare), datetime(2026, 1, 1, tzinfo=UTC)))
    service.set_plugin_status("standard-indicators", version, "approved")
    service.set_plugin_status("standard-indicators", version, "active")


def with_old_complaint_params() -> tuple[str, int]:
    document = copy.deepcopy(DEMO)
    i = first_target(document, COMPLAINTS)
    document["targets"][i]["params"] = {"on_time_rate": 0.95, "resolution_rate": 0.9}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False), i


def test_validation_and_publication_refuse_a_parameter_the_plugin_does_not_read(service):
    activate(service, declare=True)
    text, i = with_old_complaint_params()
    draft = service.submit_scheme(text)
    found = [str(p) for p in service.validate_scheme(draft.code, draft.version)]
    assert found == [
        f"targets[{i}].params.on_time_rate: complaint_handling does not read 'on_time_rate' (it reads {READS})",
        f"targets[{i}].params.resolution_rate: complaint_handling does not read 'resolution_rate' (it reads {READS})",
    ]
    with pytest.raises(FailedPrecondition, match=rf"targets\[{i}\]\.params\.on_time_rate: complaint_handling does not"):
        service.publish_scheme(draft.code, draft.version)


def test_versions_registered_before_parameters_were_declared_are_not_checked(service):
    activate(service, declare=False)
    text, _ = with_old_complaint_params()
    draft = service.submit_scheme(text)
    assert service.validate_scheme(draft.code, draft.version) == []
    # Activating a version that declares them makes the same draft invalid.
    activate(service, declare=True, version="2.0")
    assert len(service.validate_scheme(draft.code, draft.version)) == 2


def test_declared_parameters_and_period_basis_are_stored(service):
    activate(service, declare=True)
    stored = {i.code: i for i in service.get_plugin("standard-indicators", "1.0").indicators}
    assert stored["public_evaluation"].parameters == ("channel_weight.*", "min_ballots")
    assert stored["public_evaluation"].parameters_declared
    assert stored["investment_completion"].period_basis == "year_to_date"
    assert stored["complaint_handling"].period_basis == "period_alone"


@pytest.mark.parametrize("change, message", [
    ({"period_basis": "cumulative"}, r"plugin.indicators\[0\].period_basis: must be one of period_alone, year_to_date"),
    ({"parameters": ("cap",), "parameters_declared": False}, r"plugin.indicators\[0\].parameters: are given, so parameters_declared must be true"),
    ({"parameters": ("Cap Grade",), "parameters_declared": True}, "'Cap Grade' is not a parameter name"),
    ({"parameters": ("cap", "cap"), "parameters_declared": True}, "name a parameter twice"),
])
def test_malformed_definitions_are_refused(service, change, message):
    indicator = dataclasses.replace(definitions(declare=True)[0], **change)
    bad = PluginVersion("bad", "1.0", "evaluation_office", "sha256:b", "", (indicator,), None)
    with pytest.raises(InvalidArgument, match=message):
        service.register_plugin(bad)


def test_installed_plugins_describe_their_parameters_and_period_basis():
    indicators = {i.code: i for p in installed_plugins() for i in p.indicators}
    assert list(indicators["complaint_handling"].parameters) == READS.split(", ")
    assert list(indicators["leadership_evaluation"].parameters) == ["group_weight.*", "min_raters"]
    assert all(i.parameters_declared for i in indicators.values())
    assert {code for code, i in indicators.items() if i.period_basis == "year_to_date"} == {
        "investment_completion", "fiscal_revenue", "funds_from_higher_levels", "commendations", "generic_amount"}


def test_parameters_travel_over_grpc(registry):
    address, tokens = registry
    plugin = next(p for p in installed_plugin_messages() if p.name == "jixiao-indicator-safety-veto")
    with RegistryClient(address, tokens.office) as client:
        client.call("RegisterPlugin", pb.RegisterPluginRequest(plugin=plugin))
        back = client.call("GetPlugin", pb.GetPluginRequest(name=plugin.name, version=plugin.version))
    (indicator,) = back.indicators
    assert list(indicator.parameters)[:2] == ["veto_from", "cap_grade"]
    assert indicator.parameters_declared and indicator.period_basis == "period_alone"
