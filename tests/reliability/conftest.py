"""tests/reliability: proof under load, faults and bad input (issue 9).

`reliability_kit` holds what several of these tests share: the demo-city
stream with faults mixed in, a registry with the demo scheme published,
the in-process reference run, and snapshots of everything scoring stores.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
