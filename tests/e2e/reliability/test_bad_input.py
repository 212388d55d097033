"""Bad input, generated (hypothesis): the event decoder, what scoring stores
and rescores, the indicator plug-ins' inputs, the scheme importer.

The promise (RELIABILITY.md, "Bad input"): whatever arrives gets a clear
answer — a dead letter with its reason, INVALID_ARGUMENT, a list of row
errors — never an exception the caller did not ask for, and nothing invalid
is stored. On SQLite and on PostgreSQL, which is stricter about text (no NUL
characters, column lengths enforced).
"""
from __future__ import annotations

import itertools
import math
import string

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from helpers.reliability_kit import demo_document, small_demo_document
from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec, yaml_text
from jixiao.common.auth import Principal
from jixiao.common.errors import ServiceError
from jixiao.registry.bootstrap import build_service as build_registry
from jixiao.registry.domain.records import IndicatorDefinition, PluginVersion
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.v1.metric_event_pb2 import MetricEvent
from jixiao_sdk import IndicatorHost, IndicatorInput, IndicatorResult, Milestone, Observation, Target
from jixiao_sdk.periods import PeriodError, parse_period

OFFICE = Principal("考核办", "office")
PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
ANY_TEXT = st.text(max_size=40) | st.text(min_size=100, max_size=300) | st.sampled_from(["", " ", "\x00", "a\x00b", "é" * 65])
PERIOD_TEXT = st.sampled_from(["2026", "2026-Q1", "2026-Q4", "2026-03", "2026-02-29", "2026-02-28", "2026-13", "2025-12",
                               "2026-0３", "٢٠٢٦", "2026\n", "26-03", "2026-Q5", ""]) | st.text(max_size=12)
FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324])


# -- the event decoder ------------------------------------------------------------------

def decode_or_reason(value: bytes | None, content_type: str | None):
    """The decoded event, or the EventError's reason; any other exception fails the test."""
    try:
        return event_codec.decode(value, content_type)
    except event_codec.EventError as exc:
        assert str(exc), "a dead letter needs a reason"
        return str(exc)


@PROFILE
@given(value=st.binary(max_size=300) | st.none(),
       content_type=st.sampled_from([None, event_codec.JSON, event_codec.PROTOBUF, "text/plain", ""]))
def test_any_bytes_decode_to_a_checked_event_or_a_reason(value, content_type):
    decoded = decode_or_reason(value, content_type)
    if isinstance(decoded, MetricEvent):
        event_codec.check(decoded)  # what decodes passes the structural checks


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
                           max_leaves=20)
FIELDS = ["event_id", "eventId", "source", "unit_id", "unitId", "metric_code", "value", "period", "observed_at",
          "observedAt", "attributes", "revision_of", "person_id", "measurement_unit", "evidence_ref"]


@PROFILE
@given(document=st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), JSON_VALUES, max_size=10),
       depth=st.integers(0, 3000))
def test_any_json_decodes_to_a_checked_event_or_a_reason(document, depth):
    import json
    text = json.dumps(document, allow_nan=True)
    for value in (text.encode(), ("[" * depth + "]" * depth).encode(), ('{"a":' * depth + "1" + "}" * depth).encode()):
        decode_or_reason(value, event_codec.JSON)
        decode_or_reason(value, None)


EVENTS = st.fixed_dictionaries({
    "event_id": ANY_TEXT, "source": ANY_TEXT, "unit_id": ANY_TEXT, "metric_code": ANY_TEXT, "value": FLOATS,
    "period": PERIOD_TEXT, "person_id": ANY_TEXT, "measurement_unit": ANY_TEXT, "revision_of": ANY_TEXT,
    "evidence_ref": ANY_TEXT, "attributes": st.dictionaries(ANY_TEXT, ANY_TEXT, max_size=3) | st.just({f"k{i}": "v" for i in range(65)}),
})


def as_event(fields: dict) -> MetricEvent:
    event = MetricEvent(**{k: v for k, v in fields.items() if k != "attributes"})
    event.attributes.update(fields["attributes"])
    return event


@PROFILE
@given(fields=EVENTS)
def test_protobuf_and_json_forms_of_any_event_get_the_same_answer(fields):
    event = as_event(fields)
    from_proto = decode_or_reason(event_codec.encode(event), event_codec.PROTOBUF)
    from_json = decode_or_reason(event_codec.encode(event, event_codec.JSON), None)
    if isinstance(from_proto, MetricEvent) or isinstance(from_json, MetricEvent):
        assert from_proto == from_json == event
    else:
        assert from_proto == from_json


@pytest.mark.parametrize("text", ["2026-0３", "２０２６", "٢٠٢٦-Q1", "2026\n", "2026-03\n", "2026-03-01\n"])
def test_a_period_is_written_in_ascii_digits_without_anything_after_it(text):
    """Unicode digits (fullwidth ０-９, Arabic-Indic …) and a trailing newline are not a period:
    accepted, they would name a second "March" beside 2026-03 and slip past its lock."""
    with pytest.raises(PeriodError):
        parse_period(text)


# -- what scoring stores and rescores --------------------------------------------------------

SCORED = st.fixed_dictionaries({
    # valid for the small scheme where scoring checks against it, anything where it does not
    "unit_id": st.sampled_from(["U1", "U2"]), "metric_code": st.just("amount"), "source": st.just("stats"),
    "value": FLOATS, "period": PERIOD_TEXT, "person_id": st.just("") | ANY_TEXT,
    "measurement_unit": ANY_TEXT, "revision_of": st.just("") | ANY_TEXT, "evidence_ref": ANY_TEXT,
    "attributes": st.dictionaries(ANY_TEXT, ANY_TEXT, max_size=3),
    "event_id": ANY_TEXT, "json": st.booleans(),
})
_ids = itertools.count()


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A scoring service on SQLite and one on PostgreSQL (when the server answers)."""
    from helpers import postgres_database
    services = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('bad') / 'scoring.db'}"}
    with postgres_database() as url:
        if url is not None:
            services["postgresql"] = url
        built = {}
        for kind, address in services.items():
            built[kind] = build_service(address, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
            built[kind].adopt_scheme(SMALL_SCHEME, 1, "sha256:test")
        yield built
        for service in built.values():
            service.engine.dispose()


def _stored_rows_are_valid(service) -> None:
    with service.engine.connect() as connection:
        for row in connection.exec_driver_sql("SELECT * FROM scoring_events").mappings():
            assert math.isfinite(row["value"]), row
            for name in ("event_id", "source", "unit_id", "metric_code"):
                assert row[name].strip() and len(row[name]) <= 128, row
            assert len(row["person_id"]) <= 128 and len(row["revision_of"]) <= 128 and len(row["measurement_unit"]) <= 64, row
            assert all(c in string.digits + "-Q" for c in row["period"]) and parse_period(row["period"]).text == row["period"], row
        for row in connection.exec_driver_sql("SELECT total, period FROM scoring_unit_scores").mappings():
            assert math.isfinite(row["total"]) and parse_period(row["period"]).text == row["period"], row


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=st.lists(SCORED, min_size=1, max_size=6))
def test_scoring_answers_every_record_and_stores_nothing_invalid(stores, kind, batch):
    if kind not in stores:
        pytest.skip("no PostgreSQL server answers at 127.0.0.1:5432")
    service = stores[kind]
    records = []
    for fields in batch:
        fields = {**fields, "event_id": f"{next(_ids)}-{fields['event_id']}"}  # new in this database
        content_type = event_codec.JSON if fields.pop("json") else event_codec.PROTOBUF
        records.append(IncomingRecord(event_codec.encode(as_event(fields), content_type),
                                      {event_codec.CONTENT_TYPE_HEADER: content_type.encode()}))
    outcome = service.store(records)  # never raises: a batch that raises is retried for ever
    assert outcome.stored + outcome.duplicates + len(outcome.rejected) == len(records)
    assert all(r.reason for r in outcome.rejected)
    service.rescore_pending()
    _stored_rows_are_valid(service)


# -- the plug-ins' inputs ------------------------------------------------------------------

HOST = IndicatorHost.discover(timeout_s=None)
UNITS_OF_MEASURE = ["", "CNY_100M", "CNY_10K", "CNY", "count", "rating", "ratio", "percent", "days", "USD", "亿元"]
ATTRIBUTE_NAMES = ["channel", "voter_id", "severity", "category", "project", "level", "grade", "status", "kind", "rater"]
PERIODS = ["2026", "2026-Q1", "2026-Q3", "2026-01", "2026-06", "2026-12", "2026-03-15", "2025-12", "2027-01"]


@st.composite
def plugin_inputs(draw):
    code = draw(st.sampled_from(sorted(HOST.specs())))
    spec = HOST.specs()[code]
    metrics = list(spec.input_metrics) + ["unrelated_metric"]
    observations = tuple(Observation(
        event_id=f"ev-{i}", metric_code=draw(st.sampled_from(metrics)),
        value=draw(st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, -1.0, 1e300, 1.0, 100.0])),
        measurement_unit=draw(st.sampled_from(UNITS_OF_MEASURE)), period=draw(st.sampled_from(PERIODS)),
        source=draw(st.sampled_from(["", "stats_bureau", "x"])),
        attributes=draw(st.dictionaries(st.sampled_from(ATTRIBUTE_NAMES) | st.text(max_size=5),
                                        st.text(max_size=8) | st.sampled_from(["online", "newspaper", "serious", "1", "-3"]),
                                        max_size=3)),
    ) for i in range(draw(st.integers(0, 8))))
    target = draw(st.none() | st.builds(
        Target,
        value=st.none() | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, -5.0, 25.2]),
        measurement_unit=st.sampled_from(UNITS_OF_MEASURE),
        params=st.dictionaries(st.sampled_from(["last_year_value", "zero_credit_below", "channel_weight.online",
                                                "max_points", "per_item", "x"]) | st.text(max_size=6),
                               st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6), max_size=3),
        milestones=st.lists(st.builds(Milestone, period=st.sampled_from(PERIODS[:6]), share=st.floats(0, 1)),
                            max_size=3).map(tuple)))
    return code, IndicatorInput(
        indicator_code=code, unit_id="U-R01", unit_category=draw(st.sampled_from(["", *spec.categories, "district_county"])),
        person_id=draw(st.none() | st.just("P0001")), period=draw(st.sampled_from(PERIODS)),
        elapsed_share=draw(st.floats(0, 1)), observations=observations, target=target)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=plugin_inputs())
def test_every_installed_plugin_answers_any_input_with_a_valid_result(case):
    """Each standard indicator, fed anything the platform could hand it: an ok result within
    its points range, finite, explained, its evidence among the inputs — or a failed one with
    a reason; the same inputs again give the same result."""
    code, inputs = case
    spec = HOST.specs()[code]
    result = HOST.evaluate(code, inputs)
    assert isinstance(result, IndicatorResult) and result.indicator_code == code
    if result.status == "ok":
        assert spec.min_points <= result.points <= spec.max_points and math.isfinite(result.points)
        assert result.explanation.strip()
        assert set(result.evidence) <= {o.event_id for o in inputs.observations}
    else:
        assert result.status == "failed" and result.reason
    assert HOST.evaluate(code, inputs) == result


# -- the scheme importer -------------------------------------------------------------------

@pytest.fixture
def registry(database_url):
    """The registry's service (SQLite, PostgreSQL) with the demo indicators active and the cut-down demo scheme a draft."""
    service = build_registry(database_url)
    codes = tuple(i["code"] for i in demo_document()["indicators"])
    indicators = tuple(IndicatorDefinition(code, code, code, (f"{code}_metric",), 0.0, 100.0, "score", "f") for code in codes)
    service.register_plugin(PluginVersion("demo-indicators", "1.0", "office", "sha256:a", "", indicators, None))
    service.set_plugin_status("demo-indicators", "1.0", "approved")
    service.set_plugin_status("demo-indicators", "1.0", "active")
    service.submit_scheme(yaml_text.safe_dump(small_demo_document(), allow_unicode=True), "yaml", "初稿", OFFICE)
    return service


def answered(call):
    """The call's result, or the ServiceError (INVALID_ARGUMENT …) it raised; anything else fails."""
    try:
        return call()
    except ServiceError as exc:
        assert str(exc)
        return exc


CELLS = st.text(max_size=12) | st.sampled_from(["U-R01", "U-D001", "P0001", "investment_completion", "district_county",
                                                 "25.2", "-1", "nan", "inf", "1e309", "{}", '{"a": 1}', "[1]",
                                                 "2026-06:0.45;2026-12:1", "2026-13:2", "=cmd|' /C calc'!A0"])
TABLE_COLUMNS = {"units": ["id", "name_zh", "name_en", "short_name_zh", "category", "region"],
                 "persons": ["id", "name_zh", "name_pinyin", "unit", "team", "position_zh", "position_en", "rank"],
                 "targets": ["unit", "indicator", "value", "measurement_unit", "params", "milestones"]}


@st.composite
def tables(draw):
    import csv
    import io
    table = draw(st.sampled_from(sorted(TABLE_COLUMNS)))
    header = draw(st.lists(st.sampled_from(TABLE_COLUMNS[table] + ["colour", ""]), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), max_size=6))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    content = draw(st.just(out.getvalue().encode()) | st.binary(max_size=200))
    return table, draw(st.sampled_from(["csv", "csv", "xlsx", "pdf"])), content


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=tables())
def test_any_table_import_is_a_new_draft_or_errors_by_row_and_nothing(registry, case):
    table, file_format, content = case
    before = [v.version for v in registry.list_scheme_versions("jiangchuan-2026")]
    result = answered(lambda: registry.import_table("jiangchuan-2026", table, file_format, content, "导入", OFFICE))
    after = [v.version for v in registry.list_scheme_versions("jiangchuan-2026")]
    if isinstance(result, Exception) or result[2]:  # refused, or row errors: nothing new
        assert after == before
        if not isinstance(result, Exception):
            assert all(e.row >= 1 and e.message for e in result[2])
    else:
        assert result[0] is None or len(after) in (len(before), len(before) + 1)


def _mutations(document: dict, draw) -> dict:
    """The demo document with a few values replaced or keys removed, anywhere in it."""
    import copy
    mutated = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 4))):
        node, path = mutated, []
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
            path.append((node, key))
            node = node[key]
        if not path:
            continue
        parent, key = path[-1]
        replacement = draw(st.none() | st.integers(-5, 10**12) | st.floats() | st.text(max_size=10) | st.just([]) | st.just({})
                           | st.just("__delete__"))
        if replacement == "__delete__":
            del parent[key]
        else:
            parent[key] = replacement
    return mutated


@pytest.mark.parametrize("section, bad", [("units", None), ("assignments", "x"), ("dimensions", [1]), ("person_scoring", 5)])
def test_a_section_of_the_wrong_shape_is_named(registry, section, bad):
    document = {**small_demo_document(), section: bad}
    result = answered(lambda: registry.submit_scheme(yaml_text.safe_dump(document, allow_unicode=True), "yaml", "r", OFFICE))
    if isinstance(result, Exception):
        assert section in str(result)
        return
    problems = answered(lambda: registry.validate_scheme(result.code, result.version))
    assert not isinstance(problems, Exception) and any(section in p.path for p in problems)


# No shrinking: shrinking a failure of documents this size takes minutes.
@settings(max_examples=40, deadline=None, derandomize=True, phases=[Phase.generate], report_multiple_bugs=False,
          suppress_health_check=list(HealthCheck))
@given(data=st.data(), form=st.sampled_from(["yaml", "json", ""]))
def test_any_scheme_document_is_a_draft_or_a_clear_refusal_and_validation_names_places(registry, data, form):
    import json
    document = _mutations(small_demo_document(), data.draw)
    text = yaml_text.safe_dump(document, allow_unicode=True) if form != "json" else json.dumps(document, ensure_ascii=False)
    result = answered(lambda: registry.submit_scheme(text, form, "变更", OFFICE))
    if isinstance(result, Exception):
        return
    problems = answered(lambda: registry.validate_scheme(result.code, result.version))
    assume(not isinstance(problems, Exception))
    assert all(p.path is not None and p.message for p in problems)


# -- oversized uploads ----------------------------------------------------------------------

READ_UPLOAD = """
import sys
from pathlib import Path
from jixiao.gateway.adapters.spreadsheet import SpreadsheetError, read_table
try:
    read_table(Path(sys.argv[1]).read_bytes(), "xlsx", 100_000)
except SpreadsheetError:
    pass
print("answered")
"""


def test_a_small_workbook_with_a_far_away_cell_is_read_in_bounded_time(tmp_path):
    """What an upload of such a file costs the gateway's reader, in a child process killed after 10 s."""
    import io
    import subprocess
    import sys

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for column, name in enumerate(("unit_id", "metric_code", "value", "period"), start=1):
        sheet.cell(1, column, name)
    sheet.cell(50_000, 16384, "x")  # one cell in the sheet's last column (XFD)
    content = io.BytesIO()
    book.save(content)
    assert len(content.getvalue()) < 10_000  # the file is tiny
    path = tmp_path / "sparse.xlsx"
    path.write_bytes(content.getvalue())
    try:
        done = subprocess.run([sys.executable, "-c", READ_UPLOAD, str(path)], capture_output=True, text=True, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("reading a 5 KB workbook took more than 10 s")
    assert done.stdout.strip() == "answered", done.stderr
