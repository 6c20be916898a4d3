"""A skills change concerns the pages that show skills, and only those (dashboard/skills/pages.py):
the job's notification names them and moves only their revisions, so neither its `config`
frame nor the revision check reloads a wallboard that shows no skill. Against the demo's
dashboards, a real simulator and the in-memory channel layer the bridge would read."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from dashboard.boards.demo import demo_file
from dashboard.boards.files import import_dashboards
from dashboard.boards.models import ConfigRevision
from dashboard.boards.revisions import page_revisions
from dashboard.skills.job import SkillsSyncService
from dashboard.skills.models import SkillSource
from dashboard.skills.pages import skill_pages
from dashboard.supervisor.demo import demo_routing
from statsbridge.simulator.server import Simulator


@pytest.fixture
def demo() -> None:
    import_dashboards(demo_file())
    demo_routing()


@pytest.mark.django_db
def test_only_coverage_and_agent_grid_dashboards_reload_whole(demo: None) -> None:
    pages = skill_pages()
    assert "agents" in pages.dashboards  # its skill-coverage widget and agent grid
    assert "queues" not in pages.dashboards  # Queue KPIs, a table: no skill drawn
    assert "queues" in pages.drills  # its queues' drill-down pages list agents by skill
    assert not set(pages.dashboards) & set(pages.drills)


@pytest.mark.django_db(transaction=True)  # the job syncs in a worker thread: it must see committed rows
async def test_the_jobs_notification_names_and_bumps_only_the_dashboards_showing_skills(
    sim: Simulator, ws: SkillSource, demo: None
) -> None:
    layer = get_channel_layer()
    await layer.flush()
    await sync_to_async(ConfigRevision.objects.all().delete)()
    queues_before = await sync_to_async(page_revisions)(["queues"], "floor")
    job = SkillsSyncService(minutes=0)

    await job.run_once()  # the first sync: every skill is new

    message = await asyncio.wait_for(layer.receive("statsbridge"), timeout=10)
    pages = await sync_to_async(skill_pages)()
    assert message["type"] == "config.changed"
    assert message["dashboards"] == pages.dashboards and message["drills"] == pages.drills
    assert set(message["revisions"]) == {f"d:{slug}" for slug in pages.dashboards}
    assert await sync_to_async(page_revisions)(["queues"], "floor") == queues_before  # no reload on reconnect
    assert (await sync_to_async(page_revisions)(["agents"]))["d:agents"] == 1
