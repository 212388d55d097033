"""`python -m jixiao.scoring`: runs the scoring service."""
import sys

from jixiao.common.entrypoint import run_service
from jixiao.scoring.bootstrap import build

sys.exit(run_service("scoring", build))
