"""The builder in a real Chromium against a real rundashboard: an admin adds a KPI
from the palette, picks a statistic (the peek shows its value), moves it with the
keyboard, publishes; a supervisor's page of that dashboard reloads with the new tile.
The strict CSP holds throughout (no violation reported)."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.support.processes import ManagedProcess

pytestmark = pytest.mark.browser


def sign_in(page, server: ManagedProcess, who: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.extra["url"] + "/accounts/login/")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", who)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")


def watch_console(page) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def tile_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#board .tile h2").all_inner_texts()


def test_admin_builds_a_tile_by_palette_picker_and_keyboard_and_a_screen_follows(  # type: ignore[no-untyped-def]
    dashboard_server: ManagedProcess, page, browser
) -> None:
    screen_context = browser.new_context(viewport={"width": 1280, "height": 800})
    screen = screen_context.new_page()
    sign_in(screen, dashboard_server, "supervisor")
    screen.goto(dashboard_server.extra["url"] + "/dashboards/queues/")
    screen.locator("#board .tile").first.wait_for()
    before = tile_titles(screen)

    problems = watch_console(page)
    sign_in(page, dashboard_server, "admin")
    page.goto(dashboard_server.extra["url"] + "/dashboards/queues/edit/")
    page.locator("#grid .tile").nth(len(before) - 1).wait_for()
    page.get_by_role("button", name="KPI tile with sparkline").click()
    panel = page.locator("#panel")
    panel.get_by_label("Title", exact=True).fill("Builder tile")
    panel.get_by_label("Search statistics").fill("waiting")
    panel.get_by_label("Statistic", exact=True).select_option("CurrentNumberWaitingCalls")
    panel.get_by_role("button", name="8002@SIP_Switch").click()
    panel.locator(".peek", has_text="Current value:").wait_for(timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "builder-picker.png"), full_page=True)
    panel.get_by_role("button", name="Add to widget").click()

    new_tile = page.locator("#grid .tile", has_text="Builder tile")
    new_tile.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.locator("#announce", has_text=f"moved to place {len(before) - 1} of {len(before) + 1}").wait_for()
    page.keyboard.press("Shift+ArrowRight")
    page.locator("#announce", has_text="is 2 of").wait_for()
    page.locator("#draft-state", has_text="Draft: not on screens").wait_for()
    page.wait_for_function("document.querySelectorAll('#problems li').length === 0")
    page.locator("#budget", has_text="adds 0").wait_for()  # the same statistic is already open
    assert "Builder tile" not in tile_titles(screen)  # a draft never reaches the screens
    page.screenshot(path=str(ARTIFACTS / "builder-draft.png"), full_page=True)

    page.get_by_role("button", name="Publish").click()
    page.locator("#message", has_text="Published as version").wait_for(timeout=20_000)
    screen.locator("#board .tile h2", has_text="Builder tile").wait_for(timeout=60_000)  # reloads with jitter
    titles = tile_titles(screen)
    assert titles.index("Builder tile") == len(before) - 2 and len(titles) == len(before) + 1, titles
    screen.locator("#board .tile", has_text="Builder tile").locator(".big:not(:text-is('–'))").wait_for(timeout=20_000)
    screen.screenshot(path=str(ARTIFACTS / "builder-screen-followed.png"), full_page=True)
    assert not problems, problems
    screen_context.close()


def drag(page, source, target, dx: float = 0) -> None:  # type: ignore[no-untyped-def]
    """A mouse drag from the middle of `source` to the middle of `target` (plus dx)."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2 + dx, end["y"] + end["height"] / 2, steps=8)
    page.mouse.up()


def test_admin_rearranges_by_mouse_publishes_and_restores_the_older_version(  # type: ignore[no-untyped-def]
    dashboard_server: ManagedProcess, page, browser
) -> None:
    screen_context = browser.new_context(viewport={"width": 1280, "height": 800})
    screen = screen_context.new_page()
    sign_in(screen, dashboard_server, "supervisor")
    screen.goto(dashboard_server.extra["url"] + "/dashboards/service-level/")
    screen.locator("#board .tile").first.wait_for()
    original = tile_titles(screen)
    assert len(original) >= 2

    problems = watch_console(page)
    sign_in(page, dashboard_server, "admin")
    page.goto(dashboard_server.extra["url"] + "/dashboards/service-level/")
    page.get_by_role("link", name="Edit this dashboard").click()
    tiles = page.locator("#grid .tile")
    tiles.nth(len(original) - 1).wait_for()
    drag(page, tiles.nth(len(original) - 1).locator(".move-handle"), tiles.nth(0))
    page.locator("#announce", has_text=f"moved to place 1 of {len(original)}").wait_for()
    first = tiles.nth(0)
    column = page.locator("#grid").bounding_box()["width"] / 4
    drag(page, first.locator(".resize-handle"), first.locator(".resize-handle"), dx=-column * 2)
    page.locator("#announce", has_text="is 2 of 4 columns wide").wait_for()
    page.locator("#draft-state", has_text="Draft: not on screens").wait_for()
    page.screenshot(path=str(ARTIFACTS / "builder-mouse.png"), full_page=True)
    page.get_by_role("button", name="Publish").click()
    page.locator("#message", has_text="Published as version 1").wait_for(timeout=20_000)
    moved = [original[-1], *original[:-1]]
    screen.wait_for_function(
        "t => document.querySelector('#board .tile h2')?.textContent === t", arg=moved[0], timeout=60_000
    )
    assert tile_titles(screen) == moved

    page.get_by_label("Versions").select_option("0")  # as it was before the builder
    page.get_by_role("button", name="Restore as draft").click()
    page.locator("#message", has_text="Version 0 is now the draft").wait_for()
    assert page.locator("#grid .tile h2").all_inner_texts() == original
    page.get_by_role("button", name="Publish").click()
    page.locator("#message", has_text="Published as version 2").wait_for(timeout=20_000)
    screen.wait_for_function(
        "t => document.querySelector('#board .tile h2')?.textContent === t", arg=original[0], timeout=60_000
    )
    assert tile_titles(screen) == original
    assert not problems, problems
    screen_context.close()


def test_the_tv_preview_warns_about_numbers_too_small_for_the_distance(  # type: ignore[no-untyped-def]
    dashboard_server: ManagedProcess, page
) -> None:
    problems = watch_console(page)
    sign_in(page, dashboard_server, "admin")
    page.goto(dashboard_server.extra["url"] + "/dashboards/agents/edit/")
    page.locator("#grid .tile").first.wait_for()
    page.get_by_role("button", name="Preview on a TV").click()
    legibility = page.locator("#legibility")
    legibility.locator("li.warn", has_text="Agents: numbers").wait_for(timeout=30_000)  # the agent grid's names
    assert "Ready agents:" not in legibility.inner_text()  # a KPI figure reads at 5 m on a 55" 1080p TV
    page.screenshot(path=str(ARTIFACTS / "builder-preview-1080p.png"), full_page=True)
    page.get_by_label("Screen").select_option("3840")
    legibility.locator("li.warn", has_text="Ready agents: numbers").wait_for(timeout=30_000)  # half as tall at 4K
    page.get_by_label("Viewing distance (m)").fill("2")
    page.get_by_label("Viewing distance (m)").dispatch_event("change")
    legibility.locator("li", has_text="from 2 m").first.wait_for(timeout=30_000)
    assert "Ready agents:" not in legibility.inner_text()
    page.screenshot(path=str(ARTIFACTS / "builder-preview-4k.png"), full_page=True)
    assert not problems, problems


def test_from_nothing_to_a_shared_board_in_one_sitting(  # type: ignore[no-untyped-def]
    dashboard_server: ManagedProcess, page, browser
) -> None:
    problems = watch_console(page)
    sign_in(page, dashboard_server, "admin")
    page.get_by_label("New dashboard").fill("Night shift")
    page.get_by_role("button", name="Create and edit").click()
    page.locator("h1", has_text="Edit “Night shift”").wait_for()
    panel = page.locator("#panel")
    panel.get_by_label("Shared with groups (comma-separated)").fill("Supervisors")
    panel.get_by_label("Shared with groups (comma-separated)").press("Tab")
    page.get_by_role("button", name="KPI tile with sparkline").click()
    panel.get_by_label("Statistic", exact=True).select_option("CurrentNumberLoggedInAgents")
    panel.get_by_label("Object type").select_option("Tenant")
    panel.get_by_role("button", name="Environment").click()
    panel.locator(".peek", has_text="Current value:").wait_for(timeout=20_000)
    panel.get_by_role("button", name="Add to widget").click()
    page.locator("#grid .tile", has_text="Agents logged in").wait_for()
    page.locator("#draft-state", has_text="Draft: not on screens").wait_for()
    page.wait_for_function("() => document.querySelectorAll('#problems li').length === 0")
    page.get_by_role("button", name="Publish").click()
    page.locator("#message", has_text="Published as version").wait_for(timeout=20_000)

    screen_context = browser.new_context(viewport={"width": 1280, "height": 800})
    screen = screen_context.new_page()
    sign_in(screen, dashboard_server, "supervisor")
    screen.get_by_role("link", name="Night shift").click()
    tile = screen.locator("#board .tile", has_text="Agents logged in")
    tile.locator(".big:not(:text-is('–'))").wait_for(timeout=20_000)
    screen.screenshot(path=str(ARTIFACTS / "builder-from-nothing.png"), full_page=True)
    assert not problems, problems
    screen_context.close()
