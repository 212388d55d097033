"""The registry's use cases on SQLite and on PostgreSQL."""
import json
from datetime import UTC, datetime

import pytest

from helpers import DEMO_SCHEME, demo_document
from jixiao.common.auth import Principal
from jixiao.common.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from jixiao.registry.bootstrap import build_service
from jixiao.registry.domain.records import IndicatorDefinition, PluginVersion, SchemeVersion

DEMO_TEXT = DEMO_SCHEME.read_text(encoding="utf-8")
DEMO = demo_document()
OFFICE = Principal("考核办", "office")


def plugin(name: str, codes: tuple[str, ...], version: str = "1.0", digest: str = "sha256:aaa",
           owner: str = "development_reform") -> PluginVersion:
    indicators = tuple(IndicatorDefinition(code, code, code, (f"{code}_metric",), 0.0, 100.0, "score", "f") for code in codes)
    return PluginVersion(name, version, owner, digest, "", indicators, datetime(2026, 1, 1, tzinfo=UTC))


def activate_demo_indicators(service) -> None:
    codes = tuple(i["code"] for i in DEMO["indicators"] if "generic" not in i)  # and the generic indicators' bases
    codes += tuple(sorted({f"generic_{i['generic']['formula']}" for i in DEMO["indicators"] if "generic" in i}))
    service.register_plugin(plugin("demo-indicators", codes))
    service.set_plugin_status("demo-indicators", "1.0", "approved")
    service.set_plugin_status("demo-indicators", "1.0", "active")


@pytest.fixture
def service(database_url):
    return build_service(database_url)


def test_submit_validate_publish_and_read_back(service):
    draft = service.submit_scheme(DEMO_TEXT, by=OFFICE)
    assert (draft.code, draft.version, draft.status, draft.author) == ("jiangchuan-2026", 1, "draft", "考核办")
    problems = [str(p) for p in service.validate_scheme("jiangchuan-2026")]
    assert "assignments[0].indicator: no active plug-in provides 'investment_completion'" in problems
    with pytest.raises(FailedPrecondition, match="cannot be published: assignments"):
        service.publish_scheme("jiangchuan-2026", 1)
    activate_demo_indicators(service)
    assert service.validate_scheme("jiangchuan-2026") == []
    with pytest.raises(NotFound):
        service.get_scheme("jiangchuan-2026")
    published = service.publish_scheme("jiangchuan-2026", 1)
    assert published.status == "published" and published.published_at is not None
    latest = service.get_scheme("jiangchuan-2026")
    assert latest.digest == draft.digest
    assert len(latest.document["units"]) == 108


def test_a_publication_records_who_published_and_why_once(service):
    activate_demo_indicators(service)
    draft = service.submit_scheme(DEMO_TEXT, reason="年初提交", by=OFFICE)
    assert (draft.published_by, draft.publication_reason) == ("", "")
    published = service.publish_scheme("jiangchuan-2026", 1, reason="2026年方案发布 / the rules for 2026", by=OFFICE)
    assert (published.status, published.published_by, published.publication_reason) == (
        "published", "考核办", "2026年方案发布 / the rules for 2026")
    assert (published.author, published.reason) == ("考核办", "年初提交")  # the submission's stay as they were
    assert service.get_scheme("jiangchuan-2026") == published
    assert service.list_scheme_versions("jiangchuan-2026") == [published]
    # publishing it again changes nothing: not who, not why, not when
    again = service.publish_scheme("jiangchuan-2026", 1, reason="another reason", by=Principal("副主任", "office"))
    assert again == published and again.published_at == published.published_at
    assert service.get_scheme("jiangchuan-2026", 1).publication_reason == "2026年方案发布 / the rules for 2026"


def test_a_publication_reason_is_stored_as_given_and_checked(service):
    activate_demo_indicators(service)
    service.submit_scheme(DEMO_TEXT)
    for bad, message in (("x" * 2001, "longer than 2000 characters"), ("a\x00b", "NUL character")):
        with pytest.raises(InvalidArgument, match=message):
            service.publish_scheme("jiangchuan-2026", 1, reason=bad, by=OFFICE)
    assert service.get_scheme("jiangchuan-2026", 1).status == "draft"
    published = service.publish_scheme("jiangchuan-2026", 1)  # the API's reason is optional; no caller: "system"
    assert (published.published_by, published.publication_reason) == ("system", "")
    changed = json.loads(json.dumps(DEMO))
    changed["units"][0]["name"]["zh"] = "青山新区"
    service.submit_scheme(json.dumps(changed, ensure_ascii=False), "json")
    reason = "  区划调整\n第二行  " + "长" * 1980
    assert service.publish_scheme("jiangchuan-2026", 2, reason=reason, by=OFFICE).publication_reason == reason


def test_same_document_twice_creates_no_new_version(service):
    first = service.submit_scheme(DEMO_TEXT)
    again = service.submit_scheme(json.dumps(DEMO, ensure_ascii=False), "json")
    assert first.version == again.version == 1
    assert [v.version for v in service.list_scheme_versions()] == [1]


def test_a_change_is_a_new_version_with_its_reason_and_a_diff(service):
    activate_demo_indicators(service)
    service.submit_scheme(DEMO_TEXT)
    service.publish_scheme("jiangchuan-2026", 1)
    changed = json.loads(json.dumps(DEMO))
    changed["units"][0]["name"]["zh"] = "青山新区"
    changed["targets"][0]["value"] = 300.0
    del changed["persons"][0]
    v2 = service.submit_scheme(json.dumps(changed, ensure_ascii=False), reason="区划调整 / boundary change", by=OFFICE)
    assert (v2.version, v2.reason, v2.author) == (2, "区划调整 / boundary change", "考核办")
    changes = {(c.section, c.key, c.kind, c.field): (c.before, c.after) for c in service.diff_schemes("jiangchuan-2026", 1, 2)}
    assert changes[("units", "U-R01", "changed", "name.zh")] == ("青山区", "青山新区")
    assert changes[("targets", "U-R01/investment_completion", "changed", "value")][1] == 300.0
    assert ("persons", DEMO["persons"][0]["id"], "removed", "") in changes
    assert len(changes) == 3
    service.submit_scheme(json.dumps({**changed, "city": {"id": "JC2"}}, ensure_ascii=False))
    with pytest.raises(FailedPrecondition, match="newer version"):
        service.publish_scheme("jiangchuan-2026", 2)
    assert service.get_scheme("jiangchuan-2026", 1).status == "published"  # published versions stay as they were


def test_malformed_documents_are_refused_with_the_problem(service):
    with pytest.raises(InvalidArgument, match="document: not valid YAML"):
        service.submit_scheme("a: [unclosed")
    with pytest.raises(InvalidArgument, match="scheme.code and scheme.year are required"):
        service.submit_scheme("format: nope\n")
    with pytest.raises(InvalidArgument, match="document_format"):
        service.submit_scheme(DEMO_TEXT, "xml")


def test_plugin_versions_are_immutable(service):
    stored = service.register_plugin(plugin("p", ("a",)))
    assert stored.status == "draft"
    assert service.register_plugin(plugin("p", ("a",))) == stored
    with pytest.raises(AlreadyExists, match="new version number"):
        service.register_plugin(plugin("p", ("a",), digest="sha256:bbb"))


def test_a_department_registers_only_its_own_plugins(service):
    drc = Principal("发改委", "department", "development_reform")
    assert service.register_plugin(plugin("p", ("a",)), drc).owner == "development_reform"
    with pytest.raises(PermissionDenied, match="only its own plug-ins"):
        service.register_plugin(plugin("q", ("b",), owner="finance"), drc)


def test_lifecycle_and_one_active_version_per_indicator(service):
    service.register_plugin(plugin("p", ("a", "b"), "1.0"))
    service.register_plugin(plugin("p", ("a", "b"), "2.0", digest="sha256:ccc"))
    with pytest.raises(FailedPrecondition, match="a draft version cannot become active"):
        service.set_plugin_status("p", "1.0", "active")
    with pytest.raises(InvalidArgument, match="status must be one of"):
        service.set_plugin_status("p", "1.0", "draft")
    for version in ("1.0", "2.0"):
        service.set_plugin_status("p", version, "approved")
    service.set_plugin_status("p", "1.0", "active")
    active, retired = service.set_plugin_status("p", "2.0", "active")
    assert active.status == "active" and [(r.version, r.status) for r in retired] == [("1.0", "retired")]
    assert service.active_indicators() == {"a", "b"}
    _, retired = service.set_plugin_status("p", "1.0", "active")  # roll back
    assert [r.version for r in retired] == ["2.0"]
    assert [p.version for p in service.list_plugins("active")] == ["1.0"]
    assert {p.version for p in service.list_plugins(query="B")} == {"1.0", "2.0"}
    assert service.list_plugins(query="nothing-like-this") == []
    with pytest.raises(NotFound):
        service.get_plugin("p", "9.9")


def test_a_document_with_sections_of_the_wrong_shape_is_refused_naming_each_place(service):
    document = {**DEMO, "units": None, "dimensions": [1, {"code": "x", "name": {"en": "X"}, "weight": "0.6"}]}
    with pytest.raises(InvalidArgument) as refused:
        service.submit_scheme(json.dumps(document, ensure_ascii=False), "json")
    assert str(refused.value) == ("document: units: must be a list, not null; dimensions[0]: must be a mapping, not a number; "
                                  "dimensions[1].weight: must be a number, not text")
    for year in (10**12, -5, True):
        with pytest.raises(InvalidArgument, match=f"scheme.year {year!r} is not a year"):
            service.submit_scheme(json.dumps({**DEMO, "scheme": {**DEMO["scheme"], "year": year}}, ensure_ascii=False))
    assert service.list_scheme_versions() == []


def test_a_stored_draft_of_the_wrong_shape_gets_problems_not_a_crash(service):
    """Drafts stored before submissions were checked: validation names the places, and nothing builds on them."""
    activate_demo_indicators(service)
    document = {**DEMO, "assignments": "x", "person_scoring": 5}
    service.repository.add_scheme(SchemeVersion("jiangchuan-2026", 1, 2026, "draft", "sha256:old", "考核办", "",
                                                datetime(2026, 1, 1, tzinfo=UTC), document=document))
    assert [str(p) for p in service.validate_scheme("jiangchuan-2026")] == [
        "assignments: must be a list, not text", "person_scoring: must be a mapping, not a number"]
    with pytest.raises(FailedPrecondition, match="cannot be published: assignments: must be a list, not text"):
        service.publish_scheme("jiangchuan-2026", 1)
    with pytest.raises(FailedPrecondition, match="wrong shape, submit a corrected document first: assignments"):
        service.import_table("jiangchuan-2026", "units", "csv", b"id,name_zh,category\nU-1,one,economic\n")


def test_a_submission_or_an_import_with_an_unrecordable_reason_is_refused_and_stores_nothing(service):
    text = json.dumps(DEMO, ensure_ascii=False)
    for reason, message in (("a\x00b", "reason: contains a NUL character"), ("x" * 2001, "reason: is longer than 2000")):
        with pytest.raises(InvalidArgument, match=message):
            service.submit_scheme(text, "json", reason=reason)
    assert service.list_scheme_versions() == []
    service.submit_scheme(text, "json", reason="年初发布")
    with pytest.raises(InvalidArgument, match="reason: contains a NUL character"):
        service.import_table("jiangchuan-2026", "units", "csv", b"id,name_zh,category\n", reason="\x00")
    assert len(service.list_scheme_versions()) == 1
