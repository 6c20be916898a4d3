"""Renew a worker's leases off its event loop, so a stalled loop keeps them.

A worker ingesting ten connections of 2,000 statistics on overloaded cores stalls its
asyncio loop for seconds at a time. Renewing on that loop lost leases by the batch
under a 3 s lease (docs/performance.md "Connections over two workers (issue 22)"),
which forced a 9 s lease and an 8 s failover. A renewal thread alone did not do: it
waited 1-7 s for the worker's GIL under that load. So the renewals run in a small child
process with its own Redis client (statsbridge/lease_renewer.py), every held lease in
one round trip every ttl/6; a thread here only reads its answers and moves each lease's
deadline (statsbridge/leadership.py `renewed`), and another tells it the loop is alive.

Safety: renewals that go on no matter what would keep a lease for a loop that is
*wedged* (a deadlock, an endless computation), and its connection would never move.
So a pulse thread asks the loop for a sign of life every round
(`call_soon_threadsafe`); the loop passes it on to the renewer, which stops renewing
once the loop has been silent for `stall_limit` seconds: the lease then runs out in
Redis and another worker takes it with a newer term. When the loop wakes, its leases'
deadlines lie in the past (they move only after a renewal Redis confirmed), so it
publishes nothing; frames already past the check carry the old term and relays drop
them (dashboard/realtime/fencing.py); the next answer says the lease is gone and the
loop stops that bridge (`on_lost`). A dead worker closes the renewer's stdin, which
exits at once: its leases expire after the ttl as before, and the survivors take them.
A renewer that dies while its worker lives is started again and handed every held lease.

Imports nothing from Django.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO

from statsbridge.leadership import RedisLease

log = logging.getLogger(__name__)


class LeaseKeeper:
    def __init__(self, redis_url: str, ttl: float, stall_limit: float) -> None:
        self.redis_url = redis_url
        self.ttl = ttl
        self.stall_limit = stall_limit
        self.every = ttl / 6  # a round: renew every held lease, pulse the loop
        self._leases: dict[str, tuple[RedisLease, Callable[[], None]]] = {}  # by key
        self._guard = threading.Lock()
        self._writing = threading.Lock()  # the loop and the answers thread both write commands
        self._halt = threading.Event()
        self._threads: list[threading.Thread] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._child: subprocess.Popen[str] | None = None
        self.loop_seen = time.monotonic()
        self.renewals = 0  # answers applied
        self.withheld = 0  # pulses that found the loop silent past stall_limit
        self.restarts = 0  # renewers started again after one died

    # -- the loop's side ----------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the renewer and wait for it (blocking: call it in a thread)."""
        self._loop = loop
        self.loop_seen = time.monotonic()
        self._halt.clear()
        # Blocking (call it off the loop): no lease may be taken before the renewer runs,
        # or a slow start under load would let the first ones expire.
        answers = self._spawn()
        self._threads = [
            threading.Thread(target=self._read, args=(answers,), name="lease-answers", daemon=True),
            threading.Thread(target=self._pulse, name="loop-pulse", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _spawn(self) -> IO[str]:
        """A renewer child, ready: its answers' stream."""
        child = subprocess.Popen(
            [sys.executable, "-m", "statsbridge.lease_renewer", str(self.every), str(self.stall_limit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            env={**os.environ, "STATSBRIDGE_RENEWER_REDIS_URL": self.redis_url},
        )
        assert child.stdout is not None
        if "ready" not in child.stdout.readline():
            child.kill()
            raise RuntimeError("the lease renewer did not start")
        self._child = child
        return child.stdout

    def renewer_pid(self) -> int | None:
        child = self._child
        return child.pid if child is not None else None

    def keep(self, lease: RedisLease, on_lost: Callable[[], None]) -> None:
        """Renew `lease` from now on; `on_lost` runs on the loop if Redis says it is gone."""
        with self._guard:
            self._leases[lease.key] = (lease, on_lost)
        self._send({"keep": lease.key, "holder": lease.holder_id, "ttl_ms": int(lease.ttl * 1000)})

    def forget(self, lease: RedisLease) -> None:
        with self._guard:
            if self._leases.get(lease.key, (None,))[0] is lease:
                del self._leases[lease.key]
        self._send({"forget": lease.key})

    def stop(self) -> None:
        """Stop renewing: the renewer exits (what is still held expires, or the caller
        releases it)."""
        self._halt.set()
        child, self._child = self._child, None
        if child is not None:
            try:
                if child.stdin is not None:
                    child.stdin.close()
                child.wait(timeout=self.ttl)
            except (OSError, subprocess.TimeoutExpired):
                child.kill()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=self.ttl)
        self._threads = []

    close = stop

    def loop_stalled_for(self) -> float:
        return time.monotonic() - self.loop_seen

    def _send(self, command: dict) -> None:
        child = self._child
        if child is None or child.stdin is None:
            return
        try:
            with self._writing:
                child.stdin.write(json.dumps(command) + "\n")
                child.stdin.flush()
        except (OSError, ValueError):
            log.warning("lease renewer: gone (%s)", "exited" if child.poll() is not None else "pipe closed")

    def _seen(self) -> None:
        self.loop_seen = time.monotonic()
        self._send({"loop_seen": self.loop_seen})

    # -- the threads --------------------------------------------------------------

    def _pulse(self) -> None:
        """Ask the loop for a sign of life each round; it passes it on to the renewer."""
        assert self._loop is not None
        while not self._halt.wait(self.every):
            if self.loop_stalled_for() > self.stall_limit:
                self.withheld += 1
                if self.withheld == 1 or self.withheld % 100 == 0:
                    log.warning(
                        "event loop silent for %.1f s (limit %.1f s): its leases run out",
                        self.loop_stalled_for(),
                        self.stall_limit,
                    )
            try:
                self._loop.call_soon_threadsafe(self._seen)
            except RuntimeError:
                return  # the loop is closed: the process is ending

    def _read(self, answers: IO[str]) -> None:
        """The renewer's answers: move deadlines, tell the loop about leases gone. If
        the renewer dies while the worker lives (OOM killer, a crash), start another
        and hand it every held lease: without it, this worker's leases would run out
        and it could never take one again."""
        while True:
            self._apply(answers)
            if self._halt.is_set():
                return
            answers = self._respawn()
            if answers is None:
                return

    def _respawn(self) -> IO[str] | None:
        old = self._child
        code = old.poll() if old is not None else None
        self.restarts += 1
        log.error("lease renewer exited (code %s): starting another", code)
        delay = 0.2
        while not self._halt.is_set():
            try:
                answers = self._spawn()
            except (OSError, RuntimeError) as error:
                log.error("lease renewer: could not start (%s), retrying in %.1f s", error, delay)
                self._halt.wait(delay)
                delay = min(delay * 2, 5.0)
                continue
            with self._guard:
                held = [lease for lease, _ in self._leases.values()]
            for lease in held:
                self._send({"keep": lease.key, "holder": lease.holder_id, "ttl_ms": int(lease.ttl * 1000)})
            self._send({"loop_seen": self.loop_seen})
            return answers
        return None

    def _apply(self, answers: IO[str]) -> None:
        for line in answers:
            try:
                answer = json.loads(line)
                started, kept = float(answer["started"]), dict(answer["kept"])
            except (ValueError, KeyError, TypeError):
                continue
            self.renewals += 1
            for key, ok in kept.items():
                with self._guard:
                    entry = self._leases.get(key)
                if entry is None:
                    continue
                lease, on_lost = entry
                if not lease.renewed(ok, started) and not lease.held:
                    self.forget(lease)
                    self._tell(on_lost)

    def _tell(self, on_lost: Callable[[], None]) -> None:
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(on_lost)
        except RuntimeError:
            pass  # the loop is closed: nothing left to stop
