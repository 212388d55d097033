"""Packaging rules: the SDK depends on pluggy only; plug-ins on jixiao-sdk only."""

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
FORBIDDEN = {"grpcio", "protobuf", "flask", "kafka-python", "confluent-kafka", "sqlalchemy"}


def _runtime_requirements(dist):
    reqs = [Requirement(r) for r in metadata.requires(dist) or []]
    return {r.name.lower() for r in reqs if not (r.marker and "extra" in str(r.marker))}


def test_sdk_depends_only_on_pluggy():
    assert _runtime_requirements("jixiao-sdk") == {"pluggy"}
    assert not _runtime_requirements("jixiao-sdk") & FORBIDDEN


def test_sdk_exposes_the_scaffold_command():
    scripts = {ep.name: ep.value for ep in metadata.distribution("jixiao-sdk").entry_points
               if ep.group == "console_scripts"}
    assert scripts == {"jixiao-indicator-new": "jixiao_sdk.scaffold:main"}


@pytest.mark.parametrize("directory", sorted(p.name for p in PLUGINS.iterdir() if (p / "pyproject.toml").exists()))
def test_plugin_package_layout(directory):
    snake = directory.replace("-", "_")
    root = PLUGINS / directory
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["name"] == f"jixiao-indicator-{directory}"
    assert project["entry-points"]["jixiao.indicators"] == {snake: f"jixiao_indicator_{snake}"}
    assert (root / "src" / f"jixiao_indicator_{snake}" / "__init__.py").exists()
    assert (root / "tests" / f"test_{snake}.py").exists()
    assert "## Formula" in (root / "README.md").read_text() or "## Rule" in (root / "README.md").read_text()
    assert _runtime_requirements(project["name"]) == {"jixiao-sdk"}
