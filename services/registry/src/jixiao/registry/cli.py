"""Commands for the evaluation office and departments, talking to the
registry over gRPC (JIXIAO_REGISTRY_ADDR, token in JIXIAO_TOKEN).

    jixiao plugin register [DIST ...] [--reason TEXT]   register installed plug-ins (all by default)
    jixiao plugin list [--status S] [--search TEXT]
    jixiao plugin show NAME VERSION         with its history: who changed it, when and why
    jixiao plugin approve|activate|retire NAME VERSION [--reason TEXT]
    jixiao scheme submit FILE [--reason TEXT]
    jixiao scheme validate CODE [--version N]
    jixiao scheme publish CODE VERSION
    jixiao scheme list [CODE]
    jixiao scheme diff CODE FROM TO
    jixiao scheme import CODE TABLE FILE [--reason TEXT]
    jixiao scheme export CODE [--version N] [--table T] [--format F] [-o FILE]
    jixiao bootstrap SCHEME_FILE            register, approve and activate the installed
                                            plug-ins, then submit and publish the scheme
    jixiao keys create --source S [-o FILE] [--public-key FILE]
                                            a feed's signing key (S = "*": a relay key);
                                            the private key is shown once
    jixiao keys list [--source S]
    jixiao keys revoke KEY_ID --reason TEXT
"""
from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import sys
from pathlib import Path

import grpc
import yaml

from jixiao.common.tables_text import render
from jixiao.v1 import registry_pb2 as pb
from jixiao_sdk import signing

from .client import RegistryClient
from .installed_plugins import installed_plugins

STATUS_COMMANDS = {"approve": "approved", "activate": "active", "retire": "retired"}
BOOTSTRAP_REASON = "jixiao bootstrap: the installed plug-ins, for the scheme"


def add_commands(commands) -> None:
    plugin = commands.add_parser("plugin", help="register, list, approve, activate and retire indicator plug-ins")
    actions = plugin.add_subparsers(dest="action", required=True, metavar="ACTION")
    register = actions.add_parser("register", help="register installed plug-in distributions (all when none named)")
    register.add_argument("names", nargs="*", metavar="DIST")
    register.add_argument("--reason", default="", help="why; recorded with who and when")
    listing = actions.add_parser("list", help="registered plug-in versions")
    listing.add_argument("--status", default="")
    listing.add_argument("--search", default="")
    for name in ("show", *STATUS_COMMANDS):
        one = actions.add_parser(name, help=f"{name} one plug-in version")
        one.add_argument("name")
        one.add_argument("version")
        if name != "show":
            one.add_argument("--reason", default="", help="why; recorded with who and when")
    plugin.set_defaults(run=run_plugin)

    scheme = commands.add_parser("scheme", help="submit, validate, publish, diff, import and export evaluation schemes")
    actions = scheme.add_subparsers(dest="action", required=True, metavar="ACTION")
    submit = actions.add_parser("submit", help="store a scheme file (YAML/JSON) as a new draft version")
    submit.add_argument("file", type=Path)
    submit.add_argument("--reason", default="")
    validate = actions.add_parser("validate", help="list what stops a version from being published")
    validate.add_argument("code")
    validate.add_argument("--version", type=int, default=0)
    publish = actions.add_parser("publish", help="publish a draft version")
    publish.add_argument("code")
    publish.add_argument("version", type=int)
    versions = actions.add_parser("list", help="scheme versions")
    versions.add_argument("code", nargs="?", default="")
    difference = actions.add_parser("diff", help="what changed between two versions")
    difference.add_argument("code")
    difference.add_argument("from_version", type=int)
    difference.add_argument("to_version", type=int)
    importing = actions.add_parser("import", help="replace the units, persons or targets from a CSV/XLSX file (new draft)")
    importing.add_argument("code")
    importing.add_argument("table", choices=("units", "persons", "targets"))
    importing.add_argument("file", type=Path)
    importing.add_argument("--reason", default="")
    export = actions.add_parser("export", help="a version as YAML/JSON, or one table as CSV/XLSX")
    export.add_argument("code")
    export.add_argument("--version", type=int, default=0, help="default: the latest")
    export.add_argument("--table", choices=("units", "persons", "targets"), help="one table instead of the document")
    export.add_argument("--format", choices=("yaml", "json", "csv", "xlsx"), help="default: yaml, or csv with --table")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output for text)")
    scheme.set_defaults(run=run_scheme)

    bootstrap = commands.add_parser("bootstrap", help="make the installed plug-ins active and publish a scheme file")
    bootstrap.add_argument("file", type=Path, help="scheme file (YAML/JSON)")
    bootstrap.set_defaults(run=run_bootstrap)

    keys = commands.add_parser("keys", help="create, list and revoke the data feeds' signing keys")
    actions = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="a new signing key of a source; the private key is shown only now")
    create.add_argument("--source", required=True,
                        help="the source code (sources[].code of the scheme), or '*' for a relay key (the gateway's)")
    create.add_argument("-o", "--output", type=Path, help="write the key file here (mode 0600) instead of printing it")
    create.add_argument("--public-key", type=Path,
                        help="record the public key of a pair the feed made (PEM or base64 of the raw 32 bytes)")
    listing = actions.add_parser("list", help="signing keys, active and revoked")
    listing.add_argument("--source", default="")
    revoke = actions.add_parser("revoke", help="revoke a signing key: scoring stops counting what it signs")
    revoke.add_argument("key_id")
    revoke.add_argument("--reason", required=True, help="why; recorded with who and when")
    keys.set_defaults(run=run_keys)


def client_from_env() -> RegistryClient:
    return RegistryClient(os.environ.get("JIXIAO_REGISTRY_ADDR", "127.0.0.1:50051"), os.environ.get("JIXIAO_TOKEN", ""))


def guarded(action):
    """Runs a command; gRPC failures become one line and exit status 1."""

    def wrapper(options: argparse.Namespace) -> int:
        try:
            with client_from_env() as client:
                return action(client, options)
        except grpc.RpcError as error:
            if error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                address = os.environ.get("JIXIAO_REGISTRY_ADDR", "127.0.0.1:50051")
                print(f"jixiao: error: cannot reach the registry at {address} (JIXIAO_REGISTRY_ADDR)", file=sys.stderr)
            else:
                hint = " (set JIXIAO_TOKEN)" if error.code() == grpc.StatusCode.UNAUTHENTICATED else ""
                print(f"jixiao: error: {error.code().name}: {error.details()}{hint}", file=sys.stderr)
            return 1
        except OSError as error:
            print(f"jixiao: error: {error.filename}: {error.strerror}", file=sys.stderr)
            return 1

    return wrapper


# plug-ins -------------------------------------------------------------------
@guarded
def run_plugin(client: RegistryClient, options) -> int:
    if options.action == "register":
        return register(client, options.names, options.reason)
    if options.action == "list":
        found = client.call("ListPlugins", pb.ListPluginsRequest(status=options.status, query=options.search)).plugins
        print(render(("name", "version", "status", "owner", "indicators"),
                     [(p.name, p.version, p.status, p.owner, ", ".join(i.code for i in p.indicators)) for p in found]))
        return 0
    if options.action == "show":
        p = client.call("GetPlugin", pb.GetPluginRequest(name=options.name, version=options.version))
        print(f"{p.name} {p.version}  [{p.status}]  owner {p.owner}  {p.digest}")
        for i in p.indicators:
            print(f"  {i.code}  {i.name_zh} / {i.name_en}  ({i.kind}, {i.min_points:g}–{i.max_points:g} points)")
            print(f"    metrics: {', '.join(i.input_metrics)}")
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
    available = {p.name: p for p in installed_plugins()}
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"jixiao: error: not installed here: {', '.join(unknown)} (installed: {', '.join(sorted(available))})",
              file=sys.stderr)
        return 1
    for name in names or sorted(available):
        stored = client.call("RegisterPlugin", pb.RegisterPluginRequest(plugin=available[name], reason=reason))
        print(f"{stored.name} {stored.version} [{stored.status}]: {', '.join(i.code for i in stored.indicators)}")
    return 0


# schemes --------------------------------------------------------------------
@guarded
def run_scheme(client: RegistryClient, options) -> int:
    action = options.action
    if action == "submit":
        v = client.call("SubmitScheme", pb.SubmitSchemeRequest(document=options.file.read_text(encoding="utf-8"),
                                                               reason=options.reason))
        print(f"{v.code} version {v.version} [{v.status}] {v.digest}")
        problems = client.call("ValidateScheme", pb.ValidateSchemeRequest(code=v.code, version=v.version)).problems
        print_problems(problems)
        return 0
    if action == "validate":
        problems = client.call("ValidateScheme", pb.ValidateSchemeRequest(code=options.code, version=options.version)).problems
        print_problems(problems)
        return 1 if problems else 0
    if action == "publish":
        v = client.call("PublishScheme", pb.PublishSchemeRequest(code=options.code, version=options.version))
        print(f"{v.code} version {v.version} is published")
        return 0
    if action == "list":
        versions = client.call("ListSchemeVersions", pb.ListSchemeVersionsRequest(code=options.code)).versions
        print(render(("code", "version", "year", "status", "author", "created", "reason"),
                     [(v.code, v.version, v.year, v.status, v.author, v.created_at.ToJsonString()[:19], v.reason)
                      for v in versions]))
        return 0
    if action == "diff":
        changes = client.call("DiffSchemes", pb.DiffSchemesRequest(
            code=options.code, from_version=options.from_version, to_version=options.to_version)).changes
        if not changes:
            print("no differences")
        for c in changes:
            what = f"{c.section} {c.key}" + (f" {c.field}" if c.field else "")
            if c.kind == "changed":
                print(f"~ {what}: {c.before_json} → {c.after_json}")
            else:
                print(f"{'+' if c.kind == 'added' else '-'} {what}: {c.after_json or c.before_json}")
        return 0
    if action == "import":
        file_format = options.file.suffix.lstrip(".").lower()
        reply = client.call("ImportTable", pb.ImportTableRequest(
            code=options.code, table=options.table, file_format=file_format, content=options.file.read_bytes(),
            reason=options.reason))
        if reply.errors:
            print(f"{len(reply.errors)} problem(s) in {reply.rows} rows; nothing was imported:", file=sys.stderr)
            print(render(("row", "column", "problem"), [(e.row, e.column, e.message) for e in reply.errors]), file=sys.stderr)
            return 1
        print(f"{reply.rows} rows imported: {reply.version.code} version {reply.version.version} [{reply.version.status}]")
        return 0
    return export(client, options)


def export(client: RegistryClient, options) -> int:
    file_format = options.format or ("csv" if options.table else "yaml")
    if options.table:
        if file_format not in ("csv", "xlsx"):
            print("jixiao: error: a table exports as csv or xlsx", file=sys.stderr)
            return 2
        reply = client.call("ExportTable", pb.ExportTableRequest(code=options.code, version=options.version,
                                                                 table=options.table, file_format=file_format))
        content = reply.content
    else:
        if file_format not in ("yaml", "json"):
            print("jixiao: error: a scheme exports as yaml or json (use --table for csv/xlsx)", file=sys.stderr)
            return 2
        reply = client.call("GetScheme", pb.GetSchemeRequest(code=options.code, version=options.version or 0))
        document = json.loads(reply.document_json)
        text = (json.dumps(document, ensure_ascii=False, indent=2) if file_format == "json"
                else yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
        content = text.encode("utf-8")
    if options.output:
        options.output.write_bytes(content)
        print(f"wrote {options.output}")
    elif file_format == "xlsx":
        print("jixiao: error: give -o FILE for xlsx", file=sys.stderr)
        return 2
    else:
        sys.stdout.buffer.write(content)
    return 0


def print_problems(problems) -> None:
    if not problems:
        print("no problems: the version can be published")
        return
    print(f"{len(problems)} problem(s) before publication:")
    for p in problems:
        print(f"  {p.path}: {p.message}")


# bootstrap ------------------------------------------------------------------
@guarded
def run_bootstrap(client: RegistryClient, options) -> int:
    return bootstrap(client, options.file.read_text(encoding="utf-8"), print)


def bootstrap(client: RegistryClient, scheme_text: str, say) -> int:
    """Registers, approves and activates every installed plug-in, then submits
    and publishes the scheme; idempotent, as the evaluation office."""
    for plugin in installed_plugins():
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
        version = client.call("PublishScheme", pb.PublishSchemeRequest(code=version.code, version=version.version))
    say(f"scheme {version.code} version {version.version} is published; {len(installed_plugins())} plug-ins active")
    return 0


def set_status(client: RegistryClient, plugin: pb.PluginVersion, status: str) -> pb.PluginVersion:
    return client.call("SetPluginStatus", pb.SetPluginStatusRequest(name=plugin.name, version=plugin.version,
                                                                   status=status, reason=BOOTSTRAP_REASON)).plugin


# the feeds' signing keys ----------------------------------------------------
@guarded
def run_keys(client: RegistryClient, options) -> int:
    if options.action == "create":
        public_key = b""
        if options.public_key:
            try:
                public_key = read_public_key(options.public_key.read_bytes())
            except ValueError as exc:
                print(f"jixiao: error: {options.public_key}: {exc}", file=sys.stderr)
                return 2
        if options.output and options.output.exists():
            print(f"jixiao: error: {options.output} exists; a key file is never overwritten", file=sys.stderr)
            return 2
        reply = client.call("CreateSourceKey", pb.CreateSourceKeyRequest(source=options.source, public_key=public_key))
        what = "relay key (signs for any source)" if reply.key.source == signing.ANY_SOURCE else f"source {reply.key.source}"
        if not reply.key_file:
            print(f"key {reply.key.key_id} of {what} recorded; sign with your private key and key id {reply.key.key_id}")
        elif options.output:
            write_key_file(options.output, reply.key_file)
            print(f"key {reply.key.key_id} of {what} written to {options.output} (mode 0600); "
                  "the private key is shown only now: hand the file to the feed")
        else:
            sys.stdout.write(reply.key_file)
            print(f"key {reply.key.key_id} of {what}: the key file above is shown only now; "
                  "save it and hand it to the feed", file=sys.stderr)
        return 0
    if options.action == "list":
        found = client.call("ListSourceKeys", pb.ListSourceKeysRequest(source=options.source)).keys
        print(render(("key id", "source", "status", "created", "by", "revoked", "by", "reason"),
                     [(k.key_id, k.source, "revoked" if k.HasField("revoked_at") else "active",
                       k.created_at.ToJsonString()[:19], k.created_by,
                       k.revoked_at.ToJsonString()[:19] if k.HasField("revoked_at") else "", k.revoked_by,
                       k.revoked_reason) for k in found]))
        return 0
    key = client.call("RevokeSourceKey", pb.RevokeSourceKeyRequest(key_id=options.key_id, reason=options.reason))
    print(f"key {key.key_id} of source {key.source} is revoked since {key.revoked_at.ToJsonString()[:19]} "
          f"by {key.revoked_by}: {key.revoked_reason}")
    return 0


def read_public_key(data: bytes) -> bytes:
    """The raw 32 bytes of an Ed25519 public key given as PEM or as base64 of the raw bytes."""
    if data.lstrip().startswith(b"-----BEGIN"):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            loaded = serialization.load_pem_public_key(data)
        except ValueError:
            raise ValueError("not a PEM public key") from None
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key") from None
        return loaded.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        return base64.b64decode(data.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("neither PEM nor base64") from None


def write_key_file(path: Path, text: str) -> None:
    """Writes a key file readable by its owner only (created so: never world-readable, not even briefly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)


def create_source_key(client: RegistryClient, source: str) -> signing.SigningKey:
    """A new signing key of `source`, made by the registry (as the office)."""
    reply = client.call("CreateSourceKey", pb.CreateSourceKeyRequest(source=source))
    return signing.SigningKey.from_text(reply.key_file)
