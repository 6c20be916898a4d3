"""The active floor messages as the service sends them: each one's frame and the
dashboards whose sockets carry it (every dashboard its wallboards show: a wallboard
screen holds one socket per page). Runs in a thread: it reads the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import close_old_connections


@dataclass
class ActiveMessage:
    frame: dict
    dashboards: set[str] = field(default_factory=set)


def load_active() -> dict[str, ActiveMessage]:
    from dashboard.boards.models import WallboardPage
    from dashboard.floor.models import active_messages

    close_old_connections()  # the bridge is long-lived: never reuse a dead connection
    try:
        pages: dict[str, set[str]] = {}
        for wallboard, dashboard in WallboardPage.objects.values_list("wallboard__slug", "dashboard__slug"):
            pages.setdefault(wallboard, set()).add(dashboard)
        found = {}
        for message in active_messages().prefetch_related("wallboards"):
            wallboards = sorted(w.slug for w in message.wallboards.all())
            frame = frame_of(message, wallboards)
            dashboards = {d for w in wallboards for d in pages.get(w, ())}
            found[frame["id"]] = ActiveMessage(frame, dashboards)
        return found
    finally:
        close_old_connections()


def frame_of(message: object, wallboards: list[str]) -> dict:
    return {
        "id": str(message.pk),  # type: ignore[attr-defined]
        "text": message.text,  # type: ignore[attr-defined]
        "level": message.level,  # type: ignore[attr-defined]
        "until": int(message.until.timestamp() * 1000),  # type: ignore[attr-defined]
        "style": message.style,  # type: ignore[attr-defined]
        "wallboards": wallboards,
    }
