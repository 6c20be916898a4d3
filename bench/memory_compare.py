#!/usr/bin/env python
"""Compare two tracemalloc snapshots of `dashboard/project/memory_probe.py`: the top
lines by size at the later one, and the top growth between them.

    .venv/bin/python bench/memory_compare.py DIR/snapshot-003.0.pickle DIR/snapshot-015.0.pickle
"""

from __future__ import annotations

import argparse
import tracemalloc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--key", default="lineno", choices=["lineno", "filename", "traceback"])
    args = parser.parse_args()
    ignore = [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    ]
    before = tracemalloc.Snapshot.load(args.before).filter_traces(ignore)
    after = tracemalloc.Snapshot.load(args.after).filter_traces(ignore)
    total = sum(s.size for s in after.statistics("filename"))
    print(f"traced at the later snapshot: {total / 2**20:.1f} MiB")
    print(f"\n## top {args.top} by size (later snapshot)")
    for stat in after.statistics(args.key)[: args.top]:
        print(f"{stat.size / 2**20:8.2f} MiB {stat.count:>9,} blocks  {stat.traceback}")
    print(f"\n## top {args.top} growth")
    for diff in after.compare_to(before, args.key)[: args.top]:
        print(
            f"{diff.size_diff / 2**20:+8.2f} MiB (now {diff.size / 2**20:7.2f}) {diff.count_diff:+9,} blocks  {diff.traceback}"
        )


if __name__ == "__main__":
    main()
