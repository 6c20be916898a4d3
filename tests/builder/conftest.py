"""Builder fixtures: the demo content, an editor (superuser), and a supervisor."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dashboard.boards.demo import ensure_demo_content


@pytest.fixture
def demo(db: None) -> None:
    ensure_demo_content(logins=False)


@pytest.fixture
def editor(demo: None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create(username="builder-admin", is_staff=True, is_superuser=True))
    return client


def post(client: Client, path: str, body: object = None) -> object:
    """A POST the way the page sends it: JSON with the CSRF token in X-CSRFToken."""
    token = client.get("/dashboards/agents/edit/").cookies.get("csrftoken") or client.cookies["csrftoken"]
    return client.post(
        path,
        json.dumps(body if body is not None else {}),
        content_type="application/json",
        headers={"X-CSRFToken": token.value},
    )
