"""`backfill_history --days N`: the simulated contact center's plausible past, written as
5-minute history buckets, so comparisons ("same time last week") and intraday tables
show something on the embedded default and in tests.

It lives with the simulator's hosting (dashboard/project/) because its values come from
the simulator (through embedded_hosting.py, the one product module that imports it), and
it refuses to run against a real tenant: invented numbers never enter real history.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboard.history.backfill import HISTORY_KINDS, backfill_dashboards

DEFAULT_DAYS = 28  # four same weekdays back: enough for every comparison


def backfill_simulated(
    days: int = DEFAULT_DAYS,
    slugs: list[str] | None = None,
    now: float | None = None,
    compared_only: bool = False,
    kinds: tuple[str, ...] = HISTORY_KINDS,
) -> int:
    """Rows written for `days` days before today plus today so far (embedded default only)."""
    from dashboard.project.embedded_hosting import simulated_history

    at = time.time() if now is None else now
    return backfill_dashboards(days, at, simulated_history, slugs or (), compared_only=compared_only, kinds=kinds)


class Command(BaseCommand):
    help = "Write N days of the built-in simulator's plausible 5-minute history buckets (embedded default only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="whole days before today (and today so far)")
        parser.add_argument("--dashboard", action="append", default=[], help="only this dashboard's statistics")

    def handle(self, *args: object, **options: object) -> None:
        if settings.GENESYS["API_BASE_URL"] is not None:
            raise CommandError(
                "backfill_history writes the simulator's invented history; it runs only on the embedded "
                "default (GENESYS_API_BASE_URL unset), never into a real tenant's history"
            )
        days = int(options["days"])  # type: ignore[call-overload]
        if not 0 <= days <= 400:
            raise CommandError("--days: a number from 0 to 400")
        written = backfill_simulated(days, list(options["dashboard"]))  # type: ignore[call-overload]
        self.stdout.write(f"{written} buckets offered ({days} days and today so far; existing buckets kept)")
