"""`check_genesys [--skills] [--json]`: the preflight against the configured upstream.

With no GENESYS_API_BASE_URL (the embedded default) it starts the built-in simulator
in this process for the duration of the check, as `rundashboard` would, so the check
exercises the same code paths; with one set, it checks that upstream only.
"""

from __future__ import annotations

import asyncio
import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from dashboard.access.preflight import configured_base_url, run_preflight
from dashboard.project.embedded_hosting import demo_statistics, hosted_simulator
from statsbridge.preflight import Report


class Command(BaseCommand):
    help = "Check the Genesys connection step by step (exit 0 when every step passed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skills", action="store_true", help="also check each enabled skill source")
        parser.add_argument("--json", action="store_true", help='print {"ok", "steps": [...]} instead')

    def handle(self, *args: object, **options: object) -> None:
        report = asyncio.run(self._check(bool(options["skills"])))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            for line in report.lines():
                self.stdout.write(line)
        self.stdout.flush()
        if not report.ok:
            sys.exit(1)

    async def _check(self, skills: bool) -> Report:
        base_url = configured_base_url()
        if base_url is not None:
            return await run_preflight(base_url, skills=skills)
        async with hosted_simulator() as simulator:
            settings.STATSBRIDGE_SIMULATOR_URL = simulator.base_url  # skill sources without a URL use it
            return await run_preflight(simulator.base_url, skills=skills, fallback=demo_statistics(simulator))
