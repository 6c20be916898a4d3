"""The skills sync (dashboard/skills/sync.py, skills_ws.py, skills_export.py and the
`sync_skills` command) against a real simulator's Web Services v2 and skill-clusters
export endpoints over loopback: full sync, paging, idempotency, changes, every error."""

from __future__ import annotations

from io import StringIO
from typing import Any

import httpx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dashboard.skills.models import AgentMapping, AgentSkill, AgentSkillCluster, Skill, SkillCluster, SkillSource
from dashboard.skills.outcome import SkillSyncError, SyncSummary
from dashboard.skills.sync import sync_skills
from statsbridge.simulator.server import Simulator
from statsbridge.simulator.skills_clusters import clusters_for
from statsbridge.simulator.skills_model import SUPERVISOR_USER_NAME as SUPERVISOR

pytestmark = pytest.mark.django_db

SYNCED = (Skill, AgentMapping, AgentSkill, SkillCluster, AgentSkillCluster)
ACTIVE_EMPLOYEES = 50 + 3  # one per agent, three back-office people; two former ones are filtered out


def control(sim: Simulator, call: str, body: dict) -> dict:
    response = httpx.post(f"{sim.base_url}/simulator/v1/{call}", json=body, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def snapshot() -> dict[str, Any]:
    """Every synced row with its updated timestamp: equal snapshots mean nothing was written."""
    return {model.__name__: sorted((row.pk, row.updated_at) for row in model.objects.all()) for model in SYNCED}


def levels_in_db(agent_id: str) -> dict[str, int]:
    return {
        row.skill.name: row.level
        for row in AgentSkill.objects.filter(mapping__agent_object_id=agent_id).select_related("skill")
    }


def run(**kwargs: Any) -> tuple[SyncSummary, list[str]]:
    said: list[str] = []
    return sync_skills(progress=said.append, **kwargs), said


# -- the happy paths ---------------------------------------------------------------


def test_full_sync_imports_skills_levels_clusters_and_the_mapping(sim: Simulator, sources: tuple) -> None:
    summary, _ = run()

    assert {"English", "Spanish", "French", "German", "Sales", "Support"} <= set(
        Skill.objects.values_list("name", flat=True)
    )
    assert Skill.objects.get(name="Spanish").description == "Handles calls and chats in Spanish."
    assert Skill.objects.get(name="German").description == ""  # absent upstream
    for agent in sim.center.agents:
        assert levels_in_db(agent.agent_id) == sim.skills.employee_for(agent.agent_id).skills, agent.agent_id
    assert "Spanish" in levels_in_db("agent002") and "Spanish" not in levels_in_db("agent001")
    mapping = AgentMapping.objects.get(agent_object_id="agent002")
    assert mapping.external_id == sim.skills.employee_for("agent002").external_id
    assert mapping.display_name == "Ben Baker" and mapping.ws_user_name == "ben.baker@contact-center.example"
    assert summary.skills.added == Skill.objects.count() and summary.changed


def test_full_sync_imports_clusters_with_proficiency_and_validation_states(sim: Simulator, sources: tuple) -> None:
    run()

    for agent_id in ("agent001", "agent002", "agent017"):
        employee = sim.skills.employee_for(agent_id)
        expected = {
            c["skill_cluster_name"]: (
                c["proficiency_level"],
                c.get("validation_state"),
                [s["name"] for s in c["current_skills"]],
            )
            for c in clusters_for(employee)
        }
        rows = AgentSkillCluster.objects.filter(mapping__agent_object_id=agent_id).select_related("cluster")
        got = {
            r.cluster.name: (r.proficiency_level, r.validation_state, [s["name"] for s in r.current_skills])
            for r in rows
        }
        assert got == expected
    states = set(AgentSkillCluster.objects.values_list("validation_state", flat=True))
    assert None in states and "validated" in states  # some clusters carry no validation_state at all
    languages = SkillCluster.objects.get(name="Languages")
    assert languages.domain == "Communication"


def test_unmapped_people_are_listed(sim: Simulator, sources: tuple) -> None:
    summary, _ = run()

    assert len(summary.unmapped) == 4  # three back-office employees and the supervisor
    assert f"Sam Supervisor (user {SUPERVISOR})" in summary.unmapped
    assert sum(name.startswith("employee ") for name in summary.unmapped) == 3
    assert AgentMapping.objects.filter(agent_object_id="").count() == 4
    assert AgentMapping.objects.exclude(agent_object_id="").count() == 50
    assert AgentMapping.objects.count() == 50 + 1 + 3  # the two former employees are not imported
    assert "4 unmapped" in SkillSource.objects.get(name="export").last_result


def test_export_pages_through_several_small_pages(sim: Simulator, export: SkillSource) -> None:
    summary, said = run(page_size=7)

    pages = [line for line in said if ": page " in line]
    assert len(pages) == 8 and summary.pages == 8
    assert pages[0] == "export: page 1: 7 employees" and pages[-1] == "export: page 8: 4 employees"
    assert AgentMapping.objects.count() == ACTIVE_EMPLOYEES
    assert SkillSource.objects.get(name="export").resume_cursor == ""


def test_a_second_sync_changes_nothing(sim: Simulator, sources: tuple) -> None:
    run(page_size=10)
    before = snapshot()

    summary, _ = run(page_size=10)

    assert not summary.changed
    assert summary.changes() == "no changes"
    assert str(summary).startswith("no changes; 4 unmapped")
    assert snapshot() == before


def test_a_skill_change_upstream_is_exactly_what_the_next_sync_reports(sim: Simulator, sources: tuple) -> None:
    run()
    employee = sim.skills.employee_for("agent001")
    old, old_clusters = dict(employee.skills), {c["skill_cluster_name"] for c in clusters_for(employee)}
    new = {"English": old["English"] + 1, "Spanish": 5}
    control(sim, "agent-skills", {"agent": "agent001", "skills": new})
    before = snapshot()

    summary, _ = run()

    assert (summary.agent_skills.added, summary.agent_skills.changed, summary.agent_skills.removed) == (
        1,
        1,
        len(set(old) - set(new)),
    )
    assert levels_in_db("agent001") == new
    assert not summary.skills and not summary.mappings
    # The export agrees: the Languages cluster changed, the line-of-business ones are gone.
    assert old_clusters - {"Languages"} and summary.agent_clusters.changed == 1
    assert summary.agent_clusters.removed == len(old_clusters - {"Languages"})
    changed_rows = {name: rows for name, rows in snapshot().items() if rows != before[name]}
    assert set(changed_rows) == {"AgentSkill", "AgentSkillCluster"}


def test_a_manual_mapping_survives_a_sync(sim: Simulator, sources: tuple) -> None:
    run()
    supervisor = AgentMapping.objects.get(ws_user_name=SUPERVISOR)
    supervisor.agent_object_id, supervisor.manual = "agent050", True
    supervisor.save()
    moved = AgentMapping.objects.get(agent_object_id="agent003")
    moved.agent_object_id, moved.manual = "agent-3-renamed", True
    moved.save()

    summary, _ = run()

    assert AgentMapping.objects.get(ws_user_name=SUPERVISOR).agent_object_id == "agent050"
    assert AgentMapping.objects.get(external_id="agent003").agent_object_id == "agent-3-renamed"
    assert f"Sam Supervisor (user {SUPERVISOR})" not in summary.unmapped
    assert not summary.changed


# -- the error paths ------------------------------------------------------------------


def test_bad_web_services_credentials_stop_with_a_clear_message(sim: Simulator, ws: SkillSource) -> None:
    ws.secret = "wrong-password"
    ws.save()

    with pytest.raises(SkillSyncError) as caught:
        run()

    message = str(caught.value)
    assert "401" in message and "credentials refused" in message and "wrong-password" not in message
    ws.refresh_from_db()
    assert ws.last_ok is False and ws.last_result.startswith("ws: ")
    assert not any(model.objects.exists() for model in SYNCED)


def test_bad_export_token_stops_with_a_clear_message(sim: Simulator, export: SkillSource) -> None:
    export.secret = "not-the-token"
    export.save()

    with pytest.raises(SkillSyncError, match="401.*credentials refused") as caught:
        run()

    assert "not-the-token" not in str(caught.value)


def test_a_web_services_5xx_writes_nothing(sim: Simulator, sources: tuple) -> None:
    run()
    control(sim, "agent-skills", {"agent": "agent002", "skills": {"English": 9}})
    control(sim, "skills-faults", {"ws": {"status": 503}})
    before = snapshot()

    with pytest.raises(SkillSyncError, match="HTTP 503") as caught:
        run()

    assert snapshot() == before
    assert caught.value.summary.changes() == "no changes"
    assert SkillSource.objects.get(name="ws").last_ok is False
    assert SkillSource.objects.get(name="export").last_ok is True  # the previous run's: it was not reached


def test_an_export_500_keeps_earlier_pages_and_resume_goes_on(sim: Simulator, export: SkillSource) -> None:
    control(sim, "skills-faults", {"export": {"after_pages": 1, "kind": "status", "status": 500}})

    with pytest.raises(SkillSyncError, match="HTTP 500") as caught:
        run(page_size=10)

    assert "Kept from earlier pages" in str(caught.value)
    assert AgentMapping.objects.count() == 10  # page 1, committed
    export.refresh_from_db()
    first_ten = sorted(e.external_id for e in sim.skills.employees() if e.is_active)[:10]
    assert export.resume_cursor == first_ten[-1] and export.last_ok is False

    control(sim, "skills-faults", {"clear": True})
    summary, said = run(page_size=10, resume=True)

    assert said[0] == f"export: resuming after {first_ten[-1]}"
    assert summary.pages == 5 and summary.mappings.added == ACTIVE_EMPLOYEES - 10
    assert AgentMapping.objects.count() == ACTIVE_EMPLOYEES
    export.refresh_from_db()
    assert export.resume_cursor == "" and export.last_ok is True
    assert not run(page_size=100)[0].changed  # the resumed import is the whole export


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("cursor-loop", "cursor loop"),
        ("missing-field", "external_id"),
        ("not-json", "not JSON"),
    ],
)
def test_a_bad_export_page_stops_the_sync_and_keeps_what_came_before(
    sim: Simulator, export: SkillSource, kind: str, expected: str
) -> None:
    control(sim, "skills-faults", {"export": {"after_pages": 1, "kind": kind}})

    with pytest.raises(SkillSyncError, match=expected):
        run(page_size=10)

    assert AgentMapping.objects.count() >= 10  # page 1 (and for a loop, the looping page) kept
    export.refresh_from_db()
    assert export.last_ok is False and expected in export.last_result and export.resume_cursor


def test_an_unknown_source_name_is_a_clear_error(sources: tuple) -> None:
    with pytest.raises(SkillSyncError, match="no skill source named 'nope' \\(known: export, ws\\)"):
        sync_skills("nope")


def test_disabled_sources_are_skipped_unless_named(sim: Simulator, sources: tuple) -> None:
    SkillSource.objects.filter(name="export").update(enabled=False)

    run()
    assert not AgentSkillCluster.objects.exists()

    run(source="export")
    assert AgentSkillCluster.objects.exists()


# -- the command ---------------------------------------------------------------------


def test_command_prints_progress_and_the_summary(sim: Simulator, sources: tuple) -> None:
    out = StringIO()
    call_command("sync_skills", "--page-size", "20", stdout=out)

    text = out.getvalue()
    assert "ws: 8 skills, 51 users" in text
    assert "export: page 3: 13 employees" in text
    assert "Summary: skills: 8 added" in text
    assert "4 unmapped" in text and f"  Sam Supervisor (user {SUPERVISOR})" in text

    again = StringIO()
    call_command("sync_skills", stdout=again)
    assert "Summary: no changes" in again.getvalue()


def test_command_fails_with_the_error_and_resumes(sim: Simulator, export: SkillSource) -> None:
    control(sim, "skills-faults", {"export": {"after_pages": 2, "kind": "status", "status": 502}})
    out = StringIO()
    with pytest.raises(CommandError, match="skills sync stopped: export: .*HTTP 502"):
        call_command("sync_skills", "--source", "export", "--page-size", "10", stdout=out)
    assert "page 2: 10 employees" in out.getvalue()

    control(sim, "skills-faults", {"clear": True})
    resumed = StringIO()
    call_command("sync_skills", "--resume", "--page-size", "10", stdout=resumed)
    assert "resuming after" in resumed.getvalue() and "page 4: 3 employees" in resumed.getvalue()
    assert AgentMapping.objects.count() == ACTIVE_EMPLOYEES
