"""Importing skills from the skill sources into the database: `sync_skills`.

Run by `manage.py sync_skills`, the admin's "sync now" and the periodic job
(dashboard/skills/job.py). Web Services v2 sources go first (skills, levels and the
user -> agent mapping), then the skill-clusters export (clusters per employee).

Idempotent: a second run with nothing changed upstream writes nothing and says "no
changes". Safe to interrupt: Web Services reads everything before writing in one
transaction (a 5xx half-way changes nothing); the export commits page by page and
saves its cursor after each, so a failed run keeps what it imported and
`--resume` goes on from the next page. Any SkillSourceError stops the sync; its
message (safe to show: no secrets) is stored on the source and raised as
SkillSyncError.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from dashboard.project.db_retry import update_retrying
from dashboard.skills.models import AgentMapping, SkillSource
from dashboard.skills.outcome import Progress, SkillSyncError, SkillSyncRefused, SyncSummary
from statsbridge.skillsources import SkillSourceError

FORCE_HINT = (
    "If that is what the source now holds, run `manage.py sync_skills --force` "
    '(or the admin\'s "Sync now, accepting removals").'
)


def sync_skills(
    source: SkillSource | str | None = None,
    *,
    progress: Progress | None = None,
    resume: bool = False,
    page_size: int = 100,
    force: bool = False,
    should_stop: Callable[[], bool] | None = None,
) -> SyncSummary:
    """Import from one source (by row or name) or every enabled one; see the module docstring.
    `force` accepts what the safety valve would refuse (dashboard/skills/ws.py)."""
    from dashboard.skills.export import sync_export
    from dashboard.skills.ws import sync_web_services

    say = progress or (lambda message: None)
    total = SyncSummary()
    for row in _sources(source):
        part = SyncSummary()
        _satisfy_request(row, force)
        try:
            if row.kind == SkillSource.Kind.WEB_SERVICES:
                sync_web_services(row, part, say, force=force)
            else:
                sync_export(row, part, say, resume=resume, page_size=page_size, should_stop=should_stop, force=force)
        except SkillSyncRefused as refused:
            total.add(part)
            nothing = "" if part.changed else ", nothing changed"
            message = f"{row.name}: stopped{nothing}: this sync {refused}. {FORCE_HINT}"
            _record(row, ok=False, text=message)
            raise SkillSyncError(message, _with_unmapped(total)) from None
        except SkillSourceError as error:
            total.add(part)
            kept = f" Kept from earlier pages: {part.changes()}." if part.changed else ""
            message = f"{row.name}: {error}"
            _record(row, ok=False, text=message + kept)
            raise SkillSyncError(message + kept, _with_unmapped(total)) from error
        total.add(part)
        _record(row, ok=True, text=str(_with_unmapped(part)))
    return _with_unmapped(total)


def _sources(source: SkillSource | str | None) -> list[SkillSource]:
    if isinstance(source, SkillSource):
        return [source]
    rows = SkillSource.objects.all()
    if source is not None:
        rows = rows.filter(name=source)
        if not rows:
            known = ", ".join(SkillSource.objects.values_list("name", flat=True)) or "none"
            raise SkillSyncError(f"no skill source named {source!r} (known: {known})", SyncSummary())
    else:
        rows = rows.filter(enabled=True)
    web_services_first = Case(
        When(kind=SkillSource.Kind.WEB_SERVICES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(rows.order_by(web_services_first, "name"))


def _satisfy_request(row: SkillSource, force: bool) -> None:
    """This run answers a queued "Sync now" (dashboard/skills/requests.py), unless that
    asked to accept removals and this run does not."""
    pending = SkillSource.objects.filter(pk=row.pk)
    if not force:
        pending = pending.filter(sync_request_force=False)
    update_retrying(pending, sync_requested_at=None, sync_request_force=False)


def _record(row: SkillSource, *, ok: bool, text: str) -> None:
    update_retrying(
        SkillSource.objects.filter(pk=row.pk), last_sync_at=timezone.now(), last_ok=ok, last_result=text[:4000]
    )


def _with_unmapped(summary: SyncSummary) -> SyncSummary:
    summary.unmapped = unmapped_names()
    return summary


def unmapped_names() -> list[str]:
    """People a source knows who match no agent: an admin may map them by hand."""
    rows = AgentMapping.objects.filter(agent_object_id="").order_by("display_name", "ws_user_name", "external_id")
    return [describe_person(m) for m in rows]


def describe_person(m: AgentMapping) -> str:
    if m.display_name and m.ws_user_name:
        return f"{m.display_name} (user {m.ws_user_name})"
    return m.display_name or m.ws_user_name or f"employee {m.external_id}"
