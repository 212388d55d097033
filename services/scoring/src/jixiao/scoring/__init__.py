"""Scoring service: consumes metric events from Kafka, stores each once,
scores units with the indicator plug-ins and serves the results over gRPC
(`jixiao.v1.ScoringService`).

domain/       the scoring rules: schemes, validation, totals, ranks (pure)
adapters/     Kafka consumer and dead letters, SQL tables and repository,
              the registry client
service.py    ingest and recompute use cases
entrypoints/  the gRPC servicer and the process entry point
bootstrap.py  wires configuration, storage, plug-ins, Kafka and gRPC
"""
