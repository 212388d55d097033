"""The declaration rendered for readers and tools: docs/scheme-reference.md and the
JSON Schema (Draft 2020-12) of a scheme document."""
from __future__ import annotations

from jixiao.common import yaml_text

from .declaration import FORMAT, SECTIONS
from .fields import Record

SCHEMA_ID = "https://jixiao.example/schemas/scheme-v1.json"


def json_schema() -> dict:
    """The JSON Schema of a scheme document (structure only: rules between sections,
    such as weights summing to 1, are the registry's)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": f"Jixiao scheme document ({FORMAT})", **SECTIONS.schema()}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(value) -> str:
    if value is None:
        return ""
    text = yaml_text.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True, sort_keys=False).strip()
    return f"`{text.removesuffix('...').strip()}`"


def _record_section(record: Record, level: str) -> list[str]:
    lines = [f'{level} {record.title[0].upper()}{record.title[1:]} <a id="{record.slug}"></a>', "", record.doc, ""]
    if record.fields:
        lines += ["| Field | Type | Required | Default | Description | Example |", "|---|---|---|---|---|---|"]
        for f in record.fields:
            required = "**required**" if f.required else "optional"
            default = "—" if f.required else (f.default or "—")
            lines.append(f"| `{f.name}` | {_cell(f.type.label())} | {required} | {_cell(default)} | {_cell(f.doc)} "
                         f"| {_cell(_example(f.example))} |")
        lines.append("")
    if record.extra is not None:
        lines += [f"Other keys: {record.extra_doc or 'any'}, each {record.extra.label()}.", ""]
    if record.example is not None:
        lines += ["Example:", "", "```yaml", yaml_text.safe_dump(record.example, sort_keys=False, allow_unicode=True).rstrip(), "```", ""]
    return lines


def reference_markdown() -> str:
    """docs/scheme-reference.md: every section and field, with its kind, whether it is
    required, its default and an example."""
    lines = [
        "# Scheme reference (`jixiao.scheme/v1`)",
        "",
        "<!-- Generated from services/common/src/jixiao/common/scheme_format/declaration.py by",
        "     `.venv/bin/python -m jixiao.common.scheme_format > docs/scheme-reference.md`; do not edit. -->",
        "",
        "A scheme is what the evaluation office publishes at the start of the year: its units and peer groups,",
        "dimensions and weights, indicators and targets, grading, vetoes and consequences. The registry refuses",
        "a document with an unknown field, a value of the wrong kind or a missing required field, naming the",
        "place (`units[3].name: needs a name in Chinese (zh) or English (en)`), and then checks the rules",
        "between sections (a unit's category is declared, weights sum to 1, every metric is reported by a",
        "source, ...). The same declaration gives the JSON Schema served in the API's OpenAPI document",
        "(`/api/v1/openapi.json`, `SchemeDocument`).",
        "",
        "A small complete example (a dozen units, two categories, four generic indicators):",
        "[riverside-2027.yaml](../services/demo/src/jixiao/demo/data/riverside-2027.yaml); the demo city's",
        "generated scheme ([jiangchuan-2026.yaml](../services/demo/src/jixiao/demo/data/jiangchuan-2026.yaml)) uses",
        "every section.",
        "Generic indicators (no code): [generic-indicators.md](generic-indicators.md).",
        "",
        "Names (`name`) are given in Chinese (`zh`), English (`en`) or both; the portal shows the reader's",
        "language and falls back to the other. Fields the registry fills itself (who submitted a version, when,",
        "its stored version number) are not part of the document.",
        "",
        "## Sections",
        "",
    ]
    for f in SECTIONS.fields:
        required = "required" if f.required else "optional"
        lines.append(f"- `{f.name}` ({required}): {_cell(f.type.label())} — {f.doc}")
    lines.append("")
    seen: set[str] = set()
    for record in SECTIONS.records():
        if record.slug in seen:
            continue
        seen.add(record.slug)
        lines += _record_section(record, "##" if record is SECTIONS or _is_section(record) else "###")
    return "\n".join(lines).rstrip() + "\n"


def _is_section(record: Record) -> bool:
    for f in SECTIONS.fields:
        inner = getattr(f.type, "item", f.type)
        if inner is record:
            return True
    return False
