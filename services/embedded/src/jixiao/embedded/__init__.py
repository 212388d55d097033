"""Jixiao on one machine: the embedded Kafka-protocol broker and the
supervisor behind `jixiao up`."""
