"""Out-of-range and oversized gRPC requests against the real registry and
scoring processes: every field of every rpc drawn from its type's extremes
(negative and huge page sizes, NaN and infinite numbers, enum values no
.proto names, megabytes of text, NUL characters, nested messages) with the
office's token, so that the field checks, not the role checks, answer.

Every answer must be a status that says what is wrong (INVALID_ARGUMENT,
NOT_FOUND, FAILED_PRECONDITION, …): never INTERNAL or UNKNOWN, and both
processes keep serving without a traceback in their logs.
"""
from __future__ import annotations

import grpc
import pytest
from google.protobuf.descriptor import FieldDescriptor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ServiceProcess, free_port, make_tokens, unique
from helpers.reliability_kit import SCHEME_CODE, start_registry
from jixiao.common.auth import call_credentials
from jixiao.common.grpc_server import MAX_MESSAGE_BYTES
from jixiao.common.readiness import grpc_serving
from jixiao.v1 import registry_pb2, registry_pb2_grpc, scoring_pb2, scoring_pb2_grpc

CODE = grpc.StatusCode
REFUSED = {CODE.INTERNAL, CODE.UNKNOWN, CODE.UNAVAILABLE, CODE.DATA_LOSS}
POOL = [SCHEME_CODE, "district_county", "departments", "U-R01", "P0001", "2026-Q4", "2026-11", "2027", "2026-13",
        "units", "csv", "xlsx", "yaml", "json", "approved", "active", "jixiao-indicator-investment-completion", "0.1.0"]
TEXT = st.sampled_from(POOL) | st.text(max_size=30) | st.sampled_from(["", " ", "\x00", "../../../etc/passwd", "é" * 300]) \
    | st.integers(1, 600_000).map(lambda n: "x" * n)


def value_of(field: FieldDescriptor, depth: int):
    kind = field.type
    if kind == FieldDescriptor.TYPE_STRING:
        return TEXT
    if kind == FieldDescriptor.TYPE_BYTES:
        return st.binary(max_size=2000) | st.sampled_from([b"", b"unit_id\n" * 10_000, b"PK\x03\x04" + b"\x00" * 100])
    if kind in (FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SFIXED32):
        return st.sampled_from([0, 1, -1, 500, 501, -2**31, 2**31 - 1]) | st.integers(-2**31, 2**31 - 1)
    if kind in (FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_SINT64, FieldDescriptor.TYPE_SFIXED64):
        return st.sampled_from([0, 1, -1, -2**63, 2**63 - 1]) | st.integers(-2**63, 2**63 - 1)
    if kind in (FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_FIXED32):
        return st.integers(0, 2**32 - 1)
    if kind in (FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED64):
        return st.integers(0, 2**64 - 1)
    if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return st.floats(width=64 if kind == FieldDescriptor.TYPE_DOUBLE else 32) \
            | st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -0.0])
    if kind == FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if kind == FieldDescriptor.TYPE_ENUM:
        return st.integers(-3, 40)  # proto3 enums are open: numbers no name stands for arrive too
    if kind == FieldDescriptor.TYPE_MESSAGE:
        return message_of(field.message_type, depth + 1)
    raise AssertionError(f"no strategy for {field.full_name}")


def message_of(descriptor, depth: int = 0):
    """A strategy for messages of `descriptor`: each field set or not, to any value of its type."""
    from google.protobuf import message_factory

    cls = message_factory.GetMessageClass(descriptor)
    if depth > 2 or descriptor.GetOptions().map_entry:
        return st.just(cls())
    fields = {}
    for field in descriptor.fields:
        one = value_of(field, depth)
        is_repeated = field.is_repeated
        fields[field.name] = st.none() | (st.lists(one, max_size=3) if is_repeated else one)

    def build(values):
        message = cls()
        for name, value in values.items():
            if value is None:
                continue
            field = descriptor.fields_by_name[name]
            target = getattr(message, name)
            if field.is_repeated:
                if field.message_type is not None and field.message_type.GetOptions().map_entry:
                    continue
                for item in value:
                    target.add().CopyFrom(item) if field.type == FieldDescriptor.TYPE_MESSAGE else target.append(item)
            elif field.type == FieldDescriptor.TYPE_MESSAGE:
                target.CopyFrom(value)
            else:
                setattr(message, name, value)
        return message

    return st.fixed_dictionaries(fields).map(build)


@pytest.fixture(scope="module")
def backends(broker, tmp_path_factory):
    """The registry (demo scheme published) and scoring, as processes; no gateway."""
    folder = tmp_path_factory.mktemp("grpc")
    tokens = make_tokens(folder)
    env = {"JIXIAO_METRICS_TOPIC": unique("metrics"), "JIXIAO_DEAD_LETTER_TOPIC": unique("dlq"),
           "JIXIAO_CONSUMER_GROUP": unique("group"), "JIXIAO_DATA_DIR": str(folder / "data"),
           "JIXIAO_KAFKA_BOOTSTRAP": broker.bootstrap, "JIXIAO_KAFKA_API_VERSION": "3.0",
           "JIXIAO_TOKENS_FILE": str(tokens.file), "JIXIAO_SERVICE_TOKEN": tokens.reader,
           "JIXIAO_SCHEME_POLL_SECONDS": "0.5"}
    registry, registry_address = start_registry(env, tokens, folder)
    port = free_port()
    scoring = ServiceProcess("jixiao.scoring", {**env, "JIXIAO_REGISTRY_ADDR": registry_address,
                                                "JIXIAO_SCORING_PORT": str(port)}, folder)
    scoring.wait_ready(lambda: grpc_serving(f"127.0.0.1:{port}"), timeout=60)
    channels = {"registry": grpc.insecure_channel(registry_address, options=[("grpc.max_send_message_length", 64 << 20)]),
                "scoring": grpc.insecure_channel(f"127.0.0.1:{port}", options=[("grpc.max_send_message_length", 64 << 20)])}
    stubs = {"registry": registry_pb2_grpc.RegistryServiceStub(channels["registry"]),
             "scoring": scoring_pb2_grpc.ScoringServiceStub(channels["scoring"])}
    yield stubs, call_credentials(tokens.office), {"registry": registry, "scoring": scoring}
    for channel in channels.values():
        channel.close()
    for process in (scoring, registry):
        code, log = process.stop(), process.stderr()
        assert code == 0, f"{process.module} exited with {code}:\n{log}"
        assert "Traceback" not in log, f"{process.module} logged a traceback:\n{log}"


def rpcs(module, service: str):
    return [(service, m.name, m.input_type) for m in module.DESCRIPTOR.services_by_name[service].methods]


RPCS = rpcs(registry_pb2, "RegistryService") + rpcs(scoring_pb2, "ScoringService")


def call(stub, method: str, request, metadata) -> tuple[grpc.StatusCode, str]:
    try:
        getattr(stub, method)(request, timeout=60, metadata=metadata)
    except grpc.RpcError as error:
        return error.code(), error.details() or ""
    return CODE.OK, ""


@pytest.mark.parametrize("service, method, descriptor", RPCS, ids=[f"{s}.{m}" for s, m, _ in RPCS])
def test_any_field_values_get_a_status_that_says_what_is_wrong(backends, service, method, descriptor):
    stubs, office, processes = backends
    stub = stubs["registry" if service == "RegistryService" else "scoring"]

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(request=message_of(descriptor))
    def check(request):
        code, details = call(stub, method, request, office)
        assert code not in REFUSED, f"{method}({str(request)[:300]!r}) → {code.name}: {details}"
        if code not in (CODE.OK, CODE.RESOURCE_EXHAUSTED):
            assert details, f"{method} answered {code.name} without saying why"

    check()
    for name, process in processes.items():
        assert process.alive(), f"{name} died:\n{process.stderr()}"


BEYOND = MAX_MESSAGE_BYTES + 1024


@pytest.mark.parametrize("service, method, request_", [
    ("scoring", "GetEvent", scoring_pb2.GetEventRequest(event_id="e" * BEYOND)),
    ("registry", "SubmitScheme", registry_pb2.SubmitSchemeRequest(document="a: b\n" * (BEYOND // 5 + 1))),
    ("registry", "ImportTable", registry_pb2.ImportTableRequest(code=SCHEME_CODE, table="units", file_format="csv",
                                                                 content=b"U,x,y\n" * (BEYOND // 6 + 1))),
], ids=["scoring-GetEvent", "registry-SubmitScheme", "registry-ImportTable"])
def test_a_message_over_the_limit_is_refused_and_the_server_goes_on(backends, service, method, request_):
    """Both servers take messages up to 16 MiB (a scheme document, a table); beyond, gRPC refuses them."""
    stubs, office, processes = backends
    assert request_.ByteSize() > MAX_MESSAGE_BYTES
    code, details = call(stubs[service], method, request_, office)
    assert code == CODE.RESOURCE_EXHAUSTED, (code, details)
    follow_up = {"scoring": ("GetIngestStatus", scoring_pb2.GetIngestStatusRequest()),
                 "registry": ("ListSchemeVersions", registry_pb2.ListSchemeVersionsRequest())}[service]
    assert call(stubs[service], *follow_up, office)[0] == CODE.OK
    assert processes[service].alive()
