"""Issue 14, security, in a production configuration (`DJANGO_DEBUG=false`) of the
embedded default: a real `rundashboard` process, its own database."""

from __future__ import annotations

import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.processes import ROOT, ManagedProcess, base_env, start_dashboard

TOKEN = secrets.token_urlsafe(32)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    workdir = tmp_path_factory.mktemp("production")
    proc = start_dashboard(
        workdir, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=secrets.token_urlsafe(60), METRICS_TOKEN=TOKEN
    )
    proc.extra["database"] = workdir / "dashboard.sqlite3"
    yield proc
    proc.stop()


def test_no_demo_logins_outside_debug(production: ManagedProcess) -> None:
    with sqlite3.connect(production.extra["database"]) as db:
        users = [row[0] for row in db.execute("SELECT username FROM auth_user")]
        dashboards = [row[0] for row in db.execute("SELECT slug FROM dashboard_dashboard")]
    assert users == []
    assert "agents" in dashboards  # the demo dashboards are still there to look at
    assert "Demo logins" not in production.log() and "createsuperuser" in production.log()


def test_forwarded_proto_is_not_trusted_unless_opted_in(production: ManagedProcess) -> None:
    """A client that reaches daphne directly cannot claim HTTPS with a header."""
    answer = httpx.get(production.extra["url"] + "/accounts/login/", headers={"X-Forwarded-Proto": "https"}, timeout=5)
    assert answer.status_code == 301 and answer.headers["location"].startswith("https://")


@pytest.mark.parametrize("opt_in, expected", [("", "None"), ("true", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_the_proxy_ssl_header_is_an_opt_in(tmp_path: Path, opt_in: str, expected: str) -> None:
    env = base_env(tmp_path, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=secrets.token_urlsafe(60))
    if opt_in:
        env["DJANGO_TRUST_PROXY_SSL_HEADER"] = opt_in
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == expected


def test_metrics_need_the_bearer_token_when_one_is_set(production: ManagedProcess) -> None:
    url = production.extra["url"] + "/metrics"
    refused = httpx.get(url, timeout=5)
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in refused.text
    assert httpx.get(url, headers={"Authorization": "Bearer not-the-token"}, timeout=5).status_code == 401
    allowed = httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert allowed.status_code == 200 and "statsbridge_updates_in_total" in allowed.text
    assert TOKEN not in production.log()
