"""A wallboard screen follows an edit of its wallboard (here its theme, made in the
admin), with no one at the screen: real browser, real server, real simulator. Also
when the edit's notification never reaches the bridge: it finds the edit by its
configuration revision (statsbridge/revision_watch.py)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from tests.e2e.test_live_pages import wallboard_url
from tests.support.processes import ROOT, ManagedProcess

pytestmark = pytest.mark.browser
EDITOR = ("wallboard-editor", "edit-the-floor-9")


def make_editor(server: ManagedProcess) -> None:
    run_code(
        server,
        "from django.contrib.auth.models import User; "
        f"User.objects.filter(username={EDITOR[0]!r}).exists() or "
        f"User.objects.create_superuser({EDITOR[0]!r}, password={EDITOR[1]!r})",
    )


def edit_theme_in_admin(server: ManagedProcess, browser, theme: str) -> None:  # type: ignore[no-untyped-def]
    """The floor's theme saved in the admin of the server (its notification reaches the bridge)."""
    make_editor(server)
    admin = browser.new_context().new_page()
    admin.goto(server.extra["url"] + "/admin/login/")
    admin.fill("input[name=username]", EDITOR[0])
    admin.fill("input[name=password]", EDITOR[1])
    admin.click("input[type=submit], button[type=submit]")
    admin.goto(server.extra["url"] + "/admin/dashboard/wallboard/")
    admin.click("a:text-is('Floor')")
    admin.select_option("select[name=theme]", theme)
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")
    admin.context.close()


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
    edit_theme_in_admin(dashboard_server, browser, "light")
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


def test_a_screen_reconnecting_while_an_edit_goes_by_follows_it(dashboard_server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    """The screen's sockets are down (its page reloading, a network blip) when the edit's
    `config` frame goes out: the snapshot on reconnect carries the newer revision."""
    screen = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    held: list = []
    through = threading.Event()

    def route(ws) -> None:  # type: ignore[no-untyped-def]
        if through.is_set():
            ws.connect_to_server()
        else:
            held.append(ws)  # open to the page, silent: no snapshot, no frame

    screen.route_web_socket("**/ws/dashboards/**", route)
    screen.goto(wallboard_url(dashboard_server))
    screen.wait_for_function("document.body.className.includes('theme-')")
    before = (screen.locator("body").get_attribute("class") or "").split()
    theme = "light" if "theme-dark" in before else "dark"
    wait_until(screen, lambda: len(held) >= 1)
    edit_theme_in_admin(dashboard_server, browser, theme)  # the notification is delivered; the screen hears nothing
    through.set()
    for ws in held:
        ws.close()  # the page reconnects, now to the server
    screen.locator(f"body.theme-{theme}").wait_for(state="attached", timeout=45_000)
    screen.locator(".grid:not([hidden]) .tile").first.wait_for(timeout=20_000)


def wait_until(page, check, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    """Playwright's events (the route handler) run while the page waits."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline
        page.wait_for_timeout(100)
