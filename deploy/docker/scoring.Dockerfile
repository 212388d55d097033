# syntax=docker/dockerfile:1
# The Jixiao scoring service. Build from the repository root:
#   docker build -f deploy/docker/scoring.Dockerfile -t registry.example.gov/jixiao/scoring:0.1.0 .
# Installs exactly what the README installs (the SDK, the standard indicator
# plug-ins, the platform's parts and the jixiao distribution with PostgreSQL support) into a virtual
# environment in a build stage, and copies only that environment into the
# runtime stage, which runs as an unprivileged user.

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
RUN pip install ./sdk ./plugins/*/ ./proto/ ./services/*/ '.[postgres]' \
 && python -m compileall -q /opt/venv/lib

FROM python:3.12.10-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="jixiao-scoring" \
      org.opencontainers.image.description="Jixiao (绩效) scoring service" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 jixiao \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin jixiao
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    JIXIAO_BIND_HOST=0.0.0.0
USER 10001:10001
EXPOSE 50052
# Same check as the Kubernetes readiness probe: grpc.health.v1 says SERVING.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, sys; from jixiao.common.readiness import grpc_serving; sys.exit(0 if grpc_serving('127.0.0.1:' + os.environ.get('JIXIAO_SCORING_PORT', '50052'), timeout=2.0) else 1)"]
ENTRYPOINT ["jixiao"]
CMD ["scoring"]
