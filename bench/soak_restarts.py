"""Soak the bridge through upstream restarts (issue #7 row 1): 20 restarts in
5 minutes, the simulator down 0.5-20 s each (listener closed, connections refused,
then back having forgotten every CometD client, subscription and token). Prints the
resume time after each restart, the handshake rate seen by the simulator and whether
the statistics open upstream equalled the configured set after every restart; exits
1 if a bound of the row is broken: every statistic fresh <= 15 s after the upstream
is back, none lost, none duplicated, <= 1 handshake/s.

CI runs the same scenario with 6 restarts, down 0.5-5 s, in about a minute
(tests/reliability/test_faults_restarts.py).

    nice -n 19 .venv/bin/python bench/soak_restarts.py [--restarts 20] [--minutes 5]
                                                       [--down 0.5 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.restart_soak import restart_schedule, soak_restarts  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restarts", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--down", type=float, nargs=2, default=(0.5, 20.0), metavar=("MIN", "MAX"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    schedule = restart_schedule(args.restarts, down=tuple(args.down), total_s=args.minutes * 60, seed=args.seed)
    print(f"schedule (seed {args.seed}): down {[r.down_s for r in schedule]}", flush=True)
    soak = asyncio.run(soak_restarts(schedule, progress=lambda line: print(line, flush=True)))
    for line in soak.lines():
        print(line)
    held = (
        max(soak.resumes_s) <= 15.0
        and min(soak.handshake_gaps, default=1.0) >= 0.75
        and soak.most_handshakes_within(10) <= 10
        and all(o == soak.configured for o in soak.open_after + soak.open_before_next)
    )
    print("bounds held" if held else "A BOUND IS BROKEN")
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
