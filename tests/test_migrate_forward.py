"""A database made by the migrations up to 0003_skills (the schema when the layout
changed), filled, then migrated to head by the current tree: every row is still there
and reads through the models' current modules. SQLite in a temporary directory, and
PostgreSQL in a scratch database (the shared `postgres_url` fixture, tests/conftest.py).

It runs in a child process: the migrations run against that database from zero, not
against pytest-django's test database. Future moves of a model between modules or apps
keep this passing only if the data survives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

THEN = [("dashboard", "0003_skills")]
executor = MigrationExecutor(connection)
executor.migrate(THEN)
old = executor.loader.project_state(THEN).apps
model = lambda name: old.get_model("dashboard", name)
stat = model("Statistic").objects.create(label="Waiting", name="CurrentNumberWaitingCalls",
                                          object_type="Queue", object_id="8001@SIP_Switch")
adhoc = model("Statistic").objects.create(label="AHT", object_type="GroupAgents", object_id="Sales",
                                           definition={"category": "AverageTime", "subject": "AgentStatus"})
board = model("Dashboard").objects.create(slug="probe", title="Probe")
kpi = model("Widget").objects.create(dashboard=board, kind="kpi", title="Calls waiting")
line = model("Widget").objects.create(dashboard=board, kind="line", title="Handling time")
model("WidgetStatistic").objects.create(widget=kpi, statistic=stat)
model("WidgetStatistic").objects.create(widget=line, statistic=adhoc)
wall = model("Wallboard").objects.create(slug="floor", title="Floor")
model("WallboardPage").objects.create(wallboard=wall, dashboard=board)
token = model("WallboardToken").objects.create(wallboard=wall, label="TV by the door")
model("UpstreamAuthorization").objects.create(refresh_token="refresh-secret", connected_by="admin")
source = model("SkillSource").objects.create(name="WS", kind="web-services", username="ws", secret="ws-secret")
skill = model("Skill").objects.create(name="English", source=source)
mapping = model("AgentMapping").objects.create(agent_object_id="agent001", ws_user_id="u1", display_name="Ann")
model("AgentSkill").objects.create(mapping=mapping, skill=skill, level=7, source=source)
cluster = model("SkillCluster").objects.create(cluster_id="c1", name="Languages")
model("AgentSkillCluster").objects.create(mapping=mapping, cluster=cluster, source=source)

executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())

from dashboard.access.models import UpstreamAuthorization, WallboardToken
from dashboard.boards.models import Dashboard, Statistic, Wallboard, Widget
from dashboard.skills.models import AgentMapping, AgentSkill, AgentSkillCluster, SkillSource

board = Dashboard.objects.get(slug="probe")
wall = Wallboard.objects.get(slug="floor")
mapping = AgentMapping.objects.get(agent_object_id="agent001")
print(json.dumps({
    "widgets": sorted((w.title, [s.label for s in w.statistics.all()]) for w in board.widgets.all()),
    "definition": Statistic.objects.get(label="AHT").definition,
    "wallboard": [d.slug for d in wall.dashboards.all()],
    "token": [WallboardToken.objects.get(wallboard=wall).token_id == token.token_id, str(WallboardToken.objects.get())],
    "refresh": UpstreamAuthorization.objects.get().refresh_token,
    "source": [SkillSource.objects.get().name, SkillSource.objects.get().secret],
    "skills": [(a.skill.name, a.level) for a in AgentSkill.objects.filter(mapping=mapping)],
    "clusters": [a.cluster.name for a in AgentSkillCluster.objects.filter(mapping=mapping)],
    "kinds": sorted(Widget.objects.values_list("kind", flat=True)),
}))
"""


def migrate_and_read(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GENESYS_", "DJANGO_", "REDIS_"))}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="dashboard.project.settings")
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def check(rows: dict) -> None:
    assert rows["widgets"] == [["Calls waiting", ["Waiting"]], ["Handling time", ["AHT"]]]
    assert rows["definition"] == {"category": "AverageTime", "subject": "AgentStatus"}
    assert rows["wallboard"] == ["probe"]
    assert rows["token"][0] is True and rows["token"][1].startswith("floor · TV by the door")
    assert rows["refresh"] == "refresh-secret"
    assert rows["source"] == ["WS", "ws-secret"]
    assert rows["skills"] == [["English", 7]]
    assert rows["clusters"] == ["Languages"]
    assert rows["kinds"] == ["kpi", "line"]


def test_a_sqlite_database_of_0003_migrates_forward_with_its_rows(tmp_path: Path) -> None:
    check(migrate_and_read(f"sqlite:///{tmp_path / 'then.sqlite3'}"))


def test_a_postgresql_database_of_0003_migrates_forward_with_its_rows(postgres_url: str) -> None:
    check(migrate_and_read(postgres_url))
