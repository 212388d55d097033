"""WSGI entry point for production servers:

    gunicorn --workers 4 --threads 8 --bind 0.0.0.0:8080 --access-logfile - 'jixiao.gateway.wsgi:app'

Under gunicorn the gateway's log records go to gunicorn's error log, at the
level of gunicorn's --log-level; each worker makes its own gRPC channels and
Kafka producer after the fork (do not use --preload). A bad setting is one
line in the log, and gunicorn stops instead of restarting workers that
cannot start. Telemetry (OTEL_* variables, docs/observability.md) is set up
in each worker; log lines written inside a span end with its ids.
"""
import logging
import os
import sys

from jixiao.common import telemetry
from jixiao.common.config import ConfigError
from jixiao.common.logs import TraceIdsInMessage, install_trace_ids

from .bootstrap import create_app
from .config import GatewayConfig

WORKER_BOOT_ERROR = 3  # gunicorn's code for a worker that cannot start: the master stops
log = logging.getLogger("jixiao.gateway")


def _join_gunicorn_logging() -> None:
    """Sends the `jixiao` loggers to gunicorn's error log, when running under gunicorn."""
    server = logging.getLogger("gunicorn.error")
    if not server.handlers:
        return
    ours = logging.getLogger("jixiao")
    install_trace_ids()
    for handler in server.handlers:  # gunicorn's format: the trace ids go at the end of the message
        if not any(isinstance(f, TraceIdsInMessage) for f in handler.filters):
            handler.addFilter(TraceIdsInMessage())
    ours.handlers = list(server.handlers)
    ours.setLevel(server.level)
    ours.propagate = False


_join_gunicorn_logging()
try:
    telemetry.setup("gateway", os.environ)  # per worker, after the fork; exported at exit
    _config = GatewayConfig.from_env(os.environ)
except ConfigError as exc:
    log.error("jixiao gateway: error: %s", exc)
    sys.exit(WORKER_BOOT_ERROR)
app = create_app(_config)
log.info("gateway worker %d ready: scoring at %s, registry at %s", os.getpid(), _config.scoring_address,
         _config.registry_address)
