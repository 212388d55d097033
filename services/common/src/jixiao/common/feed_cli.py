"""`jixiao feed`: sign metric events as a data feed, for kcat or straight to Kafka.

    jixiao feed sign --key-file F      JSON events, one per line, on standard input →
                                       one line per event: record key, TAB, signature
                                       header value, TAB, the event's JSON as given
    jixiao feed send --key-file F -b BOOTSTRAP [-t TOPIC]
                                       JSON events, one per line → signed records on the
                                       topic (content-type application/json, keyed by unit id)

Each line is signed exactly as given (without its line ending): that is the
record value kcat sends for it. docs/feeds.md shows the kcat loop.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from jixiao_sdk.signing import KeyFileError, SigningKey

from . import event_codec

METRICS_TOPIC = "jixiao.metrics.v1"


def add_commands(commands) -> None:
    feed = commands.add_parser("feed", help="sign metric events with a feed's key (for kcat), or sign and send them")
    actions = feed.add_subparsers(dest="action", required=True, metavar="ACTION")
    sign = actions.add_parser("sign", help="JSON events (one per line) → key TAB signature TAB event, for kcat")
    send = actions.add_parser("send", help="JSON events (one per line) → signed records on the metrics topic")
    for action in (sign, send):
        action.add_argument("--key-file", type=Path, required=True, help="the key file of `jixiao keys create`")
    send.add_argument("-b", "--bootstrap", required=True, help="Kafka bootstrap servers, comma-separated")
    send.add_argument("-t", "--topic", default=METRICS_TOPIC)
    feed.set_defaults(run=run)


class LineError(ValueError):
    pass


def signed_lines(key: SigningKey, lines) -> Iterator[tuple[bytes, bytes, bytes]]:
    """(record key, signature header value, record value) of each non-blank line; raises
    LineError naming the line and what is wrong with it."""
    for number, line in enumerate(lines, 1):
        value = line.rstrip(b"\r\n").strip()
        if not value:
            continue
        if b"\t" in value:
            raise LineError(f"line {number}: contains a tab; write each event as one line of compact JSON")
        try:
            event = event_codec.decode(value, event_codec.JSON)
        except event_codec.EventError as exc:
            raise LineError(f"line {number}: {exc}") from None
        if not key.signs_for(event.source):
            raise LineError(f"line {number}: source {event.source!r} is not the key's source {key.source!r} "
                            f"(key {key.key_id})")
        record_key = event.unit_id.encode("utf-8")
        yield record_key, key.sign(record_key, value), value


def run(options: argparse.Namespace) -> int:
    try:
        key = SigningKey.from_file(options.key_file)
    except KeyFileError as exc:
        print(f"jixiao feed: error: {exc}", file=sys.stderr)
        return 2
    try:
        if options.action == "sign":
            out = sys.stdout.buffer
            for record_key, signature, value in signed_lines(key, sys.stdin.buffer):
                out.write(record_key + b"\t" + signature + b"\t" + value + b"\n")
            out.flush()
            return 0
        return send(key, options.bootstrap, options.topic)
    except LineError as exc:
        print(f"jixiao feed: error: {exc}; nothing after it was {'signed' if options.action == 'sign' else 'sent'}",
              file=sys.stderr)
        return 1


def send(key: SigningKey, bootstrap: str, topic: str) -> int:
    from . import kafka
    from .config import ConfigError

    try:
        producer = kafka.producer(bootstrap)
    except ConfigError as exc:
        print(f"jixiao feed: error: {exc}", file=sys.stderr)
        return 1
    futures = []
    try:
        for record_key, signature, value in signed_lines(key, sys.stdin.buffer):
            futures.append(producer.send(topic, value=value, key=record_key, headers=[
                (event_codec.CONTENT_TYPE_HEADER, event_codec.JSON.encode()), ("jixiao-signature", signature)]))
    finally:
        producer.flush(timeout=60)
        producer.close()
        sent = sum(1 for future in futures if future.succeeded())
        print(f"sent {sent} signed events to {topic}" + (f"; {len(futures) - sent} not acknowledged" if sent < len(futures) else ""),
              file=sys.stderr)
    return 0 if sent == len(futures) else 1
