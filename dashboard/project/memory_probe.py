"""Where the process's memory goes, for benches only (off unless asked for).

`MEMORY_PROBE_DIR=/some/dir` (and `MEMORY_PROBE_SECONDS`, default 60) makes
`rundashboard` start `tracemalloc` and a daemon thread that, every period, writes a
snapshot (`snapshot-<minute>.pickle`, compare two with `bench/memory_compare.py`) and a
line of `probe.jsonl`: RSS, what tracemalloc traces, glibc's own view (`mallinfo2`:
bytes in use against bytes held from the system) and, with `MEMORY_PROBE_TRIM=1`, RSS
after `malloc_trim(0)`, i.e. how much of RSS was freed memory the allocator kept.
tracemalloc costs CPU and memory of its own (about 2x the traced bytes with one frame);
never on by default, and its figures are not the bench's RSS figures.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import threading
import time
import tracemalloc
from pathlib import Path


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks")
    ] + [("keepcost", ctypes.c_size_t)]


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def mallinfo(libc: ctypes.CDLL | None) -> dict[str, int]:
    """glibc's heap: `in_use` (malloc'd and not freed), `held` (from the system, main
    arena + other arenas, without mmapped blocks), `mmapped`. Empty off glibc."""
    fn = getattr(libc, "mallinfo2", None) if libc else None
    if fn is None:
        return {}
    fn.restype = _MallInfo2
    info = fn()
    return {"in_use": info.uordblks, "held": info.arena, "free_in_heap": info.fordblks, "mmapped": info.hblkhd}


def start_from_env(environ: dict[str, str] | None = None) -> threading.Thread | None:
    """Start the probe if `MEMORY_PROBE_DIR` is set; None (and nothing started) if not."""
    environ = os.environ if environ is None else environ
    directory = environ.get("MEMORY_PROBE_DIR")
    if not directory:
        return None
    period = float(environ.get("MEMORY_PROBE_SECONDS", "60"))
    trim = environ.get("MEMORY_PROBE_TRIM") == "1"
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    frames = int(environ.get("MEMORY_PROBE_FRAMES", "1"))  # 0: no tracemalloc, only RSS and mallinfo
    if frames > 0:
        tracemalloc.start(frames)
    thread = threading.Thread(target=_run, args=(out, period, trim), name="memory-probe", daemon=True)
    thread.start()
    return thread


def _run(out: Path, period: float, trim: bool) -> None:
    libc, started = _libc(), time.monotonic()
    while True:
        time.sleep(period)
        minute = (time.monotonic() - started) / 60
        line: dict = {"minute": round(minute, 1), "rss": rss_bytes()}
        if tracemalloc.is_tracing():
            tracemalloc.take_snapshot().dump(str(out / f"snapshot-{minute:05.1f}.pickle"))
            line["traced"], line["traced_peak"] = tracemalloc.get_traced_memory()
        line.update(mallinfo(libc))
        if trim and libc is not None:
            libc.malloc_trim(0)
            line["rss_after_trim"] = rss_bytes()
        with open(out / "probe.jsonl", "a") as f:
            f.write(json.dumps(line) + "\n")
