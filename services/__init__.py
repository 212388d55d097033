"""Jixiao (绩效): the platform's services.

One subpackage per service (`registry`, `scoring`, `gateway`), the adapters
they share (`common`), the single-machine runner (`embedded`) and the demo
city (`demo`). Generated protobuf code is `jixiao.v1`.
"""
