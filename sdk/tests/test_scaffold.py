"""The scaffold command: a generated plug-in installs into a fresh venv and passes its own test."""

import importlib.util
import os
import subprocess
import sys
import sysconfig
import venv
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path

import pytest

from jixiao_sdk import scaffold
from jixiao_sdk.testing import IndicatorTestKit


def _builds_offline() -> bool:
    """Whether this environment can build a wheel without an index: bdist_wheel comes with
    the wheel package or with setuptools >= 70.1."""
    if find_spec("wheel") is not None:
        return True
    try:
        major, minor = (int(part) for part in version("setuptools").split(".")[:2])
    except (PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (70, 1)


def _fresh_venv(path: Path) -> Path:
    """The python of a fresh venv at *path* that sees this environment's packages
    (jixiao-sdk, pluggy, pytest) through a .pth file, so nothing needs downloading;
    addsitedir also runs that site's own .pth files, which is how an editable jixiao-sdk is
    found. The venv has no pip of its own (ensurepip is slow): this environment's pip
    installs into it with --python."""
    venv.create(path, with_pip=False)
    python = path / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    outer = sysconfig.get_paths()["purelib"]
    Path(site, "outer-env.pth").write_text(f"import site; site.addsitedir({outer!r})\n")
    return python


#: The generated packages the integration test installs: name, scaffold options, code.
PACKAGES = [
    ("road-maintenance", ["--metric", "road_km_maintained", "--name-zh", "道路养护"],
     "road_maintenance"),
    ("on-time-handling", ["--formula", "ratio", "--metric", "cases_on_time",
                          "--metric", "cases_handled"], "on_time_handling"),
    ("road-works", ["--metric", "road_km_built", "--metric", "road_km_repaired",
                    "--metric", "road_km_paved"], "road_works"),
]


@pytest.mark.integration  # a virtual environment and pip: make test-fast leaves it out
def test_generated_packages_install_pass_their_tests_and_are_discovered(tmp_path):
    # One package of each formula: amount of one metric, ratio, amount of several.
    for name, options, _code in PACKAGES:
        subprocess.run([sys.executable, "-m", "jixiao_sdk.scaffold", name,
                        "--owner", "transport_bureau", "--directory", str(tmp_path), *options],
                       check=True, capture_output=True, text=True)
    package = tmp_path / "road-maintenance"
    assert sorted(str(p.relative_to(package)) for p in package.rglob("*") if p.is_file()) == [
        "README.md", "pyproject.toml", "src/jixiao_indicator_road_maintenance/__init__.py",
        "tests/test_road_maintenance.py"]

    python = _fresh_venv(tmp_path / "venv")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
               "--no-deps", "--no-cache-dir", "--disable-pip-version-check"]
    # Without bdist_wheel here let pip fetch a build backend from the index.
    install += ["--no-build-isolation"] if _builds_offline() else []
    packages = [str(tmp_path / name) for name, _options, _code in PACKAGES]
    subprocess.run(install + packages, check=True, capture_output=True, text=True)

    # The generated tests need no pytest plug-ins; not loading this environment's is faster.
    for name, _options, _code in PACKAGES:
        tests = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                               capture_output=True, text=True, cwd=tmp_path / name,
                               env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
        assert tests.returncode == 0, name + "\n" + tests.stdout + tests.stderr
        assert f"{6 if name == 'road-maintenance' else 7} passed" in tests.stdout, tests.stdout

    codes = [code for _name, _options, code in PACKAGES]
    found = subprocess.run(
        [python, "-c", "from jixiao_sdk import IndicatorHost;"
                       "versions = IndicatorHost.discover(strict=True).plugin_versions();"
                       f"print(*(versions[code] for code in {codes!r}))"],
        check=True, capture_output=True, text=True, cwd=tmp_path)
    assert found.stdout.split() == [f"jixiao-indicator-{name}==0.1.0" for name, _o, _c in PACKAGES]


def _load(tmp_path, name, *argv):
    """Generate plug-in *name* with *argv* and import its module under a name of its own."""
    scaffold.main([name, "--directory", str(tmp_path), *argv])
    snake = name.replace("-", "_")
    path = tmp_path / name / "src" / f"jixiao_indicator_{snake}" / "__init__.py"
    spec = importlib.util.spec_from_file_location(f"scaffold_test_{snake}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ratio_plugin_declares_its_metrics_and_parameters_and_refuses_bad_figures(tmp_path):
    kit = IndicatorTestKit(_load(tmp_path, "on-time-handling", "--formula", "ratio",
                                 "--metric", "cases_on_time", "--metric", "cases_handled"))
    spec = kit.spec("on_time_handling")
    assert spec.input_metrics == ("cases_on_time", "cases_handled")
    assert spec.parameter_names == ("zero_credit_below",)
    assert (spec.kind, spec.rollup, spec.period_basis) == ("score", "sum", "period_alone")

    def rate(on_time, handled, **kwargs):
        events = [kit.event("cases_on_time", on_time, period="2026-03"),
                  kit.event("cases_handled", handled, period="2026-03")]
        return kit.evaluate("on_time_handling", events, target=0.9, period="2026-03",
                            expect_ok=False, **kwargs)

    result = rate(18.0, 20.0)
    assert (result.points, result.raw_value) == (100.0, 0.9)
    zh, en = result.explanation.split(" / ")  # Chinese, then English, as the portal splits it
    assert zh == "cases_on_time 18.00，cases_handled 20.00，比率90.0%，目标90.0%，达成100.0%，得分100.00"
    assert en == ("cases_on_time 18.00 of cases_handled 20.00: 90.0% against a target of 90.0%"
                  " (100.0%); points 100.00")
    assert rate(9.0, 20.0).points == 50.0
    assert rate(21.0, 20.0).reason == (
        "cases_on_time (21.00) exceeds cases_handled (20.00) in 2026-03: a rate cannot pass 100%")
    assert rate(0.0, 0.0).reason == "cases_handled is 0 in 2026-03: no rate of cases_on_time to score"
    assert rate(-1.0, 20.0).status == "failed"


def test_several_metrics_add_up_in_the_amount_formula(tmp_path):
    kit = IndicatorTestKit(_load(tmp_path, "road-works", "--metric", "road_km_built",
                                 "--metric", "road_km_repaired"))
    assert kit.spec("road_works").input_metrics == ("road_km_built", "road_km_repaired")
    events = [kit.event("road_km_built", 3.0, period="2026-01"),
              kit.event("road_km_repaired", 2.0, period="2026-02")]
    result = kit.evaluate("road_works", events, target=10.0)
    assert (result.raw_value, result.points) == (5.0, 50.0)
    assert result.explanation.startswith("完成5.00（road_km_built 3.00 + road_km_repaired 2.00）")


def test_amount_is_the_default_formula(tmp_path):
    scaffold.main(["roads", "--directory", str(tmp_path / "default")])
    scaffold.main(["roads", "--formula", "amount", "--metric", "roads_amount",
                   "--directory", str(tmp_path / "explicit")])
    for path in (tmp_path / "default" / "roads").rglob("*"):
        if path.is_file():
            twin = tmp_path / "explicit" / "roads" / path.relative_to(tmp_path / "default" / "roads")
            assert path.read_text() == twin.read_text(), path.name


@pytest.mark.parametrize("argv, message", [
    (["Road_Maintenance"], "plug-in name 'Road_Maintenance' must be kebab-case"),
    (["roads", "--code", "Roads"], "--code: indicator code 'Roads' must be snake_case"),
    (["x"], "indicator code (the name in snake_case, else give --code) 'x' must be snake_case"),
    (["roads", "--owner", "Transport"], "--owner: owner 'Transport' must be snake_case"),
    (["roads", "--name-en", 'say "hi"'], "names may not contain quotes"),
    (["roads", "--metric", "Road-Km"], "--metric 'Road-Km' is not a metric code"),
    (["roads", "--metric", "km", "--metric", "x"], "--metric 'x' is not a metric code"),
    (["roads", "--metric", "km", "--metric", "km"], "--metric 'km' is given twice"),
    (["roads", "--formula", "ratio", "--metric", "km"],
     "--formula ratio needs exactly two --metric options, the numerator first and the"
     " denominator second; got 1 (km)"),
    (["roads", "--formula", "ratio"], "--formula ratio needs exactly two --metric options"),
    (["roads", "--formula", "ratio", "--metric", "a1", "--metric", "b1", "--metric", "c1"],
     "got 3 (a1, b1, c1)"),
    (["roads", "--formula", "rate"], "argument --formula: invalid choice: 'rate'"),
])
def test_bad_arguments_are_refused(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        scaffold.main(argv + ["--directory", str(tmp_path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("usage: jixiao-indicator-new") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_existing_directory_is_not_overwritten(tmp_path, capsys):
    scaffold.main(["roads", "--directory", str(tmp_path)])
    with pytest.raises(SystemExit):
        scaffold.main(["roads", "--directory", str(tmp_path)])
    assert "already exists" in capsys.readouterr().err
