"""Skills in the admin (dashboard/skills/admin.py), the demo's skill sources and the
periodic sync job (dashboard/skills/job.py), against a real simulator."""

from __future__ import annotations

import logging

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client

from dashboard.boards.demo import ensure_demo_content
from dashboard.boards.models import Dashboard, Widget
from dashboard.skills.job import SkillsSyncService
from dashboard.skills.models import AgentMapping, Skill, SkillSource
from dashboard.skills.sync import sync_skills
from statsbridge.simulator.server import Simulator
from statsbridge.simulator.skills_model import SUPERVISOR_USER_NAME
from tests.boards.test_admin import admin_url, form_errors, run_action
from tests.skills.test_sync import control

pytestmark = pytest.mark.django_db

SKILL_MODELS = [m for m in admin.site._registry if m.__module__ == "dashboard.skills.models"]


@pytest.fixture
def synced(sim: Simulator, sources: tuple) -> Simulator:
    sync_skills()
    return sim


@pytest.mark.parametrize("model", SKILL_MODELS, ids=lambda m: m.__name__)
def test_skills_pages_render(staff: Client, synced: Simulator, model: type[Model]) -> None:
    assert staff.get(admin_url(model, "changelist")).status_code == 200
    assert staff.get(admin_url(model, "changelist"), {"q": "agent00"}).status_code == 200
    assert staff.get(admin_url(model, "change", model.objects.first().pk)).status_code == 200


# -- sources: secrets are write-only --------------------------------------------------


def source_form(**changes: str) -> dict:
    return {
        "name": "ws",
        "kind": "web-services",
        "base_url": "",
        "username": "wsadmin@simulator",
        "secret": "",
        "enabled": "on",
        "agent_id_rule": "employee-id",
        "export_auth": "token",
        **changes,
    }


def test_the_secret_is_never_rendered_back(staff: Client, ws: SkillSource) -> None:
    page = staff.get(admin_url(SkillSource, "change", ws.pk)).content.decode()

    assert "ws-password" not in page
    assert "set (hidden)" in page


def test_a_blank_secret_keeps_the_old_one_and_a_new_one_replaces_it(staff: Client, ws: SkillSource) -> None:
    response = staff.post(admin_url(SkillSource, "change", ws.pk), source_form(base_url=ws.base_url))
    assert response.status_code == 302
    ws.refresh_from_db()
    assert ws.secret == "ws-password"

    staff.post(admin_url(SkillSource, "change", ws.pk), source_form(base_url=ws.base_url, secret="rotated"))
    ws.refresh_from_db()
    assert ws.secret == "rotated"


def test_web_services_needs_a_user_name(staff: Client) -> None:
    errors = form_errors(staff.post(admin_url(SkillSource, "add"), source_form(username="")))
    assert "user name" in errors["username"][0]


def test_test_connection_reports_success_and_clear_errors(staff: Client, sources: tuple) -> None:
    ws_source, export_source = sources
    assert set(run_action(staff, SkillSource, "test_connection", ws_source, export_source)) == {
        "ws: OK, Web Services 8.5.200.50, 8 skills",
        "export: OK, export answered: 1 employee(s) on a one-record page",
    }

    SkillSource.objects.filter(pk=ws_source.pk).update(secret="s3cr3t-wrong")
    message = run_action(staff, SkillSource, "test_connection", ws_source)[-1]
    assert message.startswith("ws: GET http://127.0.0.1:") and "HTTP 401, credentials refused" in message
    assert "s3cr3t" not in message


# -- mapping --------------------------------------------------------------------------


def test_the_unmapped_filter_lists_people_without_an_agent(staff: Client, synced: Simulator) -> None:
    page = staff.get(admin_url(AgentMapping, "changelist"), {"mapped": "no"}).content.decode()

    assert "Sam Supervisor" in page and "Ben Baker" not in page
    assert "4 agent mappings" in page


def test_an_admin_edit_marks_the_mapping_manual_and_survives_a_sync(staff: Client, synced: Simulator) -> None:
    mapping = AgentMapping.objects.get(ws_user_name=SUPERVISOR_USER_NAME)
    response = staff.post(
        admin_url(AgentMapping, "change", mapping.pk),
        {
            "agent_object_id": "agent049",
            "display_name": mapping.display_name,
            "skills-TOTAL_FORMS": 0,
            "skills-INITIAL_FORMS": 0,
            "clusters-TOTAL_FORMS": 0,
            "clusters-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content[:3000]
    mapping.refresh_from_db()
    assert mapping.manual and mapping.agent_object_id == "agent049"

    sync_skills()

    mapping.refresh_from_db()
    assert mapping.agent_object_id == "agent049"


def test_synced_skills_are_read_only(staff: Client, synced: Simulator) -> None:
    assert staff.get(admin_url(Skill, "add")).status_code == 403
    skill = Skill.objects.get(name="Spanish")
    assert staff.post(admin_url(Skill, "change", skill.pk), {"name": "Espanol"}).status_code == 403


# -- the coverage widget in the admin --------------------------------------------------


def test_a_coverage_widget_is_configured_with_comma_separated_skills(staff: Client) -> None:
    dashboard = Dashboard.objects.create(slug="d", title="D")
    form = {
        "dashboard": dashboard.pk,
        "kind": "skill-coverage",
        "title": "Coverage",
        "position": 0,
        "width": 2,
        "skills": "Spanish, French ,",
        "warning": 2,
        "critical": 1,
        "direction": "below",
        "widgetstatistic_set-TOTAL_FORMS": 0,
        "widgetstatistic_set-INITIAL_FORMS": 0,
    }
    assert staff.post(admin_url(Widget, "add"), form).status_code == 302
    widget = Widget.objects.get(title="Coverage")
    assert widget.skills == ["Spanish", "French"]
    assert "Spanish, French" in staff.get(admin_url(Widget, "change", widget.pk)).content.decode()

    errors = form_errors(staff.post(admin_url(Widget, "add"), {**form, "title": "Empty", "skills": ""}))
    assert errors["skills"] == ["A skill coverage widget needs at least one skill name"]


# -- demo content and the periodic job ---------------------------------------------------


def test_demo_content_points_two_sources_at_the_built_in_simulator(sim: Simulator, settings: object) -> None:
    settings.STATSBRIDGE_SIMULATOR_URL = sim.base_url  # type: ignore[attr-defined]

    made = ensure_demo_content()

    assert "skill source Simulator Web Services" in made
    assert {s.kind: s.base_url for s in SkillSource.objects.all()} == {"web-services": "", "skill-export": ""}
    coverage = Widget.objects.get(dashboard__slug="agents", kind="skill-coverage")
    assert coverage.skills == ["English", "Spanish", "French"] and coverage.thresholds() == {
        "warning": 2,
        "critical": 1,
        "direction": "below",
    }
    assert sync_skills().agent_skills.added > 100
    assert ensure_demo_content() == []  # once only


@pytest.mark.django_db(transaction=True)  # the job syncs in a worker thread: it must see committed rows
async def test_the_periodic_job_syncs_logs_and_survives_errors(
    sim: Simulator, ws: SkillSource, caplog: pytest.LogCaptureFixture
) -> None:
    job = SkillsSyncService(minutes=15)
    caplog.set_level(logging.INFO, logger="dashboard.skills.job")

    await job.run_once()
    assert "skills sync: skills: 8 added" in caplog.text

    control(sim, "skills-faults", {"ws": {"status": 500}})
    await job.run_once()
    assert "skills sync failed: ws: GET" in caplog.text and job.runs == 2


@pytest.mark.django_db(transaction=True)
async def test_only_the_process_whose_bridge_leads_runs_the_sync(sim: Simulator, ws: SkillSource) -> None:
    leading = False
    job = SkillsSyncService(minutes=15, may_run=lambda: leading)
    await job.run_once()
    assert job.runs == 0
    leading = True
    await job.run_once()
    assert job.runs == 1


@pytest.mark.django_db(transaction=True)
async def test_the_periodic_job_runs_soon_after_start_and_stops_cleanly(sim: Simulator, ws: SkillSource) -> None:
    from tests.support.waiting import async_wait_until

    job = SkillsSyncService(minutes=15, first_delay_s=0.01)
    await job.start()
    await async_wait_until(lambda: job.runs >= 1, timeout=30, what="the first sync")
    await job.stop()
    assert job.runs == 1


def test_a_bad_skills_sync_period_names_the_variable() -> None:
    from tests.project.test_env import _settings_error

    assert "SKILLS_SYNC_MINUTES must be at least 0" in _settings_error(SKILLS_SYNC_MINUTES="-5")
    assert "SKILLS_SYNC_MINUTES must be an integer" in _settings_error(SKILLS_SYNC_MINUTES="often")


def test_rundashboard_hosts_the_job_only_next_to_its_own_bridge(settings: object) -> None:
    from dashboard.project.commands.rundashboard import Command

    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": "http://127.0.0.1:9"}  # type: ignore[attr-defined]

    def hosted(**options: object) -> list[str]:
        return [
            service.name
            for service in Command()._services(False, {"simulator_port": 0, "host": "127.0.0.1", "port": 0, **options})
        ]

    assert "skills sync" in hosted(no_bridge=False)
    assert "skills sync" not in hosted(no_bridge=True)  # scale-out: `sync_skills` from a timer
    settings.SKILLS_SYNC_MINUTES = 0  # type: ignore[attr-defined]
    assert "skills sync" in hosted(no_bridge=False)  # no periodic runs, but "Sync now" still works
