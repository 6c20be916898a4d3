#!/usr/bin/env python
"""Gaps in a process's time that its own kernel cannot account for.

Why: the 5,000-socket steady state (docs/performance.md, "Round four") has p99s from
131 to 765 ms between identical runs, and its tails are web processes frozen for
300-600 ms in which, by the guest kernel's own schedstat, none of their threads ran
or waited for a core. This probe does almost nothing (a 1 ms sleep, a clock read) and
reports each wake-up later than `--gap-ms`, split as the kernel sees the gap: time it
ran, time it waited in the run queue, and the rest, which is time the process was
neither (its vCPU taken away by the host, or a page fault served outside the guest).
Run it beside a bench: `.venv/bin/python bench/clock_gaps.py --seconds 60`.
"""

from __future__ import annotations

import argparse
import statistics
import time


def schedstat() -> tuple[float, float]:
    """(seconds run, seconds waited for a core) of this thread."""
    with open("/proc/thread-self/schedstat") as f:
        ran, waited, _ = f.read().split()
    return int(ran) / 1e9, int(waited) / 1e9


def probe(seconds: float, gap_s: float) -> list[tuple[float, float, float, float]]:
    """Each late wake-up as (wall clock, gap, ran, waited), seconds."""
    gaps = []
    end = time.monotonic() + seconds
    before, stat = time.monotonic(), schedstat()
    while before < end:
        time.sleep(0.001)
        now, now_stat = time.monotonic(), schedstat()
        if now - before > gap_s:
            gaps.append((time.time(), now - before, now_stat[0] - stat[0], now_stat[1] - stat[1]))
        before, stat = now, now_stat
    return gaps


def report(gaps: list[tuple[float, float, float, float]], seconds: float) -> str:
    lines = [f"{len(gaps)} wake-ups late by more than the gap in {seconds:.0f} s"]
    for at, gap, ran, waited in gaps:
        clock = time.strftime("%H:%M:%S", time.localtime(at))
        unaccounted = gap - ran - waited
        lines.append(
            f"{clock} gap {gap * 1000:6.0f} ms: ran {ran * 1000:5.1f}, waited for a core {waited * 1000:6.1f}, "
            f"neither {unaccounted * 1000:6.0f}"
        )
    if gaps:
        lines.append(f"median gap {statistics.median(g for _, g, _, _ in gaps) * 1000:.0f} ms")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--gap-ms", type=float, default=50)
    args = parser.parse_args()
    print(report(probe(args.seconds, args.gap_ms / 1000), args.seconds))


if __name__ == "__main__":
    main()
