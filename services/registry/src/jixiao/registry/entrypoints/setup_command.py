"""`jixiao bootstrap SCHEME_FILE`: sets a registry up in one step, as the evaluation office:
the installed plug-ins registered, approved and active, the scheme submitted and published."""
from __future__ import annotations

import grpc

from jixiao.v1 import registry_pb2 as pb

from ..adapters.installed_plugins import installed_plugins
from ..client import RegistryClient
from .command_runner import guarded
from .plugin_commands import installed_plugin_messages

BOOTSTRAP_REASON = "jixiao bootstrap: the installed plug-ins, for the scheme"
PUBLICATION_REASON = "bootstrap: first publication"


@guarded
def run_bootstrap(client: RegistryClient, options) -> int:
    return bootstrap(client, options.file.read_text(encoding="utf-8"), print)


def bootstrap(client: RegistryClient, scheme_text: str, say) -> int:
    """Registers, approves and activates every installed plug-in, then submits
    and publishes the scheme; idempotent, as the evaluation office."""
    for plugin in installed_plugin_messages():
        try:
            stored = client.call("RegisterPlugin", pb.RegisterPluginRequest(plugin=plugin, reason=BOOTSTRAP_REASON))
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise
            say(f"warning: {plugin.name} {plugin.version} changed since it was registered; keeping the registered "
                "build, and scoring fails its indicators until that build is installed (or give the package a new "
                "version to register it)")
            stored = client.call("GetPlugin", pb.GetPluginRequest(name=plugin.name, version=plugin.version))
        if stored.status == "draft":
            stored = set_status(client, stored, "approved")
        if stored.status in ("approved", "retired"):
            stored = set_status(client, stored, "active")
    version = client.call("SubmitScheme", pb.SubmitSchemeRequest(document=scheme_text))
    if version.status != "published":
        version = client.call("PublishScheme", pb.PublishSchemeRequest(code=version.code, version=version.version,
                                                                       reason=PUBLICATION_REASON))
    say(f"scheme {version.code} version {version.version} is published; {len(installed_plugins())} plug-ins active")
    return 0


def set_status(client: RegistryClient, plugin: pb.PluginVersion, status: str) -> pb.PluginVersion:
    return client.call("SetPluginStatus", pb.SetPluginStatusRequest(name=plugin.name, version=plugin.version,
                                                                   status=status, reason=BOOTSTRAP_REASON)).plugin
