"""What changed between two versions of a scheme, item by item.

List sections are compared by each item's key (a unit by its id, a target by
unit and indicator…), so reordering a list is no change; inside an item,
nested fields are compared by their dotted path. An empty value (null, "", {}
or []) is the same as an absent field: a target exported to a spreadsheet
and imported again without `params: {}` has not changed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

KEYS = {
    "regions": ("id",),
    "categories": ("code",),
    "units": ("id",),
    "sources": ("code",),
    "dimensions": ("code",),
    "indicators": ("code",),
    "assignments": ("category", "indicator"),
    "targets": ("unit", "indicator"),
    "leadership_teams": ("id",),
    "persons": ("id",),
    "grading": ("code",),
    "vetoes": ("indicator", "rule"),
    "consequences": ("rule",),
    "validation_rules": ("code",),
}


@dataclass(frozen=True)
class Change:
    section: str
    key: str
    kind: str  # added | removed | changed
    field: str = ""
    before: object = None
    after: object = None


def _empty(value: object) -> bool:
    return value is None or value == "" or value == {} or value == []


def _pruned(value: object) -> object:
    """The value with its empty fields left out, at every depth."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if not _empty(_pruned(v))}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def diff(before: dict, after: dict) -> list[Change]:
    before, after = _pruned(before), _pruned(after)
    changes: list[Change] = []
    for section in sorted(set(before) | set(after)):
        old, new = before.get(section), after.get(section)
        if old == new:
            continue
        if isinstance(old, list) or isinstance(new, list):
            changes += _diff_items(section, _keyed(section, old or []), _keyed(section, new or []))
        elif isinstance(old, dict) and isinstance(new, dict):
            changes += [Change(section, section, "changed", f, a, b) for f, a, b in _fields(old, new)]
        else:
            changes.append(Change(section, section, "changed", "", old, new))
    return changes


def to_json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _keyed(section: str, items: list) -> dict[str, object]:
    keyed: dict[str, object] = {}
    for index, item in enumerate(items):
        names = KEYS.get(section, ())
        parts = [str(item[n]) for n in names if isinstance(item, dict) and item.get(n) is not None]
        key = "/".join(parts) if parts else f"#{index}"
        keyed[key if key not in keyed else f"{key}#{index}"] = item
    return keyed


def _diff_items(section: str, old: dict, new: dict) -> list[Change]:
    changes = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            changes.append(Change(section, key, "removed", before=old[key]))
        elif key not in old:
            changes.append(Change(section, key, "added", after=new[key]))
        elif old[key] != new[key]:
            if isinstance(old[key], dict) and isinstance(new[key], dict):
                changes += [Change(section, key, "changed", f, a, b) for f, a, b in _fields(old[key], new[key])]
            else:
                changes.append(Change(section, key, "changed", "", old[key], new[key]))
    return changes


def _fields(old: dict, new: dict, prefix: str = "") -> list[tuple[str, object, object]]:
    found = []
    for name in sorted(set(old) | set(new), key=str):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        path = f"{prefix}{name}"
        if isinstance(a, dict) and isinstance(b, dict):
            found += _fields(a, b, path + ".")
        else:
            found.append((path, a, b))
    return found
