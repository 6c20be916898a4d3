"""Soak the token handling (issue #7 row 6): 60 s tokens for 30 minutes plus random
401s (`expire_all` at seeded random moments), a real bridge against the real
simulator. Prints token fetches per expiry, the longest run of 401s and the longest
gap between update frames, and exits 1 if a bound of the row is broken:
<= 1 token fetch per expiry, <= 3 consecutive 401s, no data gap > 10 s.

CI runs the same scenario with 3 s tokens for 60 s
(tests/reliability/test_faults_tokens.py).

    nice -n 19 .venv/bin/python bench/soak_tokens.py [--minutes 30] [--lifetime 60]
                                                     [--expire-every 20 90] [--seed 7]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.token_soak import soak_tokens  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--lifetime", type=float, default=60.0, help="token lifetime (s)")
    parser.add_argument(
        "--expire-every",
        type=float,
        nargs=2,
        default=(20.0, 90.0),
        metavar=("MIN", "MAX"),
        help="seconds between forced expiries (random 401s), drawn uniformly",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    soak = asyncio.run(
        soak_tokens(
            lifetime=args.lifetime,
            duration=args.minutes * 60,
            expire_every=tuple(args.expire_every),
            seed=args.seed,
            progress=lambda line: print(line, flush=True),
        )
    )
    print(f"done: {soak.seconds:.0f} s, {args.lifetime:.0f} s tokens, seed {args.seed}")
    for line in soak.lines():
        print(line)
    held = soak.fetches <= soak.expiries + 1 and soak.longest_401_run <= 3 and soak.longest_gap_s <= 10.0
    print("bounds held" if held else "A BOUND IS BROKEN")
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
