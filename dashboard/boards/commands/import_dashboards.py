"""`import_dashboards FILE`: create or update dashboards and wallboards from a
dashboard file. All or nothing: any error is printed and nothing changes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboard.boards.bridge_config import notify_bridge
from dashboard.boards.files import DashboardFileError, ImportSummary, import_dashboards


class Command(BaseCommand):
    help = "Import dashboards and wallboards from a JSON dashboard file ('-' reads stdin)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the dashboard file, or - for stdin")

    def handle(self, *args: object, **options: object) -> None:
        data = self._read(str(options["file"]), options.get("stdin") or sys.stdin)  # type: ignore[arg-type]
        try:
            summary = import_dashboards(data)
        except DashboardFileError as error:
            for line in error.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(error.errors)} error(s) in {options['file']}; nothing was imported") from None
        self._report(summary)
        if summary.created or summary.updated:
            notify_bridge()  # a running bridge subscribes to the new statistics at once

    def _read(self, name: str, stdin: TextIO) -> Any:
        try:
            text = stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {name}: {error}") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            shown = "stdin" if name == "-" else name
            raise CommandError(
                f"{shown} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
            ) from None

    def _report(self, summary: ImportSummary) -> None:
        self.stdout.write(str(summary))
        for verb, items in (
            ("created", summary.created),
            ("updated", summary.updated),
            ("unchanged", summary.unchanged),
        ):
            for item in items:
                self.stdout.write(f"  {verb}: {item}")
