"""Configuration revisions: the fallback for a lost `config.changed` notification.

A save tells the bridge over the channel layer after commit (`notify_bridge`), one
message that a full channel, a layer blink or a crash between commit and send can lose;
then screens would show the old configuration until someone reloads them. So every edit
also bumps a counter (`ConfigRevision`) per scope it concerns, in the edit's own
transaction: `*` (every dashboard: a statistic, an import), `d:<slug>` (a dashboard, its
widgets; a skills sync moves those of the dashboards drawing skills, dashboard/skills/pages.py)
or `w:<slug>` (a wallboard, its pages). The bridge reads these
few rows every 5 s (statsbridge/revision_watch.py) and handles a scope whose counter
moved, without a notification saying so, as that notification would have been.
Cheap for any number of sockets: one small query per bridge per poll, none per socket.
Pages are rendered with their revisions (`page_revisions`) and the bridge's snapshots
carry the revisions it knows: a page that missed a `config` frame while it (re)connected
reloads when its next snapshot is newer.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from dashboard.boards.models import ConfigRevision, Wallboard
from dashboard.project.db_thread import in_db_thread

ALL = "*"


def scopes_for(dashboards: Iterable[str] | None = None, wallboard: str | None = None) -> list[str]:
    """The scopes an edit concerns, as `notify_bridge`'s arguments name them."""
    if wallboard is not None:
        return [f"w:{wallboard}"]
    if dashboards is None:
        return [ALL]
    return [f"d:{slug}" for slug in sorted(set(dashboards))]


def bump(scopes: Iterable[str]) -> dict[str, int]:
    """+1 for each scope; call inside the edit's transaction (atomic with it). Returns
    the new revisions, which the notification carries: the bridge then knows exactly
    which edits it was told about (the row stays locked until commit on PostgreSQL).
    One upsert per scope (SQLite 3.35+, PostgreSQL): ~0.1 ms a save, where get_or_create,
    update and read back cost ~1.7 ms (docs/performance.md, bench/config_revisions.py)."""
    table = connection.ops.quote_name(ConfigRevision._meta.db_table)
    revisions: dict[str, int] = {}
    with connection.cursor() as cursor:
        for scope in scopes:
            cursor.execute(
                f"INSERT INTO {table} (scope, revision) VALUES (%s, 1) "  # our own table's name, quoted
                f"ON CONFLICT (scope) DO UPDATE SET revision = {table}.revision + 1 RETURNING revision",
                [scope],
            )
            revisions[scope] = cursor.fetchone()[0]
    return revisions


def page_revisions(dashboards: Iterable[str], wallboard: str | None = None) -> dict[str, int]:
    """The revisions a page is rendered at (read before its configuration: an edit in
    between makes a needless reload, never a missed one). The bridge's snapshot carries
    the revisions it knows of, and a page behind them reloads (static/js/socket.js): a
    screen reloading, or reconnecting, while an edit's `config` frame went by follows it."""
    scopes = [ALL, *scopes_for(dashboards)] + ([f"w:{wallboard}"] if wallboard else [])
    known = dict(ConfigRevision.objects.filter(scope__in=scopes).values_list("scope", "revision"))
    return {scope: known.get(scope, 0) for scope in scopes}


def _read() -> dict[str, int]:
    return dict(ConfigRevision.objects.values_list("scope", "revision"))


async def read_revisions() -> dict[str, int]:
    return await in_db_thread(_read)


def _messages(scopes: list[str]) -> list[dict]:
    messages: list[dict] = []
    if ALL in scopes:
        messages.append({"type": "config.changed"})
    dashboards = sorted(scope[2:] for scope in scopes if scope.startswith("d:"))
    if dashboards and ALL not in scopes:
        messages.append({"type": "config.changed", "dashboards": dashboards})
    for scope in scopes:
        if scope.startswith("w:"):
            slug = scope[2:]
            shown = sorted(
                set(Wallboard.objects.filter(slug=slug).values_list("wallboardpage__dashboard__slug", flat=True))
                - {None}
            )
            if shown:  # a deleted wallboard has no screens left to tell
                messages.append({"type": "config.changed", "dashboards": shown, "wallboard": slug})
    return messages


async def messages_for(scopes: list[str]) -> list[dict]:
    """The `config.changed` requests that changed `scopes` would have sent."""
    return await in_db_thread(_messages, sorted(scopes))
