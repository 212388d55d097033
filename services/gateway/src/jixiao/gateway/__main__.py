"""`python -m jixiao.gateway`: runs the gateway on the embedded HTTP server."""
import sys

from jixiao.common.entrypoint import run_service
from jixiao.gateway.bootstrap import build

sys.exit(run_service("gateway", build))
