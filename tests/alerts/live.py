"""Helpers for alert tests against a real `rundashboard`: configure a rule in its
database (a separate `manage.py shell`, as an admin's save would), sign in."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx

from tests.support.processes import ROOT, ManagedProcess

SETUP = """
from dashboard.models import AlertRule, Dashboard, NotificationChannel, Widget
board = Dashboard.objects.get(slug="agents")
widget = Widget.objects.get(dashboard=board, title="On calls")
widget.warning, widget.critical, widget.direction = 0, 0, "above"   # trivially crossed: >= 0 agents on calls
widget.save()
rule = AlertRule.objects.create(dashboard=board, name="Everyone busy", widget=widget, level="critical",
                                after_seconds={after}, repeat_seconds={repeat})
if {hook!r}:
    channel = NotificationChannel.objects.create(name="ops", kind="webhook", url={hook!r}, secret={secret!r})
    rule.channels.add(channel)
"""


def manage(server: ManagedProcess, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=server.env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def add_rule(
    server: ManagedProcess, *, hook: str = "", secret: str = "", after: int = 0, repeat: int = 600, also: str = ""
) -> None:
    """The rule "Everyone busy" on the agents dashboard (and `also`, run in the same save)."""
    manage(server, "shell", "-c", SETUP.format(hook=hook, secret=secret, after=after, repeat=repeat) + also)


def delete_rule(server: ManagedProcess) -> None:
    manage(server, "shell", "-c", "from dashboard.models import AlertRule; AlertRule.objects.all().delete()")


def session_cookie(server: ManagedProcess, username: str = "supervisor") -> str:
    """Signs in through the login form; returns the Cookie header for a WebSocket."""
    with httpx.Client(base_url=server.extra["url"], timeout=20) as client:
        page = client.get("/accounts/login/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        response = client.post(
            "/accounts/login/",
            data={"username": username, "password": username, "csrfmiddlewaretoken": token},
            headers={"Referer": server.extra["url"] + "/accounts/login/"},
        )
        assert response.status_code == 302, response.text[:300]
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())
