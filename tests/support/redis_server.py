"""A private redis-server on a free loopback port, so tests can stop and start it
(the machine's shared Redis on 6379 must never be killed)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redis

from tests.support.processes import free_port
from tests.support.waiting import wait_until


class PrivateRedis:
    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=1)
        wait_until(lambda: client.ping(), timeout=15, what=f"redis-server on {self.port}")
        client.close()
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        started = time.monotonic()
        while time.monotonic() - started < 5:
            try:
                redis.Redis(port=self.port, socket_timeout=0.2).ping()
            except redis.ConnectionError:
                return
            time.sleep(0.05)
