"""`python -m jixiao.registry`: runs the registry service."""
import sys

from jixiao.common.entrypoint import run_service
from jixiao.registry.bootstrap import build

sys.exit(run_service("registry", build))
