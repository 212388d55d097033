"""The Dockerfiles, checked without a Docker engine: multi-stage, pinned
base, non-root, a health check, built from the packages the README installs,
and only paths, ports, extras and variables that exist."""
from __future__ import annotations

import fnmatch
import re

import jixiao_deploy_checks as checks
import pytest

SERVICES = pytest.mark.parametrize("service", checks.SERVICE_NAMES)


def instructions(service):
    return checks.parse_dockerfile(checks.DOCKER / f"{service}.Dockerfile")


@SERVICES
def test_multi_stage_from_one_pinned_base(service):
    froms = [i for i in instructions(service) if i.keyword == "FROM"]
    assert len(froms) >= 2, "multi-stage: a build stage and a runtime stage"
    images = {f.arguments.split()[0] for f in froms}
    assert len(images) == 1, f"one base image for all stages, not {images}"
    name, tag = checks.split_image(images.pop())
    assert re.fullmatch(r"\d+\.\d+\.\d+-slim-\w+", tag), f"{name}:{tag} is not pinned to a full version"
    assert all(" AS " in f.arguments.upper() for f in froms[:-1]), "build stages are named"


@SERVICES
def test_runs_as_an_unprivileged_user_with_a_health_check(service):
    steps = instructions(service)
    last = steps[-1].stage
    users = [i.arguments for i in steps if i.keyword == "USER" and i.stage == last]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert users[-1] == "10001:10001", "the uid/gid the manifests' runAsUser/runAsGroup expect"
    checks_ = [i.arguments for i in steps if i.keyword == "HEALTHCHECK" and i.stage == last]
    assert len(checks_) == 1
    command = checks.exec_form(checks_[0].split(" CMD ", 1)[1])
    assert command[:2] == ["python", "-c"]
    compile(command[2], "HEALTHCHECK", "exec")
    expose = [int(i.arguments) for i in steps if i.keyword == "EXPOSE"]
    if service == "gateway":
        assert f"127.0.0.1:{expose[0]}/api/v1/health" in command[2]
    else:
        from jixiao.common.readiness import grpc_serving  # noqa: F401 - the check imports it
        assert "grpc_serving" in command[2] and f"'{expose[0]}'" in command[2]


@SERVICES
def test_installs_what_the_readme_installs(service):
    steps = instructions(service)
    installs = [i.arguments for i in steps if i.keyword == "RUN" and "pip install" in i.arguments]
    assert len(installs) == 1
    words = installs[0].split("&&")[0].split()
    assert "./sdk" in words and "./plugins/*/" in words
    assert "./proto/" in words and "./services/*/" in words, "the platform's parts (pyproject.toml)"
    root = next(w for w in words if w.strip("'\"").startswith(".["))
    extras = set(root.strip("'\"")[2:-1].split(","))
    declared = set(checks.pyproject()["project"]["optional-dependencies"])
    assert "postgres" in extras and extras <= declared, f"extras {extras - declared} are not in pyproject.toml"
    if service == "gateway":
        assert "gateway" in extras
        gateway_extra = checks.pyproject()["project"]["optional-dependencies"]["gateway"]
        assert any(d.startswith("gunicorn") for d in gateway_extra)


def dockerignored(path: str) -> bool:
    patterns = [p for p in (checks.REPO / ".dockerignore").read_text().splitlines() if p and not p.startswith("#")]
    parts = path.split("/")
    for pattern in patterns:
        for i in range(len(parts)):
            prefix = "/".join(parts[: i + 1])
            if fnmatch.fnmatch(prefix, pattern) or (pattern.startswith("**/") and fnmatch.fnmatch(parts[i], pattern[3:])):
                return True
    return False


@SERVICES
def test_copied_paths_exist_and_are_in_the_build_context(service):
    for step in instructions(service):
        if step.keyword == "COPY" and not step.arguments.startswith("--from"):
            *sources, _destination = step.arguments.split()
            for source in sources:
                assert (checks.REPO / source).exists(), f"COPY {source}: no such path"
                assert not dockerignored(source.rstrip("/")), f"COPY {source}: excluded by .dockerignore"
    assert dockerignored(".venv") and dockerignored(".git") and dockerignored("services/__pycache__")


@SERVICES
def test_command_port_and_variables_are_the_services(service):
    steps = instructions(service)
    last = steps[-1].stage
    entrypoint = checks.exec_form(next(i.arguments for i in steps if i.keyword == "ENTRYPOINT"))
    command = checks.exec_form(next(i.arguments for i in steps if i.keyword == "CMD"))
    expose = [int(i.arguments) for i in steps if i.keyword == "EXPOSE"]
    reads = checks.env_reads(service)
    env = checks.dockerfile_env(steps, last)
    for name in env:
        if name.startswith("JIXIAO_"):
            assert name in reads.names, f"{name} is not read by {service}"
    if service == "gateway":
        assert entrypoint == ["gunicorn"] and command[-1] == "jixiao.gateway.wsgi:app"
        assert "app = " in checks.source("gateway/wsgi.py").read_text(encoding="utf-8")
        assert expose == [int(command[command.index("--bind") + 1].rsplit(":", 1)[1])]
    else:
        assert entrypoint == ["jixiao"] and command == [service]
        assert checks.pyproject("services/cli")["project"]["scripts"]["jixiao"] == "jixiao.cli:main"
        setting = f"JIXIAO_{service.upper()}_PORT"
        assert expose == [reads.port_defaults[setting]]
        assert env.get("JIXIAO_BIND_HOST") == "0.0.0.0"


def test_a_floating_base_image_is_caught(tmp_path):
    dockerfile = tmp_path / "x.Dockerfile"
    dockerfile.write_text("FROM python:3.12-slim AS build\nRUN true\nFROM python:3.12-slim\nUSER root\n")
    froms = [i for i in checks.parse_dockerfile(dockerfile) if i.keyword == "FROM"]
    _name, tag = checks.split_image(froms[0].arguments.split()[0])
    assert not re.fullmatch(r"\d+\.\d+\.\d+-slim-\w+", tag)
