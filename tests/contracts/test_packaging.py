"""A non-editable install (a container image) carries every file the services read at run time."""
import subprocess
import sys
import zipfile

from helpers import REPO

NEEDED = [
    "jixiao/registry/migrations/env.py",
    "jixiao/registry/migrations/versions/r0001_initial.py",
    "jixiao/scoring/migrations/env.py",
    "jixiao/scoring/migrations/versions/s0001_initial.py",
    "jixiao/gateway/entrypoints/templates/home.html",
    "jixiao/demo/data/jiangchuan-2026.yaml",
    "jixiao/v1/metric_event_pb2.py",
    "jixiao/v1/scoring_pb2_grpc.py",
    "jixiao/cli.py",
]


def test_wheel_contains_runtime_files(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("jixiao-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [n for n in NEEDED if n not in names] == []
    assert not [n for n in names if "tests/" in n or n.startswith("sdk/")]
