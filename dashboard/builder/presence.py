"""Who else has a dashboard's editor open, and whose save the draft holds.

One draft per dashboard is shared by its editors (a draft is "the next version", not a
private copy), so each editor must see the others: the page checks in every
CHECK_IN_SECONDS and lists those seen within ACTIVE_SECONDS. Saves themselves are
guarded by the draft's revision (drafts.save_draft), so no save lands over a newer one
unseen.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dashboard.boards.models import Dashboard
from dashboard.builder.models import DashboardDraft, DraftEditor

CHECK_IN_SECONDS = 10
ACTIVE_SECONDS = 45


def check_in(dashboard: Dashboard, username: str) -> None:
    DraftEditor.objects.update_or_create(dashboard=dashboard, username=username, defaults={"seen_at": timezone.now()})


def leave(dashboard: Dashboard, username: str) -> None:
    DraftEditor.objects.filter(dashboard=dashboard, username=username).delete()


def others(dashboard: Dashboard, username: str) -> list[dict]:
    """The other editors seen lately, most recent first."""
    since = timezone.now() - timedelta(seconds=ACTIVE_SECONDS)
    rows = DraftEditor.objects.filter(dashboard=dashboard, seen_at__gte=since).exclude(username=username)
    return [{"username": r.username, "seenAt": r.seen_at.isoformat()} for r in rows.order_by("-seen_at")]


def draft_info(draft: DashboardDraft | None) -> dict | None:
    """Who saved the draft last, when, and its revision (the page sends it back with each save)."""
    if draft is None:
        return None
    return {"revision": draft.revision, "updatedBy": draft.updated_by, "updatedAt": draft.updated_at.isoformat()}
