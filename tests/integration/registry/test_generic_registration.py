"""The registry accepts and keeps the standard plug-in of generic indicators (通用指标): its
bases name no input metrics, need no target and are recorded as generic."""
from jixiao.registry.adapters.installed_plugins import installed_plugins
from jixiao.registry.client import RegistryClient
from jixiao.registry.entrypoints.plugin_commands import installed_plugin_messages
from jixiao.v1 import registry_pb2 as pb

BASES = ["generic_amount", "generic_assessment", "generic_ballot", "generic_bands", "generic_case_points",
         "generic_rank_points", "generic_rate", "generic_sheet"]


def test_the_installed_generic_plugin_is_described_as_generic():
    generic = next(p for p in installed_plugins() if p.name == "jixiao-indicator-generic")
    assert [i.code for i in generic.indicators] == BASES
    assert all(i.generic and i.input_metrics == () and not i.needs_target for i in generic.indicators)
    others = [i for p in installed_plugins() if p.name != "jixiao-indicator-generic" for i in p.indicators]
    assert others and not any(i.generic for i in others)


def test_the_registry_registers_activates_and_returns_it(registry):
    address, tokens = registry
    message = next(m for m in installed_plugin_messages() if m.name == "jixiao-indicator-generic")
    with RegistryClient(address, tokens.office) as office:
        stored = office.call("RegisterPlugin", pb.RegisterPluginRequest(plugin=message, reason="通用指标"))
        assert stored.status == "draft"
        for status in ("approved", "active"):
            office.call("SetPluginStatus", pb.SetPluginStatusRequest(name=stored.name, version=stored.version,
                                                                   status=status, reason="通用指标"))
        found = office.call("GetPlugin", pb.GetPluginRequest(name=stored.name, version=stored.version))
    assert found.status == "active" and found.owner == "evaluation_office"
    assert [(i.code, i.generic, list(i.input_metrics)) for i in found.indicators] == [(b, True, []) for b in BASES]
