"""The one place that wires the gateway: the adapters (gRPC clients of
scoring and the registry, their cached answers, the Kafka publisher), the
service layer over them, and the Flask application (entrypoints/) that
serves both the JSON API and the portal. `python -m jixiao.gateway` runs it
on the embedded HTTP server (werkzeug, threaded).

Production runs the same application under gunicorn:
`gunicorn 'jixiao.gateway.wsgi:app'` (wsgi.py calls `create_app`).
"""
from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Mapping

from flask import Flask
from werkzeug.serving import make_server

from jixiao.common.config import ConfigError

from .adapters.active_indicators import ActiveIndicators
from .adapters.grpc_clients import Backends
from .adapters.kafka_publisher import MetricsPublisher
from .adapters.registry_schemes import RegistrySchemes
from .adapters.scoring_ballots import ScoringBallots
from .adapters.scoring_periods import ScoringPeriods
from .config import GatewayConfig
from .entrypoints import flask_app, wiring
from .entrypoints.http_cache import ResponseCache
from .service_layer.ballot_box import BallotBox
from .service_layer.period_access import PeriodAccess
from .service_layer.scheme_lookup import SchemeLookup
from .service_layer.value_uploads import ValueUploads

log = logging.getLogger("jixiao.gateway")


def create_app(config: GatewayConfig, backends: Backends | None = None, *,
               response_cache: ResponseCache | None = None) -> Flask:
    """The gateway's Flask application, with everything it uses built from `config`."""
    backends = backends or Backends(config.scoring_address, config.registry_address, config.deadline_seconds,
                                    config.service_token, config.action_deadline_seconds)
    schemes = SchemeLookup(RegistrySchemes(backends))
    periods = PeriodAccess(ScoringPeriods(backends), schemes)
    publisher = MetricsPublisher(config.kafka_bootstrap, config.kafka_api_version, config.metrics_topic,
                                 config.relay_key)
    if config.relay_key is None:
        log.warning("JIXIAO_RELAY_KEY_FILE is not set: uploads are refused (503), since scoring counts only signed "
                    "events; create a relay key with `jixiao keys create --source '*' -o FILE`")
    wired = wiring.Wiring(backends=backends, schemes=schemes, periods=periods,
                          uploads=ValueUploads(ActiveIndicators(backends), schemes, periods, publisher), publisher=publisher,
                          tokens=config.tokens,
                          ballot_box=BallotBox(ScoringBallots(backends, config.ballot_box_token)))
    return flask_app.create_app(wired, portal_secret_key=config.portal_secret_key,
                                portal_timezone=config.portal_timezone,
                                service_token=config.service_token, response_cache=response_cache)


def close(app: Flask) -> None:
    """Releases the gRPC channels and the Kafka producer."""
    wiring.wired(app).close()


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
