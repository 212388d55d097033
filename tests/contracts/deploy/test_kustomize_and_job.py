"""The renderer tests/contracts/deploy uses agrees with kustomize itself, and the
migration Job's command, `jixiao migrate`, really migrates, twice if need be."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import jixiao_deploy_checks as checks
import pytest
import yaml


@pytest.mark.parametrize("overlay", checks.OVERLAYS)
def test_renderer_agrees_with_kubectl_kustomize(rendered, overlay):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the Python renderer is not compared with kustomize here")
    out = subprocess.run([kubectl, "kustomize", str(checks.K8S / "overlays" / overlay)],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    theirs = {checks.key(d): d for d in yaml.safe_load_all(out) if d}
    ours = {checks.key(d): d for d in rendered[overlay]}
    assert ours.keys() == theirs.keys()
    different = [k for k in ours if ours[k] != theirs[k]]
    assert not different, f"rendered differently: {different}"


def test_a_broken_patch_fails_loudly():
    doc = {"spec": {"template": {"spec": {"containers": [{"env": [{"name": "A", "value": "1"}]}]}}}}
    with pytest.raises(checks.KustomizeError):
        checks.apply_json6902(doc, [{"op": "test", "path": "/spec/template/spec/containers/0/env/0/name", "value": "B"}])
    with pytest.raises(checks.KustomizeError):
        checks.apply_json6902(doc, [{"op": "replace", "path": "/spec/replicas", "value": 1}])


def run_migrate(tmp_path, env: dict[str, str], *args: str):
    env = {"PATH": "/usr/bin:/bin", "JIXIAO_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run([sys.executable, "-m", "jixiao.cli", "migrate", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def job_settings(rendered, tmp_path) -> dict[str, str]:
    """The JIXIAO_* variables the migration Job sets, pointed at SQLite files."""
    job = checks.one(rendered["prod"], "Job", "jixiao-migrate")["spec"]["template"]["spec"]["containers"][0]
    assert checks.command_line(job, "registry") == ["jixiao", "migrate"]
    names = [e["name"] for e in job["env"] if e["name"].startswith("JIXIAO_")]
    assert sorted(names) == ["JIXIAO_REGISTRY_DATABASE_URL", "JIXIAO_SCORING_DATABASE_URL"]
    return {n: f"sqlite:///{tmp_path / n.split('_')[1].lower()}.db" for n in names}


def test_the_migration_job_migrates_both_databases_idempotently(rendered, tmp_path):
    env = job_settings(rendered, tmp_path)
    for _ in range(2):  # a rerun (upgrade, retried Job) changes nothing
        result = run_migrate(tmp_path, env)
        assert result.returncode == 0, result.stderr
        assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["registry", "scoring"]
    with sqlite3.connect(tmp_path / "registry.db") as db:
        assert db.execute("SELECT count(*) FROM alembic_version_registry").fetchone() == (1,)
    with sqlite3.connect(tmp_path / "scoring.db") as db:
        assert db.execute("SELECT count(*) FROM alembic_version_scoring").fetchone() == (1,)
    # Both URLs came from the Job's variables, not the default SQLite files.
    assert not list((tmp_path / "data").glob("*.db"))


def test_the_migration_job_says_what_is_wrong(rendered, tmp_path):
    env = {**job_settings(rendered, tmp_path), "JIXIAO_SCORING_DATABASE_URL": "mysql://x@db/jixiao"}
    result = run_migrate(tmp_path, env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jixiao migrate: error: JIXIAO_SCORING_DATABASE_URL"), result.stderr
    result = run_migrate(tmp_path, {}, "registry", "kafka")
    assert result.returncode == 2 and "unknown service kafka" in result.stderr
