"""`jixiao scheme submit|validate|publish|list|diff|import|export`: the scheme versions."""
from __future__ import annotations

import json
import sys

import yaml

from jixiao.common.tables_text import render
from jixiao.v1 import registry_pb2 as pb

from ..client import RegistryClient
from .command_runner import guarded


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
        v = client.call("PublishScheme", pb.PublishSchemeRequest(code=options.code, version=options.version,
                                                                 reason=options.reason))
        print(f"{v.code} version {v.version} is published")
        # who, when and why as recorded: a version published before keeps its first publication's
        who = f" by {v.published_by}" if v.published_by else ""
        why = f": {one_line(v.publication_reason)}" if v.publication_reason else ""
        print(f"  published{who} at {minute(v.published_at)} UTC{why}")
        return 0
    if action == "list":
        versions = client.call("ListSchemeVersions", pb.ListSchemeVersionsRequest(code=options.code)).versions
        print(render(("code", "version", "year", "status", "submitted", "reason", "published", "publication reason"),
                     [(v.code, v.version, v.year, v.status, f"{minute(v.created_at)} {v.author}", one_line(v.reason),
                       published(v) if v.HasField("published_at") else "", one_line(v.publication_reason))
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


def minute(stamp) -> str:
    """A timestamp to the minute, UTC: 2026-01-05 09:30."""
    return stamp.ToJsonString()[:16].replace("T", " ")


def published(v: pb.SchemeVersion) -> str:
    """When and by whom (the name is empty for versions published before the registry recorded it)."""
    return f"{minute(v.published_at)} {v.published_by}".rstrip()


def one_line(text: str) -> str:
    """A reason on one line of a table (a reason from the desk's text box may have several)."""
    return " ".join(text.split())


def print_problems(problems) -> None:
    if not problems:
        print("no problems: the version can be published")
        return
    print(f"{len(problems)} problem(s) before publication:")
    for p in problems:
        print(f"  {p.path}: {p.message}")
