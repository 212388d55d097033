"""Commands for the evaluation office and departments, talking to the
registry over gRPC (JIXIAO_REGISTRY_ADDR, token in JIXIAO_TOKEN): their
parsers here, what each does in plugin_commands, scheme_commands,
setup_command and key_commands.

    jixiao plugin register [DIST ...] [--reason TEXT]   register installed plug-ins (all by default)
    jixiao plugin list [--status S] [--search TEXT]
    jixiao plugin show NAME VERSION         with its history: who changed it, when and why
    jixiao plugin approve|activate|retire NAME VERSION [--reason TEXT]
    jixiao scheme submit FILE [--reason TEXT]
    jixiao scheme validate CODE [--version N]
    jixiao scheme publish CODE VERSION --reason TEXT
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
from pathlib import Path

from .key_commands import run_keys
from .plugin_commands import STATUS_COMMANDS, run_plugin
from .scheme_commands import run_scheme
from .setup_command import run_bootstrap


def non_blank(text: str) -> str:
    """A reason the office must give: blank is refused as a usage error (exit status 2)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must say why (not blank)")
    return text


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
    submit.add_argument("--reason", default="", help="why this version; the document's scheme.reason when not given")
    validate = actions.add_parser("validate", help="list what stops a version from being published")
    validate.add_argument("code")
    validate.add_argument("--version", type=int, default=0)
    publish = actions.add_parser("publish", help="publish a draft version")
    publish.add_argument("code")
    publish.add_argument("version", type=int)
    publish.add_argument("--reason", required=True, type=non_blank,
                         help="why this version is published (required); recorded with who and when")
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
