"""Adapters and helpers every service shares: configuration from the
environment, SQL storage and migrations, the gRPC server, Kafka clients,
the metric-event codec and process lifecycle."""
