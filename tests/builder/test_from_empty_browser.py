"""The builder from an empty database, in a real Chromium: `simulate` runs apart and
`rundashboard` points at it (GENESYS_API_BASE_URL), so no demo content exists; the
only account is a superuser made with `createsuperuser --noinput`. An admin builds a
board by mouse and another by keyboard, a wallboard's kiosk page follows each publish,
an older version is restored, and an ad-hoc definition the upstream refuses shows the
upstream's own message in the side panel."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.builder.test_editor_browser import drag, watch_console
from tests.conftest import ARTIFACTS
from tests.support.processes import ManagedProcess, free_port, manage, upstream_env

pytestmark = pytest.mark.browser

ADMIN, PASSWORD = "night-admin", "a-long-test-password-42"


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    """A simulator and a dashboard on an empty database (no demo content, one superuser)."""
    tmp = tmp_path_factory.mktemp("empty")
    sim_port, port = free_port(), free_port()
    env = upstream_env(tmp, sim_port)
    simulator = ManagedProcess(["simulate", "--port", str(sim_port)], env, tmp / "simulator.log").start()
    manage(env, "migrate", "-v", "0")
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        "createsuperuser",
        "--noinput",
        "--username",
        ADMIN,
        "--email",
        "admin@example.invalid",
    )
    server = ManagedProcess(["rundashboard", "--port", str(port)], env, tmp / "rundashboard.log").start()
    server.extra.update(url=f"http://127.0.0.1:{port}")
    try:
        server.wait_http(server.extra["url"] + "/healthz")
        assert json.loads(manage(env, "export_dashboards"))["dashboards"] == []  # empty indeed
        yield server
    finally:
        server.stop()
        simulator.stop()


def sign_in(page, server: ManagedProcess) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.extra["url"] + "/accounts/login/")
    page.fill("input[name=username]", ADMIN)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")


def add_kpi(page, title: str, name: str, object_type: str, object_id: str) -> None:  # type: ignore[no-untyped-def]
    """Palette → KPI, title, a pre-configured statistic on one object, peek, add. The
    object's id is typed: an empty database knows no objects to browse (the Statistics
    API lists none; they come from configured statistics and the skills data)."""
    page.get_by_role("button", name="KPI tile with sparkline").click()
    panel = page.locator("#panel")
    panel.get_by_label("Title", exact=True).fill(title)
    panel.get_by_label("Title", exact=True).press("Tab")
    panel.get_by_label("Statistic", exact=True).select_option(name)
    panel.get_by_label("Object type").select_option(object_type)
    panel.get_by_label("Object id").fill(object_id)
    panel.get_by_label("Object id").press("Tab")
    panel.locator(".peek", has_text="Current value:").wait_for(timeout=30_000)
    panel.get_by_role("button", name="Add to widget").click()
    page.locator("#grid .tile", has_text=title).wait_for()


def publish(page, number: int) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function("() => document.querySelectorAll('#problems li').length === 0")
    page.get_by_role("button", name="Publish").click()
    page.locator("#message", has_text=f"Published as version {number}").wait_for(timeout=30_000)


def kiosk_titles(kiosk) -> list[str]:  # type: ignore[no-untyped-def]
    return kiosk.locator("#stage .grid:not([hidden]) .tile h2").all_inner_texts()


def wait_kiosk(kiosk, titles: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The kiosk page reloads its layout on the `config` frame (with jitter): wait for `titles`."""
    kiosk.wait_for_function(
        "t => JSON.stringify([...document.querySelectorAll('#stage .grid:not([hidden]) .tile h2')]"
        ".map(h => h.textContent)) === t",
        arg=json.dumps(titles, separators=(",", ":")),
        timeout=90_000,
    )


def open_kiosk(server: ManagedProcess, browser, slug: str, dashboard: str):  # type: ignore[no-untyped-def]
    """A wallboard showing `dashboard`, made by import, opened at its kiosk URL (no login)."""
    wall = {"dashboards": [], "wallboards": [{"slug": slug, "title": slug.title(), "dashboards": [dashboard]}]}
    manage(server.env, "import_dashboards", "-", stdin=json.dumps(wall))
    url = manage(server.env, "wallboard_url", slug, "--base", server.extra["url"]).strip().splitlines()[-1]
    kiosk = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    kiosk.goto(url)
    return kiosk


def test_by_mouse_from_nothing_a_wallboard_follows_and_an_older_version_comes_back(  # type: ignore[no-untyped-def]
    empty_server: ManagedProcess, page, browser
) -> None:
    problems = watch_console(page)
    sign_in(page, empty_server)
    page.get_by_label("New dashboard").fill("Night floor")
    page.get_by_role("button", name="Create and edit").click()
    page.locator("h1", has_text="Edit “Night floor”").wait_for()
    add_kpi(page, "Logged in", "CurrentNumberLoggedInAgents", "Tenant", "Environment")
    add_kpi(page, "Waiting", "CurrentNumberWaitingCalls", "Queue", "8001@SIP_Switch")
    page.locator("#budget", has_text="adds 2").wait_for()  # the draft is saved: the grid is drawn
    tiles = page.locator("#grid .tile")
    tiles.nth(0).scroll_into_view_if_needed()  # the panel's "Add" button scrolled the page down
    drag(page, tiles.nth(1).locator(".move-handle"), tiles.nth(0))  # placed first with the mouse
    page.locator("#announce", has_text="moved to place 1 of 2").wait_for()
    assert page.locator("#grid .tile h2").all_inner_texts() == ["Waiting", "Logged in"]
    publish(page, 1)  # a new board's first publish is version 1 (no version 0: it was empty)

    kiosk = open_kiosk(empty_server, browser, "night-wall", "night-floor")
    wait_kiosk(kiosk, ["Waiting", "Logged in"])
    kiosk.locator("#stage .tile", has_text="Waiting").locator(".big:not(:text-is('–'))").wait_for(timeout=30_000)
    add_kpi(page, "Ready now", "CurrentNumberReadyAgents", "Tenant", "Environment")
    assert kiosk_titles(kiosk) == ["Waiting", "Logged in"]  # a draft never reaches the wall
    publish(page, 2)
    wait_kiosk(kiosk, ["Waiting", "Logged in", "Ready now"])
    kiosk.screenshot(path=str(ARTIFACTS / "builder-empty-kiosk-followed.png"))

    page.get_by_label("Versions").select_option("1")
    page.get_by_role("button", name="Restore as draft").click()
    page.locator("#message", has_text="Version 1 is now the draft").wait_for()
    assert page.locator("#grid .tile h2").all_inner_texts() == ["Waiting", "Logged in"]
    publish(page, 3)
    wait_kiosk(kiosk, ["Waiting", "Logged in"])
    assert not problems, problems
    kiosk.context.close()


def test_by_keyboard_from_nothing(empty_server: ManagedProcess, page, browser) -> None:  # type: ignore[no-untyped-def]
    problems = watch_console(page)
    sign_in(page, empty_server)
    page.get_by_label("New dashboard").focus()
    page.keyboard.type("Keyboard board")
    page.keyboard.press("Enter")
    page.locator("h1", has_text="Edit “Keyboard board”").wait_for()
    for title, name, kind, target in (
        ("Agents in", "CurrentNumberLoggedInAgents", "Tenant", "Environment"),
        ("Calls waiting", "CurrentNumberWaitingCalls", "Queue", "8002@SIP_Switch"),
    ):
        page.get_by_role("button", name="KPI tile with sparkline").focus()
        page.keyboard.press("Enter")
        panel = page.locator("#panel")
        panel.get_by_label("Title", exact=True).focus()
        page.keyboard.press("Control+A")
        page.keyboard.type(title)
        page.keyboard.press("Tab")
        panel.get_by_label("Search statistics").focus()
        page.keyboard.type(name)
        panel.get_by_label("Statistic", exact=True).select_option(name)  # a <select>: the browser's own keys
        panel.get_by_label("Object type").select_option(kind)
        panel.get_by_label("Object id").focus()
        page.keyboard.type(target)
        page.keyboard.press("Tab")
        panel.locator(".peek", has_text="Current value:").wait_for(timeout=30_000)
        panel.get_by_role("button", name="Add to widget").focus()
        page.keyboard.press("Enter")
        page.locator("#grid .tile", has_text=title).wait_for()

    page.locator("#grid .tile", has_text="Calls waiting").focus()
    page.keyboard.press("ArrowLeft")
    page.locator("#announce", has_text="moved to place 1 of 2").wait_for()
    page.keyboard.press("Shift+ArrowRight")
    page.locator("#announce", has_text="is 2 of").wait_for()
    page.wait_for_function("() => document.querySelectorAll('#problems li').length === 0")
    page.get_by_role("button", name="Publish").focus()
    page.keyboard.press("Enter")
    page.locator("#message", has_text="Published as version 1").wait_for(timeout=30_000)

    page.goto(empty_server.extra["url"] + "/dashboards/keyboard-board/")
    page.locator("#board .tile h2").nth(1).wait_for()
    assert page.locator("#board .tile h2").all_inner_texts() == ["Calls waiting", "Agents in"]
    page.locator("#board .tile", has_text="Calls waiting").locator(".big:not(:text-is('–'))").wait_for(timeout=30_000)
    assert not problems, problems


def test_a_definition_the_upstream_refuses_shows_its_message_in_the_panel(  # type: ignore[no-untyped-def]
    empty_server: ManagedProcess, page
) -> None:
    sign_in(page, empty_server)
    page.get_by_label("New dashboard").fill("Bad definition")
    page.get_by_role("button", name="Create and edit").click()
    page.locator("h1", has_text="Edit “Bad definition”").wait_for()
    page.get_by_role("button", name="KPI tile with sparkline").click()
    panel = page.locator("#panel")
    panel.get_by_label("Kind").select_option("definition")
    panel.get_by_label("category", exact=True).fill("CurrentNumbr")
    panel.get_by_label("category", exact=True).dispatch_event("change")
    panel.get_by_label("subject", exact=True).fill("DNAction")
    panel.get_by_label("subject", exact=True).dispatch_event("change")
    panel.get_by_label("Object type").select_option("Queue")
    panel.get_by_label("Object id").fill("8001@SIP_Switch")
    panel.get_by_label("Object id").press("Tab")
    peek = panel.locator(".peek.bad", has_text="Refused: the upstream refused it")
    peek.wait_for(timeout=30_000)
    # The simulated Stat Server's own words (statsbridge/simulator/definitions.py), not ours:
    assert "unknown category 'CurrentNumbr'" in peek.inner_text(), peek.inner_text()
    page.screenshot(path=str(ARTIFACTS / "builder-upstream-refusal.png"), full_page=True)


def provisioning_fault(server: ManagedProcess, status: int, message: str = "") -> None:
    """Sets (or with 0 clears) the simulator's Provisioning API fault, through its control API."""
    url = server.env["GENESYS_API_BASE_URL"] + "/simulator/v1/provisioning-fault"
    reply = httpx.post(url, json={"status": status, "message": message}, timeout=10)
    assert reply.status_code == 200, reply.text


def new_board_with_a_kpi(page, server: ManagedProcess, title: str):  # type: ignore[no-untyped-def]
    sign_in(page, server)
    page.get_by_label("New dashboard").fill(title)
    page.get_by_role("button", name="Create and edit").click()
    page.locator("h1", has_text=f"Edit “{title}”").wait_for()
    page.get_by_role("button", name="KPI tile with sparkline").click()
    return page.locator("#panel")


def test_an_object_only_the_upstreams_configuration_knows_is_picked_from_the_list(  # type: ignore[no-untyped-def]
    empty_server: ManagedProcess, page
) -> None:
    """An empty database configures no agent group and the skills data has none: the
    "Retention" group comes from the Provisioning API listing alone."""
    problems = watch_console(page)
    panel = new_board_with_a_kpi(page, empty_server, "Upstream objects")
    panel.get_by_label("Statistic", exact=True).select_option("CurrentNumberReadyAgents")
    panel.get_by_label("Object type").select_option("GroupAgents")
    panel.get_by_label("Search objects").fill("reten")
    panel.locator(".objects-source", has_text="Genesys lists").wait_for(timeout=30_000)
    choice = panel.get_by_role("list", name="Objects").get_by_role("button", name="Retention", exact=True)
    choice.wait_for(timeout=30_000)
    assert choice.get_attribute("title") == "listed by Genesys"
    choice.click()
    assert panel.get_by_label("Object id").input_value() == "Retention"
    panel.locator(".peek", has_text="Current value:").wait_for(timeout=30_000)  # the Statistics API serves it
    panel.get_by_role("button", name="Add to widget").click()
    page.locator("#grid .tile").first.wait_for()
    page.wait_for_function("() => document.querySelectorAll('#problems li').length === 0")
    page.get_by_role("button", name="Publish").click()
    page.locator("#message", has_text="Published as version 1").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "builder-upstream-object.png"), full_page=True)
    assert not problems, problems


def test_the_upstreams_listing_error_shows_in_the_picker_and_refresh_recovers(  # type: ignore[no-untyped-def]
    empty_server: ManagedProcess, page
) -> None:
    provisioning_fault(empty_server, 503, "Configuration Server is not reachable (test)")
    try:
        panel = new_board_with_a_kpi(page, empty_server, "Listing down")
        panel.get_by_label("Object type").select_option("GroupQueues")  # not listed before: no cache
        source = panel.locator(".objects-source.bad")
        source.wait_for(timeout=30_000)
        assert "Configuration Server is not reachable (test)" in source.inner_text(), source.inner_text()
        assert "Genesys' object list is unavailable" in source.inner_text()
        page.screenshot(path=str(ARTIFACTS / "builder-upstream-listing-error.png"), full_page=True)
        provisioning_fault(empty_server, 0)
        panel.get_by_role("button", name="Refresh from Genesys").click()
        panel.get_by_role("list", name="Objects").get_by_role("button", name="AllQueues").wait_for(timeout=30_000)
        panel.locator(".objects-source:not(.bad)", has_text="Genesys lists").wait_for()
    finally:
        provisioning_fault(empty_server, 0)


def test_a_second_editor_is_shown_and_an_older_draft_never_overwrites_theirs(  # type: ignore[no-untyped-def]
    empty_server: ManagedProcess, page, browser
) -> None:
    """Two admins on one draft: each sees the other; the one whose draft is older is
    refused (with who and when) instead of saving over the newer one, until it loads it."""
    second = "day-admin"
    manage(
        {**empty_server.env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        "createsuperuser",
        "--noinput",
        "--username",
        second,
        "--email",
        "day@example.invalid",
    )
    problems = watch_console(page)
    sign_in(page, empty_server)
    page.get_by_label("New dashboard").fill("Shared board")
    page.get_by_role("button", name="Create and edit").click()
    page.locator("h1", has_text="Edit “Shared board”").wait_for()
    add_kpi(page, "First tile", "CurrentNumberLoggedInAgents", "Tenant", "Environment")
    page.locator("#draft-state", has_text="Draft: not on screens").wait_for()

    other_context = browser.new_context(viewport={"width": 1280, "height": 900})
    other = other_context.new_page()
    other.goto(empty_server.extra["url"] + "/accounts/login/")
    other.fill("input[name=username]", second)
    other.fill("input[name=password]", PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_selector("h1:has-text('Dashboards')")
    other.goto(empty_server.extra["url"] + "/dashboards/shared-board/edit/")
    other.locator("#editors", has_text=f"Draft last saved by {ADMIN} at").wait_for(timeout=30_000)
    other.locator("#editors", has_text=f"Also editing now: {ADMIN}").wait_for(timeout=60_000)
    page.locator("#editors", has_text=f"Also editing now: {second}").wait_for(timeout=60_000)

    add_kpi(other, "Their tile", "CurrentNumberReadyAgents", "Tenant", "Environment")  # theirs is saved...
    other.locator("#grid .tile", has_text="Their tile").wait_for()
    other.wait_for_function("() => !document.querySelector('#draft-state').textContent.includes('Saving')")

    add_kpi(page, "My late tile", "CurrentNumberWaitingCalls", "Queue", "8001@SIP_Switch")  # ...mine is older
    page.locator("#message.bad", has_text=f"Not saved: {second} saved this draft at").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "builder-draft-conflict.png"), full_page=True)
    page.get_by_role("button", name="Publish").click()
    page.locator("#message.bad", has_text="load the current draft first").wait_for()

    other.reload()  # the shared draft holds their tile, not mine
    other.locator("#grid .tile", has_text="Their tile").wait_for()
    assert other.locator("#grid .tile h2").all_inner_texts() == ["First tile", "Their tile"]

    page.get_by_role("button", name="Load the current draft").click()
    page.locator("#message", has_text="Loaded the current draft").wait_for()
    assert page.locator("#grid .tile h2").all_inner_texts() == ["First tile", "Their tile"]
    page.get_by_role("button", name="Publish").click()
    page.locator("#message", has_text="Published as version 1").wait_for(timeout=30_000)
    refusals = [p for p in problems if "status of 409 (Conflict)" in p]  # the refused saves, as meant
    assert refusals and not [p for p in problems if p not in refusals], problems
    other_context.close()
