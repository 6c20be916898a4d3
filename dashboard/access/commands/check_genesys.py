"""`check_genesys [--connection NAME] [--skills] [--json] [--notification-wait SECONDS]`: the preflight against one
connection's upstream (dashboard/connections; `default`, the GENESYS_* settings, when
omitted). A named connection is checked with its own row, enabled or not.

With no GENESYS_API_BASE_URL (the embedded default) it starts the built-in simulator
in this process for the duration of the check, as `rundashboard` would, so the check
exercises the same code paths; with one set, it checks that upstream only.
"""

from __future__ import annotations

import asyncio
import json
import sys
from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboard.access.preflight import NOTIFICATION_TIMEOUT, configured_base_url, run_preflight
from dashboard.connections.models import DEFAULT_CONNECTION, Connection
from dashboard.project.embedded_hosting import demo_statistics, hosted_simulator
from statsbridge.preflight import Report


class Command(BaseCommand):
    help = "Check the Genesys connection step by step (exit 0 when every step passed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--connection", default=DEFAULT_CONNECTION, help="the connection to check (default: the environment's)"
        )
        parser.add_argument("--skills", action="store_true", help="also check each enabled skill source")
        parser.add_argument("--json", action="store_true", help='print {"ok", "steps": [...]} instead')
        parser.add_argument(
            "--notification-wait",
            type=_seconds,
            default=NOTIFICATION_TIMEOUT,
            metavar="SECONDS",
            help=f"how long to wait for the first notification (default {NOTIFICATION_TIMEOUT:g}; longer for a quiet center)",
        )

    def handle(self, *args: object, **options: object) -> None:
        connection = str(options["connection"])
        if connection != DEFAULT_CONNECTION and not Connection.objects.filter(name=connection).exists():
            known = ", ".join([DEFAULT_CONNECTION, *Connection.objects.values_list("name", flat=True)])
            raise CommandError(f"no connection named {connection!r} (known: {known})")
        self.wait = float(options["notification_wait"])  # type: ignore[arg-type]
        if connection != DEFAULT_CONNECTION:
            report = asyncio.run(self._check_named(connection, bool(options["skills"])))
        else:
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
            return await run_preflight(base_url, skills=skills, notification_timeout=self.wait)
        async with hosted_simulator() as simulator:
            settings.STATSBRIDGE_SIMULATOR_URL = simulator.base_url  # skill sources without a URL use it
            fallback = demo_statistics(simulator)
            return await run_preflight(
                simulator.base_url, skills=skills, fallback=fallback, notification_timeout=self.wait
            )

    async def _check_named(self, connection: str, skills: bool) -> Report:
        """A row's own upstream; in the embedded default a simulated tenant's row (the
        demo's `brand-b`) is checked against that tenant hosted here for the check."""
        from asgiref.sync import sync_to_async

        from dashboard.project.embedded_hosting import hosted_tenant, simulated_connection_names

        simulated = configured_base_url() is None and connection in await sync_to_async(simulated_connection_names)()
        wait = self.wait
        if not simulated:
            return await run_preflight("", skills=skills, connection=connection, notification_timeout=wait)
        async with hosted_tenant(connection) as simulator:
            fallback = demo_statistics(simulator)
            return await run_preflight(
                simulator.base_url, skills=skills, connection=connection, fallback=fallback, notification_timeout=wait
            )


def _seconds(text: str) -> float:
    """A wait from 1 s to an hour: shorter cannot see a notification, longer is a mistake."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 1.0 <= value <= 3600.0:
        raise ArgumentTypeError(f"{text!r} is not a number of seconds from 1 to 3600")
    return value
