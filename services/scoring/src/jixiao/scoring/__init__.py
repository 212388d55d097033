"""Scoring service: consumes metric events from Kafka, stores each once,
scores units with the indicator plug-ins and serves the results over gRPC
(`jixiao.v1.ScoringService`).

domain/         the scoring rules: schemes, validation, totals, ranks, grades,
                roll-ups, review states, anomaly checks (pure)
adapters/       SQL tables and repository, the Kafka consumer and dead letters,
                the registry client, the ballot secrets file, telemetry, the
                cache of plug-in views of stored events
service_layer/  the use cases: ingest, recompute, the read side, review of
                periods and of the findings, leaders, teams and regions
entrypoints/    the gRPC servicer, the rescorer and findings-watch threads,
                the `jixiao baselines` command
config.py       settings from environment variables
bootstrap.py    wires configuration, storage, plug-ins, Kafka and gRPC
Layers import only from their own layer or those below, in that order
(bootstrap > entrypoints > service_layer > adapters > domain).
"""
