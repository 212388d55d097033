"""The platform's parts: each a distribution with a src layout, a module's path holding its
import path; and a non-editable install (a container image) carries every file the services
read at run time."""
import importlib.util
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest

from helpers import REPO

#: The parts (folder → the packages below `jixiao` it holds), as pyproject.toml lists them.
PARTS = {"proto": {"v1"}, "services/common": {"common"}, "services/registry": {"registry"},
         "services/scoring": {"scoring"}, "services/gateway": {"gateway"}, "services/demo": {"demo"},
         "services/embedded": {"embedded"}, "services/cli": {"cli.py", "migrate.py"}}
#: Files read at run time that are not Python modules found by imports alone (below jixiao/).
RUNTIME_GLOBS = [
    "registry/migrations/**/*.py", "scoring/migrations/**/*.py", "gateway/openapi.yaml",
    "gateway/entrypoints/templates/*.html", "gateway/static/*", "gateway/entrypoints/portal/*.py",
    "gateway/translations/*/LC_MESSAGES/messages.mo",
    "demo/data/*.yaml", "v1/*.proto", "v1/*.pyi",
]


def source_root(part: str):
    """Where a part's `jixiao` folder lies: src/ (a src layout), or the part itself for proto/."""
    return REPO / part / "src" if (REPO / part / "src").is_dir() else REPO / part


def test_every_part_is_a_distribution_and_the_root_installs_them_all():
    found = {str(p.parent.relative_to(REPO)) for p in REPO.glob("services/*/pyproject.toml")} | {"proto"}
    assert found == set(PARTS)
    root = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    names = {tomllib.loads((REPO / part / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
             for part in PARTS}
    assert names <= set(root["project"]["dependencies"]), "the root distribution installs every part"
    assert not (REPO / "setup.py").exists() and not (REPO / "services" / "__init__.py").exists()


@pytest.mark.parametrize("part", sorted(PARTS))
def test_a_modules_path_shows_its_import_path(part):
    namespace = source_root(part) / "jixiao"
    assert not (namespace / "__init__.py").exists(), "`jixiao` is a namespace package shared by the parts"
    assert {p.name for p in namespace.iterdir() if p.name != "__pycache__"} == PARTS[part]
    for module in namespace.rglob("*.py"):
        if "__pycache__" in module.parts:
            continue
        dotted = ".".join(module.relative_to(namespace.parent).with_suffix("").parts).removesuffix(".__init__")
        spec = importlib.util.find_spec(dotted)
        assert spec is not None and spec.origin == str(module), f"{module} is not what `import {dotted}` finds"


def test_wheels_contain_runtime_files(tmp_path):
    names: set[str] = set()
    for part in PARTS:
        # built from a copy: setuptools leaves build/ and *.egg-info beside the sources it builds
        copy = shutil.copytree(REPO / part, tmp_path / "src" / part,
                               ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                        "-w", str(tmp_path / part.replace("/", "-")), str(copy)], check=True, capture_output=True)
        [wheel] = (tmp_path / part.replace("/", "-")).glob("jixiao_*.whl")
        names |= set(zipfile.ZipFile(wheel).namelist())
    needed = sorted({"jixiao/" + str(f.relative_to(source_root(part) / "jixiao")) for part in PARTS
                     for pattern in RUNTIME_GLOBS for f in (source_root(part) / "jixiao").glob(pattern)
                     if "__pycache__" not in f.parts})
    needed += ["jixiao/v1/metric_event_pb2.py", "jixiao/v1/scoring_pb2_grpc.py", "jixiao/cli.py", "jixiao/migrate.py"]
    assert len(needed) >= 30
    assert [n for n in needed if n.endswith("/messages.mo")], "the portal's compiled message catalogues"
    assert [n for n in needed if n not in names] == []
    assert not [n for n in names if "tests/" in n or n.startswith("sdk/") or n.endswith("generate.py")]
    assert "jixiao/__init__.py" not in names
