"""Regenerates the Python code for the contracts in proto/jixiao/v1.

Run `python proto/generate.py` (needs grpcio-tools, installed by the dev
extra) after editing a .proto file; `--check` only reports whether the
committed code is stale (tests/contracts/test_generated_code.py runs it).
The generated modules are written beside their sources, so the folder
proto/jixiao/v1 is also the Python package `jixiao.v1`.
"""
from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

PROTO_ROOT = Path(__file__).resolve().parent
PACKAGE_DIR = PROTO_ROOT / "jixiao" / "v1"
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def generate(out_root: Path) -> list[Path]:
    """Runs protoc over every .proto of the package into `out_root`."""
    import grpc_tools
    from grpc_tools import protoc

    well_known = Path(grpc_tools.__file__).parent / "_proto"
    sources = sorted(str(p.relative_to(PROTO_ROOT)) for p in PACKAGE_DIR.glob("*.proto"))
    args = [
        "protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"--python_out={out_root}",
        f"--pyi_out={out_root}",
        f"--grpc_python_out={out_root}",
        *sources,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed; see the messages above")
    return sorted((out_root / "jixiao" / "v1").iterdir())


def stale_files() -> list[str]:
    """Names of generated files that differ from (or are missing beside) their sources."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.name: p for p in generate(Path(tmp))}
        committed = {p.name: p for p in PACKAGE_DIR.iterdir() if p.name.endswith(GENERATED_SUFFIXES)}
        stale = [n for n in fresh if n not in committed or not filecmp.cmp(fresh[n], committed[n], shallow=False)]
        stale += [n for n in committed if n not in fresh]
        return sorted(stale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale generated files")
    options = parser.parse_args(argv)
    if options.check:
        stale = stale_files()
        if stale:
            print("stale generated code: " + ", ".join(stale) + "; run: python proto/generate.py")
            return 1
        print("generated code is up to date")
        return 0
    for old in PACKAGE_DIR.iterdir():
        if old.name.endswith(GENERATED_SUFFIXES):
            old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for path in generate(Path(tmp)):
            shutil.copy2(path, PACKAGE_DIR / path.name)
            print(f"wrote {PACKAGE_DIR.relative_to(PROTO_ROOT.parent) / path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
