"""Every change of a plug-in version's lifecycle is recorded with who made
it, when and why: in the service, over gRPC and on the command line."""
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from jixiao.common.auth import Principal
from jixiao.common.errors import InvalidArgument, NotFound
from jixiao.registry.bootstrap import build_service
from jixiao.registry.client import RegistryClient
from jixiao.registry.domain.records import IndicatorDefinition, PluginEvent, PluginVersion
from jixiao.v1 import registry_pb2 as pb

OFFICE = Principal("考核办", "office")
DEPARTMENT = Principal("发改委", "department", "development_reform")
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def plugin(version: str, codes=("investment_completion",)) -> PluginVersion:
    indicators = tuple(IndicatorDefinition(c, c, c, ("m",), 0.0, 100.0, "score", "f") for c in codes)
    return PluginVersion("dept-investment", version, "development_reform", f"sha256:{version}", "", indicators, None)


@pytest.fixture
def service(database_url):
    service = build_service(database_url)
    minutes = iter(range(1000))
    service.clock = lambda: START + timedelta(minutes=next(minutes))
    return service


def test_registration_and_each_status_change_record_actor_time_and_reason(service):
    service.register_plugin(plugin("1.0"), DEPARTMENT, "首次上线")
    service.set_plugin_status("dept-investment", "1.0", "approved", "审核通过", OFFICE)
    service.set_plugin_status("dept-investment", "1.0", "active", "2026年方案启用", OFFICE)
    service.set_plugin_status("dept-investment", "1.0", "active", "again", OFFICE)  # no change: nothing recorded
    service.set_plugin_status("dept-investment", "1.0", "retired", "口径调整", OFFICE)
    assert service.plugin_history("dept-investment", "1.0") == [
        PluginEvent("dept-investment", "1.0", "draft", "", "发改委", "首次上线", START),
        PluginEvent("dept-investment", "1.0", "approved", "draft", "考核办", "审核通过", START + timedelta(minutes=1)),
        PluginEvent("dept-investment", "1.0", "active", "approved", "考核办", "2026年方案启用", START + timedelta(minutes=2)),
        PluginEvent("dept-investment", "1.0", "retired", "active", "考核办", "口径调整", START + timedelta(minutes=4)),
    ]


def test_a_version_retired_by_another_activation_names_it(service):
    for version in ("1.0", "2.0"):
        service.register_plugin(plugin(version), DEPARTMENT)
        service.set_plugin_status("dept-investment", version, "approved", by=OFFICE)
    service.set_plugin_status("dept-investment", "1.0", "active", by=OFFICE)
    service.set_plugin_status("dept-investment", "2.0", "active", "修正算法", OFFICE)
    last = service.plugin_history("dept-investment", "1.0")[-1]
    assert (last.previous_status, last.status, last.actor) == ("active", "retired", "考核办")
    assert last.reason == "dept-investment 2.0 became active, providing the same indicators: 修正算法"
    assert last.at == service.plugin_history("dept-investment", "2.0")[-1].at


def test_registering_the_same_build_again_records_nothing_and_bad_reasons_are_refused(service):
    service.register_plugin(plugin("1.0"), DEPARTMENT, "first")
    service.register_plugin(plugin("1.0"), DEPARTMENT, "again")
    assert [e.reason for e in service.plugin_history("dept-investment", "1.0")] == ["first"]
    with pytest.raises(InvalidArgument, match="reason: is longer than 2000 characters"):
        service.set_plugin_status("dept-investment", "1.0", "approved", "x" * 2001, OFFICE)
    assert service.get_plugin("dept-investment", "1.0").status == "draft"
    with pytest.raises(NotFound):
        service.plugin_history("dept-investment", "9.9")


def test_over_grpc_the_caller_is_the_actor_and_get_plugin_shows_the_history(registry):
    address, tokens = registry
    message = pb.PluginVersion(name="dept-investment", version="1.0", owner="development_reform", digest="sha256:1",
                               indicators=[pb.IndicatorDefinition(code="investment_completion", kind="score",
                                                                  max_points=100, input_metrics=["m"])])
    with RegistryClient(address, tokens.department) as department:
        department.call("RegisterPlugin", pb.RegisterPluginRequest(plugin=message, reason="首次上线"))
    with RegistryClient(address, tokens.office) as office:
        office.call("SetPluginStatus", pb.SetPluginStatusRequest(name="dept-investment", version="1.0",
                                                                 status="approved", reason="审核通过"))
        shown = office.call("GetPlugin", pb.GetPluginRequest(name="dept-investment", version="1.0"))
        listed = office.call("ListPlugins", pb.ListPluginsRequest()).plugins
    assert [(e.previous_status, e.status, e.actor, e.reason) for e in shown.history] == [
        ("", "draft", "发改委", "首次上线"), ("draft", "approved", "考核办", "审核通过")]
    assert all(e.at.seconds > 0 for e in shown.history)
    assert [len(p.history) for p in listed] == [0]

    env = {**os.environ, "JIXIAO_REGISTRY_ADDR": address, "JIXIAO_TOKEN": tokens.office}
    run = [sys.executable, "-m", "jixiao.cli", "plugin"]
    activated = subprocess.run([*run, "activate", "dept-investment", "1.0", "--reason", "启用"], env=env,
                               capture_output=True, text=True, timeout=120)
    assert activated.returncode == 0, activated.stderr
    show = subprocess.run([*run, "show", "dept-investment", "1.0"], env=env, capture_output=True, text=True, timeout=120)
    assert "approved → active  by 考核办: 启用" in show.stdout and "registered  by 发改委: 首次上线" in show.stdout
