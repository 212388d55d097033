"""gRPC clients of the backends."""
