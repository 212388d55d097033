"""`jixiao.v1.RegistryService` over gRPC: checks who calls, translates
messages to and from the service layer (with `proto_messages`), nothing more."""
from __future__ import annotations

from jixiao.common.auth import TokenBook, rpc
from jixiao.v1 import registry_pb2 as pb
from jixiao.v1 import registry_pb2_grpc

from ..domain.scheme import canonical_json
from ..domain.scheme_diff import to_json
from ..service_layer.registry_service import RegistryService
from .proto_messages import plugin_message, plugin_record, scheme_message, source_key_message

OFFICE = "office"
READER = "reader"


class RegistryServicer(registry_pb2_grpc.RegistryServiceServicer):
    def __init__(self, service: RegistryService, tokens: TokenBook):
        self.service = service
        self.tokens = tokens

    @rpc(OFFICE, "department")
    def RegisterPlugin(self, request, context, principal):
        plugin = plugin_record(request.plugin)
        return plugin_message(self.service.register_plugin(plugin, principal, request.reason))

    @rpc()
    def ListPlugins(self, request, context, principal):
        found = self.service.list_plugins(request.status, request.query)
        return pb.ListPluginsResponse(plugins=[plugin_message(p) for p in found])

    @rpc()
    def GetPlugin(self, request, context, principal):
        plugin = self.service.get_plugin(request.name, request.version)
        return plugin_message(plugin, self.service.plugin_history(plugin.name, plugin.version))

    @rpc(OFFICE)
    def SetPluginStatus(self, request, context, principal):
        plugin, retired = self.service.set_plugin_status(request.name, request.version, request.status, request.reason,
                                                         principal)
        return pb.SetPluginStatusResponse(plugin=plugin_message(plugin), retired=[plugin_message(p) for p in retired])

    @rpc(OFFICE)
    def SubmitScheme(self, request, context, principal):
        return scheme_message(self.service.submit_scheme(request.document, request.document_format, request.reason, principal))

    @rpc()
    def ValidateScheme(self, request, context, principal):
        problems = self.service.validate_scheme(request.code, request.version)
        return pb.ValidateSchemeResponse(problems=[pb.Problem(path=p.path, message=p.message) for p in problems])

    @rpc(OFFICE)
    def PublishScheme(self, request, context, principal):
        return scheme_message(self.service.publish_scheme(request.code, request.version, request.reason, principal))

    @rpc()
    def GetScheme(self, request, context, principal):
        scheme = self.service.get_scheme(request.code, request.version)
        return pb.GetSchemeResponse(version=scheme_message(scheme), document_json=canonical_json(scheme.document))

    @rpc()
    def ListSchemeVersions(self, request, context, principal):
        return pb.ListSchemeVersionsResponse(versions=[scheme_message(s) for s in self.service.list_scheme_versions(request.code)])

    @rpc()
    def DiffSchemes(self, request, context, principal):
        changes = self.service.diff_schemes(request.code, request.from_version, request.to_version)
        return pb.DiffSchemesResponse(changes=[
            pb.SchemeChange(section=c.section, key=c.key, kind=c.kind, field=c.field,
                            before_json=to_json(c.before), after_json=to_json(c.after))
            for c in changes
        ])

    @rpc(OFFICE)
    def ImportTable(self, request, context, principal):
        version, rows, errors = self.service.import_table(request.code, request.table, request.file_format,
                                                          request.content, request.reason, principal)
        return pb.ImportTableResponse(
            version=scheme_message(version) if version else None,
            rows=rows,
            errors=[pb.RowError(row=e.row, column=e.column, message=e.message) for e in errors],
        )

    @rpc()
    def ExportTable(self, request, context, principal):
        content, filename = self.service.export_table(request.code, request.version, request.table, request.file_format)
        return pb.ExportTableResponse(content=content, filename=filename)

    # the feeds' signing keys ---------------------------------------------
    @rpc(OFFICE)
    def CreateSourceKey(self, request, context, principal):
        key, private = self.service.create_source_key(request.source, request.public_key, principal)
        return pb.CreateSourceKeyResponse(key=source_key_message(key), key_file=private.to_text() if private else "")

    @rpc(OFFICE, READER)
    def ListSourceKeys(self, request, context, principal):
        return pb.ListSourceKeysResponse(keys=[source_key_message(k) for k in self.service.list_source_keys(request.source)])

    @rpc(OFFICE)
    def RevokeSourceKey(self, request, context, principal):
        return source_key_message(self.service.revoke_source_key(request.key_id, request.reason, principal))
