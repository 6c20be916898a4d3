"""`export_dashboards [slug ...]`: dashboards and wallboards as a dashboard file
(format: dashboard/boards/files.py), for another environment or version control."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboard.boards.files import export_dashboards
from dashboard.boards.models import Dashboard


class Command(BaseCommand):
    help = "Print dashboards and wallboards as JSON (all of them, or the dashboards named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", metavar="slug", help="dashboards to export (default: all)")
        parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")

    def handle(self, *args: object, **options: object) -> None:
        slugs = list(options["slugs"])  # type: ignore[call-overload]
        self._check_known(slugs)
        text = json.dumps(export_dashboards(slugs or None), indent=2, ensure_ascii=False) + "\n"
        output = options.get("output")
        if output:
            Path(str(output)).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")

    def _check_known(self, slugs: list[str]) -> None:
        # Fail rather than export a file silently missing what was asked for.
        known = set(Dashboard.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise CommandError(f"no dashboard with slug {', '.join(map(repr, unknown))}")
