"""The kinds of value a scheme document is made of, each able to check a value,
describe itself for the reference and state itself as JSON Schema.

One declaration (`declaration.py`) is built from these; the registry's validator,
docs/scheme-reference.md and the JSON Schema in the OpenAPI document are all read
off it, so they cannot drift apart.

Checking is structural: kinds of value, required fields, known fields, choices,
number ranges. Rules between parts of a document (a unit's category must be
declared, weights sum to 1, ...) are the registry's (`jixiao.registry.domain.scheme`).
A check appends ``(path, message)`` pairs; a path names the place as the
validator always has: ``units[3].name.zh``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

Problems = list[tuple[str, str]]


def kind_of(value) -> str:
    """How a problem names the kind of a value it did not expect."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    for kind, name in ((str, "text"), ((int, float), "a number"), (dict, "a mapping"), (list, "a list"),
                       (datetime, "a date and time"), (date, "a date")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _short(value) -> str:
    """A value as a message quotes it: long texts and numbers cut short."""
    text = repr(value)
    if len(text) <= 40:
        return text
    return f"a number of {len(str(abs(value)))} digits" if isinstance(value, int) else f"{text[:37]}..."


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Type:
    """A kind of value. `label` is what the reference prints in its Type column."""

    def check(self, value, path: str, problems: Problems) -> None:
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError

    def label(self) -> str:
        raise NotImplementedError

    def records(self) -> list[Record]:
        """The named records inside this type, for the reference's sub-sections."""
        return []


@dataclass(frozen=True)
class Text(Type):
    """Text; with `choices`, one of them. `refers` names what the text is a code of
    (``a metric``, ``a unit id``), for the reader; the registry checks the reference."""

    choices: tuple[str, ...] = ()
    refers: str = ""

    def check(self, value, path, problems):
        if not isinstance(value, str):
            problems.append((path, f"must be text, not {kind_of(value)}"))
        elif self.choices and value not in self.choices:
            wanted = repr(self.choices[0]) if len(self.choices) == 1 else f"one of {', '.join(self.choices)}"
            problems.append((path, f"must be {wanted}, not {_short(value)}"))

    def schema(self):
        return {"type": "string", "enum": list(self.choices)} if self.choices else {"type": "string"}

    def label(self):
        if self.choices:
            return "one of " + ", ".join(f"`{c}`" for c in self.choices)
        return f"text ({self.refers})" if self.refers else "text"


@dataclass(frozen=True)
class Number(Type):
    """A number (an integer or a decimal, never true/false); `integer` for whole numbers
    only. Bounds are inclusive unless `above` (exclusive lower bound) is given."""

    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None
    integer: bool = False

    def check(self, value, path, problems):
        kinds = (int,) if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            problems.append((path, f"must be {'a whole number' if self.integer else 'a number'}, not {kind_of(value)}"))
            return
        try:
            low = (self.minimum is not None and value < self.minimum) or (self.above is not None and value <= self.above)
            high = self.maximum is not None and value > self.maximum
        except OverflowError:  # an integer beyond the float range
            low, high = value < 0, value > 0
        if low or high:
            problems.append((path, f"must be {self._range()}, not {_short(value)}"))

    def _range(self) -> str:
        low = f"> {self.above:g}" if self.above is not None else (f"≥ {self.minimum:g}" if self.minimum is not None else "")
        high = f"≤ {self.maximum:g}" if self.maximum is not None else ""
        return " and ".join(part for part in (low, high) if part)

    def schema(self):
        out: dict = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.above is not None:
            out["exclusiveMinimum"] = self.above
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out

    def label(self):
        name = "whole number" if self.integer else "number"
        return f"{name} {self._range()}".strip()


@dataclass(frozen=True)
class Boolean(Type):
    def check(self, value, path, problems):
        if not isinstance(value, bool):
            problems.append((path, f"must be true or false, not {kind_of(value)}"))

    def schema(self):
        return {"type": "boolean"}

    def label(self):
        return "true or false"


@dataclass(frozen=True)
class Name(Type):
    """A name in Chinese (`zh`), English (`en`) or both: at least one, not empty.
    The portal shows the reader's language and falls back to the other."""

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append((path, f"must be a mapping of zh and en, not {kind_of(value)}"))
            return
        for key in value:
            if key not in ("zh", "en"):
                problems.append((_join(path, str(key)), "unknown language: a name has zh and en"))
        for key in ("zh", "en"):
            if key in value and not isinstance(value[key], str):
                problems.append((_join(path, key), f"must be text, not {kind_of(value[key])}"))
        if not any(isinstance(value.get(k), str) and value[k].strip() for k in ("zh", "en")):
            problems.append((path, "needs a name in Chinese (zh) or English (en)"))

    def schema(self):
        text = {"type": "string", "minLength": 1}
        return {"type": "object", "additionalProperties": False, "properties": {"zh": text, "en": text},
                "anyOf": [{"required": ["zh"]}, {"required": ["en"]}]}

    def label(self):
        return "name (`zh` and/or `en`)"


@dataclass(frozen=True)
class ListOf(Type):
    item: Type

    def check(self, value, path, problems):
        if not isinstance(value, list):
            problems.append((path, f"must be a list, not {kind_of(value)}"))
            return
        for i, element in enumerate(value):
            self.item.check(element, f"{path}[{i}]", problems)

    def schema(self):
        return {"type": "array", "items": self.item.schema()}

    def label(self):
        return f"list of {self.item.label()}"

    def records(self):
        return self.item.records()


@dataclass(frozen=True)
class OrNull(Type):
    """`inner`, or null (read as absent)."""

    inner: Type

    def check(self, value, path, problems):
        if value is None:
            return
        before = len(problems)
        self.inner.check(value, path, problems)
        for i in range(before, len(problems)):
            where, message = problems[i]
            if where == path and message.startswith("must be "):
                problems[i] = (where, message.replace(", not", " or null, not", 1))

    def schema(self):
        return {"anyOf": [self.inner.schema(), {"type": "null"}]}

    def label(self):
        return f"{self.inner.label()}, or null"

    def records(self):
        return self.inner.records()


@dataclass(frozen=True)
class AnyOf(Type):
    """One of several kinds of scalar (a target parameter: a number or text)."""

    options: tuple[Type, ...]

    def check(self, value, path, problems):
        for option in self.options:
            trial: Problems = []
            option.check(value, path, trial)
            if not trial:
                return
        problems.append((path, f"must be {' or '.join(o.label() for o in self.options)}, not {kind_of(value)}"))

    def schema(self):
        return {"anyOf": [o.schema() for o in self.options]}

    def label(self):
        return " or ".join(o.label() for o in self.options)


@dataclass(frozen=True)
class Field:
    """One key of a record. `default` says, in words for the reference, what its absence
    means ("" when it has no default: an optional field that is simply not there)."""

    name: str
    type: Type
    doc: str
    required: bool = False
    default: str = ""
    example: object = None


@dataclass(frozen=True)
class Record(Type):
    """A mapping with declared fields, and no others unless `extra` gives the kind of
    the other keys' values (a target's free `params`, a trigger's attributes).
    `title` names it in messages and the reference; `example` is shown there."""

    title: str
    doc: str
    fields: tuple[Field, ...]
    extra: Type | None = None
    extra_doc: str = ""
    example: object = None
    anchor: str = ""

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append((path, f"must be a mapping, not {kind_of(value)}"))
            return
        for f in self.fields:
            if f.name in value:  # null is not "absent" unless the type says so (OrNull)
                f.type.check(value[f.name], _join(path, f.name), problems)
            elif f.required:
                problems.append((_join(path, f.name), "is required"))
        known = {f.name for f in self.fields}
        for key in value:
            if key in known:
                continue
            if self.extra is not None:
                self.extra.check(value[key], _join(path, str(key)), problems)
            else:
                problems.append((_join(path, str(key)), f"unknown field: {self.title} has {', '.join(f.name for f in self.fields)}"))

    def schema(self):
        out: dict = {"type": "object", "description": self.doc,
                     "properties": {f.name: {**f.type.schema(), "description": f.doc} for f in self.fields},
                     "additionalProperties": self.extra.schema() if self.extra is not None else False}
        required = [f.name for f in self.fields if f.required]
        if required:
            out["required"] = required
        return out

    def label(self):
        return f"[{self.title}](#{self.slug})"

    @property
    def slug(self) -> str:
        return self.anchor or self.title.lower().replace(" ", "-").replace("'", "")

    def records(self):
        found = [self]
        for f in self.fields:
            found += f.type.records()
        if self.extra is not None:
            found += self.extra.records()
        return found


@dataclass(frozen=True)
class Tagged(Type):
    """A mapping whose `tag` field chooses which record it is (a generic indicator's
    `formula`); each variant declares the tag among its fields."""

    title: str
    tag: str
    variants: Mapping[str, Record] = field(default_factory=dict)

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append((path, f"must be a mapping, not {kind_of(value)}"))
            return
        chosen = value.get(self.tag)
        if chosen is None:
            problems.append((_join(path, self.tag), f"is required: one of {', '.join(self.variants)}"))
        elif not isinstance(chosen, str) or chosen not in self.variants:
            problems.append((_join(path, self.tag), f"must be one of {', '.join(self.variants)}, not {chosen!r}"))
        else:
            self.variants[chosen].check(value, path, problems)

    def schema(self):
        return {"type": "object", "required": [self.tag], "oneOf": [v.schema() for v in self.variants.values()]}

    def label(self):
        return " or ".join(v.label() for v in self.variants.values())

    def records(self):
        return [r for v in self.variants.values() for r in v.records()]
