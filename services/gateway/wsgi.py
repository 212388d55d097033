"""WSGI entry point for production servers: `gunicorn 'jixiao.gateway.wsgi:app'`."""
import os

from .app import create_app
from .config import GatewayConfig

app = create_app(GatewayConfig.from_env(os.environ))
