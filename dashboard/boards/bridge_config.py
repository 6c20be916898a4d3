"""What the bridge needs from the configuration: the desired statistics per dashboard.

The bridge calls `load_desired` (setting STATSBRIDGE_DESIRED_LOADER) whenever it is
told the configuration changed (`notify_bridge`, sent by admin saves, imports and
skills syncs that changed something: those name only the dashboards drawing skills,
dashboard/skills/pages.py). A skill-coverage widget desires the
CurrentAgentState of every mapped agent with one of its skills: its counts are
those agents' states.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable

from asgiref.sync import async_to_sync
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer
from django.db import close_old_connections

from dashboard.project.db_thread import in_db_thread
from statsbridge.connection_requests import ask_connections
from statsbridge.desired import DesiredSet, descriptor_of

log = logging.getLogger(__name__)
# Notifications the bridge's request channel had no room for (/metrics:
# dashboard_config_notices_dropped): the bridge then finds the edit by its revision
# (dashboard/boards/revisions.py) within CONFIG_POLL_S instead of at once.
COUNTERS: Counter[str] = Counter()


def _load(connection: str = "default") -> DesiredSet:
    """One connection's statistics (issue 22: one bridge per connection); skill-coverage
    widgets follow `default`'s agents."""
    from dashboard.boards.figures import DRAWS_HISTORY
    from dashboard.boards.models import Widget, WidgetStatistic
    from dashboard.connections.configs import statistics_of_path
    from dashboard.skills.queries import agent_state_descriptor, agents_by_skill

    close_old_connections()  # the bridge is long-lived: never reuse a dead connection
    desired = DesiredSet()
    # Plain tuples, streamed: re-read every 30 s, 20,000 rows as model instances were
    # tens of MB for a moment, which the heap kept (docs/performance.md, the soak).
    rows = (
        WidgetStatistic.objects.filter(statistics_of_path(connection, "statistic__"))
        .values_list(
            "widget__dashboard__slug",
            "widget__kind",
            "statistic__object_type",
            "statistic__object_id",
            "statistic__name",
            "statistic__definition",
        )
        .iterator(chunk_size=2000)
    )
    slugs: dict[str, str] = {}  # one string per dashboard, not one per row
    for slug, kind, object_type, object_id, name, definition in rows:
        descriptor = descriptor_of(
            object_type=object_type, object_id=object_id, name=name or None, definition=definition or None
        )
        desired.add(slugs.setdefault(slug, slug), descriptor, kind in DRAWS_HISTORY, connection)
    if connection != "default":
        return desired
    for widget in Widget.objects.filter(kind=Widget.Kind.SKILL_COVERAGE).select_related("dashboard"):
        for agents in agents_by_skill(list(widget.skills or [])).values():
            for agent in agents:
                desired.add(widget.dashboard.slug, agent_state_descriptor(agent.agent_id))
    from dashboard.supervisor.desired import add_supervisor_statistics

    add_supervisor_statistics(desired)  # no-calls companions, queues' serving agents (issue 17)
    return desired


async def load_desired() -> DesiredSet:
    return await in_db_thread(_load)


def desired_loader(connection: str) -> Callable[[], Awaitable[DesiredSet]]:
    """`load_desired` for one connection's bridge."""

    async def load() -> DesiredSet:
        return await in_db_thread(_load, connection)

    return load


_LOG_EVERY_S = 60.0  # a process with no bridge behind its layer (a shell) drops every one
_logged_at: list[float] = []


def _dropped(kind: str) -> None:
    COUNTERS["config_notices_dropped"] += 1
    now = time.monotonic()
    if not _logged_at or now - _logged_at[0] >= _LOG_EVERY_S:
        _logged_at[:] = [now]
        log.warning(
            "the bridge's request channel is full: %s not sent, %d so far (its revision check finds the edits)",
            kind,
            COUNTERS["config_notices_dropped"],
        )


async def anotify_bridge(
    kind: str = "config.changed", dashboards: list[str] | None = None, drills: list[str] | None = None
) -> None:
    """`notify_bridge` for code on the event loop (the in-memory layer lives there)."""
    message: dict = {"type": kind}
    if kind == "config.changed":
        from dashboard.boards.revisions import bump, scopes_for

        message["revisions"] = await in_db_thread(bump, scopes_for(dashboards))
        message.update(_named(dashboards, None, drills))
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.send("statsbridge", message)
    except ChannelFull:
        _dropped(kind)
    await ask_connections(layer, message)


def _named(dashboards: list[str] | None, wallboard: str | None, drills: list[str] | None) -> dict:
    """The optional fields of a `config.changed` (statsbridge/service.py)."""
    fields = {"dashboards": dashboards, "wallboard": wallboard, "drills": drills}
    return {key: value for key, value in fields.items() if value is not None}


def notify_bridge(
    kind: str = "config.changed",
    dashboards: list[str] | None = None,
    wallboard: str | None = None,
    revisions: dict[str, int] | None = None,
    drills: list[str] | None = None,
) -> None:
    """Tell the bridge (in whichever process it runs) to re-read the configuration
    (`config.changed`; the pages of `dashboards`, or of all, then reload; with
    `wallboard`, only that wallboard's screens; of `drills`, only the drill-down pages)
    or the stored Genesys authorization (`auth.changed`). A `config.changed` carries the
    `revisions` the edit's transaction bumped (bumped here, after the caller's commit,
    when it gave none), so the bridge's revision check finds the edit if this message is
    lost (dashboard/boards/revisions.py). `drills` bump nothing: drill-down pages are
    rendered without revisions, and a bump would reload the dashboards' own pages."""
    message: dict = {"type": kind}
    if kind == "config.changed":
        if revisions is None:
            from dashboard.boards.revisions import bump, scopes_for

            revisions = bump(scopes_for(dashboards, wallboard))
        message["revisions"] = revisions
    layer = get_channel_layer()
    if layer is None:
        return
    message.update(_named(dashboards, wallboard, drills))
    try:
        async_to_sync(layer.send)("statsbridge", message)
    except ChannelFull:  # the bridge is not draining requests: its revision check finds the edit
        _dropped(kind)
    async_to_sync(ask_connections)(layer, message)  # the other connections' bridges
