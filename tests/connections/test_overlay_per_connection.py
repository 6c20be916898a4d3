"""In Chromium through a real `rundashboard` (the embedded default, whose demo hosts the
second simulated tenant `brand-b` and the `brands` dashboard mixing both): a page-wide
"link down" notice follows the connections the page shows, not `default`'s alone
(issue 22, static/js/link-state.js). With `default`'s simulator UNAVAILABLE and brand-b
live, a wallboard of brand-b's tiles stays uncovered with live values, a wallboard of
default's tiles is covered, and the mixed wallboard greys default's tiles without the
full-screen overlay; the supervisor's banner on the mixed page names `default` only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ARTIFACTS
from tests.support.processes import ManagedProcess, base_env, manage, start_dashboard
from tests.support.waiting import wait_until

pytestmark = pytest.mark.browser

OUTAGE_S = 240  # longer than the test: `default` stays down until it ends


def kpi(title: str, queue: str, connection: str | None) -> dict:
    stat = {"name": "CurrentNumberWaitingCalls", "objectType": "Queue", "objectId": queue}
    return {"type": "kpi", "title": title, "statistics": [stat | ({"connection": connection} if connection else {})]}


EXTRA = {
    "dashboards": [
        {"slug": "brand-b-only", "title": "Brand B only", "widgets": [kpi("B only", "9001@SIP_Switch", "brand-b")]},
        {"slug": "brand-a-only", "title": "Brand A only", "widgets": [kpi("A only", "8001@SIP_Switch", None)]},
    ],
    "wallboards": [
        {"slug": "wall-b", "title": "Wall B", "dashboards": ["brand-b-only"], "rotate_seconds": 3600},
        {"slug": "wall-a", "title": "Wall A", "dashboards": ["brand-a-only"], "rotate_seconds": 3600},
        {"slug": "wall-mix", "title": "Wall mixed", "dashboards": ["brands"], "rotate_seconds": 3600},
    ],
}
DEMO = "from dashboard.boards.demo import ensure_demo_content\nensure_demo_content()\nprint('{}')"
TILE = "section.tile:has(h2:text-is('{}'))"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    """The demo content (with `brand-b` and `brands`) and three wallboards made before
    the server starts, so its bridges load them with everything else."""
    tmp = Path(tmp_path_factory.mktemp("overlay-per-connection"))
    env = base_env(tmp)
    manage(env, "migrate", "-v", "0")
    manage(env, "shell", "-c", DEMO)
    manage(env, "import_dashboards", "-", stdin=json.dumps(EXTRA))
    proc = start_dashboard(tmp)
    proc.extra["walls"] = {
        slug: manage(env, "wallboard_url", slug, "--base", proc.extra["url"]).strip().splitlines()[-1]
        for slug in ("wall-b", "wall-a", "wall-mix")
    }
    yield proc
    proc.stop()


def connections(server: ManagedProcess) -> dict:
    return httpx.get(server.extra["url"] + "/healthz", timeout=10).json().get("connections", {})


def state_of(server: ManagedProcess, name: str) -> str | None:
    entry = connections(server).get(name)
    return entry.get("state") if isinstance(entry, dict) else entry


def stale(page, title: str) -> bool:  # type: ignore[no-untyped-def]
    return "stale" in (page.locator(TILE.format(title)).get_attribute("class") or "")


def value(page, title: str) -> str:  # type: ignore[no-untyped-def]
    return page.locator(f"{TILE.format(title)} .big").inner_text()


def covered(page) -> bool:  # type: ignore[no-untyped-def]
    return page.locator("#overlay").is_visible()


def open_wall(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.extra_errors = errors
    return page


def test_the_overlay_follows_the_connections_the_page_shows(server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    walls = {slug: open_wall(browser, url) for slug, url in server.extra["walls"].items()}
    b, a, mix = walls["wall-b"], walls["wall-a"], walls["wall-mix"]
    try:
        # Both connections live: nothing covered anywhere, values on every tile.
        wait_until(lambda: state_of(server, "brand-b") == "connected", timeout=60, what="brand-b connected")
        for page, title in ((b, "B only"), (a, "A only"), (mix, "Brand A waiting"), (mix, "Brand B waiting")):
            wait_until(lambda: value(page, title) != "–" and not stale(page, title), timeout=60, what=f"{title} live")
        assert not any(covered(p) for p in walls.values())

        outage = httpx.post(
            f"http://127.0.0.1:{server.extra['simulator_port']}/simulator/v1/outage",
            json={"seconds": OUTAGE_S},
            timeout=10,
        )
        assert outage.status_code == 200, outage.text
        wait_until(lambda: covered(a), timeout=30, what="default's wallboard covered")
        assert "Genesys statistics unavailable" in a.locator("#overlay .what").inner_text()
        wait_until(lambda: stale(mix, "Brand A waiting"), timeout=30, what="default's tile greyed on the mixed page")
        assert state_of(server, "brand-b") == "connected"
        for _ in range(5):  # a while, not an instant: the overlay would follow `default` within a second
            b.wait_for_timeout(1000)
            assert not covered(b), b.locator("#overlay .what").inner_text()
            assert not covered(mix), mix.locator("#overlay .what").inner_text()
        assert b.evaluate("document.body.dataset.live") == "yes"
        assert value(b, "B only") != "–" and not stale(b, "B only")
        assert value(mix, "Brand B waiting") != "–" and not stale(mix, "Brand B waiting")
        assert stale(mix, "Brand A waiting") and not stale(mix, "Brand B agents")
        ARTIFACTS.mkdir(exist_ok=True)
        for slug, page in walls.items():
            page.screenshot(path=str(ARTIFACTS / f"overlay-per-connection-{slug}.png"))
        assert all(page.extra_errors == [] for page in walls.values())
    finally:
        for page in walls.values():
            page.context.close()


def test_the_supervisor_banner_names_the_connection_down(server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    """Runs after the wallboards' test: `default` is still down (OUTAGE_S)."""
    assert state_of(server, "default") != "connected"
    page.goto(server.extra["url"] + "/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "admin")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")
    page.goto(server.extra["url"] + "/dashboards/brands/")
    banner = page.locator("#bridge-banner")
    banner.wait_for(state="visible", timeout=20_000)
    wait_until(lambda: "Connection default" in banner.inner_text(), timeout=20, what="the banner names default")
    assert "brand-b" not in banner.inner_text()
    page.goto(server.extra["url"] + "/dashboards/brand-b-only/")
    wait_until(lambda: value(page, "B only") != "–", timeout=30, what="brand-b's value on its own page")
    page.wait_for_timeout(2000)
    assert not banner.is_visible(), banner.inner_text()
    assert page.evaluate("document.body.dataset.live") == "yes"
