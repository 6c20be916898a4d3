"""`simulate`: the Genesys Engage simulator alone (auth + Statistics REST + CometD)."""

from __future__ import annotations

import asyncio
import os
import signal

from django.core.management.base import BaseCommand, CommandParser

from statsbridge.simulator.day_shape import DAY_SHAPE_ENV, WEEK, curve_of
from statsbridge.simulator.server import Simulator
from statsbridge.simulator.tenants import TENANTS


class Command(BaseCommand):
    help = "Run the Genesys Engage simulator (auth, Statistics REST, CometD, controls)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8089)
        parser.add_argument(
            "--tenant",
            choices=sorted(TENANTS),
            default="default",
            help="which simulated tenant: its own agents, queues and credentials (default: the usual one)",
        )
        parser.add_argument("--agents", type=int, default=None, help="default: the tenant's (50 for default)")
        parser.add_argument("--queues", type=int, default=None, help="default: the tenant's (8 for default)")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--day-shape",
            default=None,
            help="arrival curve: 'week' (by time of day and weekday, UTC), 'flat' (the peak all day) or "
            "'flat:<share 0..1>'; default: SIMULATOR_DAY_SHAPE, else week",
        )
        parser.add_argument(
            "--token-lifetime",
            type=float,
            default=3600.0,
            help="seconds an access token lives (short values test refresh)",
        )
        parser.add_argument(
            "--connect-timeout-ms",
            type=int,
            default=20_000,
            help="Bayeux advice timeout: how long a /meta/connect is held",
        )

    def handle(self, *args: object, **options: object) -> None:
        tenant = TENANTS[str(options["tenant"])].simulator_options()
        for key in ("agents", "queues", "seed"):
            options[key] = tenant[key] if options[key] is None else options[key]
        if int(options["agents"]) < 1 or int(options["queues"]) < 1:  # type: ignore[arg-type]
            self.stderr.write("--agents and --queues must be at least 1")
            raise SystemExit(2)
        shape = options["day_shape"] or os.environ.get(DAY_SHAPE_ENV) or WEEK
        try:
            curve_of(str(shape))
        except ValueError as error:
            self.stderr.write(f"--day-shape / {DAY_SHAPE_ENV}: {error}")
            raise SystemExit(2) from None
        options["day_shape"] = shape
        asyncio.run(self._run(options))

    async def _run(self, options: dict) -> None:
        tenant = TENANTS[options["tenant"]].simulator_options()
        simulator = Simulator(
            host=options["host"],
            port=options["port"],
            **{**tenant, "agents": options["agents"], "queues": options["queues"], "seed": options["seed"]},
            token_lifetime=options["token_lifetime"],
            connect_timeout_ms=options["connect_timeout_ms"],
            day_shape=options["day_shape"],
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await simulator.start()
        self.stdout.write(
            f"Genesys simulator ({options['tenant']} tenant, {options['day_shape']} day) on {simulator.base_url} "
            f"(controls under {simulator.base_url}/simulator/v1/)"
        )
        self.stdout.flush()
        await stop.wait()
        await simulator.stop()
