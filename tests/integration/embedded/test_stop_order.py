"""`jixiao up` stops the services before the broker: scoring commits its last batch and
leaves its consumer group through the broker, so the broker is asked to stop only once
every service has exited. With stand-in children: a service that takes a while to stop,
and a broker that notes, when told to stop, whether the service had already."""
from __future__ import annotations

import io
import os
from pathlib import Path

from helpers import eventually
from jixiao.embedded.supervisor import Platform

SERVICE = '''
import os, signal, sys, time
from pathlib import Path
data = Path(os.environ["JIXIAO_DATA_DIR"])
def stop(*_):
    time.sleep(0.5)  # finishing its work through the broker
    (data / "service.stopped").write_text("yes")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
(data / "service.ready").write_text("yes")
time.sleep(60)
'''

BROKER = '''
import os, signal, sys, time
from pathlib import Path
data = Path(os.environ["JIXIAO_DATA_DIR"])
def stop(*_):
    stopped = (data / "service.stopped").exists()
    (data / "broker.saw").write_text("the service had stopped" if stopped else "the service was running")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
(data / "broker.ready").write_text("yes")
time.sleep(60)
'''


def test_the_broker_stops_after_the_services(tmp_path):
    (tmp_path / "service_standin.py").write_text(SERVICE)
    (tmp_path / "broker_standin.py").write_text(BROKER)
    data = tmp_path / "data"
    platform = Platform({**os.environ, "JIXIAO_DATA_DIR": str(data), "PYTHONPATH": str(tmp_path)}, out=io.StringIO())
    try:
        platform._spawn("broker", "broker_standin", {}, restartable=False)
        platform._spawn("scoring", "service_standin", {})
        eventually(lambda: (data / "service.ready").exists() and (data / "broker.ready").exists(), 30, "the stand-ins")
    finally:
        platform.stop()
    assert all(not child.alive() and child.process.returncode == 0 for child in platform.children)
    assert Path(data / "broker.saw").read_text() == "the service had stopped"
