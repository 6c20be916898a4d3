"""The demo logins (admin/admin, supervisor/supervisor) exist only in a developer's
embedded default: debug, built-in simulator (issue 14). rundashboard's production
start is tested for real in tests/e2e/test_security_production.py."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from dashboard.boards.demo import demo_logins_allowed, demo_logins_still_working, ensure_demo_content

pytestmark = pytest.mark.django_db


def test_demo_logins_only_in_debug_with_the_built_in_simulator(settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    assert demo_logins_allowed()
    settings.DEBUG = False  # type: ignore[attr-defined]
    assert not demo_logins_allowed()
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": "https://gapi-use1.genesyscloud.com"}  # type: ignore[attr-defined]
    assert not demo_logins_allowed()


def test_no_demo_user_is_ever_made_while_a_real_upstream_is_configured(settings: object) -> None:
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": "https://gapi-use1.genesyscloud.com"}  # type: ignore[attr-defined]
    ensure_demo_content(logins=True)
    assert not User.objects.filter(username__in=["admin", "supervisor"]).exists()


def test_a_production_start_names_demo_logins_that_still_work() -> None:
    ensure_demo_content()
    assert demo_logins_still_working() == ["admin", "supervisor"]
    admin = User.objects.get(username="admin")
    admin.set_password("a-real-password-now")
    admin.save()
    assert demo_logins_still_working() == ["supervisor"]
