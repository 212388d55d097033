"""The suite's schedule (tests/helpers/schedule.py) names modules that exist: a module renamed
or moved would silently lose its place at the front and lengthen `make test`."""
from pathlib import Path

from helpers.schedule import LAYERS_FIRST, LONGEST_FIRST

REPO = Path(__file__).resolve().parents[2]


def test_every_module_scheduled_first_exists():
    assert [path for path in LONGEST_FIRST if not (REPO / path).is_file()] == []
    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)


def test_every_layer_scheduled_is_a_folder():
    assert [prefix for prefix in LAYERS_FIRST if not (REPO / prefix).is_dir()] == []
