#!/usr/bin/env python
"""What the configuration revisions (dashboard/boards/revisions.py) cost an edit, and the
bridge's check: ms per widget save with the in-transaction bump and with it switched off
(alternating rounds, same process, same SQLite file), and ms per `read_revisions` poll.

Runs on a scratch SQLite database in a temporary directory (migrations, demo content);
no server, no channel layer (notifications go nowhere).

    .venv/bin/python bench/config_revisions.py --saves 300 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-revisions-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/db.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.project.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from dashboard.boards import signals
    from dashboard.boards.demo import ensure_demo_content
    from dashboard.boards.models import Widget
    from dashboard.boards.revisions import _read

    call_command("migrate", verbosity=0)
    ensure_demo_content()
    widget = Widget.objects.first()
    assert widget is not None
    real_bump = signals.bump
    results: dict[str, list[float]] = {"bump": [], "no bump": []}
    for _ in range(args.rounds):
        for label in ("no bump", "bump"):
            signals.bump = real_bump if label == "bump" else (lambda scopes: {})  # type: ignore[assignment]
            started = time.perf_counter()
            for index in range(args.saves):
                with transaction.atomic():
                    widget.title = f"Bench {index}"
                    widget.save()
            results[label].append((time.perf_counter() - started) * 1000 / args.saves)
    signals.bump = real_bump
    reads = []
    for _ in range(200):
        started = time.perf_counter()
        _read()
        reads.append((time.perf_counter() - started) * 1000)
    load = os.getloadavg()
    for label, values in results.items():
        print(f"{label}: median {statistics.median(values):.3f} ms per save ({', '.join(f'{v:.3f}' for v in values)})")
    print(f"read_revisions: median {statistics.median(reads):.3f} ms")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
