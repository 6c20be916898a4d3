"""Shared steps of the workflow browser tests: sign in, open a wallboard screen,
screenshots at the two sizes supervisors and TVs use."""

from __future__ import annotations

from tests.conftest import ARTIFACTS
from tests.e2e.test_live_pages import wallboard_url
from tests.support.processes import ManagedProcess

SIZES = ((1920, 1080), (1366, 768))


def sign_in_as(page, server: ManagedProcess, user: str = "supervisor", password: str = "supervisor") -> None:  # type: ignore[no-untyped-def]
    page.goto(server.extra["url"] + "/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")


def open_wallboard(browser, server: ManagedProcess, size: tuple[int, int] = (1920, 1080)):  # type: ignore[no-untyped-def]
    """A kiosk screen showing the demo wallboard `floor`, its first page drawn."""
    screen = browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
    errors: list[str] = []
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.goto(wallboard_url(server))
    screen.locator(".grid:not([hidden]) .tile").first.wait_for(timeout=30_000)
    screen.errors = errors  # type: ignore[attr-defined]
    return screen


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """`test-artifacts/<name>-<w>x<h>.png` at both sizes, then back to the first size."""
    ARTIFACTS.mkdir(exist_ok=True)
    first = page.viewport_size
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)  # a resize reflows Plotly charts; a picture, not an assertion
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))
    page.set_viewport_size(first)
