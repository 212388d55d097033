"""The order `make test` hands modules to its workers.

pytest-xdist (--dist loadscope --no-loadscope-reorder, see the Makefile) gives whole
modules to the workers in collection order, so the modules that take longest (a full run's --durations on the 2-core
machine) start first and the short ones fill in around them: the workers finish
together instead of one starting a long module when the others are done. The
portal's modules, which share one scored demo (tests/e2e/portal/conftest.py), are
spread out so that fewer workers wait on its build at once. Order only: a module
missing here runs too (tests/contracts/test_suite_order.py checks the names)."""
from __future__ import annotations

from pathlib import Path

LONGEST_FIRST = (
    "tests/e2e/reliability/test_api_fuzz.py",  # one schemathesis worker: 100–136 s in a full run
    "tests/e2e/reliability/test_crash_recovery.py",
    "tests/e2e/platform/test_up.py",
    "tests/e2e/portal/test_no_voter_ids.py",
    "tests/e2e/platform/test_two_scoring_processes.py",
    "tests/e2e/portal/test_published.py",
    "tests/e2e/reliability/test_bad_input.py",
    "tests/e2e/reliability/test_broker_loss.py",
    "tests/e2e/portal/test_financial_year.py",
    "tests/e2e/portal/test_scheme_desk.py",
    "tests/integration/kafka/test_delivery_faults.py",
    "tests/e2e/platform/test_thin_path.py",
    "tests/e2e/portal/test_sub_year.py",
    "tests/e2e/platform/test_up_restarts.py",
    "tests/e2e/platform/test_signed_feeds.py",
    "tests/integration/scoring/test_demo_grades.py",
    "tests/e2e/portal/test_before_publication.py",
    "tests/integration/registry/test_cli.py",
    "tests/e2e/portal/test_findings.py",
    "tests/e2e/platform/test_grpc_surface.py",
    "tests/e2e/platform/test_clean_stop.py",
    "tests/e2e/portal/test_bulletin.py",
)
# Then the rest: the layers whose modules start processes first, the fast ones last.
LAYERS_FIRST = ("tests/e2e/", "tests/integration/", "tests/contracts/", "sdk/tests/", "plugins/", "tests/unit/")


def rank(path: Path, root: Path) -> tuple[int, int]:
    """A test module's place: its index in LONGEST_FIRST, then its layer's in LAYERS_FIRST."""
    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    first = LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)
    layer = next((i for i, prefix in enumerate(LAYERS_FIRST) if name.startswith(prefix)), len(LAYERS_FIRST))
    return first, layer
