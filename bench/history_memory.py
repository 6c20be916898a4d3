"""Memory the bridge's store holds for 1,000 statistics with full history (360 points),
when every statistic keeps a history (before) and when only those a widget draws over
time do (after: line and kpi widgets; agent states, tables, bars... keep none).

    .venv/bin/python bench/history_memory.py [--statistics 1000] [--drawn 0.1]

Measured with tracemalloc: the store's own allocations, values and timestamps included.
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from statsbridge.store import LatestValues  # noqa: E402
from statsbridge.values import Normalised  # noqa: E402

T0 = 1_700_000_000_000


def store_bytes(statistics: int, drawn: float, points: int = 360) -> int:
    keys = [f"st-{i:016x}" for i in range(statistics)]
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    store = LatestValues(history_points=points)
    if drawn < 1.0:
        store.keep_history_for(set(keys[: int(statistics * drawn)]))
    for t in range(points):
        for i, key in enumerate(keys):
            store.update(key, Normalised(float(t * 7 + i)), t * 7 + i, T0 + t * 1000)
    used = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    del store
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statistics", type=int, default=1000)
    parser.add_argument("--drawn", type=float, default=0.1, help="share of statistics drawn over time")
    args = parser.parse_args()
    for label, share in (
        ("before (every statistic)", 1.0),
        (f"after ({args.drawn:.0%} drawn)", args.drawn),
        ("after (none drawn)", 0.0),
    ):
        print(f"{label:28} {store_bytes(args.statistics, share) / 1e6:7.1f} MB for {args.statistics} statistics")


if __name__ == "__main__":
    main()
