from jixiao.common.migrations_env import run
from jixiao.registry.adapters.tables import metadata

run(metadata)
