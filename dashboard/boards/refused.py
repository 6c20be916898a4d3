"""Statistics Genesys refused to open, recorded on their Statistic rows for the admin.

The bridge calls `save_refusals` (setting STATSBRIDGE_REFUSALS_STORE) with every refused
statistic key and Genesys' message whenever that set changes. Rows are written with
`update()`: no post_save signal, because recording a refusal is not a configuration
change (a change asks the bridge to retry the refused statistics).
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from django.utils import timezone

from dashboard.boards.models import Statistic
from dashboard.connections.configs import statistics_of
from dashboard.connections.models import DEFAULT_CONNECTION


def _save(refused: dict[str, str], connection: str = DEFAULT_CONNECTION) -> int:
    close_old_connections()  # called from the long-lived bridge
    now, changed = timezone.now(), 0
    fields = ("id", "name", "definition", "object_type", "object_id", "refused", "connection__name")
    # Each connection's bridge speaks for its own statistics only (dashboard/connections)
    rows = Statistic.objects.filter(statistics_of(connection)).select_related("connection").only(*fields)
    for stat in rows:
        message = refused.get(stat.key, "")
        if message != stat.refused:
            Statistic.objects.filter(pk=stat.pk).update(refused=message, refused_at=now if message else None)
            changed += 1
    return changed


async def save_refusals(refused: dict[str, str], connection: str = DEFAULT_CONNECTION) -> int:
    """Record `refused` (statistic key -> Genesys' message); clear every other row of
    that connection's."""
    return await sync_to_async(_save, thread_sensitive=False)(refused, connection)
