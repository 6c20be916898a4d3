"""Keep the long-lived process's heap from holding memory it freed (glibc only).

Measured in the bridge with 20,000 statistics (docs/performance.md, "the whole bridge
over time"): glibc's heap held more than twice what was in use. The periodic
configuration re-read, the subscription replies and the bucket flushes allocate tens of
MB for a moment; freed, that memory stays in the heap (and in one arena per thread
that touched it) and counts in RSS. Two remedies, both with the C library's own calls:
- `limit_arenas` at the start, before the worker threads exist: at most
  ARENAS malloc arenas instead of 8 per core (what `MALLOC_ARENA_MAX=2` does, which
  cannot be set from inside a process after it started; an explicit
  `MALLOC_ARENA_MAX` in the environment wins);
- `HeapTrimmer`, a service: every HEAP_TRIM_SECONDS `malloc_trim(0)` hands the free
  pages of every arena back to the system (in a worker thread: ctypes releases the
  GIL, the event loop does not wait).
Elsewhere than glibc both do nothing.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger(__name__)
ARENAS = 2
M_ARENA_MAX = -8  # glibc's malloc.h


def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def limit_arenas(arenas: int = ARENAS, environ: dict[str, str] | None = None) -> bool:
    """At most `arenas` malloc arenas from now on; True if set."""
    environ = os.environ if environ is None else environ
    libc = _glibc()
    if libc is None or "MALLOC_ARENA_MAX" in environ or arenas <= 0:
        return False
    return bool(libc.mallopt(M_ARENA_MAX, arenas))


def rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def trim() -> int:
    """Give the heap's free pages back; returns the bytes RSS went down by (0 off glibc)."""
    libc = _glibc()
    if libc is None:
        return 0
    before = rss_bytes()
    libc.malloc_trim(0)
    return max(0, before - rss_bytes())


class HeapTrimmer:
    """A service (dashboard/project/hosting.py) that trims the heap every `every_s`."""

    name = "heap-trim"

    def __init__(self, every_s: float) -> None:
        self.every_s = every_s
        self.trims = 0
        self.returned_bytes = 0
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        if self.every_s > 0 and _glibc() is not None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="heap-trim")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every_s)
            try:
                returned = await asyncio.to_thread(trim)
            except Exception:  # never end the process over a housekeeping call
                log.exception("malloc_trim failed")
                continue
            self.trims += 1
            self.returned_bytes += returned
            log.debug("heap trim returned %.1f MiB", returned / 2**20)
