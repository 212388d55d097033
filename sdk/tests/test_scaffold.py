"""The scaffold command: a generated plug-in installs into a fresh venv and passes its own test."""

import subprocess
import sys
import sysconfig
import venv
from importlib.util import find_spec
from pathlib import Path

import pytest

from jixiao_sdk import scaffold


@pytest.mark.integration  # a virtual environment and pip: make test-fast leaves it out
def test_generated_package_installs_passes_its_test_and_is_discovered(tmp_path):
    subprocess.run([sys.executable, "-m", "jixiao_sdk.scaffold", "road-maintenance",
                    "--owner", "transport_bureau", "--metric", "road_km_maintained",
                    "--name-zh", "道路养护", "--directory", str(tmp_path)],
                   check=True, capture_output=True, text=True)
    package = tmp_path / "road-maintenance"
    assert sorted(str(p.relative_to(package)) for p in package.rglob("*") if p.is_file()) == [
        "README.md", "pyproject.toml", "src/jixiao_indicator_road_maintenance/__init__.py",
        "tests/test_road_maintenance.py"]

    # A fresh venv that sees this environment's packages (jixiao-sdk, pluggy, pytest)
    # through a .pth file, so nothing needs downloading; addsitedir also runs that site's
    # own .pth files, which is how an editable jixiao-sdk is found.
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    outer = sysconfig.get_paths()["purelib"]
    Path(site, "outer-env.pth").write_text(f"import site; site.addsitedir({outer!r})\n")
    # Building offline needs bdist_wheel (the wheel package or setuptools >= 70.1);
    # without it let pip fetch a build backend from the index.
    offline = find_spec("wheel") is not None
    install = [python, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check"]
    install += ["--no-build-isolation"] if offline else []
    subprocess.run(install + [str(package)], check=True, capture_output=True, text=True)

    tests = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(package / "tests")],
                           capture_output=True, text=True, cwd=tmp_path)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "6 passed" in tests.stdout
    found = subprocess.run(
        [python, "-c", "from jixiao_sdk import IndicatorHost;"
                       "print(IndicatorHost.discover(strict=True).plugin_versions()['road_maintenance'])"],
        check=True, capture_output=True, text=True, cwd=tmp_path)
    assert found.stdout.strip() == "jixiao-indicator-road-maintenance==0.1.0"


@pytest.mark.parametrize("argv, message", [
    (["Road_Maintenance"], "plug-in name 'Road_Maintenance' must be kebab-case"),
    (["roads", "--code", "Roads"], "indicator code 'Roads' must be snake_case"),
    (["roads", "--name-en", 'say "hi"'], "names may not contain quotes"),
])
def test_bad_arguments_are_refused(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        scaffold.main(argv + ["--directory", str(tmp_path)])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_existing_directory_is_not_overwritten(tmp_path, capsys):
    scaffold.main(["roads", "--directory", str(tmp_path)])
    with pytest.raises(SystemExit):
        scaffold.main(["roads", "--directory", str(tmp_path)])
    assert "already exists" in capsys.readouterr().err
