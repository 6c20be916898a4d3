"""Web Services v2 -> skills, levels and the user -> agent mapping (dashboard/skills/sync.py).

Every read happens before the first write, and the writes are one transaction: a
5xx on the 30th user's skills leaves the database exactly as it was.

Mapping rule (a default an admin can override, AgentMapping.manual): a user whose
roles include ROLE_AGENT (or who has no roles listed) is the Stat Server agent the
source's rule names (dashboard/skills/identity.py: employeeId by default); its
`employeeId` is the export's `external_id`.

Safety valve: a run that reads no skills for any user, or would remove more than half
of this source's agent skills, is refused and rolled back (SkillSyncRefused) unless
forced: an upstream that answers "nothing" (a uris-only reply, a half-migrated tenant)
must not wipe every agent's skills.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from dashboard.skills.identity import agent_object_id
from dashboard.skills.models import AgentMapping, AgentSkill, Skill, SkillSource
from dashboard.skills.outcome import Progress, SkillSyncRefused, SyncSummary
from statsbridge.skillsources import WebServicesClient, WsSkill, WsUser, WsUserSkill

AGENT_ROLE = "ROLE_AGENT"


@dataclass
class WsSnapshot:
    skills: list[WsSkill]
    users: list[WsUser]
    user_skills: dict[str, list[WsUserSkill]]


def ws_client(source: SkillSource) -> WebServicesClient:
    return WebServicesClient(source.resolved_url(), source.username, source.secret)


def read_web_services(source: SkillSource, say: Progress) -> WsSnapshot:
    with ws_client(source) as client:
        skills, users = client.skills(), client.users()
        say(f"{source.name}: {len(skills)} skills, {len(users)} users")
        user_skills: dict[str, list[WsUserSkill]] = {}
        for n, user in enumerate(users, start=1):
            user_skills[user.id] = client.user_skills(user.id)
            if n % 25 == 0 or n == len(users):
                say(f"{source.name}: skills of {n}/{len(users)} users read")
    return WsSnapshot(skills, users, user_skills)


def sync_web_services(source: SkillSource, summary: SyncSummary, say: Progress, *, force: bool = False) -> None:
    snapshot = read_web_services(source, say)
    if not force and snapshot.users and not any(snapshot.user_skills.values()):
        raise SkillSyncRefused(f"read no skills for any of {len(snapshot.users)} users")
    before = AgentSkill.objects.filter(source=source).count()
    counted = SyncSummary()  # reaches `summary` only if the run is kept
    with transaction.atomic():
        skills = _apply_skills(source, snapshot, counted)
        mappings = {user.id: _apply_user(source, user, counted) for user in snapshot.users}
        _forget_users(source, set(mappings), counted)
        _apply_agent_skills(source, snapshot, mappings, skills, counted)
        removed = counted.agent_skills.removed
        if not force and removed * 2 > before:
            raise SkillSyncRefused(
                f"would remove {removed} of the {before} agent skills it holds (more than half)"
            )  # leaving atomic() rolls every write back
    summary.add(counted)


def _apply_skills(source: SkillSource, snapshot: WsSnapshot, summary: SyncSummary) -> dict[str, Skill]:
    """The catalogue, plus any skill a user has that the catalogue lacks; by name."""
    wanted = {s.name: (s.id, s.description or "") for s in snapshot.skills}
    for user_skills in snapshot.user_skills.values():
        for us in user_skills:
            wanted.setdefault(us.name, (us.skill_id, ""))
    existing = {s.name: s for s in Skill.objects.filter(name__in=wanted)}
    for name, (upstream_id, description) in wanted.items():
        skill = existing.get(name)
        if skill is None:
            existing[name] = Skill.objects.create(
                name=name, upstream_id=upstream_id, description=description, source=source
            )
            summary.skills.added += 1
        elif (skill.upstream_id, skill.description, skill.source_id) != (upstream_id, description, source.pk):
            skill.upstream_id, skill.description, skill.source = upstream_id, description, source
            skill.save()
            summary.skills.changed += 1
    gone = Skill.objects.filter(source=source).exclude(name__in=wanted)
    summary.skills.removed += gone.count()
    gone.delete()
    return existing


def _is_agent(user: WsUser) -> bool:
    return not user.roles or AGENT_ROLE in user.roles


def _apply_user(source: SkillSource, user: WsUser, summary: SyncSummary) -> AgentMapping:
    mapping = AgentMapping.objects.filter(ws_user_id=user.id).first()
    if user.employee_id:
        by_employee = AgentMapping.objects.filter(external_id=user.employee_id).exclude(pk=getattr(mapping, "pk", None))
        other = by_employee.first()
        if other is not None and mapping is None and not other.ws_user_id:
            mapping = other  # the export saw this employee first
        elif other is not None and mapping is not None and not other.ws_user_id:
            other.clusters.update(mapping=mapping)  # one person, two rows: keep this one
            other.delete()
    mapping = mapping or AgentMapping()
    before = _mapping_fields(mapping)
    mapping.ws_user_id, mapping.ws_user_name = user.id, user.user_name
    mapping.display_name = f"{user.first_name} {user.last_name}".strip() or user.user_name
    if user.employee_id:
        mapping.external_id = user.employee_id
    if not mapping.manual:
        mapping.agent_object_id = agent_object_id(source, user) if _is_agent(user) else ""
    if mapping.pk is None:
        mapping.save()
        summary.mappings.added += 1
    elif _mapping_fields(mapping) != before:
        mapping.save()
        summary.mappings.changed += 1
    return mapping


def _mapping_fields(m: AgentMapping) -> tuple:
    return (m.ws_user_id, m.ws_user_name, m.display_name, m.external_id, m.agent_object_id)


def _forget_users(source: SkillSource, present: set[str], summary: SyncSummary) -> None:
    """Users gone from Web Services: their skills go; the mapping too unless the
    export or an admin still needs it."""
    for mapping in AgentMapping.objects.exclude(ws_user_id="").exclude(ws_user_id__in=present):
        summary.agent_skills.removed += mapping.skills.filter(source=source).count()
        mapping.skills.filter(source=source).delete()
        if mapping.external_id or mapping.manual:
            mapping.ws_user_id = mapping.ws_user_name = ""
            mapping.save()
            summary.mappings.changed += 1
        else:
            mapping.delete()
            summary.mappings.removed += 1


def _apply_agent_skills(
    source: SkillSource,
    snapshot: WsSnapshot,
    mappings: dict[str, AgentMapping],
    skills: dict[str, Skill],
    summary: SyncSummary,
) -> None:
    wanted: dict[tuple[int, int], int] = {}
    for user_id, user_skills in snapshot.user_skills.items():
        for us in user_skills:
            wanted[(mappings[user_id].pk, skills[us.name].pk)] = us.level
    have = {(row.mapping_id, row.skill_id): row for row in AgentSkill.objects.filter(source=source)}
    for (mapping_id, skill_id), level in wanted.items():
        row = have.pop((mapping_id, skill_id), None)
        if row is None:
            AgentSkill.objects.update_or_create(
                mapping_id=mapping_id, skill_id=skill_id, defaults={"level": level, "source": source}
            )
            summary.agent_skills.added += 1
        elif row.level != level:
            row.level = level
            row.save()
            summary.agent_skills.changed += 1
    summary.agent_skills.removed += len(have)
    AgentSkill.objects.filter(pk__in=[row.pk for row in have.values()]).delete()
