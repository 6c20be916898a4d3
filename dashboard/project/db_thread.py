"""Database work of the long-lived background services, in a worker thread.

The bridge's followers (history writer, alerts, floor messages), the skills job and the
bridge's configuration re-read run Django queries from the event loop's default
executor, whose few threads live as long as the process. Two things a request would do
for them, nobody does: close a connection the database dropped, and, with DEBUG (the
embedded default), empty the thread's query log (Django keeps up to 9,000 statements
per thread until a request starts; these threads never see one: megabytes of SQL
piled up in the bridge, docs/performance.md "the whole bridge over time").
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import close_old_connections, reset_queries

T = TypeVar("T")


def forgetting_queries(function: Callable[..., T], *args: Any) -> T:
    """Call `function` on this thread with a usable connection, and leave no query log."""
    close_old_connections()
    try:
        return function(*args)
    finally:
        reset_queries()
        close_old_connections()


async def in_db_thread(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in the loop's default executor, as `forgetting_queries`."""
    return await asyncio.to_thread(forgetting_queries, function, *args)
