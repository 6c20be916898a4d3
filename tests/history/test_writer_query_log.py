"""The writer's worker threads keep no query log: with DEBUG (the embedded default)
Django keeps each thread's SQL until a request resets it, and the writer's thread never
sees a request, so 20,000 statistics' flushes piled megabytes of SQL in the bridge."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from dashboard.history.service import _in_thread


def _logged_then_query() -> int:
    logged = len(connection.queries_log)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return logged


@pytest.mark.django_db(transaction=True)
async def test_a_flush_thread_starts_each_write_with_an_empty_query_log(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True  # queries are logged, as in the embedded default
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=1))  # one thread, reused
    await _in_thread(_logged_then_query)
    assert await _in_thread(_logged_then_query) == 0
