"""How long the simulator's contact-center model takes to advance one simulated second.

Run: .venv/bin/python bench/bench_model.py [--agents 2000] [--queues 40] [--runs 60]

The model is warmed up for ten simulated minutes at the daily peak (10:30 UTC) first,
so the measured seconds are steady-state ones, busy queues included. Prints one line.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from statsbridge.simulator.model import ContactCenter  # noqa: E402

PEAK = 1_700_006_400 + 10.5 * 3600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--queues", type=int, default=40)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()

    began = time.perf_counter()
    center = ContactCenter(agents=args.agents, queues=args.queues, seed=0, start=PEAK)
    build_ms = (time.perf_counter() - began) * 1000
    center.advance(PEAK + 600)

    samples = []
    for run in range(1, args.runs + 1):
        began = time.perf_counter()
        center.advance(PEAK + 600 + run)
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    p90 = samples[min(len(samples) - 1, int(0.9 * len(samples)))]
    print(
        f"model: {args.agents} agents, {args.queues} queues: advance 1 s median "
        f"{statistics.median(samples):.3f} ms, p90 {p90:.3f} ms, max {samples[-1]:.3f} ms "
        f"over {args.runs} runs (build {build_ms:.1f} ms, Python {sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main()
