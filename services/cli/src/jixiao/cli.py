"""The `jixiao` command.

    jixiao up         the whole platform on this machine (embedded broker, SQLite, demo city)
    jixiao registry   run the registry service
    jixiao scoring    run the scoring service
    jixiao gateway    run the gateway
    jixiao broker     run only the embedded Kafka-protocol broker
    jixiao tokens     create bearer tokens (the tokens file the services read)
    jixiao plugin     register, list, approve, activate, retire indicator plug-ins
    jixiao scheme     submit, validate, publish, diff, import, export schemes
    jixiao bootstrap  make the installed plug-ins active and publish a scheme
    jixiao keys       create, list and revoke the data feeds' signing keys
    jixiao feed       sign metric events with a feed's key (for kcat), or sign and send them
    jixiao migrate    migrate the services' databases (before a rollout)
    jixiao baselines  a year's stored figures as the baselines section of the next scheme

Services are configured by environment variables; see README.md.

A command whose standard output is closed before it is done (`jixiao scheme diff
… | head`) stops quietly with exit status 141, as a command killed by SIGPIPE
does in a shell: nothing on stderr.
"""
from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

# 128 + SIGPIPE: what a shell reports for a command its pipe's reader left (`yes | head`; `set -o pipefail`).
EXIT_OUTPUT_CLOSED = 141


def main(argv: list[str] | None = None) -> int:
    try:
        try:
            return run_command(argv)
        finally:
            # What is still buffered (argparse's help before its SystemExit too) meets a
            # closed pipe here, not in the interpreter's last flush at exit.
            sys.stdout.flush()
    except BrokenPipeError:
        return output_closed()


def output_closed() -> int:
    """The reader of standard output has gone: stop without a word. Standard output then
    points at /dev/null, so the interpreter's last flush at exit does not fail again
    (the recipe of Python's `signal` documentation, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # a standard output without a file descriptor (an in-process run): nothing to redirect
    return EXIT_OUTPUT_CLOSED


def run_command(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao", description="Jixiao (绩效) performance evaluation platform")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    up = commands.add_parser("up", help="run the whole platform on this machine with the demo city")
    up.add_argument("--no-demo", action="store_true", help="start without loading the demo city")
    up.set_defaults(run=run_up)
    for name in ("registry", "scoring", "gateway"):
        service = commands.add_parser(name, help=f"run the {name} service (configured by environment variables)")
        service.set_defaults(run=run_service_command)
    broker = commands.add_parser("broker", help="run the embedded Kafka-protocol broker (librdkafka mock cluster)")
    broker.set_defaults(run=lambda options: import_module("jixiao.embedded.broker").main())
    import_module("jixiao.common.tokens_cli").add_commands(commands)
    import_module("jixiao.registry.entrypoints.command_line").add_commands(commands)
    import_module("jixiao.common.feed_cli").add_commands(commands)
    import_module("jixiao.migrate").add_commands(commands)
    import_module("jixiao.scoring.entrypoints.baselines_cli").add_commands(commands)
    options = parser.parse_args(argv)
    return options.run(options)


def run_up(options: argparse.Namespace) -> int:
    from jixiao.embedded.supervisor import up

    return up(demo=not options.no_demo)


def run_service_command(options: argparse.Namespace) -> int:
    from jixiao.common.entrypoint import run_service

    return run_service(options.command, import_module(f"jixiao.{options.command}.bootstrap").build)


if __name__ == "__main__":
    sys.exit(main())
