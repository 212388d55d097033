# syntax=docker/dockerfile:1
# The Jixiao gateway (portal and /api/v1) under gunicorn. Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t registry.example.gov/jixiao/gateway:0.1.0 .
# Installs exactly what the README installs, plus the `gateway` extra
# (gunicorn), into a virtual environment in a build stage, and copies only
# that environment into the runtime stage, which runs as an unprivileged user.

FROM python:3.12.10-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY sdk/ sdk/
COPY plugins/ plugins/
COPY proto/ proto/
COPY services/ services/
COPY pyproject.toml README.md ./
RUN pip install ./sdk ./plugins/*/ ./proto/ ./services/*/ '.[postgres,gateway]' \
 && python -m compileall -q /opt/venv/lib

FROM python:3.12.10-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="jixiao-gateway" \
      org.opencontainers.image.description="Jixiao (绩效) gateway: portal and JSON API" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 jixiao \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin jixiao
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    JIXIAO_BIND_HOST=0.0.0.0
USER 10001:10001
EXPOSE 8080
# Same check as the Kubernetes probes.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/api/v1/health', timeout=2).status == 200 else 1)"]
# The README's production command (docs/gateway.md): threaded workers, as a
# request mostly waits on a gRPC backend. gunicorn's worker heartbeat files go
# to /dev/shm so that the root filesystem can stay read-only.
ENTRYPOINT ["gunicorn"]
CMD ["--workers", "4", "--threads", "8", "--bind", "0.0.0.0:8080", "--worker-tmp-dir", "/dev/shm", "--graceful-timeout", "20", "--access-logfile", "-", "jixiao.gateway.wsgi:app"]
