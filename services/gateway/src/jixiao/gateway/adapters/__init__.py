"""What the gateway talks to: gRPC clients of scoring and the registry (and the errors they raise),
their answers kept a few seconds, the MetricEvents of uploads and the Kafka publisher, spreadsheets."""
