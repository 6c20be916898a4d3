""" "Sync now" in the admin (dashboard/skills/admin.py, skills_requests.py, skills_job.py):
the request only queues the sync and returns at once; the skills job runs it, and the
admin shows it queued, running and its result. Against a real simulator."""

from __future__ import annotations

import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from dashboard.skills.job import SkillsSyncService
from dashboard.skills.models import AgentSkill, SkillSource
from dashboard.skills.requests import request_sync, run_requested, status_of
from statsbridge.simulator.server import Simulator
from tests.boards.test_admin import admin_url, run_action
from tests.skills.test_sync import control, run
from tests.support.waiting import async_wait_until

pytestmark = pytest.mark.django_db


def run_the_job_once() -> list[str]:
    return run_requested(threading.Event())[1]


def changelist(staff: Client) -> str:
    return staff.get(admin_url(SkillSource, "changelist")).content.decode()


def test_sync_now_queues_and_returns_without_syncing(staff: Client, sources: tuple) -> None:
    [message] = run_action(staff, SkillSource, "sync_now", *sources)

    assert message.startswith("Sync of export, ws queued: the skills job starts it within seconds")
    assert not AgentSkill.objects.exists()  # nothing synced inside the request
    assert all(s.sync_requested_at and not s.sync_request_force for s in SkillSource.objects.all())
    page = changelist(staff)
    assert page.count("queued at") == 2 and 'http-equiv="refresh" content="3"' in page  # reloads itself


def test_the_job_runs_the_request_web_services_first_and_the_admin_shows_the_result(
    staff: Client, sources: tuple
) -> None:
    run_action(staff, SkillSource, "sync_now", *sources)

    lines = run_the_job_once()

    assert lines[0].startswith("requested skills sync: ws: skills: 8 added")
    assert lines[1].startswith("requested skills sync: export: skill clusters:")
    assert AgentSkill.objects.exists() and run_the_job_once() == []  # done: no longer queued
    page = changelist(staff)
    assert "queued at" not in page and page.count("OK at ") == 2 and "skills: 8 added" in page
    assert 'http-equiv="refresh"' not in page  # idle: no reloading


def test_a_failed_requested_sync_shows_its_error(staff: Client, sim: Simulator, ws: SkillSource) -> None:
    control(sim, "skills-faults", {"ws": {"status": 503}})
    run_action(staff, SkillSource, "sync_now", ws)

    [line] = run_the_job_once()

    assert line.startswith("requested skills sync failed: ws: GET") and "HTTP 503" in line
    assert "failed at " in changelist(staff) and "HTTP 503" in changelist(staff)


def test_accepting_removals_is_its_own_action(staff: Client, sim: Simulator, ws: SkillSource) -> None:
    run()
    for agent in sim.center.agents:
        control(sim, "agent-skills", {"agent": agent.agent_id, "skills": {}})

    run_action(staff, SkillSource, "sync_now", ws)
    assert "stopped, nothing changed" in run_the_job_once()[0] and AgentSkill.objects.exists()
    assert "sync_skills --force" in staff.get(admin_url(SkillSource, "change", ws.pk)).content.decode()

    run_action(staff, SkillSource, "sync_now_force", ws)
    assert "accepting removals" in changelist(staff)
    run_the_job_once()
    assert not AgentSkill.objects.exists()


def test_a_running_sync_shows_its_progress(ws: SkillSource) -> None:
    SkillSource.objects.filter(pk=ws.pk).update(
        sync_started_at=timezone.now(), sync_progress="ws: skills of 25/51 users read"
    )
    assert status_of(SkillSource.objects.get(pk=ws.pk)).endswith(": ws: skills of 25/51 users read")


@pytest.mark.django_db(transaction=True)  # the job syncs in a worker thread: it must see committed rows
async def test_the_running_job_picks_up_a_request_within_its_poll(sim: Simulator, ws: SkillSource) -> None:
    job = SkillsSyncService(minutes=0, poll_s=0.05)  # no periodic runs: only the request syncs
    seen: list[str] = []

    def watch() -> bool:
        row = SkillSource.objects.get(pk=ws.pk)
        seen.append(row.sync_progress)
        return row.last_ok is True

    await job.start()
    try:
        await sync_to_async(request_sync)([ws])
        await async_wait_until(sync_to_async(watch), timeout=60, interval=0.05, what="the requested sync")
    finally:
        await job.stop()
    assert job.requested_runs == 1 and job.runs == 0
    assert await sync_to_async(AgentSkill.objects.count)() > 100
    assert any(p.startswith("ws: ") for p in seen) or "" in seen  # progress written while it ran


def test_a_periodic_run_does_not_swallow_a_request_to_accept_removals(ws: SkillSource) -> None:
    request_sync([ws], force=True)

    run()  # a periodic (unforced) run of the same source

    row = SkillSource.objects.get(pk=ws.pk)
    assert row.sync_requested_at is not None and row.sync_request_force
    [line] = run_the_job_once()
    assert line.startswith("requested skills sync: ws: no changes")
    assert SkillSource.objects.get(pk=ws.pk).sync_requested_at is None


def test_a_plain_run_satisfies_a_plain_request(ws: SkillSource) -> None:
    request_sync([ws])
    run()
    assert SkillSource.objects.get(pk=ws.pk).sync_requested_at is None and run_the_job_once() == []


@pytest.mark.django_db(transaction=True)
async def test_the_job_forgets_a_run_its_dead_predecessor_left_marked_running(ws: SkillSource) -> None:
    await sync_to_async(SkillSource.objects.filter(pk=ws.pk).update)(
        sync_started_at=timezone.now(), sync_progress="ws: page 3"
    )
    job = SkillsSyncService(minutes=0)

    await job.run_requested()

    row = await sync_to_async(SkillSource.objects.get)(pk=ws.pk)
    assert row.sync_started_at is None and row.sync_progress == "" and status_of(row) == "never synced"


def hold_a_write_of_the_sources(seconds: float, holding: threading.Event) -> None:
    """Another writer of the table at the wrong moment (the admin saving a source). The
    test suite's SQLite (shared in-memory) then refuses the job's writes at once ("table
    is locked"), busy timeout or not; the test above once failed CI on such a refusal."""
    with transaction.atomic():
        SkillSource.objects.update(sync_progress="")
        holding.set()
        time.sleep(seconds)
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_requested_sync_outlasts_a_briefly_locked_table(ws: SkillSource) -> None:
    request_sync([ws])
    holding = threading.Event()
    reader = threading.Thread(target=hold_a_write_of_the_sources, args=(1.0, holding))
    reader.start()
    holding.wait(5)
    try:
        [line] = run_the_job_once()
    finally:
        reader.join()

    assert line.startswith("requested skills sync: ws: skills:")
    row = SkillSource.objects.get(pk=ws.pk)
    assert row.last_ok is True and row.sync_started_at is None and row.sync_requested_at is None
