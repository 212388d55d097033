from jixiao.common.migrations_env import run
from jixiao.scoring.adapters.tables import metadata

run(metadata)
