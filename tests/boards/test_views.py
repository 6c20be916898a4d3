"""Plain views through Django's test client."""

from __future__ import annotations

import pytest
from django.test import Client

from dashboard.boards.models import Dashboard
from dashboard.boards.page_config import dashboard_config
from statsbridge.config import BridgeConfig
from statsbridge.store import LatestValues

pytestmark = pytest.mark.django_db


def test_healthz_reports_status_without_login(client: Client) -> None:
    body = client.get("/healthz").json()
    assert body["status"] in {"ok", "degraded"}
    assert set(body["bridge"]) == {"state", "detail", "subscriptions", "statistics", "last_update_age_s"}


def test_home_requires_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_plotly_is_served_from_the_installed_package(client: Client) -> None:

    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) > 1_000_000
    assert b"plotly.js" in body[:2000]


def test_page_config_sends_the_bridges_history_length() -> None:
    """The browsers trim history to the bridge's own length (static/js/values.js mergeStat),
    read from the page config: one number, kept in statsbridge/config.py."""
    bridge = BridgeConfig(base_url="http://127.0.0.1:1", api_key="k", client_id="c", client_secret="s")
    config = dashboard_config(Dashboard.objects.create(slug="history", title="History"))
    assert config["history"] == bridge.history_points == LatestValues().history_points
