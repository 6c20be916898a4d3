"""Alert evaluation cost on the update path: N rules, U updates a second.

Run: .venv/bin/python bench/bench_alerts.py [--rules 500] [--updates 2000] [--seconds 10]

Feeds the engine (dashboard/alerts/engine.py) U values a second for S simulated
seconds, in batches of 50 as the bridge's flush loop hands them over, with one tick
per second, values drawn so that about a tenth of them cross their rule's threshold.
Counts process CPU time; prints the share of one core (target: under 5%).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.alerts.engine import AlertEngine  # noqa: E402
from dashboard.alerts.spec import RuleSpec  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=500)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    clock = [0.0]
    events: list[str] = []
    engine = AlertEngine(lambda event, alert: events.append(event), clock=lambda: clock[0])
    engine.status("connected")
    keys = [f"st-{n}" for n in range(args.rules * 2)]  # half the statistics carry a rule
    engine.set_rules(
        [
            RuleSpec(
                id=n,
                name=f"r{n}",
                dashboard="d",
                dashboard_id=1,
                widget="w",
                level="critical",
                threshold=90.0,
                direction="above",
                keys=(keys[n],),
                after_s=5,
                repeat_s=60,
            )
            for n in range(args.rules)
        ]
    )
    rng = random.Random(0)
    batches = [
        [{"id": rng.choice(keys), "value": rng.uniform(0, 100)} for _ in range(50)] for _ in range(args.updates // 50)
    ]
    began = time.process_time()
    for second in range(args.seconds):
        clock[0] = float(second)
        for batch in batches:
            engine.values(batch)
        engine.tick()
    used = time.process_time() - began
    print(
        f"{args.rules} rules, {args.updates} updates/s for {args.seconds} s: {used / args.seconds * 100:.2f}% "
        f"of one core ({used / (args.updates * args.seconds) * 1e6:.2f} µs per update, {len(events)} events)"
    )


if __name__ == "__main__":
    main()
