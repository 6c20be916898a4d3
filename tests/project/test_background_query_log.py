"""The background services' worker threads keep no query log: with DEBUG (the embedded
default) Django keeps each thread's SQL until a request resets it; the default
executor's threads live as long as the process and never see a request, so the
configuration re-read every 30 s, the alert and floor reloads and the skills job piled
SQL up in the bridge process (docs/performance.md, the one-hour soak)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from dashboard.alerts.service import AlertService
from dashboard.boards.bridge_config import desired_loader, load_desired
from dashboard.floor.service import FloorMessageService
from dashboard.project.db_thread import in_db_thread


def _log_length() -> int:
    return len(connection.queries_log)


async def _alerts_reload() -> None:
    await AlertService("http://127.0.0.1")._reload()


async def _alerts_prune() -> None:
    await AlertService("http://127.0.0.1")._prune()


async def _floor_refresh() -> None:
    await FloorMessageService().refresh()


async def _select_one() -> None:
    def query() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    await in_db_thread(query)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "work",
    [load_desired, desired_loader("default"), _alerts_reload, _alerts_prune, _floor_refresh, _select_one],
    ids=["bridge-config", "bridge-config-connection", "alerts-reload", "alerts-prune", "floor-refresh", "helper"],
)
async def test_a_background_read_leaves_its_thread_without_a_query_log(settings, work) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True  # queries are logged, as in the embedded default
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=1))  # one thread, reused
    for _ in range(3):
        await work()
    assert await asyncio.to_thread(_log_length) == 0
