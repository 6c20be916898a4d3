"""Languages and time zones in Chromium against the real server (rundashboard, embedded
simulator): a German wallboard in Europe/Berlin on a browser in UTC, and a supervisor
switching the interface to German. Leftover English of our own known strings fails;
screenshots of both pages at 1920x1080 and 1366x768 go to test-artifacts/."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import ARTIFACTS
from tests.e2e.test_live_pages import wallboard_url
from tests.support.live_server import run_in_server
from tests.support.processes import ManagedProcess

pytestmark = pytest.mark.browser

# Our own English words that a German page must not show (data such as widget titles,
# statistic labels and agent names is the admin's, and is taken out first).
# "Skill", "Dashboard" and "Widget" are German words too (loanwords), so not listed.
ENGLISH = (
    "Sign out",
    "Configure",
    "Alerts",
    "No alerts",
    "Sound on",
    "Sound off",
    "Notify me when hidden",
    "All agents",
    "Ready",
    "On call",
    "Wrap-up",
    "Not ready",
    "Logged out",
    "Unknown",
    "updated",
    "no data yet",
    "just now",
    "ago",
    "Warning",
    "Critical",
    "Queue",
    "Disconnected",
    "no update",
    "logged in",
    "Edit this dashboard",
    "Contact center live",
    "Language",
)
ENGLISH += (
    "Messages", "Messages to the floor", "My dashboards", "Last seen", "checking…", "no breaches", "Link to Genesys",
    "Post to the wallboards", "Posted", "Nothing posted yet", "Today", "who can take these calls", "Find agents",
    "Copy to my dashboards", "Any skill", "Sort", "of 24 agents", "as of",
)  # fmt: skip
SIZES = ((1920, 1080), (1366, 768))
# The builder's own texts (static/js/builder/*.js, templates/builder/editor.html), none of
# them also a statistic's label or a widget title of the demo.
BUILDER_ENGLISH = (
    "Dashboard settings", "Widget settings", "Add a widget from the palette", "Dashboard title", "Shared with groups",
    "Time zone (where the day begins)", "upstream statistics", "of a budget of", "Published: no draft",
    "Draft: not on screens", "Width (columns)", "Compare with", "no comparison", "Thresholds", "Warning at",
    "Critical at", "breach when above", "Add a statistic", "Pre-configured statistic", "Search statistics",
    "Other name", "Object type", "Search objects", "Object id", "Refresh from Genesys", "Add to widget",
    "Genesys lists", "configured objects", "pick a statistic", "no live value", "Measuring", "Every number is at least",
    "readable from", "they need", "Publish", "Preview on a TV", "Load the current draft",
)  # fmt: skip


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def leftover_english(page, words: tuple[str, ...] = ENGLISH) -> list[str]:  # type: ignore[no-untyped-def]
    """Our English strings in the visible text, after the page's own data is taken out."""
    text = page.evaluate("() => document.body.innerText")
    scripts = page.locator("script[type='application/json']:not(#i18n-catalogue)").all_text_contents()
    config = [json.loads(t) for t in scripts]
    for data in sorted({s for s in _strings(config) if len(s) > 1}, key=len, reverse=True):
        text = text.replace(data, " ")
    return [word for word in words if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)  # lets Plotly's resize handler redraw before the picture
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))


def _set_wallboard(server: ManagedProcess, language: str, zone: str, rotate: int) -> None:
    run_in_server(
        server,
        "import json; from dashboard.models import Wallboard; "
        f"Wallboard.objects.filter(slug='floor').update(language={language!r}, time_zone={zone!r}, "
        f"rotate_seconds={rotate}); "
        "print(json.dumps({'ok': True}))",
    )


def test_a_german_wallboard_in_berlin_on_a_utc_browser(dashboard_server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    _set_wallboard(dashboard_server, "de", "Europe/Berlin", rotate=6)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, timezone_id="UTC", locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(wallboard_url(dashboard_server))
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") == "UTC"
        page.wait_for_function("() => /^\\d\\d:\\d\\d:\\d\\d$/.test(document.getElementById('clock').textContent)")
        before = datetime.now(ZoneInfo("Europe/Berlin"))
        shown = page.locator("#clock").inner_text()
        after = datetime.now(ZoneInfo("Europe/Berlin"))
        allowed = {
            (before + timedelta(seconds=s)).strftime("%H:%M")
            for s in range(-2, int((after - before).total_seconds()) + 3)
        }
        assert shown[:5] in allowed, (shown, allowed)
        assert datetime.now(ZoneInfo("UTC")).strftime("%H:%M") not in allowed  # Berlin, not the browser's UTC
        page.locator(".grid:not([hidden]) .tile").first.wait_for(timeout=20_000)
        page.wait_for_function("() => document.body.dataset.live === 'yes'", timeout=20_000)
        assert page.locator("#alert-sound").inner_text() in ("Ton an", "Ton aus")
        for _ in range(3):  # every page of the rotation (3 in the demo), as each comes up
            page.locator(".grid:not([hidden]) .tile .fresh, .grid:not([hidden]) .tile footer").first.wait_for(
                timeout=20_000
            )
            assert not leftover_english(page), leftover_english(page)
            page.evaluate("() => window.dispatchEvent(new Event('resize'))")
            if page.locator("#dots span").count() < 2:
                break
            current = page.locator("#page-title").inner_text()
            page.wait_for_function(
                f"() => document.getElementById('page-title').textContent !== {current!r}", timeout=60_000
            )
        shoot(page, "german-wallboard")
        assert not errors, errors
    finally:
        context.close()
        _set_wallboard(dashboard_server, "", "UTC", rotate=30)


def test_a_supervisor_switches_to_german_and_it_stays(dashboard_server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US")
    page = context.new_page()
    url = dashboard_server.extra["url"]
    try:
        page.goto(url + "/accounts/login/")
        page.fill("input[name=username]", "supervisor")
        page.fill("input[name=password]", "supervisor")
        page.click("button[type=submit]")
        page.wait_for_selector("h1:has-text('Dashboards')")
        assert page.locator("html").get_attribute("lang") == "en"
        page.wait_for_load_state("load")  # the menu's script (a module) has run by then
        page.select_option("#language-select", "de")  # applies on choosing
        page.wait_for_selector("html[lang=de]")
        assert page.locator("button:has-text('Abmelden')").count() == 1
        page.goto(url + "/dashboards/agents/")
        page.locator(".agent .st:not(:has-text('–'))").first.wait_for(timeout=20_000)
        page.wait_for_function("() => document.body.dataset.live === 'yes'", timeout=20_000)
        assert page.locator(".agent .st").first.inner_text().split(" · ")[0] in (
            "Bereit",
            "Im Gespräch",
            "Nacharbeit",
            "Nicht bereit",
            "Abgemeldet",
            "Unbekannt",
        )
        assert not leftover_english(page), leftover_english(page)
        shoot(page, "german-dashboard")
        # The other pages a supervisor opens: home, messages, a queue's agents, an agent's day.
        for path in ("/", "/messages/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == "de"
            assert not leftover_english(page), (path, leftover_english(page))
        page.goto(url + "/dashboards/queues/")
        page.locator("table.queues th a").first.click()
        page.locator(".tile.kind-agent-grid .agent .st:not(:text-is('–'))").first.wait_for(timeout=20_000)
        assert not leftover_english(page), leftover_english(page)
        page.locator(".agent a.name").first.click()
        page.locator("#today-note:not(:empty)").wait_for(timeout=20_000)
        assert not leftover_english(page), leftover_english(page)
        # Another browser, no cookie: the choice is the user's, kept on the server.
        other = browser.new_context(locale="en-US")
        second = other.new_page()
        second.goto(url + "/accounts/login/")
        second.fill("input[name=username]", "supervisor")
        second.fill("input[name=password]", "supervisor")
        second.click("button[type=submit]")
        second.wait_for_selector("html[lang=de] h1:has-text('Dashboards')")
        second.wait_for_load_state("load")
        second.select_option("#language-select", "en")
        second.wait_for_selector("html[lang=en] button:has-text('Sign out')")
        other.close()
    finally:
        context.close()


def test_the_builder_in_german(dashboard_server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    """An admin who chose German edits a dashboard: the panel, the statistic picker, the
    grid's announcements and the preview's legibility lines are German, with no
    leftover of the builder's English texts, and no script error."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = dashboard_server.extra["url"]
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "admin")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")
    page.wait_for_load_state("load")
    try:
        page.select_option("#language-select", "de")
        page.wait_for_selector("html[lang=de]")
        page.goto(url + "/dashboards/queues/edit/")
        assert page.locator("html").get_attribute("lang") == "de"
        page.locator("#panel h2:has-text('Dashboard-Einstellungen')").wait_for(timeout=20_000)
        page.locator("#budget:has-text('Budget')").wait_for(timeout=20_000)
        assert page.locator("#draft-state").inner_text() == "Veröffentlicht: kein Entwurf"
        assert not leftover_english(page, BUILDER_ENGLISH), leftover_english(page, BUILDER_ENGLISH)
        tile = page.locator("#grid .tile").first
        assert "Spalten breit" in (tile.get_attribute("aria-label") or "")
        tile.click()
        page.locator("#panel h2:has-text('Widget-Einstellungen')").wait_for(timeout=20_000)
        page.locator(".picker legend:has-text('Statistik hinzufügen')").wait_for(timeout=20_000)
        page.locator(".objects-source:not(:empty)").wait_for(timeout=20_000)
        # The picker's catalogue comes from the server in German: searching a German word finds it.
        page.locator(".picker").get_by_label("Statistiken suchen").fill("wartende")
        names = page.locator(".picker").get_by_label("Statistik", exact=True)
        names.select_option("CurrentNumberWaitingCalls")
        assert names.locator("option:checked").inner_text().startswith("Wartende Anrufe")
        assert "Calls waiting" not in page.locator(".picker").inner_text()
        page.locator(".picker").get_by_label("Objekt-ID").scroll_into_view_if_needed()
        shoot(page, "german-builder-picker")
        tile.focus()
        page.keyboard.press("ArrowRight")  # a move, announced in German
        page.wait_for_function("() => /verschoben/.test(document.getElementById('announce').textContent)")
        page.click("#preview-open")
        page.locator("#legibility li.warn, #legibility li.fine").first.wait_for(timeout=30_000)
        assert not leftover_english(page, BUILDER_ENGLISH), leftover_english(page, BUILDER_ENGLISH)
        shoot(page, "german-builder")
        page.click("#discard")  # the resize made a draft: leave the dashboard as it was
        page.locator("#draft-state:has-text('Veröffentlicht: kein Entwurf')").wait_for(timeout=20_000)
        assert page.locator("#message").inner_text() == "Entwurf verworfen."
        assert not errors, errors
    finally:
        page.goto(url + "/")
        page.wait_for_load_state("load")
        page.select_option("#language-select", "en")
        page.wait_for_selector("html[lang=en]")
        context.close()
