"""Two connections in one deployment for tests: a dashboard file mixing them, and the
rows that make its second widget another connection's (issue 22)."""

from __future__ import annotations

import json

from tests.support.processes import manage

AGENTS = [f"agent00{n}" for n in range(1, 6)]


def agent_grid(title: str) -> dict:
    return {
        "type": "agent-grid",
        "title": title,
        "statistics": [{"name": "TimeInCurrentState", "objectType": "Agent", "objectId": a} for a in AGENTS],
    }


MIXED = {
    "dashboards": [{"slug": "mix", "title": "Mixed", "widgets": [agent_grid("Tenant A"), agent_grid("Tenant B")]}],
    "wallboards": [{"slug": "wall", "title": "Wall", "dashboards": ["mix"], "rotate_seconds": 30}],
}

_ADD = """
import json
from dashboard.models import Connection
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as c
for name, url in json.loads({urls!r}).items():
    Connection.objects.update_or_create(name=name, defaults=dict(
        base_url=url, api_key=c.api_key, client_id=c.client_id, client_secret=c.client_secret,
        username=c.username, password=c.password, enabled=True))
print("{{}}")
"""

_MOVE = """
import json
from dashboard.models import Connection, WidgetStatistic
connection = Connection.objects.get(name={connection!r})
keys, before = [], []
for row in WidgetStatistic.objects.filter(widget__dashboard__slug={slug!r}, widget__title={title!r}):
    stat = row.statistic
    before.append(stat.key)
    stat.pk = None
    stat.connection = connection
    stat.save()
    row.statistic = stat
    row.save()
    keys.append(stat.key)
print(json.dumps({{"keys": keys, "before": before}}))
"""


def add_connections(env: dict, urls: dict[str, str]) -> None:
    manage(env, "shell", "-c", _ADD.format(urls=json.dumps(urls)))


def move_widget(env: dict, slug: str, title: str, connection: str) -> dict[str, list[str]]:
    """The widget's statistics become `connection`'s (same descriptors: the keys must differ)."""
    out = manage(env, "shell", "-c", _MOVE.format(connection=connection, slug=slug, title=title))
    return json.loads(out.strip().splitlines()[-1])


def default_keys(env: dict, slug: str, title: str) -> list[str]:
    code = (
        "import json\nfrom dashboard.models import WidgetStatistic\n"
        f"print(json.dumps([r.statistic.key for r in WidgetStatistic.objects.filter("
        f"widget__dashboard__slug={slug!r}, widget__title={title!r})]))"
    )
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])
