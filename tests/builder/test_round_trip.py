"""What the builder publishes round-trips through `export_dashboards` /
`import_dashboards` unchanged, alert rules included: exported here, imported into a
fresh database by the real commands, exported again, identical. And publishing from
the builder keeps the dashboard's alert rules (the draft document carries them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from dashboard.alerts.models import AlertRule
from dashboard.boards.files import dashboard_entry, export_dashboards, import_dashboards
from dashboard.boards.models import Dashboard
from tests.builder.conftest import post
from tests.builder.test_drafts import draft_with_tile
from tests.support.processes import base_env, manage

RULE = {
    "name": "Queue backing up",
    "widget": "Waiting now",
    "level": "critical",
    "after_seconds": 30,
    "repeat_seconds": 300,
    "channels": ["floor-hook"],
    "sound": False,
    "escalate": {"after_minutes": 10, "channels": ["floor-hook"]},
}


def publish_with_rule(editor: Client) -> None:
    """The builder adds a thresholded tile and an alert rule on it, then publishes."""
    import_dashboards({"channels": [{"name": "floor-hook", "kind": "webhook", "url": "http://127.0.0.1:9/hook"}]})
    document = draft_with_tile(editor)
    document["alerts"] = [*document.get("alerts", []), RULE]
    assert post(editor, "/dashboards/agents/edit/draft", document).json()["problems"] == []
    assert post(editor, "/dashboards/agents/edit/publish").status_code == 200


@pytest.mark.django_db
def test_publishing_from_the_builder_keeps_the_alert_rules(editor: Client) -> None:
    publish_with_rule(editor)
    document = editor.get("/dashboards/agents/edit/state").json()["document"]
    assert RULE in document["alerts"]  # the draft carries the rules
    document["widgets"][-1]["title"] = "Renamed by the builder"
    post(editor, "/dashboards/agents/edit/draft", document)
    assert post(editor, "/dashboards/agents/edit/publish").status_code == 200
    assert RULE in dashboard_entry(Dashboard.objects.get(slug="agents"))["alerts"]
    rule = AlertRule.objects.get(name="Queue backing up")
    assert rule.widget.title == "Waiting now" and [c.name for c in rule.channels.all()] == ["floor-hook"]


@pytest.mark.django_db
def test_what_the_builder_publishes_round_trips_through_a_fresh_database(editor: Client, tmp_path: Path) -> None:
    publish_with_rule(editor)
    exported = export_dashboards()
    agents = next(d for d in exported["dashboards"] if d["slug"] == "agents")
    assert agents["widgets"][0]["title"] == "Waiting now" and RULE in agents["alerts"]
    env = base_env(tmp_path)  # its own SQLite file: a fresh database
    manage(env, "migrate", "-v", "0")
    assert json.loads(manage(env, "export_dashboards"))["dashboards"] == []
    add_connections_named_in(exported, env)  # files name connections; their settings stay behind
    manage(env, "import_dashboards", "-", stdin=json.dumps(exported))
    assert json.loads(manage(env, "export_dashboards")) == exported


def add_connections_named_in(exported: dict, env: dict) -> None:
    """The demo's `brand-b`, as an admin would add it on the other deployment first."""
    names = sorted(
        {
            s["connection"]
            for d in exported["dashboards"]
            for w in d["widgets"]
            for s in w.get("statistics", [])
            if "connection" in s
        }
    )
    create = "Connection.objects.create(name=n, base_url='http://127.0.0.1:9', api_key='k', client_id='c', client_secret='s')"
    manage(env, "shell", "-c", f"from dashboard.models import Connection\nfor n in {names!r}: {create}")
