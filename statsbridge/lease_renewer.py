"""The lease renewer: a small child process of a `runworker statsbridge` worker that
renews the worker's leases in Redis (statsbridge/lease_keeper.py starts and feeds it).

Why a process and not only a thread: under load (ten connections of 2,000 statistics on
two overloaded cores) a renewal *thread* waited 1-7 s for the worker's GIL, long
enough to lose a 3 s lease (docs/performance.md "Connections over two workers (issue
22)"). This process holds no GIL of the worker's and needs almost no CPU.

Protocol, one JSON object per line. In (stdin): {"keep": key, "holder": id, "ttl_ms": n},
{"forget": key}, {"loop_seen": monotonic} (the worker's event loop last answered then).
Out (stdout): {"ready": true} once, then {"started": monotonic, "kept": {key: 0|1}}
after each round. Monotonic
clocks are the machine's (CLOCK_MONOTONIC), so the worker compares them with its own.
It renews nothing once the worker's loop has been silent for `stall_limit` seconds (a
wedged worker's leases must run out) or while the worker is stopped (SIGSTOP: paused
past its lease, it must be deposed as before), and exits when stdin closes (the worker
died).

    STATSBRIDGE_RENEWER_REDIS_URL=... python -m statsbridge.lease_renewer EVERY_S STALL_LIMIT_S

(the URL in the environment: it may hold Redis' password, which argv would show to `ps`).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

import redis
from redis.exceptions import RedisError

from statsbridge.leadership import RENEW_MANY


class Renewer:
    def __init__(self, redis_url: str, every: float, stall_limit: float) -> None:
        self.client = redis.Redis.from_url(redis_url, socket_timeout=every * 2, socket_connect_timeout=every * 2)
        self.every, self.stall_limit = every, stall_limit
        self.leases: dict[str, tuple[str, int]] = {}  # key -> (holder, ttl ms)
        self.loop_seen = time.monotonic()
        self.lock = threading.Lock()

    def read_commands(self) -> None:
        for line in sys.stdin:
            try:
                command = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                if "keep" in command:
                    self.leases[str(command["keep"])] = (str(command["holder"]), int(command["ttl_ms"]))
                elif "forget" in command:
                    self.leases.pop(str(command["forget"]), None)
                elif "loop_seen" in command:
                    self.loop_seen = max(self.loop_seen, float(command["loop_seen"]))
        os._exit(0)  # stdin closed: the worker is gone, and so are we (its leases expire)

    def round(self) -> None:
        with self.lock:
            leases = dict(self.leases)
            stalled = time.monotonic() - self.loop_seen
        if not leases or stalled > self.stall_limit or worker_stopped():
            return
        by_holder: dict[tuple[str, int], list[str]] = {}
        for key, held in leases.items():
            by_holder.setdefault(held, []).append(key)
        kept: dict[str, int] = {}
        started = time.monotonic()
        for (holder, ttl_ms), keys in by_holder.items():
            try:
                answers = self.client.eval(RENEW_MANY, len(keys), *keys, holder, ttl_ms)
            except (RedisError, OSError):
                continue  # said nothing: the worker's deadlines stay as they are
            kept.update({k: int(a) for k, a in zip(keys, answers, strict=True)})
        if kept:
            sys.stdout.write(json.dumps({"started": started, "kept": kept}) + "\n")
            sys.stdout.flush()

    def run(self) -> None:
        threading.Thread(target=self.read_commands, name="commands", daemon=True).start()
        sys.stdout.write('{"ready": true}\n')  # the worker takes no lease before this line
        sys.stdout.flush()
        while True:
            began = time.monotonic()
            self.round()
            time.sleep(max(0.0, self.every - (time.monotonic() - began)))


def worker_stopped() -> bool:
    """The worker is paused (SIGSTOP, a debugger): hold nothing for it. Linux /proc; elsewhere
    only the stall limit applies."""
    try:
        with open(f"/proc/{os.getppid()}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] in (b"T", b"t")
    except (OSError, IndexError):
        return False


def main() -> None:
    url, every, stall_limit = os.environ["STATSBRIDGE_RENEWER_REDIS_URL"], float(sys.argv[1]), float(sys.argv[2])
    try:
        Renewer(url, every, stall_limit).run()
    except (BrokenPipeError, KeyboardInterrupt):
        os._exit(0)


if __name__ == "__main__":
    main()
