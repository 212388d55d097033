"""WSGI entry point for production servers:

    gunicorn --workers 4 --threads 8 --bind 0.0.0.0:8080 --access-logfile - 'jixiao.gateway.wsgi:app'

Under gunicorn the gateway's log records go to gunicorn's error log, at the
level of gunicorn's --log-level; each worker makes its own gRPC channels and
Kafka producer after the fork (do not use --preload).
"""
import logging
import os

from .app import create_app
from .config import GatewayConfig


def _join_gunicorn_logging() -> None:
    """Sends the `jixiao` loggers to gunicorn's error log, when running under gunicorn."""
    server = logging.getLogger("gunicorn.error")
    if not server.handlers:
        return
    ours = logging.getLogger("jixiao")
    ours.handlers = list(server.handlers)
    ours.setLevel(server.level)
    ours.propagate = False


_join_gunicorn_logging()
app = create_app(GatewayConfig.from_env(os.environ))
