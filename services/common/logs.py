"""Logging set-up shared by the services: one line per record on stderr."""
from __future__ import annotations

import logging
from collections.abc import Mapping


def configure_logging(service: str, environ: Mapping[str, str]) -> logging.Logger:
    level = environ.get("JIXIAO_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format=f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s",
    )
    # kafka-python logs every connection attempt and retry; the services log
    # what matters (unreachable broker, failed commits) themselves.
    logging.getLogger("kafka").setLevel(logging.WARNING)
    logging.getLogger("kafka.conn").setLevel(logging.CRITICAL)
    logging.getLogger("kafka.client").setLevel(logging.CRITICAL)
    # (version probing of newer ApiVersions requests fails once, then falls back)
    logging.getLogger("kafka.protocol.parser").setLevel(logging.CRITICAL)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # The scoring service logs the installed indicators in one line.
    logging.getLogger("jixiao_sdk.manager").setLevel(logging.WARNING)
    return logging.getLogger(f"jixiao.{service}")
