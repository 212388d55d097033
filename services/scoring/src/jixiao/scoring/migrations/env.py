from jixiao.common.migrations_env import run
from jixiao.scoring.adapters.sql_schema import metadata

run(metadata)
