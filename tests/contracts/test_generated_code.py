"""The generated protobuf code must match proto/ exactly."""
import subprocess
import sys

from helpers import REPO


def test_generated_code_is_up_to_date():
    result = subprocess.run([sys.executable, str(REPO / "proto" / "generate.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_rpc_and_field_is_commented():
    from google.protobuf import descriptor_pb2

    from jixiao.v1 import registry_pb2, scoring_pb2

    for module in (registry_pb2, scoring_pb2):
        source = (REPO / "proto" / module.DESCRIPTOR.name).read_text(encoding="utf-8").splitlines()
        proto = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(proto)
        for service in proto.service:
            for method in service.method:
                line = next(i for i, text in enumerate(source) if f"rpc {method.name}(" in text)
                assert source[line - 1].strip().startswith("//"), f"{service.name}.{method.name} has no comment"
