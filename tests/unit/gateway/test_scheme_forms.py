"""The desk's scheme forms (jixiao.gateway.domain.scheme_forms): every kind of field, the round
trip values → form → values, unreadable inputs, problems by place mapped to fields, the
translatable help texts (and their generated module, which must be current), references to
an item, and a long section searched and paged."""
from __future__ import annotations

import pytest

from jixiao.common.scheme_format import GENERIC_FORMULAS, SECTIONS
from jixiao.common.scheme_format.fields import (
    AnyOf, Boolean, Field, ListOf, Name, Number, OrNull, Record, Tagged, Text,
)
from jixiao.gateway.domain import scheme_forms as forms

SECTION = {s.name: s for s in forms.sections(SECTIONS)}


def kinds(record):
    return {f.name: f.kind for f in forms.form_fields(record)}


def test_sections_are_read_off_the_declaration():
    assert [s.name for s in forms.sections(SECTIONS)][:4] == ["scheme", "city", "regions", "categories"]
    assert "format" not in SECTION  # a scalar at the top is kept as it is
    assert not SECTION["scheme"].is_list and SECTION["units"].is_list and SECTION["person_scoring"].record.title


def test_each_kind_of_field_gets_its_input():
    assert kinds(SECTION["units"].record) == {"id": "text", "name": "name", "short_name_zh": "text",
                                              "category": "text", "region": "text"}
    dimension = kinds(SECTION["dimensions"].record)
    assert dimension == {"code": "text", "name": "name", "weight": "number", "additive": "checkbox",
                         "assessed_in": "list", "missing": "select"}
    weight = next(f for f in forms.form_fields(SECTION["dimensions"].record) if f.name == "weight")
    assert (weight.minimum, weight.maximum, weight.integer, weight.placeholder) == (0, 1, False, "0")
    target = kinds(SECTION["targets"].record)
    assert target["params"] == target["milestones"] == "yaml" and target["value"] == "number"
    assert kinds(SECTION["indicators"].record)["generic"] == "yaml"  # Tagged
    assert kinds(SECTION["vetoes"].record)["trigger"] == "yaml"
    assert kinds(SECTION["grading"].record)["grades"] == "yaml"
    region = next(f for f in forms.form_fields(SECTION["units"].record) if f.name == "region")
    assert region.nullable and region.refers == "a region id"
    year = next(f for f in forms.form_fields(SECTION["scheme"].record) if f.name == "year")
    assert year.required and year.integer and (year.minimum, year.maximum) == (1000, 9999)


SYNTHETIC = Record("gadget", doc="A record the desk has never seen.", fields=(
    Field("label", Text(), "A text.", required=True),
    Field("colour", Text(("red", "blue")), "A choice.", default="`red`"),
    Field("size", Number(integer=True, minimum=1), "A whole number."),
    Field("ratio", OrNull(Number(minimum=0, maximum=1)), "A share or null."),
    Field("on", Boolean(), "A switch.", default="false"),
    Field("title", Name(), "A name."),
    Field("tags", ListOf(Text()), "Texts."),
    Field("points", ListOf(Number()), "Numbers."),
    Field("either", AnyOf((Number(), Text())), "A number or a text."),
    Field("parts", ListOf(Record("part", doc="", fields=(Field("x", Number(), "x"),))), "Records."),
    Field("shape", Tagged("shape", "form", {"dot": Record("dot", doc="", fields=(Field("form", Text(("dot",)), ""),))}),
          "Tagged."),
), extra=AnyOf((Text(), Number())), extra_doc="anything else")


def test_a_field_added_to_the_declaration_appears_with_no_desk_change():
    assert kinds(SYNTHETIC) == {"label": "text", "colour": "select", "size": "number", "ratio": "number",
                                "on": "checkbox", "title": "name", "tags": "list", "points": "list",
                                "either": "scalar", "parts": "yaml", "shape": "yaml", forms.EXTRA: "yaml"}
    item = {"label": "新", "colour": "blue", "size": 3, "ratio": 0.25, "on": True, "title": {"zh": "甲", "en": "A"},
            "tags": ["a", "b"], "points": [60, 57.5], "either": 141.0, "parts": [{"x": 1}], "shape": {"form": "dot"},
            "free": "yes"}
    shown = forms.form_values(SYNTHETIC, item)
    assert shown["title.zh"] == "甲" and shown["tags"] == "a, b" and shown["on"] == "on" and shown["points"] == "60, 57.5"
    assert forms.parse_form(SYNTHETIC, shown, item) == (item, [])


@pytest.mark.parametrize("section", ["scheme", "units", "dimensions", "indicators", "targets", "grading", "vetoes",
                                     "persons", "person_scoring", "metrics"])
def test_round_trip_of_the_demo_items(section):
    from helpers import demo_document
    document = demo_document()
    value = document.get(section)
    items = value if isinstance(value, list) else [value]
    record = SECTION[section].record
    for item in items[:40]:
        values, problems = forms.parse_form(record, forms.form_values(record, item), item)
        assert problems == [] and values == item, item


def test_empty_optional_inputs_leave_keys_out_and_empty_values_stay():
    record = SECTION["units"].record
    posted = {"id": "U-9", "name.zh": "新单位", "name.en": "", "short_name_zh": "", "category": "economic", "region": ""}
    assert forms.parse_form(record, posted) == ({"id": "U-9", "name": {"zh": "新单位"}, "category": "economic"}, [])
    # a null the item had stays null: saving an unchanged form changes nothing
    item = {"id": "U-9", "name": {"zh": "新单位"}, "category": "economic", "region": None}
    assert forms.parse_form(record, forms.form_values(record, item), item)[0] == item


def test_checkbox_absent_stays_absent_and_false_stays_false():
    record = SECTION["dimensions"].record
    base = {"code": "d", "weight": "0.5"}
    assert "additive" not in forms.parse_form(record, base, {"code": "d"})[0]
    assert forms.parse_form(record, base, {"code": "d", "additive": False})[0]["additive"] is False
    assert forms.parse_form(record, {**base, "additive": "on"}, {})[0]["additive"] is True


def test_numbers_are_parsed_and_bad_inputs_are_problems_on_their_field():
    record = SYNTHETIC
    values, problems = forms.parse_form(record, {"label": "x", "size": "2", "ratio": "0.5", "points": "1, 2.5"})
    assert values["size"] == 2 and isinstance(values["size"], int) and values["ratio"] == 0.5
    assert values["points"] == [1, 2.5] and problems == []
    _, problems = forms.parse_form(record, {"label": "x", "size": "2.5", "ratio": "abc", "points": "1, x",
                                            "parts": "- x: [1", forms.EXTRA: "- not a mapping"})
    found = {(p.field, p.code) for p in problems}
    assert found == {("size", "not_whole"), ("ratio", "not_a_number"), ("points", "not_a_number"),
                     ("parts", "bad_yaml"), (forms.EXTRA, "not_a_mapping")}
    _, problems = forms.parse_form(record, {"label": "x", "ratio": "nan"})
    assert [(p.field, p.code) for p in problems] == [("ratio", "not_finite")]


def test_the_registrys_refusal_is_split_by_place():
    detail = ("document: units[3].name.zh: must be text, not a number; dimensions[0].weight: must be ≥ 0 and ≤ 1, "
              "not -0.5; units[3].nmae: unknown field: unit has id, name, short_name_zh, category, region; and 2 more")
    assert forms.split_problems(detail) == [
        ("units[3].name.zh", "must be text, not a number"), ("dimensions[0].weight", "must be ≥ 0 and ≤ 1, not -0.5"),
        ("units[3].nmae", "unknown field: unit has id, name, short_name_zh, category, region"), ("", "and 2 more")]
    assert forms.split_problems("document: scheme.code and scheme.year are required") == [
        ("", "scheme.code and scheme.year are required")]


def test_problems_are_mapped_to_the_fields_of_their_item():
    problems = [("units[3].name.zh", "must be text"), ("units[3].nmae", "unknown field"), ("units[4].id", "x"),
                ("grading[0].grades[1].parts", "must be a whole number ≥ 0"), ("scheme.year", "must be ≥ 1000"),
                ("dimensions", "weights of non-additive dimensions sum to 0.9, not 1"),
                ("assignments", "weights for category 'economic', dimension 'work_results' sum to 0.8, not 1")]
    assert forms.problems_by_field(SECTION["units"].record, "units", 3, problems) == {
        "name": ["units[3].name.zh: must be text"], forms.ITEM: ["units[3].nmae: unknown field"]}
    assert forms.problems_by_field(SECTION["grading"].record, "grading", 0, problems) == {
        "grades": ["grading[0].grades[1].parts: must be a whole number ≥ 0"]}
    assert forms.problems_by_field(SECTION["scheme"].record, "scheme", None, problems) == {"year": ["must be ≥ 1000"]}
    assert forms.problems_by_field(SECTION["dimensions"].record, "dimensions", 1, problems, {"code": "d"}) == {
        "weight": ["weights of non-additive dimensions sum to 0.9, not 1"]}
    assignment = SECTION["assignments"].record
    mine = {"category": "economic", "dimension": "work_results", "indicator": "i"}
    assert "weight" in forms.problems_by_field(assignment, "assignments", 0, problems, mine)
    assert forms.problems_by_field(assignment, "assignments", 0, problems, {**mine, "category": "social"}) == {}


def test_locate_and_item_keys():
    assert forms.locate("units[3].name.zh") == ("units", 3, "name.zh")
    assert forms.locate("dimensions") == ("dimensions", None, "")
    assert forms.locate("scheme.year") == ("scheme", None, "year")
    assert forms.item_key(SECTION["targets"], {"unit": "U-1", "indicator": "i"}, 0) == "U-1 / i"
    assert forms.item_key(SECTION["units"], {"id": "U-1"}, 0) == "U-1"
    assert forms.item_key(SECTION["consequences"], {}, 2) == "#3"


def test_an_export_keeps_the_declarations_order():
    from helpers import demo_document
    document = demo_document()
    shuffled = {k: document[k] for k in sorted(document)}
    ordered = forms.declared_order(shuffled)
    assert ordered == document and list(ordered)[:3] == ["format", "scheme", "city"]
    assert list(ordered["units"][0])[:2] == ["id", "name"]
    assert list(forms.declared_order({"generic": {"target": 0.9, "formula": "rate", "numerator": "a"}},
                                     SECTION["indicators"].record)["generic"]) == ["formula", "numerator", "target"]


def test_a_generic_indicators_problems_are_next_to_generic_with_their_path():
    problems = [("indicators[4].generic.metric", "unknown metric 'nope': no source reports it"),
                ("indicators[4].generic.points_by_rank", "has 7 ranks but category 'districts' … has 6 units")]
    assert forms.problems_by_field(SECTION["indicators"].record, "indicators", 4, problems) == {"generic": [
        "indicators[4].generic.metric: unknown metric 'nope': no source reports it",
        "indicators[4].generic.points_by_rank: has 7 ranks but category 'districts' … has 6 units"]}


def test_help_texts_are_every_title_and_doc_of_the_declaration():
    texts = forms.help_texts(SECTIONS)
    helps = {t for c, t in texts if c == forms.HELP_CONTEXT}
    titles = {t for c, t in texts if c == forms.TITLE_CONTEXT}
    assert len(texts) == len(set(texts))
    for section in forms.sections(SECTIONS):
        assert section.record.doc in helps and section.record.title in titles and section.doc in helps
        for f in forms.form_fields(section.record):
            assert f.doc in helps, (section.name, f.name)
    generic = next(f for f in forms.form_fields(SECTION["indicators"].record) if f.name == "generic")
    assert [tag for tag, _ in generic.variants] == list(GENERIC_FORMULAS)
    for _, variant in generic.variants:  # the formulas' docs, shown under the generic field
        assert variant.doc in helps and all(vf.doc in helps for vf in variant.fields)
    assert "One band: a threshold and the points (0–100) of a value that reaches it." in helps  # a nested record
    defaults = {t for c, t in texts if c == forms.DEFAULT_CONTEXT}  # defaults in words, not values
    assert {"all three", "the code", "none: persons are not scored"} <= defaults
    assert not defaults & {"0", "`zero`", "false", '""', "0.1", "`[year]`"}


def test_the_generated_help_module_is_current():
    """scheme_help_messages.py lists the declaration's texts for Babel: regenerate it with
    `python services/gateway/translations.py` (make translations) after changing a doc."""
    from helpers import REPO
    path = REPO / "services/gateway/src" / forms.HELP_MODULE
    assert path.read_text(encoding="utf-8") == forms.help_messages_source(SECTIONS), \
        "stale: run `make translations` and translate the new help texts"
    source = path.read_text(encoding="utf-8")
    assert "GENERATED" in source.splitlines()[1]
    assert source.count("pgettext('scheme help', ") + source.count('pgettext("scheme help", ') == len(
        [t for t in forms.help_texts(SECTIONS) if t[0] == forms.HELP_CONTEXT])


def test_references_to_an_item_are_read_off_the_declaration():
    from helpers import demo_document
    document = demo_document()
    category = document["categories"][0]["code"]
    found = forms.references(document, "categories", 0)
    sections_found = {r.section for r in found}
    assert {"units", "assignments"} <= sections_found
    assert all(document[r.section][r.index]["category"] == category for r in found if r.section in ("units",
                                                                                                     "assignments"))
    assert any(r.path.startswith("grading[") and ".pool[" in r.path for r in found) or not any(
        category in (g.get("pool") or []) for g in document.get("grading", []))
    unit = document["units"][0]["id"]
    found = forms.references(document, "units", 0)
    assert found and all(r.section != "units" for r in found)
    assert {r.section for r in found} <= {"targets", "baselines", "leadership_teams", "persons"}
    assert forms.references(document, "assignments", 0) == []  # nothing refers to an assignment
    assert unit


def test_a_generic_indicators_metric_is_a_reference_to_the_metric():
    document = {"metrics": [{"code": "m"}], "sources": [{"code": "s", "metrics": ["m"]}],
                "indicators": [{"code": "i", "generic": {"formula": "rate", "numerator": "m", "denominator": "d"}}]}
    assert [r.path for r in forms.references(document, "metrics", 0)] == [
        "indicators[0].generic.numerator", "sources[0].metrics[0]"]


def test_a_long_section_is_searched_and_paged():
    rows = [{"index": i, "search": f"P-{i:04d} 李{i} Li {i}", "problems": 1 if i % 100 == 7 else 0}
            for i in range(835)]
    first = forms.listing(rows)
    assert (first.total, first.matched, first.page, first.pages, len(first.rows)) == (835, 835, 1, 17, 50)
    assert (first.first, first.last) == (1, 50)
    last = forms.listing(rows, page=99)  # beyond the last: the last
    assert (last.page, len(last.rows), last.first, last.last) == (17, 35, 801, 835)
    found = forms.listing(rows, "p-0012")
    assert [r["index"] for r in found.rows] == [12] and found.matched == 1
    # every word, anywhere, case and spaces ignored: 12, 112, 120–129, 212, …
    assert forms.listing(rows, "  LI   12 ").matched == len([i for i in range(835) if "12" in str(i)])
    assert forms.listing(rows, "李812").matched == 1
    problems = forms.listing(rows, only_problems=True)
    assert [r["index"] for r in problems.rows] == [7, 107, 207, 307, 407, 507, 607, 707, 807]
    empty = forms.listing([], "x")
    assert (empty.pages, empty.page, empty.first, empty.last) == (1, 1, 0, 0)
