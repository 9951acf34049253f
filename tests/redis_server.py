"""A throw-away ``redis-server`` of a test's own, which the test may kill and start again on the same port.

Nothing else uses it, so killing it disturbs no other test and no other Redis on the machine. It keeps
nothing on disk (``--save '' --appendonly no``): a restart comes back empty, as a crashed cache would.
`make test` installs redis-server (scripts/system-deps.sh); a test that needs it skips without it.
"""

import shutil
import signal
import socket
import subprocess
import time

import pytest

INSTALLED = shutil.which("redis-server") is not None
needs_redis_server = pytest.mark.skipif(
    not INSTALLED, reason="chưa cài redis-server (`make test` cài qua scripts/system-deps.sh)")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = folder / "redis.log"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder), "--logfile", str(self.log)])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def pause(self):
        """Unreachable but not lost, as behind a broken network: connections open and nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.kill()
