"""The skills sync's safety valve and the GWS uris-only rule (dashboard/skills/ws.py,
skills_sync.py, `sync_skills --force`), against a real simulator over loopback: a
run that reads nothing, or would remove more than half of a source's agent skills,
stops with a clear message and writes nothing unless forced."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dashboard.skills.models import AgentMapping, AgentSkill, AgentSkillCluster, SkillCluster, SkillSource
from dashboard.skills.outcome import SkillSyncError
from statsbridge.simulator.server import Simulator
from tests.skills.test_sync import control, run, snapshot

pytestmark = pytest.mark.django_db


def empty_agents(sim: Simulator, count: int) -> int:
    """Take every skill from the first `count` agents; how many agent skills that removes."""
    removed = 0
    for agent in sim.center.agents[:count]:
        removed += len(sim.skills.employee_for(agent.agent_id).skills)
        control(sim, "agent-skills", {"agent": agent.agent_id, "skills": {}})
    return removed


def agents_to_remove_more_than_half(sim: Simulator, total: int) -> int:
    count, removed = 0, 0
    while removed * 2 <= total:
        removed += len(sim.skills.employee_for(sim.center.agents[count].agent_id).skills)
        count += 1
    return count


def test_a_uris_only_upstream_stops_the_sync_and_keeps_every_skill(sim: Simulator, ws: SkillSource) -> None:
    run()
    before = snapshot()
    control(sim, "skills-faults", {"uris_only": True})

    with pytest.raises(SkillSyncError, match="lists only uris") as caught:
        run()

    assert snapshot() == before and AgentSkill.objects.count() > 100
    assert "fields=*" in str(caught.value)
    assert SkillSource.objects.get(name="ws").last_ok is False


def test_reading_no_skills_for_any_user_is_refused_then_forced(sim: Simulator, ws: SkillSource) -> None:
    run()
    held = AgentSkill.objects.count()
    empty_agents(sim, len(sim.center.agents))
    before = snapshot()

    with pytest.raises(SkillSyncError) as caught:
        run()

    message = str(caught.value)
    assert "ws: stopped, nothing changed: this sync read no skills for any of 51 users" in message
    assert "sync_skills --force" in message
    assert snapshot() == before
    source = SkillSource.objects.get(name="ws")
    assert source.last_ok is False and source.last_result == message

    summary, _ = run(force=True)
    assert summary.agent_skills.removed == held and not AgentSkill.objects.exists()


def test_removing_more_than_half_is_refused_and_changes_nothing(sim: Simulator, ws: SkillSource) -> None:
    run()
    held = AgentSkill.objects.count()
    removed = empty_agents(sim, agents_to_remove_more_than_half(sim, held))
    before = snapshot()

    with pytest.raises(
        SkillSyncError,
        match=f"would remove {removed} of the {held} agent skills it holds "
        r"\(more than half\)",
    ):
        run()
    assert snapshot() == before

    summary, _ = run(force=True)
    assert summary.agent_skills.removed == removed and AgentSkill.objects.count() == held - removed


def test_removing_less_than_half_goes_through_without_force(sim: Simulator, ws: SkillSource) -> None:
    run()
    held = AgentSkill.objects.count()
    removed = empty_agents(sim, 5)
    assert 0 < removed * 2 <= held

    summary, _ = run()

    assert summary.agent_skills.removed == removed and AgentSkill.objects.count() == held - removed
    assert SkillSource.objects.get(name="ws").last_ok is True


def test_the_command_refuses_without_force_and_accepts_with_it(sim: Simulator, ws: SkillSource) -> None:
    call_command("sync_skills", stdout=StringIO())
    empty_agents(sim, len(sim.center.agents))

    with pytest.raises(CommandError, match="skills sync stopped: ws: stopped, nothing changed.*--force"):
        call_command("sync_skills", stdout=StringIO())
    assert AgentSkill.objects.exists()

    out = StringIO()
    call_command("sync_skills", "--force", stdout=out)
    assert "agent skills: 0 added, 0 changed" in out.getvalue() and not AgentSkill.objects.exists()


def employees_the_export_no_longer_lists(export: SkillSource, count: int) -> int:
    """Clusters of `count` people the export once listed and lists no more; how many rows."""
    cluster = SkillCluster.objects.first()
    for n in range(count):
        mapping = AgentMapping.objects.create(external_id=f"left-{n:03d}")
        AgentSkillCluster.objects.create(mapping=mapping, cluster=cluster, source=export, proficiency_level=3)
    return count


def test_an_export_that_would_drop_more_than_half_keeps_them_unless_forced(sim: Simulator, export: SkillSource) -> None:
    run()
    held = AgentSkillCluster.objects.count()
    gone = employees_the_export_no_longer_lists(export, held + 1)

    with pytest.raises(
        SkillSyncError,
        match=f"export: stopped, nothing changed: this sync would remove {gone} of the "
        f"{held + gone} agent skill clusters it holds",
    ):
        run()
    assert AgentSkillCluster.objects.count() == held + gone

    summary, _ = run(force=True)
    assert summary.agent_clusters.removed == gone and AgentSkillCluster.objects.count() == held


def test_an_export_dropping_a_few_goes_through(sim: Simulator, export: SkillSource) -> None:
    run()
    held = AgentSkillCluster.objects.count()
    employees_the_export_no_longer_lists(export, 3)

    summary, _ = run()

    assert summary.agent_clusters.removed == 3 and AgentSkillCluster.objects.count() == held
