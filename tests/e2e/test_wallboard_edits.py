"""A wallboard screen follows an edit of its wallboard (here its theme, made in the
admin), with no one at the screen: real browser, real server, real simulator. Also
when the edit's notification never reaches the bridge: it finds the edit by its
configuration revision (statsbridge/revision_watch.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.test_live_pages import wallboard_url
from tests.support.processes import ROOT, ManagedProcess

pytestmark = pytest.mark.browser
EDITOR = ("wallboard-editor", "edit-the-floor-9")


def make_editor(server: ManagedProcess) -> None:
    run_code(
        server,
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser({EDITOR[0]!r}, password={EDITOR[1]!r})",
    )


def run_code(server: ManagedProcess, code: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_a_wallboard_screen_follows_a_theme_edit_in_the_admin(dashboard_server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    screen = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    screen.goto(wallboard_url(dashboard_server))
    screen.locator(".grid:not([hidden]) .tile").first.wait_for(timeout=20_000)
    assert "theme-dark" in (screen.locator("body").get_attribute("class") or "")
    make_editor(dashboard_server)
    admin = browser.new_context().new_page()
    admin.goto(dashboard_server.extra["url"] + "/admin/login/")
    admin.fill("input[name=username]", EDITOR[0])
    admin.fill("input[name=password]", EDITOR[1])
    admin.click("input[type=submit], button[type=submit]")
    admin.goto(dashboard_server.extra["url"] + "/admin/dashboard/wallboard/")
    admin.click("a:text-is('Floor')")
    admin.select_option("select[name=theme]", "light")
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")
    # The screen reloads by itself, within its jittered 2-22 s.
    screen.locator("body.theme-light").wait_for(state="attached", timeout=45_000)
    screen.locator(".grid:not([hidden]) .tile").first.wait_for(timeout=20_000)


def test_a_screen_follows_an_edit_whose_notification_is_lost(dashboard_server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    """The edit is saved by another process on the server's database: its notification
    goes to that process's own in-memory channel layer and never reaches the server's
    bridge, as one lost to a full channel or a dying process would."""
    screen = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    screen.goto(wallboard_url(dashboard_server))
    screen.locator(".grid:not([hidden]) .tile").first.wait_for(timeout=20_000)
    before = (screen.locator("body").get_attribute("class") or "").split()
    theme = "light" if "theme-dark" in before else "dark"
    run_code(
        dashboard_server,
        "from dashboard.boards.models import Wallboard; "
        f"floor = Wallboard.objects.get(slug='floor'); floor.theme = {theme!r}; floor.save()",
    )
    # The bridge's revision check (5-10 s), then the screen's jittered reload (2-22 s).
    screen.locator(f"body.theme-{theme}").wait_for(state="attached", timeout=75_000)
    screen.locator(".grid:not([hidden]) .tile").first.wait_for(timeout=20_000)
