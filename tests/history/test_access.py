"""/api/history and export.csv through the real server (`rundashboard`, embedded default,
its simulator and bridge): who may read what, clear 400s, the CSV's shape and its
injection guard, and buckets the running bridge wrote."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from urllib.parse import unquote

import httpx
import pytest

from tests.support.live_server import run_in_server, sign_in
from tests.support.processes import ManagedProcess, kiosk_socket_path, start_dashboard
from tests.support.waiting import wait_until

SETUP = """
import json
from django.contrib.auth.models import Group, User
from dashboard.models import Dashboard, Statistic, Widget, WidgetStatistic
User.objects.create_user("outsider", password="outsider-pw-1")
secret = Dashboard.objects.create(slug="secret", title="Secret")
secret.groups.add(Group.objects.create(name="Nobody"))
hidden = Statistic.objects.create(label="Hidden", name="TotalAnswered", object_type="Queue", object_id="9999@nowhere")
WidgetStatistic.objects.create(widget=Widget.objects.create(dashboard=secret, title="Hidden"), statistic=hidden)
agents = Dashboard.objects.get(slug="agents")
evil = Statistic.objects.create(label="=HYPERLINK(\\"http://x\\")", name="Evil", object_type="-Queue", object_id="q")
WidgetStatistic.objects.create(widget=Widget.objects.create(dashboard=agents, title="Evil", position=99), statistic=evil)
shown = WidgetStatistic.objects.filter(widget__dashboard__slug="queues", widget__kind="line").first().statistic
print(json.dumps({"hidden": hidden.id, "shown": shown.id}))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    proc = start_dashboard(tmp_path_factory.mktemp("history"), HISTORY_FLUSH_SECONDS="1")
    proc.extra.update(run_in_server(proc, SETUP))
    yield proc
    proc.stop()


def _anonymous(server: ManagedProcess) -> httpx.Client:
    return httpx.Client(base_url=server.extra["url"], timeout=30)


def _token(server: ManagedProcess) -> str:
    return unquote(kiosk_socket_path(server, "queues", "floor").split("token=", 1)[1])


def test_history_needs_a_sign_in_or_a_kiosk_token(server: ManagedProcess) -> None:
    shown = server.extra["shown"]
    assert _anonymous(server).get(f"/api/history/{shown}").status_code == 401
    assert _anonymous(server).get(f"/api/history/{shown}?token=forged").status_code == 404
    token = _token(server)
    assert _anonymous(server).get(f"/api/history/{shown}", params={"token": token}).status_code == 200
    # the wallboard does not show the secret dashboard: its token reads nothing of it
    assert _anonymous(server).get(f"/api/history/{server.extra['hidden']}", params={"token": token}).status_code == 404


def test_history_follows_the_dashboards_groups(server: ManagedProcess) -> None:
    supervisor = sign_in(server, "supervisor", "supervisor")
    outsider = sign_in(server, "outsider", "outsider-pw-1")
    admin = sign_in(server, "admin", "admin")
    shown, hidden = server.extra["shown"], server.extra["hidden"]
    assert supervisor.get(f"/api/history/{shown}").status_code == 200
    assert supervisor.get(f"/api/history/{hidden}").status_code == 404
    assert supervisor.get("/api/history/987654").status_code == 404
    assert outsider.get(f"/api/history/{shown}").status_code == 404
    assert admin.get(f"/api/history/{hidden}").status_code == 200  # a superuser sees every dashboard


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"interval": "60"}, "`interval` must be one of 300, 900, 1800"),
        ({"from": "yesterday"}, "`from` must be a whole number"),
        ({"from": "2000", "to": "1000"}, "`from` must be before `to`"),
        ({"from": "0", "to": str(400 * 86_400_000), "interval": "300"}, "ask for a shorter range"),
    ],
)
def test_bad_parameters_are_a_400_that_says_why(server: ManagedProcess, query: dict, says: str) -> None:
    answer = sign_in(server, "supervisor", "supervisor").get(f"/api/history/{server.extra['shown']}", params=query)
    assert answer.status_code == 400
    assert says in answer.json()["error"]


def test_history_returns_the_buckets_the_bridge_wrote(server: ManagedProcess) -> None:
    supervisor = sign_in(server, "supervisor", "supervisor")
    shown = server.extra["shown"]

    def points() -> list:
        body = supervisor.get(f"/api/history/{shown}", params={"interval": 300}).json()
        return body["points"] if body["points"] and body["points"][-1][4] > 0 else []

    found = wait_until(points, timeout=60, what="a bucket written by the running bridge")
    body = supervisor.get(f"/api/history/{shown}", params={"interval": 300}).json()
    assert set(body) == {"statistic", "interval", "points"} and body["statistic"] == shown
    start_ms, low, high, last, count = found[-1]
    assert start_ms % 300_000 == 0 and abs(start_ms - time.time() * 1000) < 3_600_000
    assert low <= last <= high and count >= 1
    half_hours = supervisor.get(f"/api/history/{shown}", params={"interval": 1800}).json()["points"]
    assert half_hours and half_hours[-1][0] % 1_800_000 == 0


def _rows(answer: httpx.Response) -> list[list[str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(answer.text)))


def test_export_lists_current_values_and_defuses_formulas(server: ManagedProcess) -> None:
    supervisor = sign_in(server, "supervisor", "supervisor")

    def fresh_rows() -> list[list[str]]:
        rows = _rows(supervisor.get("/dashboards/agents/export.csv"))
        return rows if any(row[5] == "fresh" for row in rows[1:]) else []

    rows = wait_until(fresh_rows, timeout=60, what="an export with fresh values")
    assert rows[0] == ["label", "object", "value", "unit", "upstream timestamp", "freshness"]
    fresh = next(row for row in rows[1:] if row[5] == "fresh")
    assert fresh[4].endswith("Z") and fresh[2] != ""
    evil = next(row for row in rows if "HYPERLINK" in row[0])
    assert evil[0].startswith("'=") and evil[1] == "'-Queue q" and evil[5] in ("no value", "refused")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row[:2])


def test_export_takes_a_time_range_and_follows_the_access_rules(server: ManagedProcess) -> None:
    supervisor = sign_in(server, "supervisor", "supervisor")
    now_ms = int(time.time() * 1000)
    query = {"from": now_ms - 3_600_000, "to": now_ms + 60_000, "interval": 900}

    def bucket_rows() -> list[list[str]]:
        rows = _rows(supervisor.get("/dashboards/queues/export.csv", params=query))
        return rows if len(rows) > 1 else []

    rows = wait_until(bucket_rows, timeout=60, what="bucket rows in a ranged export")
    assert rows[0] == ["label", "object", "unit", "bucket start", "interval", "min", "max", "last", "count"]
    assert all(row[4] == "900" and float(row[5]) <= float(row[7]) <= float(row[6]) for row in rows[1:])
    bad = supervisor.get("/dashboards/queues/export.csv", params={"interval": "7"})
    assert bad.status_code == 400 and "interval" in bad.text
    assert sign_in(server, "outsider", "outsider-pw-1").get("/dashboards/queues/export.csv").status_code == 404
    assert supervisor.get("/dashboards/secret/export.csv").status_code == 404
    # not signed in, even with a kiosk token: the sign-in page
    anonymous = _anonymous(server).get("/dashboards/queues/export.csv", params={"token": _token(server)})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.headers["location"]
