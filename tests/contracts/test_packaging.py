"""A non-editable install (a container image) carries every file the services read at run time."""
import subprocess
import sys
import zipfile

from helpers import REPO

SERVICES = REPO / "services"
#: Files read at run time that are not Python modules found by imports alone.
RUNTIME_GLOBS = [
    "registry/migrations/**/*.py", "scoring/migrations/**/*.py", "gateway/openapi.yaml",
    "gateway/entrypoints/templates/*.html", "gateway/static/*", "gateway/entrypoints/portal/*.py",
    "demo/data/*.yaml",
]


def test_wheel_contains_runtime_files(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("jixiao-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = sorted({"jixiao/" + str(f.relative_to(SERVICES)) for pattern in RUNTIME_GLOBS
                     for f in SERVICES.glob(pattern) if "__pycache__" not in f.parts})
    needed += ["jixiao/v1/metric_event_pb2.py", "jixiao/v1/scoring_pb2_grpc.py", "jixiao/cli.py"]
    assert len(needed) >= 30
    assert [n for n in needed if n not in names] == []
    assert not [n for n in names if "tests/" in n or n.startswith("sdk/")]
