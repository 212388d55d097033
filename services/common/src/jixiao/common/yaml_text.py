"""Reading YAML: PyYAML's safe loader, in libyaml's C implementation when PyYAML was
built with it (its wheels are), which reads a city's scheme several times faster than
the pure-Python one. The one place that chooses; same documents, same errors."""
from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str):
    """`yaml.safe_load`, with libyaml when available."""
    return yaml.load(text, Loader=SAFE_LOADER)


SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def safe_dump(data, **options) -> str:
    """`yaml.safe_dump`, with libyaml when available (`options` as yaml.dump takes them)."""
    return yaml.dump(data, Dumper=SAFE_DUMPER, **options)
