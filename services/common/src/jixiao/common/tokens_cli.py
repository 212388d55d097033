"""`jixiao tokens`: create the tokens file the services read (JIXIAO_TOKENS_FILE).

The file keeps only SHA-256 hashes; each new token is printed once, to be
handed to its holder. Running services reread the file when it changes
(jixiao.common.auth.TokenFile): a token added here counts within a second, no
restart needed. The file is replaced in one step, so a service never reads it
half-written.
"""
from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import yaml

from .auth import ROLES, SUBJECT_ROLES, new_token, token_hash


def add_commands(commands) -> None:
    tokens = commands.add_parser("tokens", help="create bearer tokens (JIXIAO_TOKENS_FILE)")
    actions = tokens.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = actions.add_parser("init", help="a new tokens file with an office token and a reader token for the services")
    init.add_argument("file", type=Path)
    add = actions.add_parser("add", help="add a token to a tokens file and print it")
    add.add_argument("file", type=Path)
    add.add_argument("--name", required=True, help="who holds it, e.g. 市统计局")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--subject", default="", help="source code (feed), department code (department, department_head) or assessor code (assessor)")
    tokens.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    if options.action == "init":
        if options.file.exists():
            print(f"jixiao tokens: error: {options.file} exists; use `jixiao tokens add` to add tokens")
            return 2
        entries = [("evaluation office", "office", ""), ("services", "reader", "")]
        printed = [(name, role, subject, append(options.file, name, role, subject)) for name, role, subject in entries]
    else:
        if options.role in SUBJECT_ROLES and not options.subject:
            article = "an" if options.role[:1] in "aeiou" else "a"
            print(f"jixiao tokens: error: {article} {options.role} token needs --subject (its source, department or assessor code)")
            return 2
        printed = [(options.name, options.role, options.subject,
                    append(options.file, options.name, options.role, options.subject))]
    for name, role, subject, token in printed:
        print(f"{role:<10} {name}{' (' + subject + ')' if subject else ''}: {token}")
    print(f"hashes written to {options.file}; the tokens are shown only now")
    return 0


def append(path: Path, name: str, role: str, subject: str) -> str:
    """Adds a token to the file (created if missing) and returns it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    data = data or {"tokens": []}
    token = new_token()
    entry = {"name": name, "role": role, "sha256": token_hash(token)}
    if subject:
        entry["subject"] = subject
    data["tokens"].append(entry)
    write_tokens_file(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return token


def write_tokens_file(path: Path, text: str) -> None:
    """Writes `text` to `path` (readable by its owner only) through a temporary file
    renamed over it: a service rereading the file sees the old or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:  # mkstemp: mode 0600
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
