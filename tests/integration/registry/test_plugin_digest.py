"""The build digest has one home (jixiao.common.plugin_digest): the registry
records what it computes, and scoring compares installed builds with it."""
import hashlib
import sys

import pytest

from jixiao.common import plugin_digest
from jixiao.registry.client import RegistryClient
from jixiao.registry.entrypoints.plugin_commands import installed_plugin_messages
from jixiao.v1 import registry_pb2 as pb

GROUP = "jixiao.test_digest_plugins"  # a group of its own: the real indicator plug-ins are not disturbed


def test_the_registry_records_the_digest_the_module_computes_for_each_installed_plugin(registry):
    address, tokens = registry
    installed = plugin_digest.installed_digests()
    assert len(installed) >= 10 and all(d.startswith("sha256:") and len(d) == 71 for d in installed.values())
    with RegistryClient(address, tokens.office) as client:
        for plugin in installed_plugin_messages():
            client.call("RegisterPlugin", pb.RegisterPluginRequest(plugin=plugin))
        recorded = {f"{p.name}=={p.version}": p.digest
                    for p in client.call("ListPlugins", pb.ListPluginsRequest()).plugins}
    assert recorded == installed


@pytest.fixture
def distribution(tmp_path, monkeypatch):
    """An installed plug-in distribution of the test group: a package and its dist-info."""
    root = tmp_path / "site"
    package = root / "digest_probe_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from .rules import spec\n", encoding="utf-8")
    (package / "rules.py").write_text("spec = 1\n", encoding="utf-8")
    info = root / "digest_probe-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: digest-probe\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[{GROUP}]\nprobe = digest_probe_pkg\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))
    yield root
    sys.modules.pop("digest_probe_pkg", None)


def test_the_digest_covers_the_metadata_and_every_source_file(distribution):
    first = plugin_digest.installed_digests(GROUP)
    assert list(first) == ["digest-probe==1.0"]
    assert plugin_digest.installed_digests(GROUP) == first  # stable

    metadata = (distribution / "digest_probe-1.0.dist-info" / "METADATA").read_text(encoding="utf-8")
    assert first["digest-probe==1.0"] == plugin_digest.digest(metadata, ["digest_probe_pkg"])

    (distribution / "digest_probe_pkg" / "rules.py").write_text("spec = 2\n", encoding="utf-8")
    changed = plugin_digest.installed_digests(GROUP)
    assert changed["digest-probe==1.0"] != first["digest-probe==1.0"]

    (distribution / "digest_probe-1.0.dist-info" / "METADATA").write_text(metadata + "Summary: other\n", encoding="utf-8")
    assert plugin_digest.installed_digests(GROUP)["digest-probe==1.0"] not in (first["digest-probe==1.0"],
                                                                               changed["digest-probe==1.0"])


def test_a_distribution_without_sources_is_the_digest_of_its_metadata():
    assert plugin_digest.digest("", ()) == "sha256:" + hashlib.sha256(b"").hexdigest()
    assert plugin_digest.digest("Name: x\n", ["no_such_module_here"]) == "sha256:" + hashlib.sha256(b"Name: x\n").hexdigest()
