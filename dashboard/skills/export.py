"""The skill-clusters export -> clusters, proficiency and validation states per
employee (dashboard/skills/sync.py).

Each page is committed on its own, with the cursor for the next page saved in the
same transaction, so a run that stops (a 500 on page 4, a cursor loop, a missing
field) keeps pages 1-3 and `resume=True` asks for page 4 next. Only a run that
reaches the last page removes what the export no longer lists (clusters of
employees it did not return: gone or inactive), since only then is "not seen" known:
each page marks its employees seen at the time the run (not the resume) began.
The safety valve (as for Web Services) guards that final removal: dropping more than
half of the source's agent clusters is refused (the pages stay imported, the removal is
rolled back) unless forced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dashboard.skills.models import AgentMapping, AgentSkillCluster, SkillCluster, SkillSource
from dashboard.skills.outcome import Progress, SkillSyncRefused, SyncSummary
from statsbridge.skillsources import ClientCredentials, EmployeeClusters, ExportPage, SkillClusterExportClient
from statsbridge.skillsources import SkillCluster as ExportedCluster

INCLUDE = ("current_skills", "sources")


def export_client(source: SkillSource, page_size: int = 100) -> SkillClusterExportClient:
    """The source's client: a pasted token, or the OAuth 2.0 client-credentials grant."""
    return SkillClusterExportClient(source.resolved_url(), export_credentials(source), page_size=page_size)


def export_credentials(source: SkillSource) -> str | ClientCredentials:
    if source.export_auth != SkillSource.ExportAuth.CLIENT_CREDENTIALS:
        return source.secret
    return ClientCredentials(
        source.resolved_token_url(),
        source.client_id,
        source.secret,
        scope=source.token_scope,
        audience=source.token_audience,
    )


def sync_export(
    source: SkillSource,
    summary: SyncSummary,
    say: Progress,
    *,
    resume: bool = False,
    page_size: int = 100,
    should_stop: Callable[[], bool] | None = None,
    force: bool = False,
) -> None:
    cursor = _start(source, resume, say)
    started: datetime = source.run_started_at  # type: ignore[assignment]
    number = 0
    with export_client(source, page_size) as client:
        for number, page in enumerate(client.pages(cursor or None, include=INCLUDE), start=1):
            _apply_page(source, page, started, summary)
            summary.pages += 1
            say(f"{source.name}: page {number}: {len(page.records)} employees")
            if should_stop and should_stop() and page.has_next:
                say(f"{source.name}: stopped after page {number}; resume goes on from there")
                return
    _finish(source, started, summary, force)
    say(f"{source.name}: {number} page(s), done")


def _start(source: SkillSource, resume: bool, say: Progress) -> str:
    """The cursor to start from; a fresh run forgets any saved one."""
    if resume and source.resume_cursor and source.run_started_at:
        say(f"{source.name}: resuming after {source.resume_cursor}")
        return source.resume_cursor
    if resume:
        say(f"{source.name}: nothing to resume, starting from the first page")
    source.resume_cursor, source.run_started_at = "", timezone.now()
    SkillSource.objects.filter(pk=source.pk).update(resume_cursor="", run_started_at=source.run_started_at)
    return ""


def _apply_page(source: SkillSource, page: ExportPage, started: datetime, summary: SyncSummary) -> None:
    with transaction.atomic():
        for record in page.records:
            _apply_employee(source, record, started, summary)
        source.resume_cursor = (page.next_starting_after or "") if page.has_next else ""
        SkillSource.objects.filter(pk=source.pk).update(resume_cursor=source.resume_cursor)


def _apply_employee(source: SkillSource, record: EmployeeClusters, started: datetime, summary: SyncSummary) -> None:
    mapping = AgentMapping.objects.filter(external_id=record.external_id).first()
    if mapping is None:  # not (yet) a Web Services user: listed as unmapped
        mapping = AgentMapping.objects.create(external_id=record.external_id, export_seen_at=started)
        summary.mappings.added += 1
    else:
        AgentMapping.objects.filter(pk=mapping.pk).update(export_seen_at=started)  # not a change: no updated_at
    have = {
        row.cluster.cluster_id: row
        for row in AgentSkillCluster.objects.filter(mapping=mapping, source=source).select_related("cluster")
    }
    for exported in record.clusters:
        cluster = _cluster(exported, summary)
        _apply_agent_cluster(source, mapping, cluster, exported, have.pop(exported.cluster_id, None), summary)
    summary.agent_clusters.removed += len(have)
    AgentSkillCluster.objects.filter(pk__in=[row.pk for row in have.values()]).delete()


def _cluster(exported: ExportedCluster, summary: SyncSummary) -> SkillCluster:
    cluster = SkillCluster.objects.filter(cluster_id=exported.cluster_id).first()
    domain = exported.domain or ""
    if cluster is None:
        summary.clusters.added += 1
        return SkillCluster.objects.create(cluster_id=exported.cluster_id, name=exported.name, domain=domain)
    if (cluster.name, cluster.domain) != (exported.name, domain):
        cluster.name, cluster.domain = exported.name, domain
        cluster.save()
        summary.clusters.changed += 1
    return cluster


def _skills_json(exported: ExportedCluster) -> list[dict]:
    return [
        {"skill_id": s.skill_id, "name": s.name, "validation_state": s.validation_state, "sources": list(s.sources)}
        for s in exported.current_skills
    ]


def _apply_agent_cluster(
    source: SkillSource,
    mapping: AgentMapping,
    cluster: SkillCluster,
    exported: ExportedCluster,
    row: AgentSkillCluster | None,
    summary: SyncSummary,
) -> None:
    values = {
        "proficiency_level": exported.proficiency_level,
        "validation_state": exported.validation_state,
        "current_skills": _skills_json(exported),
        "sources": list(exported.sources),
    }
    if row is None:
        AgentSkillCluster.objects.create(mapping=mapping, cluster=cluster, source=source, **values)
        summary.agent_clusters.added += 1
    elif any(getattr(row, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(row, key, value)
        row.save()
        summary.agent_clusters.changed += 1


def _finish(source: SkillSource, started: datetime, summary: SyncSummary, force: bool) -> None:
    """The whole export was read: drop what it no longer lists."""
    with transaction.atomic():
        unseen = Q(export_seen_at__lt=started) | Q(export_seen_at__isnull=True)
        gone = AgentSkillCluster.objects.filter(source=source).filter(
            Q(mapping__export_seen_at__lt=started) | Q(mapping__export_seen_at__isnull=True)
        )
        dropping, held = gone.count(), AgentSkillCluster.objects.filter(source=source).count()
        if not force and dropping * 2 > held:
            raise SkillSyncRefused(
                f"would remove {dropping} of the {held} agent skill clusters it holds "
                "(more than half) at its end; the pages read were imported, nothing removed"
            )
        summary.agent_clusters.removed += dropping
        gone.delete()
        orphans = AgentMapping.objects.filter(unseen, ws_user_id="", manual=False).exclude(external_id="")
        summary.mappings.removed += orphans.count()
        orphans.delete()
        unused = SkillCluster.objects.filter(agents__isnull=True)
        summary.clusters.removed += unused.count()
        unused.delete()
        source.resume_cursor, source.run_started_at = "", None
        SkillSource.objects.filter(pk=source.pk).update(resume_cursor="", run_started_at=None)
