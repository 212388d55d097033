"""The desk's forms of a scheme document, read off the declared format
(`jixiao.common.scheme_format`): no section has a hand-written form, so a field added
to the declaration appears in the desk as it is.

- `sections(document_record)`: the document's editable sections — a record (`scheme`,
  `city`, `person_scoring`) or a list of records (`units`, `targets`, …).
- `form_fields(record)`: one `FormField` per declared field, its input chosen by its kind:
  text → a text input; text with choices → a select; number → a number input with its
  bounds; true/false → a checkbox; a name → two inputs, zh and en; a list of texts or
  numbers → one comma-separated input; `OrNull` → the inner kind, empty meaning absent;
  anything nested (lists of records, a generic indicator's formula, a target's params, a
  veto's trigger, a mapping with free keys) → a small YAML text area.
- `form_values(record, item)`: what each input shows for an item.
- `parse_form(record, posted, original)`: the posted inputs back into the item's values,
  and the inputs that could not be read (`InputProblem`: a code and the text sent, which
  the page words in its language). An empty optional input leaves its key out (or keeps an
  empty value the item had, so that saving an unchanged form changes nothing).
- `split_problems(detail)`: the registry's refusal "path: message; path: message" as pairs;
  `problems_by_field(record, prefix, problems, item)`: the problems of one item, by field.
- `help_texts(record)`: every record title and every doc of the declaration, for the
  translatable help (`help_messages_source()` writes the generated module
  entrypoints/portal/scheme_help_messages.py that Babel extracts them from).
- `references(document, section, item)`: where else the document names an item (before deleting it).
- `listing(rows, query, only_problems, page, per_page)`: a long section's items searched and paged.

Pure: no web framework, no RPC; the YAML reader is jixiao.common's.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from jixiao.common import yaml_text
from jixiao.common.scheme_format.fields import (
    AnyOf,
    Boolean,
    Field,
    ListOf,
    Name,
    Number,
    OrNull,
    Record,
    Text,
)

# The kinds of input a field gets.
TEXT, SELECT, NUMBER, CHECKBOX, NAME, LIST, YAML, SCALAR = (
    "text", "select", "number", "checkbox", "name", "list", "yaml", "scalar")
EXTRA = "_extra"  # the input holding a record's free keys (a record with `extra`), as YAML
ITEM = ""  # problems about the item as a whole, not one field
LIST_SEPARATORS = re.compile(r"[,，、;；]")


@dataclass(frozen=True)
class FormField:
    """One input (or pair of inputs, for a name) of a record's form."""

    name: str  # the field's key in the record; the input's name (a name's: name.zh, name.en)
    kind: str  # TEXT, SELECT, NUMBER, CHECKBOX, NAME, LIST, YAML or SCALAR (a number or a text, read as YAML)
    required: bool = False
    doc: str = ""
    default: str = ""  # what its absence means, in the declaration's words ("" when nothing)
    example: object = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    nullable: bool = False
    refers: str = ""  # what a text is a code of ("a unit id")
    item_kind: str = ""  # LIST: TEXT or NUMBER
    variants: tuple = ()  # a tagged record (a generic indicator's formula): ((tag, Record), …), for the help

    @property
    def inputs(self) -> tuple[str, ...]:
        return (f"{self.name}.zh", f"{self.name}.en") if self.kind == NAME else (self.name,)

    @property
    def placeholder(self) -> str:
        """The default as a hint in the empty input (the declaration's words, without markdown)."""
        return self.default.replace("`", "")


@dataclass(frozen=True)
class InputProblem:
    """An input the desk could not read: `code` is one of not_a_number, not_whole, not_finite,
    bad_yaml, not_a_mapping; `text` what was sent (or the YAML reader's words)."""

    field: str
    code: str
    text: str = ""


@dataclass(frozen=True)
class Section:
    """A section of the document the desk edits: a record or a list of records."""

    name: str
    record: Record
    is_list: bool
    required: bool
    doc: str


def sections(document: Record) -> list[Section]:
    """The document's sections a form can edit, in the declaration's order (a top-level
    scalar such as `format` is not one: it is kept as it is)."""
    found = []
    for f in document.fields:
        inner = f.type.inner if isinstance(f.type, OrNull) else f.type
        if isinstance(inner, Record):
            found.append(Section(f.name, inner, False, f.required, f.doc))
        elif isinstance(inner, ListOf) and isinstance(inner.item, Record):
            found.append(Section(f.name, inner.item, True, f.required, f.doc))
    return found


def form_fields(record: Record) -> list[FormField]:
    """The form of a record: one field per declared field, and one YAML area for free keys."""
    out = [_form_field(f) for f in record.fields]
    if record.extra is not None:
        out.append(FormField(EXTRA, YAML, doc=record.extra_doc or "other keys"))
    return out


def _form_field(f: Field) -> FormField:
    common = {"name": f.name, "required": f.required, "doc": f.doc, "default": f.default, "example": f.example}
    kind, nullable = f.type, False
    if isinstance(kind, OrNull):
        kind, nullable = kind.inner, True
    common["nullable"] = nullable
    if isinstance(kind, Text):
        if kind.choices:
            return FormField(kind=SELECT, choices=kind.choices, **common)
        return FormField(kind=TEXT, refers=kind.refers, **common)
    if isinstance(kind, Number):
        return FormField(kind=NUMBER, minimum=kind.minimum, maximum=kind.maximum, integer=kind.integer, **common)
    if isinstance(kind, Boolean):
        return FormField(kind=CHECKBOX, **common)
    if isinstance(kind, Name):
        return FormField(kind=NAME, **common)
    if isinstance(kind, ListOf) and isinstance(kind.item, Text):
        return FormField(kind=LIST, item_kind=TEXT, choices=kind.item.choices, refers=kind.item.refers, **common)
    if isinstance(kind, ListOf) and isinstance(kind.item, Number):
        return FormField(kind=LIST, item_kind=NUMBER, integer=kind.item.integer, **common)
    if isinstance(kind, AnyOf) and all(isinstance(o, (Text, Number, Boolean)) for o in kind.options):
        return FormField(kind=SCALAR, **common)
    if hasattr(kind, "variants") and hasattr(kind, "tag"):  # Tagged: the formulas, for the help
        return FormField(kind=YAML, variants=tuple(kind.variants.items()), **common)
    return FormField(kind=YAML, **common)  # Record, Tagged, lists of records, AnyOf with lists, anything new


# --- values → inputs -------------------------------------------------------------------------


def form_values(record: Record, item: Mapping | None) -> dict[str, str]:
    """What each input of `record`'s form shows for `item` (input name → text; a checkbox: "on" or "")."""
    item = item or {}
    shown: dict[str, str] = {}
    for f in form_fields(record):
        if f.name == EXTRA:
            known = {d.name for d in record.fields}
            extra = {k: v for k, v in item.items() if k not in known}
            shown[EXTRA] = dump_yaml(extra) if extra else ""
            continue
        value = item.get(f.name)
        if f.kind == NAME:
            names = value if isinstance(value, Mapping) else {}
            shown[f"{f.name}.zh"] = _text(names.get("zh"))
            shown[f"{f.name}.en"] = _text(names.get("en"))
        elif f.kind == CHECKBOX:
            shown[f.name] = "on" if value is True else ""
        elif f.kind == LIST:
            shown[f.name] = ", ".join(_scalar(v) for v in value) if isinstance(value, list) and all(
                _plain(v) for v in value) else ("" if value is None else dump_yaml(value))
        elif f.kind == YAML:
            shown[f.name] = "" if value is None else dump_yaml(value)
        else:
            shown[f.name] = "" if value is None else _scalar(value)
    return shown


def _plain(value) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and not (
        isinstance(value, str) and LIST_SEPARATORS.search(value))


def _text(value) -> str:
    return "" if value is None else str(value)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)  # a float keeps its point (1.0), so it is read back as the same float


def dump_yaml(value) -> str:
    """A value as the desk's YAML areas show it: block style, Chinese as is, keys in their order."""
    return yaml_text.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False).strip()


# --- inputs → values -------------------------------------------------------------------------


def parse_form(record: Record, posted: Mapping[str, str], original: Mapping | None = None
               ) -> tuple[dict, list[InputProblem]]:
    """The item `posted` describes (input name → text; an unchecked checkbox is absent), and the
    inputs that could not be read. `original` is the item as it was: an empty input keeps an
    empty value it had (null, "", [] or {}), else leaves the key out."""
    original = original or {}
    values: dict = {}
    problems: list[InputProblem] = []
    for f in form_fields(record):
        if f.name == EXTRA:
            text = posted.get(EXTRA, "").strip()
            if text:
                extra = _read_yaml(EXTRA, text, problems)
                if isinstance(extra, dict):
                    values.update({str(k): v for k, v in extra.items()})
                elif extra is not None:
                    problems.append(InputProblem(EXTRA, "not_a_mapping", text))
            continue
        present, value = _parse_field(f, posted, original, problems)
        if present:
            values[f.name] = value
    return values, problems


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _absent(f: FormField, original: Mapping) -> tuple[bool, object]:
    """An empty input: the empty value the item had, else no key."""
    if f.name in original and _empty(original[f.name]):
        return True, original[f.name]
    return False, None


def _parse_field(f: FormField, posted: Mapping[str, str], original: Mapping,
                 problems: list[InputProblem]) -> tuple[bool, object]:
    if f.kind == NAME:
        names = {lang: posted.get(f"{f.name}.{lang}", "").strip() for lang in ("zh", "en")}
        names = {lang: text for lang, text in names.items() if text}
        return (True, names) if names else _absent(f, original)
    if f.kind == CHECKBOX:
        if posted.get(f.name):
            return True, True
        if f.name in original or f.default.strip("`") not in ("", "false"):
            return True, False
        return False, None  # unchecked and absent before: the default (false) stays implicit
    text = posted.get(f.name, "").strip()
    if not text:
        return _absent(f, original)
    if f.kind == NUMBER:
        number = _number(f.name, text, f.integer, problems)
        return (number is not None), number
    if f.kind == LIST:
        items = [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]
        if f.item_kind == NUMBER:
            numbers = [_number(f.name, part, f.integer, problems) for part in items]
            return (None not in numbers), numbers
        return True, items
    if f.kind == YAML:
        value = _read_yaml(f.name, text, problems)
        return (value is not _UNREAD), value
    if f.kind == SCALAR:
        value = _read_yaml(f.name, text, problems)
        return (value is not _UNREAD), value
    return True, text  # TEXT, SELECT (the registry checks the choice: a select may be forged)


_UNREAD = object()


def _number(name: str, text: str, integer: bool, problems: list[InputProblem]):
    try:
        number = int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            problems.append(InputProblem(name, "not_a_number", text))
            return None
        if not math.isfinite(number):
            problems.append(InputProblem(name, "not_finite", text))
            return None
        if integer:
            if not number.is_integer():
                problems.append(InputProblem(name, "not_whole", text))
                return None
            number = int(number)
    return number


def _read_yaml(name: str, text: str, problems: list[InputProblem]):
    try:
        return yaml_text.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(InputProblem(name, "bad_yaml", f"{problem}{where}"))
        return _UNREAD
    except (ValueError, RecursionError) as exc:
        problems.append(InputProblem(name, "bad_yaml", str(exc)[:200]))
        return _UNREAD


def declared_order(value, kind=None):
    """A document (or part of one) with each record's keys in the declaration's order (the
    registry keeps canonical JSON, keys sorted): an export reads as the reference does.
    Only the order changes, so the digest is the same."""
    from jixiao.common.scheme_format import SECTIONS  # the document's declaration
    kind = SECTIONS if kind is None else kind
    if isinstance(kind, OrNull):
        kind = kind.inner
    if isinstance(kind, ListOf) and isinstance(value, list):
        return [declared_order(v, kind.item) for v in value]
    if isinstance(value, dict):
        if isinstance(kind, Record):
            fields = {f.name: f.type for f in kind.fields}
        elif hasattr(kind, "variants"):  # Tagged: the variant its tag names
            variant = kind.variants.get(value.get(kind.tag))
            fields = {f.name: f.type for f in variant.fields} if variant is not None else {}
        else:
            fields = {}
        ordered = {k: declared_order(value[k], fields[k]) for k in fields if k in value}
        ordered.update({k: v for k, v in value.items() if k not in fields})
        return ordered
    return value


# --- problems by place -----------------------------------------------------------------------

_PATH = r"[A-Za-z_][\w]*(?:\[\d+\])?(?:\.[\w*]+(?:\[\d+\])?)*"
_PROBLEM_START = re.compile(rf"(?:^|; )({_PATH}): ")
_MORE = re.compile(r"; and (\d+) more$")


def split_problems(detail: str) -> list[tuple[str, str]]:
    """The registry's refusal of a document, "document: units[3].name: needs a name…;
    dimensions[0].weight: must be …; and 4 more", as (path, message) pairs; a text naming no
    path is one pair with the path "". The leading "document: " names the request's field."""
    detail = detail.strip()
    detail = detail.removeprefix("document: ")
    more = _MORE.search(detail)
    if more:
        detail = detail[:more.start()]
    starts = list(_PROBLEM_START.finditer(detail))
    if not starts or starts[0].start() != 0:
        pairs = [("", detail)] if detail else []
        return pairs + ([("", f"and {more.group(1)} more")] if more else [])
    pairs = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(detail)
        pairs.append((match.group(1), detail[match.end():end]))
    if more:
        pairs.append(("", f"and {more.group(1)} more"))
    return pairs


_INDEX = re.compile(r"^([A-Za-z_]\w*)(?:\[(\d+)\])?")


def locate(path: str) -> tuple[str, int | None, str]:
    """Where a problem is: (section, item index or None, the rest of the path):
    "units[3].name.zh" → ("units", 3, "name.zh"); "dimensions" → ("dimensions", None, "");
    "scheme.year" → ("scheme", None, "year"); "targets (row 12).value" → ("targets", None, …)."""
    match = _INDEX.match(path)
    if not match:
        return "", None, path
    rest = path[match.end():].lstrip(".")
    return match.group(1), (int(match.group(2)) if match.group(2) is not None else None), rest


def problems_by_field(record: Record, section: str, index: int | None, problems: list[tuple[str, str]],
                      item: Mapping | None = None) -> dict[str, list[str]]:
    """The problems about one item (section[index], or the record `section` for None), by the
    form's field: "units[3].name.zh" → name; a deeper place is said with its whole path, as the
    registry names it ("grading[0].grades[1].parts: must be …" next to `grades`). A problem of the whole section that names a
    field of its items ("weights of … sum to 0.9, not 1" → weight) is shown next to that field of
    every item it concerns: those having every value the message quotes ('district_county').
    Problems about the item as a whole are under `ITEM`."""
    names = {f.name for f in record.fields}
    found: dict[str, list[str]] = {}
    for path, message in problems:
        where, at, rest = locate(path)
        if where != section:
            continue
        if at == index and (index is not None or rest):
            head, _, deeper = rest.partition(".")
            field_name = _INDEX.match(head).group(1) if head and _INDEX.match(head) else ""
            if field_name in names:
                detail = rest[len(field_name):].lstrip(".")
                found.setdefault(field_name, []).append(f"{path}: {message}" if detail else message)
            elif field_name and record.extra is not None:
                found.setdefault(EXTRA, []).append(f"{path}: {message}")
            else:
                found.setdefault(ITEM, []).append(f"{path}: {message}" if rest else message)
        elif at is None and not rest:  # the whole section
            named = [n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}s?(?![\w-])", message)]
            if named and (item is None or _concerns(message, item)):
                for n in named:
                    found.setdefault(n, []).append(message)
            elif not named and index is None:
                found.setdefault(ITEM, []).append(message)
    return found


def _concerns(message: str, item: Mapping) -> bool:
    quoted = re.findall(r"'([^']*)'", message)
    values = {str(v) for v in item.values() if isinstance(v, (str, int, float))}
    return all(q in values for q in quoted)


def item_key(section: Section, item: Mapping, index: int) -> str:
    """What names an item in a list: its id or code (a target: unit / indicator), else its place."""
    for keys in (("id",), ("code",), ("unit", "indicator"), ("category", "indicator"), ("indicator",), ("rule",)):
        if all(isinstance(item.get(k), str) and item.get(k) for k in keys) and all(
                section.record.field(k) for k in keys):
            return " / ".join(item[k] for k in keys)
    return f"#{index + 1}"


# --- help texts (translatable) ------------------------------------------------------------

HELP_CONTEXT = "scheme help"  # the docs of records and fields
TITLE_CONTEXT = "scheme record"  # the records' titles ("unit", "grading rule")
DEFAULT_CONTEXT = "scheme default"  # what a field's absence means, in words ("all three", "the code")
_LITERAL_DEFAULT = re.compile(r'`[^`]*`|-?\d+(\.\d+)?|""|false|true')


def words_default(default: str) -> bool:
    """Whether a field's declared default is words to translate ("all three"), not a value (`zero`, 0.1)."""
    return bool(default) and not _LITERAL_DEFAULT.fullmatch(default)
HELP_MODULE = "jixiao/gateway/entrypoints/portal/scheme_help_messages.py"  # relative to the gateway's src/


def help_texts(record: Record) -> list[tuple[str, str]]:
    """Every (context, English text) the desk may show as help, in the declaration's order and
    each once: records' titles (TITLE_CONTEXT), records' docs, their free keys' docs and
    fields' docs (HELP_CONTEXT), and the defaults said in words (DEFAULT_CONTEXT), through nested records, lists, alternatives and the variants
    of a tagged record (a generic indicator's formulas)."""
    found: list[tuple[str, str]] = []

    def add(context: str, text: str) -> None:
        if text and (context, text) not in found:
            found.append((context, text))

    def walk(kind) -> None:
        if isinstance(kind, OrNull):
            walk(kind.inner)
        elif isinstance(kind, ListOf):
            walk(kind.item)
        elif isinstance(kind, AnyOf):
            for option in kind.options:
                walk(option)
        elif isinstance(kind, Record):
            add(TITLE_CONTEXT, kind.title)
            add(HELP_CONTEXT, kind.doc)
            add(HELP_CONTEXT, kind.extra_doc)
            for f in kind.fields:
                add(HELP_CONTEXT, f.doc)
                if words_default(f.default):
                    add(DEFAULT_CONTEXT, f.default)
                walk(f.type)
            if kind.extra is not None:
                walk(kind.extra)
        elif hasattr(kind, "variants"):  # Tagged
            add(TITLE_CONTEXT, kind.title)
            for variant in kind.variants.values():
                walk(variant)

    walk(record)
    add(HELP_CONTEXT, "other keys")  # form_fields' doc of a record's free keys without an extra_doc
    return found


def help_messages_source(record: Record) -> str:
    """The generated module listing `help_texts(record)` as literal pgettext calls, for Babel."""
    lines = [
        "# ruff: noqa: E501",
        '"""GENERATED from the declared scheme format (jixiao.common.scheme_format): do not edit.',
        "",
        "Every record title, doc and default in words of the declaration as a literal gettext message, so that",
        "Babel extracts them into the portal's catalogues and the desk shows them in the page's",
        "language (i18n.scheme_help, scheme_record_label, scheme_default). Regenerate with",
        "`python services/gateway/translations.py` (`make translations`), which writes this module",
        "before extracting; tests/unit/gateway/test_scheme_forms.py fails while it is stale.",
        '"""',
        "from __future__ import annotations",
        "",
        "from flask_babel import pgettext",
        "",
        "",
        "def messages() -> tuple[str, ...]:",
        '    """Never needed at run time: the desk looks each text up by its English (`pgettext`)."""',
        "    return (",
    ]
    for context, text in help_texts(record):
        lines.append(f"        pgettext({context!r}, {text!r}),")
    lines += ["    )", ""]
    return "\n".join(lines)


# --- references to an item -------------------------------------------------------------------

#: What a reference to an item of each section says it is (the declaration's `refers`).
REFERRED_AS = {"categories": ("a category code", "code"), "units": ("a unit id", "id"),
               "regions": ("a region id", "id"), "dimensions": ("a dimension code", "code"),
               "indicators": ("an indicator code", "code"), "metrics": ("a metric code", "code"),
               "leadership_teams": ("a leadership team id", "id")}


@dataclass(frozen=True)
class Reference:
    """A place in the document naming an item: section, item index (None for a record), path."""

    section: str
    index: int | None
    path: str


def references(document: Mapping, section: str, index: int) -> list[Reference]:
    """Every place of `document` whose declared field refers to what item `index` of `section` is
    (a unit's id in targets, persons, leadership teams; a category's code in units,
    assignments, grading pools; a metric's code in a generic indicator's settings …), read off
    the declaration (`Text(refers=…)`). Empty for a section nothing refers to."""
    from jixiao.common.scheme_format import SECTIONS  # the document's declaration
    items = document.get(section)
    item = items[index] if isinstance(items, list) and 0 <= index < len(items) else None
    if section not in REFERRED_AS or not isinstance(item, Mapping):
        return []
    refers, key = REFERRED_AS[section]
    value = item.get(key)
    if not isinstance(value, str) or not value:
        return []
    found: list[Reference] = []

    def walk(kind, here, path: str, top: str, index) -> None:
        if isinstance(kind, OrNull):
            walk(kind.inner, here, path, top, index)
        elif isinstance(kind, Text):
            if kind.refers == refers and here == value:
                found.append(Reference(top, index, path))
        elif isinstance(kind, ListOf) and isinstance(here, list):
            for i, element in enumerate(here):
                walk(kind.item, element, f"{path}[{i}]", top, index)
        elif isinstance(kind, Record) and isinstance(here, Mapping):
            for f in kind.fields:
                if f.name in here:
                    walk(f.type, here[f.name], f"{path}.{f.name}", top, index)
        elif hasattr(kind, "variants") and isinstance(here, Mapping):
            variant = kind.variants.get(here.get(kind.tag))
            if variant is not None:
                walk(variant, here, path, top, index)
        elif isinstance(kind, AnyOf):
            for option in kind.options:
                walk(option, here, path, top, index)

    for f in SECTIONS.fields:
        if f.name not in document:
            continue
        inner = f.type.inner if isinstance(f.type, OrNull) else f.type
        if isinstance(inner, ListOf) and isinstance(document[f.name], list):
            for i, element in enumerate(document[f.name]):
                if f.name == section and i == index:
                    continue
                walk(inner.item, element, f"{f.name}[{i}]", f.name, i)
        else:
            walk(inner, document[f.name], f.name, f.name, None)
    if section == "metrics":  # a source reports the metric: not a dangling reference, but said
        for i, source in enumerate(document.get("sources") or []):
            for j, metric in enumerate((source or {}).get("metrics") or [] if isinstance(source, Mapping) else []):
                if metric == value:
                    found.append(Reference("sources", i, f"sources[{i}].metrics[{j}]"))
    return found


# --- a long section: search and pages ----------------------------------------------------------

PER_PAGE = 50


@dataclass(frozen=True)
class Listing:
    """One page of a section's items after a search: `rows` on the page, `matched` of `total`
    matched (before paging), `page` (from 1) of `pages`."""

    rows: list
    total: int
    matched: int
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        """The 1-based position of the page's first row among the matched (0 when none)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def _folded(text: str) -> str:
    return " ".join(str(text).casefold().split())


def listing(rows: list[Mapping], query: str = "", only_problems: bool = False, page: int = 1,
            per_page: int = PER_PAGE) -> Listing:
    """The rows (each with `search`, the texts it is found by — id, code, names — and `problems`,
    a count) that contain every word of `query` (case and width of spaces ignored), only those
    with problems when asked, cut into pages of `per_page`; a page beyond the last shows the last."""
    words = _folded(query).split()
    matched = [r for r in rows
               if (not only_problems or r.get("problems")) and all(w in _folded(r.get("search", "")) for w in words)]
    per_page = max(1, per_page)
    pages = max(1, math.ceil(len(matched) / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    return Listing(matched[start:start + per_page], len(rows), len(matched), page, pages, per_page)


__all__ = ["CHECKBOX", "EXTRA", "ITEM", "LIST", "NAME", "NUMBER", "SCALAR", "SELECT", "TEXT", "YAML", "FormField",
           "DEFAULT_CONTEXT", "HELP_CONTEXT", "PER_PAGE", "TITLE_CONTEXT",
           "InputProblem", "Listing", "Reference", "Section", "declared_order", "help_messages_source", "help_texts",
           "listing", "references", "words_default", "dump_yaml", "form_fields", "form_values", "item_key", "locate",
           "parse_form", "problems_by_field", "sections", "split_problems"]
