"""Runs the gateway on the embedded HTTP server (werkzeug, threaded).

Production runs the same application factory under gunicorn:
`gunicorn 'jixiao.gateway.wsgi:app'`.
"""
from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Mapping

from werkzeug.serving import make_server

from jixiao.common.config import ConfigError

from .app import close, create_app
from .config import GatewayConfig

log = logging.getLogger("jixiao.gateway")


class GatewayProcess:
    def __init__(self, config: GatewayConfig):
        self.config = config
        self.app = create_app(config)
        # The gateway binds its socket itself so a busy port is a clear
        # ConfigError (werkzeug would print its own message and exit 1).
        self.listener = socket.socket(socket.AF_INET6 if ":" in config.host else socket.AF_INET)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.listener.bind((config.host, config.port))
        except OSError as exc:
            self.listener.close()
            raise ConfigError(f"cannot listen on {config.host}:{config.port} ({exc.strerror}); "
                              "set JIXIAO_GATEWAY_PORT to a free port") from None
        self.listener.listen(128)
        self.http = make_server(config.host, config.port, self.app, threaded=True, fd=self.listener.fileno())
        self.port = self.listener.getsockname()[1]

    def run(self, stop: threading.Event) -> None:
        thread = threading.Thread(target=self.http.serve_forever, name="http", daemon=True)
        thread.start()
        log.info("gateway listening on http://%s:%d/", self.config.host, self.port)
        stop.wait()
        log.info("stopping")
        self.http.shutdown()
        thread.join(timeout=10)
        close(self.app)


def build(environ: Mapping[str, str]) -> GatewayProcess:
    return GatewayProcess(GatewayConfig.from_env(environ))
