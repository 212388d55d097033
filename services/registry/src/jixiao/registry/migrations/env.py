from jixiao.common.migrations_env import run
from jixiao.registry.adapters.sql_schema import metadata

run(metadata)
