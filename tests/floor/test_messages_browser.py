"""Messages to the floor, end to end: a supervisor posts on /messages/, a wallboard
screen (kiosk token, real sockets, real server and simulator) shows it; a new screen and
a reconnect show it again (snapshot path); Withdraw and expiry remove it; hostile text
stays text; a kiosk token cannot post."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.conftest import ARTIFACTS
from tests.e2e.test_live_pages import wallboard_url
from tests.floor.helpers import open_wallboard, shoot, sign_in_as
from tests.support.processes import ManagedProcess, manage

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror="window.pwned=1">Fire drill at 3 </div><script>window.pwned=2</script>'


def post(page, server: ManagedProcess, text: str, level: str = "info", style: str = "banner") -> None:  # type: ignore[no-untyped-def]
    page.goto(server.extra["url"] + "/messages/")
    page.fill("input[name=text]", text)
    page.check(f"input[name=level][value={level}]")
    page.check(f"input[name=style][value={style}]")
    page.check("input[name=wallboards][value=floor]")
    page.click("button:has-text('Post to the wallboards')")
    page.wait_for_selector(".banner:has-text('Message posted.')")


def test_a_posted_message_shows_on_the_wallboard_and_withdraw_removes_it(dashboard_server, browser) -> None:  # type: ignore[no-untyped-def]
    screen = open_wallboard(browser, dashboard_server)
    supervisor = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in_as(supervisor, dashboard_server)
    started = time.monotonic()
    post(supervisor, dashboard_server, HOSTILE, level="urgent")
    banner = screen.locator(".floor-message.level-urgent")
    banner.wait_for(timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "floor-message-latency.txt").write_text(
        f"post click to wallboard: {time.monotonic() - started:.3f} s\n"
    )
    # Text, never markup: the characters are on screen, no element and no script came of them.
    assert banner.locator(".floor-text").inner_text().strip() == HOSTILE.strip()
    assert banner.locator("img, script").count() == 0
    assert screen.evaluate("window.pwned") is None
    shoot(screen, "wallboard-message")
    shoot(supervisor, "messages-page")
    # A screen opened now gets it from its snapshot (the frame went before it connected).
    late = open_wallboard(browser, dashboard_server, (1366, 768))
    late.locator(".floor-message.level-urgent").wait_for(timeout=10_000)
    supervisor.click("tr.active button.withdraw")
    supervisor.wait_for_selector(".banner:has-text('Message withdrawn.')")
    banner.wait_for(state="detached", timeout=10_000)
    late.locator(".floor-message").wait_for(state="detached", timeout=10_000)
    assert "withdrawn by supervisor" in supervisor.locator("#message-list").inner_text()
    assert not screen.errors and not late.errors, screen.errors + late.errors


def test_a_ticker_message_ends_at_its_expiry(dashboard_server, browser) -> None:  # type: ignore[no-untyped-def]
    """Posted from the admin with an expiry a few seconds away."""
    screen = open_wallboard(browser, dashboard_server)
    admin = browser.new_context().new_page()
    admin.goto(dashboard_server.extra["url"] + "/admin/login/")
    admin.fill("input[name=username]", "admin")
    admin.fill("input[name=password]", "admin")
    admin.click("input[type=submit]")
    admin.goto(dashboard_server.extra["url"] + "/admin/dashboard/floormessage/add/")
    until = datetime.now(UTC) + timedelta(seconds=12)
    admin.fill("input[name=text]", "Coffee in the break room")
    admin.select_option("select[name=style]", "ticker")
    admin.fill("input[name=until_0]", until.strftime("%Y-%m-%d"))
    admin.fill("input[name=until_1]", until.strftime("%H:%M:%S"))
    admin.select_option("select[name=wallboards]", label="Floor")
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")
    ticker = screen.locator("#floor-ticker:not([hidden]) .ticker-text:has-text('Coffee in the break room')")
    ticker.wait_for(timeout=10_000)
    shoot(screen, "wallboard-ticker")
    screen.locator("#floor-ticker").wait_for(state="hidden", timeout=30_000)
    # The admin lists who posted what.
    admin.goto(dashboard_server.extra["url"] + "/admin/dashboard/floormessage/")
    row = admin.locator("#result_list tbody tr", has_text="Coffee in the break room")
    assert "admin" in row.inner_text() and "Floor" in row.inner_text()
    shoot(admin, "admin-floor-messages")


def test_a_reconnecting_wallboard_gets_what_was_posted_while_it_was_away(tmp_path, browser) -> None:  # type: ignore[no-untyped-def]
    """The server goes down; a message is written meanwhile; the screen's socket
    reconnects by itself and its snapshot carries the message."""
    from tests.support.processes import start_dashboard

    server = start_dashboard(tmp_path)
    try:
        screen = open_wallboard(browser, server)
        server.stop()
        screen.locator("#overlay:not([hidden])").wait_for(timeout=60_000)
        code = (
            "from datetime import timedelta; from django.utils import timezone; "
            "from dashboard.models import FloorMessage, Wallboard; "
            "m = FloorMessage.objects.create(text='Posted while you were away', author_name='supervisor', "
            "until=timezone.now() + timedelta(minutes=10)); m.wallboards.set(Wallboard.objects.filter(slug='floor'))"
        )
        manage(server.env, "shell", "-c", code)
        server.start()
        server.wait_http(server.extra["url"] + "/healthz")
        screen.locator(".floor-message:has-text('Posted while you were away')").wait_for(timeout=60_000)
        assert not screen.errors, screen.errors
    finally:
        server.stop()


def test_a_kiosk_token_cannot_post(dashboard_server, browser) -> None:  # type: ignore[no-untyped-def]
    url = wallboard_url(dashboard_server)
    token = url.split("token=", 1)[1]
    base = dashboard_server.extra["url"]
    with httpx.Client(base_url=base, timeout=10) as kiosk:
        assert kiosk.get(url).status_code == 200  # the token works for its screen
        page = kiosk.get(f"/messages/?token={token}")
        assert page.status_code == 302 and "/accounts/login/" in page.headers["location"]
        posted = kiosk.post(f"/messages/?token={token}", data={"text": "hi", "wallboards": "floor"})
        assert posted.status_code in (302, 403)
        assert kiosk.get(f"/admin/dashboard/floormessage/add/?token={token}").status_code == 302
    # Nor over its socket: a message-shaped frame from the screen is ignored.
    screen = open_wallboard(browser, dashboard_server)
    outcome = screen.evaluate(
        """(token) => new Promise((done) => {
            const ws = new WebSocket(`ws://${location.host}/ws/dashboards/agents/?token=${token}`);
            ws.onopen = () => { ws.send(JSON.stringify({type: "message", id: "999", text: "from a kiosk",
              level: "urgent", until: Date.now() + 60000, wallboards: ["floor"]})); setTimeout(() => done("sent"), 500); };
            ws.onclose = () => done("closed");
            setTimeout(() => done("timeout"), 15000);
        })""",
        token,
    )
    assert outcome == "sent"  # the token is good for the socket: the frame reached the server
    supervisor = browser.new_context().new_page()
    sign_in_as(supervisor, dashboard_server)
    supervisor.goto(base + "/messages/")
    assert "from a kiosk" not in supervisor.content()
    assert screen.locator(".floor-message:has-text('from a kiosk')").count() == 0
    done = manage(
        dashboard_server.env,
        "shell",
        "-c",
        "from dashboard.models import FloorMessage; print(FloorMessage.objects.filter(text='from a kiosk').count())",
    )
    assert done.strip().splitlines()[-1] == "0"
