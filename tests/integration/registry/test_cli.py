"""The office's and departments' command line, against a registry on a real port: the
commands run in the test's process (helpers.cli), and once in a process of their own."""
import os
import subprocess
import sys

from helpers import DEMO_SCHEME, free_port
from helpers.cli import run_jixiao


def jixiao(address: str, token: str, *args: str) -> subprocess.CompletedProcess:
    return run_jixiao(*args, env={"JIXIAO_REGISTRY_ADDR": address, "JIXIAO_TOKEN": token})


def jixiao_process(address: str, token: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JIXIAO_REGISTRY_ADDR": address, "JIXIAO_TOKEN": token}
    return subprocess.run([sys.executable, "-m", "jixiao.cli", *args], capture_output=True, text=True, env=env, timeout=120)


def test_bootstrap_list_export_import_and_diff(registry, tmp_path):
    address, tokens = registry
    result = jixiao(address, tokens.office, "bootstrap", str(DEMO_SCHEME))
    assert result.returncode == 0, result.stderr
    assert "scheme jiangchuan-2026 version 1 is published; 11 plug-ins active" in result.stdout

    listing = jixiao(address, tokens.reader, "plugin", "list", "--status", "active")
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["name", "version", "status", "owner", "indicators"] and len(lines) == 13
    assert any("jixiao-indicator-safety-veto" in line and "safety_veto" in line for line in lines)

    units = tmp_path / "units.csv"
    assert jixiao(address, tokens.reader, "scheme", "export", "jiangchuan-2026", "--table", "units", "-o", str(units)).returncode == 0
    text = units.read_text(encoding="utf-8-sig")
    units.write_text(text.replace("青山区", "青山新区", 1), encoding="utf-8")
    imported = jixiao(address, tokens.office, "scheme", "import", "jiangchuan-2026", "units", str(units), "--reason", "更名")
    assert imported.returncode == 0, imported.stderr
    assert "108 rows imported: jiangchuan-2026 version 2 [draft]" in imported.stdout
    diff = jixiao(address, tokens.reader, "scheme", "diff", "jiangchuan-2026", "1", "2")
    assert diff.stdout.strip() == '~ units U-R01 name.zh: "青山区" → "青山新区"'
    unexplained = jixiao(address, tokens.office, "scheme", "publish", "jiangchuan-2026", "2")
    assert unexplained.returncode == 2 and "the following arguments are required: --reason" in unexplained.stderr
    blank = jixiao(address, tokens.office, "scheme", "publish", "jiangchuan-2026", "2", "--reason", "  ")
    assert blank.returncode == 2 and "argument --reason: must say why (not blank)" in blank.stderr
    published = jixiao(address, tokens.office, "scheme", "publish", "jiangchuan-2026", "2", "--reason", "区名更正")
    assert published.returncode == 0, published.stderr
    first, second = published.stdout.splitlines()
    assert first == "jiangchuan-2026 version 2 is published"
    assert second.startswith("  published by 考核办 at 20") and second.endswith(" UTC: 区名更正")
    again = jixiao(address, tokens.office, "scheme", "publish", "jiangchuan-2026", "2", "--reason", "又一次")
    assert again.returncode == 0 and again.stdout.splitlines()[1] == second  # the first publication stays
    versions = jixiao(address, tokens.reader, "scheme", "list").stdout.splitlines()
    assert versions[0].split() == ["code", "version", "year", "status", "submitted", "reason", "published",
                                   "publication", "reason"]
    one, two = versions[2], versions[3]
    assert "更名" in two and "考核办" in two and two.rstrip().endswith("考核办  区名更正")
    assert one.rstrip().endswith("bootstrap: first publication")


def test_errors_are_one_line_with_a_hint(registry, tmp_path):
    address, tokens = registry
    no_token = jixiao(address, "", "plugin", "list")
    assert no_token.returncode == 1
    assert no_token.stderr.strip() == ("jixiao: error: UNAUTHENTICATED: missing 'authorization: Bearer <token>' "
                                       "metadata (set JIXIAO_TOKEN)")
    denied = jixiao(address, tokens.department, "plugin", "approve", "x", "1.0")
    assert denied.returncode == 1 and denied.stderr.startswith("jixiao: error: PERMISSION_DENIED: SetPluginStatus needs the role office")
    bad_rows = tmp_path / "targets.csv"
    bad_rows.write_text("unit,indicator,value\nU-R01,investment_completion,many\n", encoding="utf-8")
    jixiao(address, tokens.office, "scheme", "submit", str(DEMO_SCHEME))
    rejected = jixiao(address, tokens.office, "scheme", "import", "jiangchuan-2026", "targets", str(bad_rows))
    assert rejected.returncode == 1
    assert "1 problem(s) in 1 rows; nothing was imported" in rejected.stderr and "'many' is not a number" in rejected.stderr
    down = jixiao(f"127.0.0.1:{free_port()}", tokens.office, "scheme", "list")
    assert down.returncode == 1 and "cannot reach the registry at 127.0.0.1:" in down.stderr


def test_the_command_in_a_process_of_its_own(registry):
    """The real `python -m jixiao.cli`, as a user runs it (the other tests call it in this
    process): the entry point, its exit status, Chinese text on standard output, and an
    error that is one line on standard error with nothing else there (no gRPC noise)."""
    address, tokens = registry
    assert jixiao(address, tokens.office, "scheme", "submit", str(DEMO_SCHEME), "--reason", "首次提交").returncode == 0
    versions = jixiao_process(address, tokens.reader, "scheme", "list")
    assert versions.returncode == 0, versions.stderr
    assert "jiangchuan-2026" in versions.stdout and "首次提交" in versions.stdout and "考核办" in versions.stdout
    no_token = jixiao_process(address, "", "plugin", "list")
    assert no_token.returncode == 1 and no_token.stdout == ""
    assert no_token.stderr.strip() == ("jixiao: error: UNAUTHENTICATED: missing 'authorization: Bearer <token>' "
                                       "metadata (set JIXIAO_TOKEN)")
