""" "Sync now": the admin queues a sync and the skills job (dashboard/skills/job.py) runs it.

A whole sync reads every user's skills and every export page: minutes on a real tenant,
far too long for an HTTP request. So the admin only marks the sources
(`sync_requested_at`, and `sync_request_force` for "accepting removals") and returns at
once; the job, which polls for marks every few seconds in the process whose bridge
leads, runs them one by one, writing each progress line to `sync_progress` so the admin
shows how far it got, and the result to `last_result` as any sync does. The marks live
in the database, so they reach the job whichever process served the request; a
`sync_skills` run satisfies them too (sync_skills clears the mark of each source it
syncs), for deployments that run the sync from a timer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from dashboard.project.db_retry import update_if_free, update_retrying
from dashboard.skills.models import SkillSource
from dashboard.skills.outcome import SkillSyncError
from dashboard.skills.sync import sync_skills

MAX_PROGRESS = 300
REFRESH_S = 3  # the admin's sources list reloads this often while a sync is pending


def request_sync(sources: Iterable[SkillSource], *, force: bool = False) -> list[str]:
    """Mark `sources` for the job; their names."""
    pks = [source.pk for source in sources]
    SkillSource.objects.filter(pk__in=pks).update(sync_requested_at=timezone.now(), sync_request_force=force)
    return list(SkillSource.objects.filter(pk__in=pks).values_list("name", flat=True))


def has_requests() -> bool:
    return SkillSource.objects.filter(sync_requested_at__isnull=False).exists()


def forget_dead_runs() -> int:
    """Rows still marked running by a process that died mid-sync: the job's first poll
    clears them (it is the only runner), so the admin does not show them running forever."""
    return SkillSource.objects.filter(sync_started_at__isnull=False).update(sync_started_at=None, sync_progress="")


def in_progress() -> bool:
    """A sync queued or running: what makes the admin's list reload itself."""
    return SkillSource.objects.filter(Q(sync_requested_at__isnull=False) | Q(sync_started_at__isnull=False)).exists()


def run_requested(stopping: threading.Event) -> tuple[bool, list[str]]:
    """Run every requested sync, Web Services first (it names the agents); runs in the
    job's worker thread. (changed anything, one line per source)."""
    web_services_first = Case(
        When(kind=SkillSource.Kind.WEB_SERVICES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    rows = SkillSource.objects.filter(sync_requested_at__isnull=False).order_by(web_services_first, "name")
    changed, lines = False, []
    for row in rows:
        if stopping.is_set():
            break
        row_changed, line = _run_one(row, stopping)
        changed, lines = changed or row_changed, lines + [line]
    return changed, lines


def _run_one(row: SkillSource, stopping: threading.Event) -> tuple[bool, str]:
    mine = SkillSource.objects.filter(pk=row.pk)
    update_retrying(mine, sync_started_at=timezone.now(), sync_progress="starting")

    def progress(message: str) -> None:  # the admin's "how far": never worth failing the sync
        update_if_free(mine, sync_progress=message[:MAX_PROGRESS])

    try:
        summary = sync_skills(row, force=row.sync_request_force, progress=progress, should_stop=stopping.is_set)
        return summary.changed, f"requested skills sync: {row.name}: {summary}"
    except SkillSyncError as error:
        return error.summary.changed, f"requested skills sync failed: {error}"
    finally:
        update_retrying(mine, sync_started_at=None, sync_progress="")


def status_of(source: SkillSource) -> str:
    """What the admin shows: queued, running (and how far), or the last result."""
    if source.sync_started_at is not None:
        since = f"{timezone.localtime(source.sync_started_at):%H:%M:%S}"
        return gettext("running since %(time)s: %(progress)s") % {"time": since, "progress": source.sync_progress}
    if source.sync_requested_at is not None:
        at = f"{timezone.localtime(source.sync_requested_at):%H:%M:%S}"
        if source.sync_request_force:
            return gettext("queued at %(time)s, accepting removals") % {"time": at}
        return gettext("queued at %(time)s") % {"time": at}
    if source.last_sync_at is None:
        return gettext("never synced")
    at = f"{timezone.localtime(source.last_sync_at):%Y-%m-%d %H:%M:%S}"
    outcome = gettext("OK at %(time)s: %(result)s") if source.last_ok else gettext("failed at %(time)s: %(result)s")
    return outcome % {"time": at, "result": source.last_result}
