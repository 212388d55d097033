"""Secret ballots in the telemetry: no voter or rater identifier is ever exported.

The demo scheme declares `voter_id` of `public_vote` and `rater_id` of `leadership_rating`
secret (`metrics[].secret_attributes`): scoring replaces them with pseudonyms at ingest.
tests/e2e/portal/test_no_voter_ids.py searches the answers, the database and the logs; this
test searches the OpenTelemetry traces and metrics, as a collector receives them.

A feed publishes signed ballots and ratings with distinctive identifiers, each event in a
trace of its own (the feed's PRODUCER span, exported to the same receiver, and its
`traceparent` header): valid ballots over the four channels, a voter voting twice in one
channel, ratings of a leadership team and of a leader, a ballot for a unit the scheme does
not have and a rating from a source that may not report ratings (both rejected, so they
take the dead-letter path). Once scoring has stored them (`process` spans ended with their
offsets committed, `scoring.store`) and recomputed the accepted ones (`scoring.recompute`),
the office reads the events, the unit's and the leader's results and the findings through
the gateway; the months of the ballots and ratings are published and the public reads them
too; each read in a trace of its own, waited for down to the scoring and registry spans it
caused. Then the text of every
export request the receiver got — spans and metric points: names, attributes, events,
links, resources, of every service — is searched for each identifier: none may appear.

The search is not vacuous: the same text must hold each event's id, the units and the
leader, the rejected ballot's unit, the span events, the reads' routes, and
every service's resource, so an identifier put anywhere a span or point carries text
would have been found.
"""
from __future__ import annotations

import json
import random
import time
import uuid
from dataclasses import dataclass

import pytest
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from helpers import demo_document
from jixiao_sdk.publisher import MetricPublisher

SCHEME = "jiangchuan-2026"
UNIT = "U-R06"
CATEGORY = "district_county"
UNKNOWN_UNIT = f"U-NO-SUCH-{uuid.uuid4().hex[:6].upper()}"
SERVICES = ("jixiao-registry", "jixiao-scoring", "jixiao-gateway")
FEED_SERVICE = "jixiao-test-feed"


def _identifiers() -> dict[str, str]:
    """Fresh voter and rater identifiers in the demo's forms (services/demo/src/jixiao/demo/events.py)."""
    rng = random.Random(uuid.uuid4().int)
    staff = rng.sample(range(21, 100), 3)  # the demo's staff raters number 01..20: no clash with a demo id
    return {
        "online": f"wx-{rng.getrandbits(40):010x}",
        "phone": f"tel-1{rng.randint(30, 99)}****{rng.randint(0, 9999):04d}",
        "newspaper": f"np-2026-{rng.randint(100000, 999999):06d}",
        "onsite": f"site-{rng.randint(10000, 99999):05d}",
        "stray_voter": f"wx-{rng.getrandbits(40):010x}",  # votes for a unit the scheme does not have
        "city_leader": f"CL-{rng.randint(1, 16):02d}",
        "staff": f"S-{UNIT}-{staff[0]:02d}",
        "staff_of_leader": f"S-{UNIT}-{staff[1]:02d}",
        "stray_rater": f"S-{UNIT}-{staff[2]:02d}",  # rates through a source that may not report ratings
    }


def _event(source: str, metric: str, value: float, measurement_unit: str, period: str, attributes: dict,
           unit: str = UNIT, person: str = "", evidence: str = "") -> dict:
    event = {"event_id": f"ballot-{uuid.uuid4().hex}", "source": source, "unit_id": unit, "metric_code": metric,
             "value": value, "measurement_unit": measurement_unit, "period": period, "attributes": attributes,
             "evidence_ref": evidence}
    if person:
        event["person_id"] = person
    return event


def _leader_of(unit: str) -> str:
    document = demo_document()
    return next(p["id"] for p in document["persons"] if p["unit"] == unit)


def _traceparent() -> tuple[str, str, str]:
    trace_id, span_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    return trace_id, span_id, f"00-{trace_id}-{span_id}-01"


def _wait(receiver, wanted, what: str):
    return receiver.wait_for(wanted, timeout=30, what=what)


@dataclass
class Ballots:
    ids: dict[str, str]  # the voters' and raters' identifiers, by role
    leader: str  # the leader rated
    ballots: list[dict]  # valid ballots of UNIT, one per channel
    ratings: list[dict]  # of UNIT's leadership team (2) and of its leader (1)
    accepted: list[dict]  # ballots, the online voter's second ballot, ratings
    rejected: dict[str, tuple[dict, str]]  # event id → (event, reason category)
    everything: list[dict]
    trace_of: dict[str, tuple[str, str]]  # event id → the feed's (trace id, PRODUCER span id)
    stores: dict[str, object]  # event id → its scoring.store span


@pytest.fixture(scope="module")
def ballots(traced_platform) -> Ballots:
    """The feeds' ballots and ratings, each in a trace of its own, stored (or dead-lettered) by
    scoring, their offsets committed, and the accepted ones recomputed."""
    platform, receiver = traced_platform, traced_platform.receiver
    ids = _identifiers()
    leader = _leader_of(UNIT)
    # ballots of 20 November, ratings of 16 December, as the demo's feeds send them
    valid = [_event("survey_center", "public_vote", value, "ballot", "2026-11-20",
                    {"channel": channel, "voter_id": ids[channel]}, evidence=f"survey://2026/{UNIT}/{channel}-00001")
             for channel, value in (("online", 1.0), ("phone", 0.5), ("newspaper", 1.0), ("onsite", 0.0))]
    again = _event("survey_center", "public_vote", 0.0, "ballot", "2026-11-21",
                   {"channel": "online", "voter_id": ids["online"]},
                   evidence=f"survey://2026/{UNIT}/online-00001-again")
    stray_ballot = _event("survey_center", "public_vote", 1.0, "ballot", "2026-11-20",
                          {"channel": "phone", "voter_id": ids["stray_voter"]}, unit=UNKNOWN_UNIT)
    ratings = [
        _event("evaluation_office", "leadership_rating", 4.0, "rating", "2026-12-16",
               {"rater_id": ids["city_leader"], "rater_group": "city_leaders"}, evidence=f"eval://2026/ratings/{UNIT}"),
        _event("evaluation_office", "leadership_rating", 5.0, "rating", "2026-12-16",
               {"rater_id": ids["staff"], "rater_group": "subordinates"}, evidence=f"eval://2026/ratings/{UNIT}"),
        _event("evaluation_office", "leadership_rating", 4.0, "rating", "2026-12-16",
               {"rater_id": ids["staff_of_leader"], "rater_group": "subordinates"}, person=leader,
               evidence=f"eval://2026/ratings/{UNIT}/{leader}"),
    ]
    # signed by the survey centre, which may not report ratings: rejected (source_not_allowed)
    stray_rating = _event("survey_center", "leadership_rating", 3.0, "rating", "2026-12-16",
                          {"rater_id": ids["stray_rater"], "rater_group": "subordinates"})
    accepted = [*valid, again, *ratings]
    rejected = {stray_ballot["event_id"]: (stray_ballot, "unknown_unit"),
                stray_rating["event_id"]: (stray_rating, "source_not_allowed")}
    everything = [*accepted, stray_ballot, stray_rating]

    # The feed's own spans go to the receiver too: they are the traces' first spans.
    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": FEED_SERVICE}))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=receiver.endpoint, insecure=True)))
    try:
        for source in ("survey_center", "evaluation_office"):
            with MetricPublisher(platform.bootstrap, topic=platform.topic, tracer_provider=provider,
                                 signing_key=platform.keys.folder / f"{source}.key") as feed:
                for event in everything:
                    if event["source"] == source:
                        feed.publish(event)
    finally:
        provider.shutdown()
    sent = {s.attributes["jixiao.event_id"]: s.get_span_context() for s in memory.get_finished_spans()}
    assert set(sent) == {e["event_id"] for e in everything}
    trace_of = {event_id: (f"{c.trace_id:032x}", f"{c.span_id:016x}") for event_id, c in sent.items()}

    def processed():
        """event id → store span, once every event's process span has ended with its offset committed
        (the rejected are dead-lettered before the commit)."""
        spans = {}
        for event_id, (trace_id, span_id) in trace_of.items():
            process = [s for s in receiver.spans_where(service="jixiao-scoring", trace_id=trace_id, parent_id=span_id)
                       if s.name == f"process {platform.topic}" and "offsets committed" in s.events]
            store = [s for s in receiver.spans_where(name="scoring.store", trace_id=trace_id)
                     if process and s.parent_id == process[0].span_id]
            if not store:
                return None
            spans[event_id] = store[0]
        return spans

    stores = _wait(receiver, processed, "process and store spans of every ballot and rating")
    _wait(receiver, lambda: all(receiver.spans_where(name="scoring.recompute", trace_id=trace_of[e["event_id"]][0],
                                                     attributes={"jixiao.event_id": e["event_id"]})
                                for e in accepted), "recompute spans of every accepted event")
    return Ballots(ids, leader, valid, ratings, accepted, rejected, everything, trace_of, stores)


def test_no_voter_or_rater_id_is_in_any_exported_span_or_metric(traced_platform, ballots):
    platform, receiver = traced_platform, traced_platform.receiver
    ids, leader, rejected = ballots.ids, ballots.leader, ballots.rejected
    for event in ballots.accepted:
        store = ballots.stores[event["event_id"]]
        assert store.attributes["jixiao.outcome"] == "accepted" and store.attributes["jixiao.unit_id"] == UNIT, store

    # -- reads through the gateway, each in a trace of its own -----------------------------------
    reads: list[tuple[str, str, str, str, int]] = []  # (who, path, trace id, parent span id, status)

    def read(who: str, path: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
        trace_id, span_id, header = _traceparent()
        headers = {"traceparent": header}
        if body is not None:
            headers["Content-Type"] = "application/json"
        status, answer = platform.http(method, path, token=platform.tokens.office if who == "office" else None,
                                       headers=headers, body=json.dumps(body).encode() if body is not None else None)
        reads.append((who, path, trace_id, span_id, status))
        return status, answer

    unit_path = f"/api/v1/schemes/{SCHEME}/units/{UNIT}?period=2026"
    person_path = f"/api/v1/schemes/{SCHEME}/persons/{leader}?period=2026"
    status, unit = read("office", unit_path)
    assert status == 200, unit
    results = {r["indicator_code"]: r for r in unit["indicators"]}
    public_evaluation = results["public_evaluation"]
    assert set(public_evaluation["evidence_event_ids"]) == {e["event_id"] for e in ballots.ballots}, public_evaluation
    # the month counts the ballots; the year is the mean of its results
    status, month = read("office", f"/api/v1/schemes/{SCHEME}/units/{UNIT}?period=2026-11")
    assert status == 200, month
    counted = next(r for r in month["indicators"] if r["indicator_code"] == "public_evaluation")
    assert "1 repeat ballots ignored" in counted["explanation"], counted  # the online voter's second ballot
    assert set(results["leadership_evaluation"]["evidence_event_ids"]) == {e["event_id"] for e in ballots.ratings[:2]}
    status, person = read("office", person_path)
    assert status == 200, person
    for event in ballots.everything:
        status, stored = read("office", f"/api/v1/events/{event['event_id']}")
        if event["event_id"] in rejected:
            assert status == 404, stored
        else:
            assert status == 200, stored
            secret = "voter_id" if event["metric_code"] == "public_vote" else "rater_id"
            assert stored["attributes"][secret].startswith("pn-"), stored  # pseudonymised, so the scan has a point
    status, findings = read("office", f"/api/v1/schemes/{SCHEME}/findings?page_size=500")
    assert status == 200, findings

    # The public sees published periods only: the months of the ballots and of the ratings are published.
    # (Publishing the year would need the office to resolve its grades' boundary ties first.)
    for period in ("2026-11", "2026-12"):
        for action in ("lock", "approve", "publish"):
            body = {"reason": "月度考核结果经审核公示"}
            if action == "publish":
                body["override_findings_reason"] = "疑点另行核查"
            status, answer = read("office", f"/api/v1/schemes/{SCHEME}/periods/{period}/{action}", "POST", body)
            assert status == 200, (period, action, answer)
    for path in (f"/api/v1/schemes/{SCHEME}/units/{UNIT}?period=2026-11",
                 f"/api/v1/schemes/{SCHEME}/units/{UNIT}?period=2026-12",
                 f"/api/v1/schemes/{SCHEME}/persons/{leader}?period=2026-12",
                 f"/api/v1/schemes/{SCHEME}/rankings?category={CATEGORY}&period=2026-11",
                 f"/api/v1/schemes/{SCHEME}/bulletins/2026-11"):
        status, answer = read("public", path)
        assert status == 200, (path, answer)
    for event in (ballots.ballots[0], ballots.ratings[0]):
        status, answer = read("public", f"/api/v1/events/{event['event_id']}")
        assert status == 403, answer  # a ballot is not readable one by one, but scoring was asked
    read_at = time.monotonic()

    def answered():
        """Each read's gateway span, and for each of its gRPC calls the server's span."""
        for _, _, trace_id, span_id, _ in reads:
            spans = receiver.spans_where(trace_id=trace_id)
            if not any(s.service == "jixiao-gateway" and s.kind == "SERVER" and s.parent_id == span_id for s in spans):
                return False
            served = {s.parent_id for s in spans if s.kind == "SERVER"}
            if any(s.kind == "CLIENT" and s.attributes.get("rpc.system") == "grpc" and s.span_id not in served
                   for s in spans):  # (the other CLIENT spans are SQL statements)
                return False
        return True

    _wait(receiver, answered, "the spans of every read, down to the backends")
    _wait(receiver, lambda: set(SERVICES) <= {service for export in receiver.exports_of("metrics", since=read_at)
                                              for service in export.services},
          "a metrics export of every service after the reads")

    # -- the search ------------------------------------------------------------------------------
    traces = "\n".join(export.text for export in receiver.exports_of("traces"))
    measured = "\n".join(export.text for export in receiver.exports_of("metrics"))
    exported = traces + "\n" + measured

    # not vacuous: what the same spans say about the same ballots is there to be found
    assert {FEED_SERVICE, *SERVICES[1:]} <= {s for e in receiver.exports_of("traces") for s in e.services}
    # (Links are searched too, but not required here: a recompute links its rescore only when the
    # round that served it cleared changes, which depends on how the rescorer's rounds fall.)
    for text in (*(e["event_id"] for e in ballots.everything), UNIT, UNKNOWN_UNIT, leader, "offsets committed",
                 "scoring.recompute", "/api/v1/events/<event_id>", *SERVICES):
        assert text in traces, f"{text!r} is in no exported span: the search would not see it either"
    for text in ("jixiao.scoring.events", "http.server.request.duration", "/api/v1/schemes/<code>/units/<unit_id>",
                 "rpc.server.call.duration", *SERVICES):
        assert text in measured, f"{text!r} is in no exported metric"

    leaks = {}
    for name, identifier in ids.items():
        if identifier in exported:
            leaks[f"{name} {identifier}"] = _where(receiver, exported, identifier)
    assert leaks == {}, f"secret ballot identifiers in the telemetry: {json.dumps(leaks, ensure_ascii=False, indent=1)}"


def _where(receiver, exported: str, identifier: str) -> list[str]:
    """Where an identifier was exported: the spans holding it, else the text around its first occurrences."""
    found = [f"{s.service} {s.name}: {s.attributes} {s.events}" for s in receiver.spans_where()
             if identifier in repr((s.name, s.attributes, s.events))]
    at = exported.find(identifier)
    while at >= 0 and len(found) < 3:
        found.append(exported[max(0, at - 200):at + 60])
        at = exported.find(identifier, at + 1)
    return found


def test_a_rejected_ballot_is_traced_as_rejected(traced_platform, ballots):
    platform, receiver = traced_platform, traced_platform.receiver
    dead_letters = [line for line in platform.scoring.stderr().splitlines() if "dead letter" in line]
    for event_id, (event, reason) in ballots.rejected.items():
        store = ballots.stores[event_id]
        assert store.attributes.get("jixiao.outcome") == "rejected" and store.status == 2, store
        assert store.attributes.get("jixiao.reason") == reason, store
        trace_id = ballots.trace_of[event_id][0]
        assert not receiver.spans_where(name="scoring.recompute", trace_id=trace_id), event
        assert any(line.endswith(f"trace_id={trace_id} span_id={store.parent_id}") for line in dead_letters), \
            dead_letters
