"""Soak the value parser: random JSON-shaped values into `normalise` and `timestamp_ms`
for a given time, counting outcomes and any broken promise.

Why here and not in CI: issue #7 row 8 asks for an hour of fuzzing; CI runs a 2,000-example
Hypothesis fuzz of the same functions (tests/reliability/test_faults_malformed.py). The promises
checked: no exception, value None or a finite int/float, state None or a named state,
timestamp None or an int in [0, 10**14). Row 8 also bounds memory: the resident set
size is printed with every progress line, and its growth since the first 1,000 inputs
(the baseline, once the imports and caches are warm) must stay under 20 MB.

    .venv/bin/python bench/soak_value_parser.py [--minutes 60] [--seed 1] [--report-every 60]

Exits 1 and prints the first offending input if a promise is broken, or if RSS grew 20 MB.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from statsbridge.agent_status import STATUS_CODES, AgentState  # noqa: E402
from statsbridge.values import normalise, timestamp_ms  # noqa: E402

MIB = 2**20
RSS_LIMIT_MIB = 20.0
STATES = {state.value for state in AgentState}
KEYS = ["Status", "value", "Value", "v", "", "x", "timestamp"]
NUMBERS = [
    0,
    1,
    -1,
    4,
    23,
    99,
    2**63 - 1,
    2**64 - 1,
    -(2**63),
    10**14,
    10**13,
    0.5,
    -0.0,
    1e308,
    -1e308,
    5e-324,
    float("nan"),
    float("inf"),
    float("-inf"),
]


def scalar(rng: random.Random) -> object:
    pick = rng.randrange(8)
    if pick == 0:
        return None
    if pick == 1:
        return rng.random() < 0.5
    if pick == 2:
        return rng.choice(NUMBERS)
    if pick == 3:
        return rng.randint(-(2**70), 2**70)
    if pick == 4:
        return rng.uniform(-1e15, 1e15)
    if pick == 5:
        return rng.choice(list(STATUS_CODES))
    return "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 12)))


def value(rng: random.Random, depth: int = 0) -> object:
    if depth == 0 and rng.random() < 0.15:  # an AgentStatus-like object, valid code or not
        status: dict = {"Status": rng.choice([*STATUS_CODES, scalar(rng)])}
        return status | {rng.choice(KEYS): value(rng, 1) for _ in range(rng.randint(0, 2))}
    if depth > 6 or rng.random() < 0.45:
        return scalar(rng)
    if rng.random() < 0.4:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {
        rng.choice(KEYS) if rng.random() < 0.7 else str(scalar(rng)): value(rng, depth + 1)
        for _ in range(rng.randint(0, 4))
    }


def broken(raw: object) -> str | None:
    """Which promise `raw` breaks, or None."""
    try:
        result, stamp = normalise(raw), timestamp_ms(raw)
    except Exception as error:  # the promise is: never
        return f"raised {type(error).__name__}: {error}"
    number = result.value
    if number is not None and not (type(number) in (int, float) and math.isfinite(number)):
        return f"value {number!r} is not None or a finite number"
    if result.state is not None and result.state not in STATES:
        return f"state {result.state!r} is not a named state"
    if stamp is not None and not (type(stamp) is int and 0 <= stamp < 10**14):
        return f"timestamp {stamp!r} out of range"
    return None


def rss_mib() -> float:
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MIB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report-every", type=float, default=60.0, help="seconds between progress lines")
    args = parser.parse_args()
    rng, outcomes = random.Random(args.seed), Counter()
    started = next_report = time.monotonic()
    deadline = started + args.minutes * 60
    baseline: float | None = None
    while (now := time.monotonic()) < deadline:
        for _ in range(1000):
            raw = value(rng)
            problem = broken(raw)
            if problem:
                print(f"BROKEN after {sum(outcomes.values())} inputs: {problem}\ninput: {raw!r}")
                return 1
            result = normalise(raw)
            outcomes["state" if result.state else "number" if result.value is not None else "unknown"] += 1
        baseline = rss_mib() if baseline is None else baseline
        if now >= next_report:
            next_report = now + args.report_every
            print(
                f"{now - started:7.0f} s  {sum(outcomes.values()):>12,} inputs  RSS {rss_mib():.1f} MiB "
                f"(+{rss_mib() - baseline:.1f})  {dict(outcomes)}",
                flush=True,
            )
    total, growth = sum(outcomes.values()), rss_mib() - (baseline or rss_mib())
    print(f"done: {total:,} inputs in {time.monotonic() - started:.0f} s, none broke a promise; {dict(outcomes)}")
    print(f"RSS growth: {growth:.1f} MiB (limit {RSS_LIMIT_MIB:.0f})")
    return 0 if growth < RSS_LIMIT_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
