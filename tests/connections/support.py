"""Two connections in one deployment for tests: a dashboard file mixing them, and the
rows that make its second widget another connection's (issue 22)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS
from tests.support.processes import ManagedProcess, base_env, free_port, manage

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


class TwoTenants:
    """Two `simulate` upstreams and one `rundashboard` (no Redis: its bridges run in
    process) whose `default` is simulator A and whose `brand-b` is simulator B; the
    dashboard `mix` shows the same five agents of each."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.sims = [free_port(), free_port()]
        self.sim_urls = [f"http://127.0.0.1:{p}" for p in self.sims]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = base_env(
            tmp,
            GENESYS_API_BASE_URL=self.sim_urls[0],
            GENESYS_API_KEY=CREDS.api_key,
            GENESYS_CLIENT_ID=CREDS.client_id,
            GENESYS_CLIENT_SECRET=CREDS.client_secret,
            GENESYS_USERNAME=CREDS.username,
            GENESYS_PASSWORD=CREDS.password,
        )
        self.processes: list[ManagedProcess] = []

    def start(self) -> TwoTenants:
        for n, port in enumerate(self.sims):
            proc = ManagedProcess(
                ["simulate", "--port", str(port), "--seed", str(n)], self.env, self.tmp / f"sim{n}.log"
            )
            self.processes.append(proc.start())
        manage(self.env, "migrate", "-v", "0")
        manage(self.env, "import_dashboards", "-", stdin=json.dumps(MIXED))
        add_connections(self.env, {"brand-b": self.sim_urls[1]})
        moved = move_widget(self.env, "mix", "Tenant B", "brand-b")
        self.keys = {"default": moved["before"], "brand-b": moved["keys"]}
        server = ManagedProcess(["rundashboard", "--port", str(self.port)], self.env, self.tmp / "web.log")
        self.processes.append(server.start())
        server.wait_http(f"{self.url}/healthz")
        self.wallboard_url = manage(self.env, "wallboard_url", "wall", "--base", self.url).strip().splitlines()[-1]
        return self

    def outage(self, simulator: int, seconds: float) -> None:
        """Simulator fault control: UNAVAILABLE now, AVAILABLE after `seconds`."""
        answer = httpx.post(f"{self.sim_urls[simulator]}/simulator/v1/outage", json={"seconds": seconds}, timeout=10)
        assert answer.status_code < 300, answer.text

    def health(self) -> dict:
        return httpx.get(f"{self.url}/healthz", timeout=10).json()

    def stop(self) -> None:
        for proc in reversed(self.processes):
            proc.stop()
