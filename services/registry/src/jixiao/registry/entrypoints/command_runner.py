"""How a command reaches the registry: a client of JIXIAO_REGISTRY_ADDR with the token in
JIXIAO_TOKEN, and gRPC failures as one line and exit status 1. A closed standard output
(`| head`) is left to `jixiao.cli.main`, which ends every command quietly then."""
from __future__ import annotations

import argparse
import os
import sys

import grpc

from ..client import RegistryClient


def client_from_env() -> RegistryClient:
    return RegistryClient(os.environ.get("JIXIAO_REGISTRY_ADDR", "127.0.0.1:50051"), os.environ.get("JIXIAO_TOKEN", ""))


def guarded(action):
    """Runs a command; gRPC and file errors become one line and exit status 1."""

    def wrapper(options: argparse.Namespace) -> int:
        try:
            with client_from_env() as client:
                return action(client, options)
        except grpc.RpcError as error:
            if error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                address = os.environ.get("JIXIAO_REGISTRY_ADDR", "127.0.0.1:50051")
                print(f"jixiao: error: cannot reach the registry at {address} (JIXIAO_REGISTRY_ADDR)", file=sys.stderr)
            else:
                hint = " (set JIXIAO_TOKEN)" if error.code() == grpc.StatusCode.UNAUTHENTICATED else ""
                print(f"jixiao: error: {error.code().name}: {error.details()}{hint}", file=sys.stderr)
            return 1
        except BrokenPipeError:
            raise  # the reader of our output has gone: not an error to report (jixiao.cli.main)
        except OSError as error:
            print(f"jixiao: error: {describe_os_error(error)}", file=sys.stderr)
            return 1

    return wrapper


def describe_os_error(error: OSError) -> str:
    """"FILE: what went wrong", or only what went wrong when no file is concerned."""
    what = error.strerror or str(error) or type(error).__name__
    return f"{error.filename}: {what}" if error.filename else what
