"""`jixiao plugin register|list|show|approve|activate|retire`: the plug-in catalogue."""
from __future__ import annotations

import sys

from jixiao.common.tables_text import render
from jixiao.v1 import registry_pb2 as pb

from ..adapters.installed_plugins import installed_plugins
from ..client import RegistryClient
from .command_runner import guarded
from .proto_messages import plugin_message

STATUS_COMMANDS = {"approve": "approved", "activate": "active", "retire": "retired"}


@guarded
def run_plugin(client: RegistryClient, options) -> int:
    if options.action == "register":
        return register(client, options.names, options.reason)
    if options.action == "list":
        found = client.call("ListPlugins", pb.ListPluginsRequest(status=options.status, query=options.search)).plugins
        if not found:
            asked = " matching what you asked" if options.status or options.search else ""
            print(f"no plug-in registered{asked}; `jixiao plugin register` registers every installed one, "
                  "`jixiao bootstrap SCHEME_FILE` also approves and activates them and publishes the scheme")
            return 0
        print(render(("name", "version", "status", "owner", "indicators"),
                     [(p.name, p.version, p.status, p.owner, ", ".join(i.code for i in p.indicators)) for p in found]))
        return 0
    if options.action == "show":
        p = client.call("GetPlugin", pb.GetPluginRequest(name=options.name, version=options.version))
        print(f"{p.name} {p.version}  [{p.status}]  owner {p.owner}  {p.digest}")
        for i in p.indicators:
            print(f"  {i.code}  {i.name_zh} / {i.name_en}  ({i.kind}, {i.min_points:g}–{i.max_points:g} points)")
            print(f"    metrics: {', '.join(i.input_metrics)}" if not i.generic
                  else "    generic: configured in the scheme (indicators[].generic); metrics come from there")
            print(f"    formula: {i.formula}")
            print(f"    period basis: {i.period_basis or 'period_alone'}")
            if not i.parameters_declared:
                print("    target parameters: not declared (registered before plug-ins declared them; not checked)")
            else:
                print(f"    target parameters: {', '.join(i.parameters) or 'none'}")
        print("history:" if p.history else "history: none recorded")
        for e in p.history:
            change = f"{e.previous_status} → {e.status}" if e.previous_status else "registered"
            print(f"  {e.at.ToJsonString()[:19]}  {change}  by {e.actor}" + (f": {e.reason}" if e.reason else ""))
        return 0
    reply = client.call("SetPluginStatus", pb.SetPluginStatusRequest(
        name=options.name, version=options.version, status=STATUS_COMMANDS[options.action], reason=options.reason))
    print(f"{reply.plugin.name} {reply.plugin.version} is {reply.plugin.status}")
    for p in reply.retired:
        print(f"{p.name} {p.version} is retired (it provided the same indicators)")
    return 0


def register(client: RegistryClient, names: list[str], reason: str = "") -> int:
    available = {p.name: p for p in installed_plugin_messages()}
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"jixiao: error: not installed here: {', '.join(unknown)} (installed: {', '.join(sorted(available))})",
              file=sys.stderr)
        return 1
    for name in names or sorted(available):
        stored = client.call("RegisterPlugin", pb.RegisterPluginRequest(plugin=available[name], reason=reason))
        print(f"{stored.name} {stored.version} [{stored.status}]: {', '.join(i.code for i in stored.indicators)}")
    return 0


def installed_plugin_messages() -> list[pb.PluginVersion]:
    """The plug-ins installed here, as RegisterPlugin sends them."""
    return [plugin_message(p) for p in installed_plugins()]
