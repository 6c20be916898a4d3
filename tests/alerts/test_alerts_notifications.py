"""A real browser: a supervisor who allowed notifications gets one for an alert while the
tab is in the background, and none while it is in front.

Chromium is headless, so "in the background" is made by an init script (document.hidden
and visibilityState, then a visibilitychange event); the same script records each
`new Notification(...)` the page makes and each alert frame its socket receives. Init scripts run outside the page's CSP; the
page's own scripts stay what the server sends (any CSP report fails the test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.alerts.live import add_rule
from tests.support.processes import ManagedProcess, start_dashboard

pytestmark = pytest.mark.browser

BACKGROUND_AND_RECORD = """
(() => {
  let hidden = false;
  Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => hidden });
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true, get: () => (hidden ? "hidden" : "visible"),
  });
  window.__setHidden = (value) => { hidden = value; document.dispatchEvent(new Event("visibilitychange")); };
  const Real = window.Notification;
  window.__notifications = [];
  function Recording(title, options) {
    window.__notifications.push({ title, body: options?.body, tag: options?.tag });
    return new Real(title, options);
  }
  Object.defineProperty(Recording, "permission", { get: () => Real.permission });
  Recording.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recording;
  const RealSocket = window.WebSocket;
  window.__alertEvents = [];
  window.WebSocket = class extends RealSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (m) => {
        try {
          const frame = JSON.parse(m.data);
          if (frame.type === "alert") window.__alertEvents.push(frame.event);
        } catch { /* not ours to judge */ }
      });
    }
  };
})();
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    """A server of its own: the rule this test adds must not meet another test's."""
    proc = start_dashboard(Path(tmp_path_factory.mktemp("notify")))
    yield proc
    proc.stop()


def test_a_notification_only_while_the_tab_is_in_the_background(server: ManagedProcess, browser) -> None:  # type: ignore[no-untyped-def]
    base = server.extra["url"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["notifications"], origin=base)
    context.add_init_script(BACKGROUND_AND_RECORD)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, base)
    assert "Notifications on" in page.locator("#alert-notify").inner_text()  # the permission is seen

    add_rule(server, after=0, repeat=2)  # "On calls" >= 0: raised at once, repeated every 2 s
    page.locator(".alert.state-raised", has_text="Everyone busy").wait_for(timeout=30_000)
    page.wait_for_function("() => window.__alertEvents.includes('repeated')", timeout=30_000)
    assert page.evaluate("window.__notifications") == []  # raised and repeated, but the tab is in front

    page.evaluate("window.__setHidden(true)")
    seen = page.evaluate("window.__alertEvents.length")
    page.wait_for_function("(n) => window.__alertEvents.slice(n).includes('repeated')", arg=seen, timeout=30_000)
    page.wait_for_function("() => window.__notifications.length > 0", timeout=10_000)
    notes = page.evaluate("window.__notifications")
    assert notes[0]["title"] == "Critical: Everyone busy"
    assert "On calls" in notes[0]["body"] and notes[0]["tag"]
    context.close()
    assert errors == []


def sign_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "supervisor")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Dashboards')")
    page.goto(base + "/dashboards/agents/")
    page.locator("#alert-list").wait_for(state="attached", timeout=20_000)
