"""`rundashboard`: daphne for pages and sockets, plus the bridge, plus (embedded
default) the built-in simulator, all in one process."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from dashboard.boards.demo import DEMO_LOGINS, demo_logins_allowed, demo_logins_still_working, ensure_demo_content
from dashboard.project import heap, memory_probe, setup_once
from dashboard.project.gc_freeze import GcFreezer
from dashboard.project.hosting import ServiceHost

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Serve the dashboard (HTTP + WebSockets) and run the statistics bridge."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--simulator-port", type=int, default=8089)
        parser.add_argument(
            "--no-bridge",
            action="store_true",
            help="serve pages and sockets only (runworker statsbridge runs the bridge)",
        )

    def handle(self, *args: object, **options: object) -> None:
        heap.limit_arenas()  # before any worker thread: fewer malloc arenas (dashboard/project/heap.py)
        memory_probe.start_from_env()  # benches only: MEMORY_PROBE_DIR (off by default)
        embedded = settings.GENESYS["API_BASE_URL"] is None
        setup_once.prepare()  # migrate + collectstatic, once however many processes start
        if embedded:
            ensure_demo_content(logins=demo_logins_allowed())
        services = self._services(embedded, options)
        self._print_banner(embedded, options)
        self._warn_of_demo_logins()
        self._serve(ServiceHost(services), str(options["host"]), int(options["port"]))

    def _services(self, embedded: bool, options: dict) -> list:
        services: list = [heap.HeapTrimmer(settings.HEAP_TRIM_SECONDS)]
        base_url = settings.GENESYS["API_BASE_URL"]
        if embedded:
            from statsbridge.simulator.server import Simulator

            simulator = Simulator(host="127.0.0.1", port=int(options["simulator_port"]))
            services.append(simulator)
            base_url = simulator.base_url
            settings.STATSBRIDGE_SIMULATOR_URL = base_url  # for /healthz and the admin's peek
            from dashboard.project.embedded_hosting import TenantSimulators

            services.append(TenantSimulators())  # the demo's second connection, before the bridges
        if not options["no_bridge"]:
            from dashboard.alerts.hosting import alert_service
            from dashboard.floor.service import FloorMessageService as floor_service
            from dashboard.history.hosting import history_service
            from statsbridge.service import bridge_service

            # The alert engine follows the bridge of this process, only while it runs (leads).
            alerts = alert_service(f"http://{options['host']}:{options['port']}")
            floor = floor_service()  # messages to the floor follow the bridge too
            history = history_service()  # interval buckets, written by the bridge's process
            bridge = bridge_service(base_url, watchers=[alerts, floor, history])
            services.extend([alerts, floor, history, bridge])
            from dashboard.skills.job import SkillsSyncService

            # Always hosted: SKILLS_SYNC_MINUTES=0 stops the periodic runs, not "Sync now".
            leading = (lambda: bridge.active is not None) if hasattr(bridge, "lease") else None
            services.append(SkillsSyncService(settings.SKILLS_SYNC_MINUTES, may_run=leading))
        services.append(GcFreezer(settings.GC_FREEZE))  # last: what the others made at start is frozen
        return services

    def _print_banner(self, embedded: bool, options: dict) -> None:
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Dashboard: {url}")
        if embedded and demo_logins_allowed():
            logins = ", ".join(f"{u}/{p}" for u, p in DEMO_LOGINS)
            self.stdout.write(f"Demo logins: {logins}")
        elif embedded:
            self.stdout.write("No demo logins outside debug: `python manage.py createsuperuser` makes an admin")
        self.stdout.flush()

    def _warn_of_demo_logins(self) -> None:
        if demo_logins_allowed():
            return
        for name in demo_logins_still_working():
            log.warning(
                "the demo login %r still opens with its well-known password: change it or disable "
                "the user (python manage.py changepassword %s)",
                name,
                name,
            )

    def _serve(self, host: ServiceHost, interface: str, port: int) -> None:
        from dashboard.project.asgi import application
        from dashboard.project.server_options import DAPHNE_OPTIONS, LISTEN_BACKLOG, HardenedServer

        server = HardenedServer(
            application,
            endpoints=[f"tcp:port={port}:interface={interface}:backlog={LISTEN_BACKLOG}"],
            signal_handlers=True,
            ready_callable=lambda: host.attach_to_reactor(server.stop),
            verbosity=0,
            **DAPHNE_OPTIONS,  # every limit, and why: dashboard/project/server_options.py
        )
        server.run()
        if host.failed.is_set():
            sys.exit(1)
