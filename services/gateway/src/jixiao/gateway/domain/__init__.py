"""Pure rules of the gateway: what the public may see, and how uploaded rows become metric events."""
