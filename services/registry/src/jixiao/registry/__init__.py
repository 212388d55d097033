"""Registry service: the catalogue of indicator plug-ins and the year's
evaluation schemes, served over gRPC (`jixiao.v1.RegistryService`).

domain/       scheme documents and their validation rules (pure)
adapters/     SQL tables and the repository
service.py    the use cases (submit, publish, register…)
entrypoints/  the gRPC servicer and the process entry point
bootstrap.py  wires configuration, storage and servicer together
"""
