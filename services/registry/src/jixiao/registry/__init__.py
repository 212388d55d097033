"""Registry service: the catalogue of indicator plug-ins and the year's
evaluation schemes, served over gRPC (`jixiao.v1.RegistryService`).

domain/         scheme documents, their validation rules, the plug-in lifecycle (pure)
service_layer/  the use cases (register, submit, publish, import, create a key…)
adapters/       SQL tables and the repository, the installed plug-ins
entrypoints/    the gRPC servicer and the `jixiao plugin|scheme|keys|bootstrap` commands
config.py       settings from environment variables
bootstrap.py    wires configuration, storage, service and servicer together
client.py       the registry's public gRPC client (for the CLI and the other services)
"""
