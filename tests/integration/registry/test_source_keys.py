"""The feeds' signing keys: the office creates one per source (the private key
returned once, never stored), lists and revokes them (who, when, why); the
reader token scoring uses lists them; nobody else may."""
from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime

import grpc
import pytest
import yaml

from helpers import DEMO_SCHEME
from helpers.cli import run_jixiao
from helpers.small_scheme import SMALL_SCHEME
from jixiao.common.auth import Principal, call_credentials
from jixiao.common.errors import InvalidArgument, NotFound
from jixiao.registry.bootstrap import build_service
from jixiao.v1 import registry_pb2 as pb
from jixiao.v1 import registry_pb2_grpc
from jixiao_sdk.signing import SigningKey, verify

OFFICE = Principal("考核办", "office")
NOW = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def service(tmp_path):
    service = build_service(f"sqlite:///{tmp_path / 'registry.db'}")
    service.clock = lambda: NOW
    service.submit_scheme(yaml.safe_dump(SMALL_SCHEME), reason="test")
    return service


def test_a_key_is_made_for_a_source_and_only_its_public_half_is_kept(service, tmp_path):
    record, private = service.create_source_key("stats", by=OFFICE)
    assert (record.source, record.created_by, record.created_at, record.revoked_at) == ("stats", "考核办", NOW, None)
    assert private.key_id == record.key_id and private.source == "stats" and private.public_key() == record.public_key
    assert len(record.public_key) == 32
    assert verify(record.public_key, base64.b64decode(private.sign(b"U1", b"v").split(b"sig=")[1]), b"U1", b"v")
    raw_private = base64.b64decode(json.loads(private.to_text())["private_key"])
    database = b"".join(p.read_bytes() for p in tmp_path.glob("registry.db*"))  # the WAL too
    assert record.public_key in database and raw_private not in database
    assert base64.b64encode(raw_private) not in database
    assert service.list_source_keys() == [record]
    assert "private" not in repr(private) and json.loads(private.to_text())["private_key"] not in repr(private)


def test_sources_are_the_schemes_or_the_relay(service):
    with pytest.raises(InvalidArgument, match=r"source: 'nobody' is not a source of any scheme \(sources: office, stats\)"):
        service.create_source_key("nobody", by=OFFICE)
    with pytest.raises(InvalidArgument, match="source: is required"):
        service.create_source_key(" ", by=OFFICE)
    relay, private = service.create_source_key("*", by=OFFICE)
    assert relay.source == "*" and private.signs_for("stats") and private.signs_for("anything")


def test_a_feed_may_bring_its_own_public_key(service):
    own = SigningKey.generate("stats")
    record, private = service.create_source_key("stats", own.public_key(), by=OFFICE)
    assert private is None and record.public_key == own.public_key() and record.key_id.startswith("k-")
    with pytest.raises(InvalidArgument, match="public_key: is 3 bytes, not the 32 of a raw Ed25519 public key"):
        service.create_source_key("stats", b"abc", by=OFFICE)


def test_keys_are_listed_by_source_and_revoked_with_who_when_and_why(service):
    service.clock = lambda: datetime(2026, 3, 1, tzinfo=UTC)
    first, _ = service.create_source_key("stats", by=OFFICE)
    service.clock = lambda: datetime(2026, 3, 2, tzinfo=UTC)
    second, _ = service.create_source_key("stats", by=OFFICE)
    other, _ = service.create_source_key("office", by=OFFICE)
    service.clock = lambda: NOW
    assert [k.key_id for k in service.list_source_keys("stats")] == [first.key_id, second.key_id]
    assert len(service.list_source_keys()) == 3
    revoked = service.revoke_source_key(first.key_id, "密钥泄露 leaked", Principal("安全员", "office"))
    assert (revoked.revoked_at, revoked.revoked_by, revoked.revoked_reason) == (NOW, "安全员", "密钥泄露 leaked")
    service.clock = lambda: datetime(2027, 1, 1, tzinfo=UTC)
    assert service.revoke_source_key(first.key_id, "again", OFFICE) == revoked, "the first revocation stays"
    assert [k.revoked_at is None for k in service.list_source_keys()] == [False, True, True]
    with pytest.raises(InvalidArgument, match="reason: is required"):
        service.revoke_source_key(second.key_id, "  ", OFFICE)
    with pytest.raises(NotFound, match="signing key 'k-nope' does not exist"):
        service.revoke_source_key("k-nope", "x", OFFICE)
    with pytest.raises(NotFound):
        service.revoke_source_key("\x00" * 10, "x", OFFICE)
    assert other.revoked_at is None


def call(address: str, token: str, method: str, request):
    with grpc.insecure_channel(address) as channel:
        return getattr(registry_pb2_grpc.RegistryServiceStub(channel), method)(
            request, timeout=30, metadata=call_credentials(token))


def code_of(address: str, token: str, method: str, request) -> grpc.StatusCode:
    try:
        call(address, token, method, request)
    except grpc.RpcError as error:
        return error.code()
    return grpc.StatusCode.OK


def test_only_the_office_makes_and_revokes_keys_and_scorings_reader_lists_them(registry):
    address, tokens = registry
    call(address, tokens.office, "SubmitScheme", pb.SubmitSchemeRequest(document=yaml.safe_dump(SMALL_SCHEME)))
    made = call(address, tokens.office, "CreateSourceKey", pb.CreateSourceKeyRequest(source="stats"))
    key = SigningKey.from_text(made.key_file)
    assert (made.key.source, made.key.created_by, made.key.HasField("revoked_at")) == ("stats", "考核办", False)
    assert key.key_id == made.key.key_id and key.public_key() == made.key.public_key
    listed = call(address, tokens.reader, "ListSourceKeys", pb.ListSourceKeysRequest())
    assert [k.key_id for k in listed.keys] == [made.key.key_id]
    assert not any(f.name == "key_file" for f in pb.SourceKey.DESCRIPTOR.fields), "a listed key has no private half"
    denied = grpc.StatusCode.PERMISSION_DENIED
    for token in (tokens.reader, tokens.feed, tokens.department):
        assert code_of(address, token, "CreateSourceKey", pb.CreateSourceKeyRequest(source="stats")) == denied
        assert code_of(address, token, "RevokeSourceKey", pb.RevokeSourceKeyRequest(key_id=key.key_id, reason="x")) == denied
    for token in (tokens.feed, tokens.department):
        assert code_of(address, token, "ListSourceKeys", pb.ListSourceKeysRequest()) == denied
    revoked = call(address, tokens.office, "RevokeSourceKey", pb.RevokeSourceKeyRequest(key_id=key.key_id, reason="轮换"))
    assert revoked.HasField("revoked_at") and (revoked.revoked_by, revoked.revoked_reason) == ("考核办", "轮换")
    assert code_of(address, tokens.office, "CreateSourceKey",
                   pb.CreateSourceKeyRequest(source="nope")) == grpc.StatusCode.INVALID_ARGUMENT
    assert code_of(address, tokens.office, "RevokeSourceKey",
                   pb.RevokeSourceKeyRequest(key_id="k-nope", reason="x")) == grpc.StatusCode.NOT_FOUND


def jixiao(address: str, token: str, *args: str) -> subprocess.CompletedProcess:
    return run_jixiao(*args, env={"JIXIAO_REGISTRY_ADDR": address, "JIXIAO_TOKEN": token})


def jixiao_process(address: str, token: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JIXIAO_REGISTRY_ADDR": address, "JIXIAO_TOKEN": token}
    return subprocess.run([sys.executable, "-m", "jixiao.cli", *args], capture_output=True, text=True, env=env, timeout=120)


def test_the_keys_commands(registry, tmp_path):
    address, tokens = registry
    assert jixiao(address, tokens.office, "scheme", "submit", str(DEMO_SCHEME)).returncode == 0
    key_file = tmp_path / "feeds" / "stats_bureau.key"
    made = jixiao(address, tokens.office, "keys", "create", "--source", "stats_bureau", "-o", str(key_file))
    assert made.returncode == 0, made.stderr
    key = SigningKey.from_file(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert f"key {key.key_id} of source stats_bureau written to {key_file} (mode 0600)" in made.stdout
    assert json.loads(key_file.read_text())["private_key"] not in made.stdout + made.stderr
    again = jixiao(address, tokens.office, "keys", "create", "--source", "stats_bureau", "-o", str(key_file))
    assert again.returncode == 2 and "exists; a key file is never overwritten" in again.stderr
    printed = jixiao(address, tokens.office, "keys", "create", "--source", "*")
    relay = SigningKey.from_text(printed.stdout)
    assert relay.source == "*" and "shown only now" in printed.stderr and "relay key" in printed.stderr
    own = tmp_path / "own.pub"
    own.write_text(base64.b64encode(SigningKey.generate("drc").public_key()).decode())
    brought = jixiao(address, tokens.office, "keys", "create", "--source", "drc", "--public-key", str(own))
    assert brought.returncode == 0 and "recorded; sign with your private key and key id k-" in brought.stdout
    unknown = jixiao(address, tokens.office, "keys", "create", "--source", "nobody")
    assert unknown.returncode == 1 and "INVALID_ARGUMENT: source: 'nobody' is not a source of any scheme" in unknown.stderr
    denied = jixiao(address, tokens.feed, "keys", "create", "--source", "stats_bureau")
    assert denied.returncode == 1 and "PERMISSION_DENIED: CreateSourceKey needs the role office" in denied.stderr

    revoked = jixiao(address, tokens.office, "keys", "revoke", key.key_id, "--reason", "换发新钥")
    assert revoked.returncode == 0 and f"key {key.key_id} of source stats_bureau is revoked since" in revoked.stdout
    listing = jixiao(address, tokens.reader, "keys", "list").stdout.splitlines()
    assert listing[0].split()[:4] == ["key", "id", "source", "status"] and len(listing) == 5
    row = next(line for line in listing if key.key_id in line)
    assert "revoked" in row and "换发新钥" in row and "考核办" in row
    assert any(relay.key_id in line and " * " in line and "active" in line for line in listing)
    only = jixiao(address, tokens.reader, "keys", "list", "--source", "drc").stdout.splitlines()
    assert len(only) == 3 and "drc" in only[2]


def test_a_printed_key_file_is_all_of_standard_output(registry, tmp_path):
    """The real `python -m jixiao.cli` (test_the_keys_commands calls it in this process), as
    `jixiao keys create --source '*' > relay.key` runs it: standard output is the key file and
    nothing else, the message is on standard error, and the exit status is 0."""
    address, tokens = registry
    call(address, tokens.office, "SubmitScheme", pb.SubmitSchemeRequest(document=yaml.safe_dump(SMALL_SCHEME)))
    printed = jixiao_process(address, tokens.office, "keys", "create", "--source", "*")
    assert printed.returncode == 0, printed.stderr
    relay = SigningKey.from_text(printed.stdout)
    assert relay.source == "*" and printed.stdout == relay.to_text()
    assert f"key {relay.key_id} of relay key (signs for any source): the key file above is shown only now" in printed.stderr
    assert json.loads(printed.stdout)["private_key"] not in printed.stderr
