"""PostgreSQL for the tests and benches: the machine's server on 127.0.0.1:5432 when one
answers (trust auth, user `postgres`), otherwise a private one in a temporary directory,
started here and removed after (as tests/support/redis_server.py does for Redis).

Debian keeps `initdb`/`pg_ctl` off PATH (/usr/lib/postgresql/<version>/bin). initdb
refuses to run as root, so as root the private server runs as the `postgres` user the
Debian package creates.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from tests.support.processes import free_port

MACHINE_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
INSTALL_HINT = "sudo apt-get install -y postgresql  (or `make test`, which installs it as root)"


def answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def server_binary(name: str) -> str:
    """`initdb` or `pg_ctl`: on PATH, else the newest Debian cluster version's."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise RuntimeError(f"no PostgreSQL answers on 127.0.0.1:5432 and `{name}` is not installed: {INSTALL_HINT}")
    return found


class PrivatePostgres:
    """A throw-away cluster on a free loopback port, trust auth, user `postgres`."""

    def __init__(self) -> None:
        self.port = free_port()
        self.datadir = ""
        self._as: list[str] = []

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> PrivatePostgres:
        top = tempfile.mkdtemp(prefix="statsdash-pg-")  # not under pytest's 0700 root tmp
        self.datadir = os.path.join(top, "data")
        if os.geteuid() == 0:
            shutil.chown(top, "postgres", "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run(
            server_binary("initdb"), "-D", self.datadir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"
        )
        options = f"-p {self.port} -k {top} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            server_binary("pg_ctl"),
            "-D",
            self.datadir,
            "-o",
            options,
            "-l",
            os.path.join(top, "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        return self

    def stop(self) -> None:
        if not self.datadir:
            return
        try:
            self._run(server_binary("pg_ctl"), "-D", self.datadir, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(os.path.dirname(self.datadir), ignore_errors=True)
            self.datadir = ""

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[:1])} failed ({done.returncode}): {done.stderr or done.stdout}")


@contextmanager
def postgres_server() -> Iterator[str]:
    """The admin URL of a PostgreSQL to create databases in: the machine's, or a private one."""
    if answers(MACHINE_ADMIN_URL):
        yield MACHINE_ADMIN_URL
        return
    private = PrivatePostgres().start()
    try:
        yield private.admin_url
    finally:
        private.stop()


@contextmanager
def scratch_database(admin_url: str, prefix: str = "statsdash") -> Iterator[str]:
    """A new, empty database on that server (dropped after); yields its `postgres://` URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield admin_url.replace("postgresql://", "postgres://", 1).rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
