"""A non-editable install (the gateway's container image) carries the portal's templates and static files."""
import subprocess
import sys
import zipfile

from helpers import REPO

GATEWAY = REPO / "services" / "gateway"


def test_wheel_contains_the_portal(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("jixiao-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    files = [*GATEWAY.glob("entrypoints/templates/*"), *GATEWAY.glob("static/*"), *GATEWAY.glob("entrypoints/portal/*.py")]
    needed = sorted("jixiao/gateway/" + str(f.relative_to(GATEWAY)) for f in files)
    assert len(needed) >= 15
    assert [n for n in needed if n not in names] == []
