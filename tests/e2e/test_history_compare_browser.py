"""Compare and intraday in a real browser, on the embedded default's demo content
(backfilled with the simulator's past on its first run), in a Europe/Berlin server zone:
the trend's faint "last <weekday>" line, a KPI's "+12 vs last Mon", and the intraday
table with a row per half hour since Berlin's midnight, the newest kept live."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import ARTIFACTS
from tests.e2e.test_live_pages import sign_in
from tests.support.processes import ManagedProcess, start_dashboard

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")
# The lines the trend's canvas drew (static/js/trend-canvas.js). `aligned`: the faint line's
# points lie on the live line's time axis (inside the drawn window, up to now) and its dots
# are on the canvas there: blue ink within 3 px of at least 90% of them.
OVERLAY = """() => {
  const tile = [...document.querySelectorAll(".tile")].find((t) => t.querySelector("h2")?.textContent === "Service level (trend)");
  const trend = tile?.querySelector("canvas.trend-canvas")?.trend;
  if (!trend?.drawn) return null;
  const { drawn } = trend;
  const ratio = trend.canvas.width / trend.canvas.clientWidth;
  const ctx = trend.canvas.getContext("2d");
  const blueNear = (x, y) => {
    const box = ctx.getImageData(Math.round((x - 3) * ratio), Math.round((y - 3) * ratio), Math.ceil(6 * ratio) + 1,
                                 Math.ceil(6 * ratio) + 1).data;
    for (let i = 0; i < box.length; i += 4) if (box[i + 3] > 40 && box[i + 2] - box[i] > 100) return true;
    return false;
  };
  const aligned = (s) => {
    if (!s.points.length) return false;
    const [start, end] = drawn.window;
    const inWindow = s.points.every((p) => p[0] >= start && p[0] <= end) && s.points.at(-1)[0] >= end - 10 * 60 * 1000;
    const inked = s.points.filter((p) => blueNear(trend.x(p[0]), trend.y(p[1]))).length;
    return inWindow && inked >= 0.9 * s.points.length;
  };
  return trend.series.map((s, i) => ({ name: s.name || "", points: drawn.series[i].points, opacity: s.opacity,
                                        dash: s.dash || "solid", aligned: aligned(s),
                                        drawn: drawn.series.filter((d) => d.points > 0).length }));
}"""


@pytest.fixture(scope="module")
def berlin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    proc = start_dashboard(tmp_path_factory.mktemp("history-compare"), TIME_ZONE="Europe/Berlin")
    yield proc
    proc.stop()


def weekdays_now() -> set[str]:
    """Today's short weekday in Berlin (and the next one, should midnight pass mid-test)."""
    now = datetime.now(BERLIN)
    return {now.strftime("%a"), (now + timedelta(minutes=5)).strftime("%a")}


def test_the_trend_draws_last_weeks_faint_line_and_the_kpi_says_the_difference(
    berlin_server: ManagedProcess, page
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, berlin_server)
    page.goto(berlin_server.extra["url"] + "/dashboards/service-level/")
    page.wait_for_function(
        f"() => ({OVERLAY})()?.some((t) => t.name.startsWith('last ') && t.points > 0)", timeout=30_000
    )
    traces = page.evaluate(OVERLAY)
    live, faint = traces[0], next(t for t in traces if t["name"].startswith("last "))
    assert faint["name"].removeprefix("last ") in weekdays_now()
    assert faint["opacity"] < 1 and faint["dash"] == "dot" and live["opacity"] == 1
    assert faint["points"] >= 5  # at least the last half hour of last week, in 5-minute buckets
    assert faint["drawn"] >= 2  # both lines are on the canvas
    assert faint["aligned"] and live["aligned"], traces  # on today's time axis, where they were drawn

    trend = page.locator(".tile", has=page.locator("h2", has_text="Service level (trend)"))
    trend.screenshot(path=str(ARTIFACTS / "history-compare-trend.png"))

    kpi = page.locator(".tile", has=page.locator("h2", has_text="Speed of answer"))
    pattern = r"^(\+|\u2212|±)[\d:]+ vs last (\w{3})$"  # a duration: "−0:07 vs last Mon"
    kpi.locator(".compare").filter(has_text=re.compile(pattern)).wait_for(timeout=30_000)
    match = re.match(pattern, kpi.locator(".compare").text_content() or "")
    assert match and match.group(2) in weekdays_now()
    kpi.screenshot(path=str(ARTIFACTS / "history-compare-kpi.png"))


def test_the_intraday_table_has_a_row_per_half_hour_since_midnight(berlin_server: ManagedProcess, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, berlin_server)
    page.goto(berlin_server.extra["url"] + "/dashboards/service-level/")
    table = page.locator("table.intraday")
    table.wait_for(timeout=20_000)
    headers = table.locator("thead th").all_text_contents()
    assert headers == ["Interval", "Offered", "Answered", "Abandoned", "Service level", "Avg handle time"]
    assert table.locator("tr.queue th").all_text_contents() == ["Sales Inbound", "Support Inbound"]
    now = datetime.now(BERLIN)
    expected_rows = (now.hour * 60 + now.minute) // 30 + 1
    first_queue = table.locator("tbody").first
    labels = first_queue.locator("tr[data-start] th").all_text_contents()
    assert len(labels) in (expected_rows, expected_rows + 1)  # +1: an interval began meanwhile
    assert labels[-1] == "00:00" and labels[0] == f"{now.hour:02d}:{30 * (now.minute // 30):02d}"
    if len(labels) > 1:  # past rows come from the backfilled buckets: numbers, not dashes
        assert all(c != "–" for c in first_queue.locator("tr[data-start]").nth(1).locator("td").all_text_contents())
    live = first_queue.locator("tr.live td")
    live.nth(3).filter(has_text=re.compile(r"%$")).wait_for(timeout=40_000)  # the live service level
    table.screenshot(path=str(ARTIFACTS / "history-intraday.png"))
