#!/usr/bin/env python
"""The agent grid's cost per update at 500 agents: the keyed card map of static/js/agent-grid.js
(only the changed card is rewritten; a sort or filter moves cards once per frame) against
the grid of before (main's static/js, or any git revision), which rewrote every card on
every update.

Loads board.js alone in headless Chromium (Playwright, the flags of tests/conftest.py;
files served from git through a route, no server, no network) with base.css, builds one
agent grid of --agents agents, applies a snapshot, then --updates single-agent state
changes, forcing style and layout after each (so DOM writes are paid for), and reports ms
per update. `sorted` runs the new grid sorted by state with a state filter, flushing the
re-sort after every update (its worst case: the page does it at most once per frame).

    .venv/bin/python bench/agent_grid.py --agents 500 --updates 2000 --before main
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ORIGIN = "http://bench.invalid"
HARNESS = """<!doctype html><link rel="stylesheet" href="./css/base.css"><div id="board" class="grid"></div>
<script type="module">
import { Board } from "./js/board.js";
const STATES = ["Ready", "Busy", "AfterCallWork", "NotReady"];
const CODES = { Ready: 4, Busy: 22, AfterCallWork: 9, NotReady: 8 };
const stat = (s, state, t) => ({ id: s.id, value: CODES[state], state, timestamp: t,
  raw: { Status: CODES[state], Time: Math.floor(t / 1000),
         Reasons: state === "NotReady" ? [{ key: "ReasonCode", type: "str", value: "Break" }] : undefined } });
window.run = (agents, updates) => {
  const statistics = [];
  for (let a = 0; a < agents; a++) {
    statistics.push({ id: `a${a}`, objectType: "Agent", objectId: `agent${a}`, name: "CurrentAgentState",
                      label: `Agent ${String(a).padStart(3, "0")}`, unit: "count", skills: [{ name: "English", level: 5 }],
                      clusters: [], groups: ["Sales"] });
  }
  const page = { slug: "bench", columns: 4, history: 360, skill: null,
                 widgets: [{ id: 1, kind: "agent-grid", title: "Agents", width: 4, statistics, thresholds: null }] };
  const board = new Board(document.getElementById("board"), page);
  const t0 = Date.now() - 3600_000;
  board.apply(statistics.map((s, i) => stat(s, STATES[i % 4], t0)), true);
  document.body.offsetHeight;
  const start = performance.now();
  for (let i = 0; i < updates; i++) {
    const s = statistics[(i * 7919) % statistics.length];
    board.apply([stat(s, STATES[(i + 1) % 4], t0 + 1000 * (i + 1))]);
    const grid = board.tiles[0].grid;
    if (grid?.frame) { cancelAnimationFrame(grid.frame); grid.frame = null; grid.reorder(); }
    document.body.offsetHeight;  // style and layout, as the next frame would pay
  }
  const ms = (performance.now() - start) / updates;
  const tickStart = performance.now();
  for (let i = 0; i < 20; i++) { board.tick(); document.body.offsetHeight; }
  return { ms_per_update: +ms.toFixed(3), ms_per_tick: +((performance.now() - tickStart) / 20).toFixed(3),
           cards: document.querySelectorAll(".agent").length,
           shown: document.querySelectorAll(".agent:not([hidden])").length };
};
</script>"""


def source(revision: str | None, path: str) -> bytes:
    if revision is None:
        return (ROOT / path).read_bytes()
    return subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, check=True).stdout


def measure(browser: object, revision: str | None, agents: int, updates: int, query: str = "") -> dict:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})  # type: ignore[attr-defined]

    def serve(route: object) -> None:
        path = route.request.url.removeprefix(ORIGIN + "/").split("?")[0]  # type: ignore[attr-defined]
        if path == "index.html":
            route.fulfill(body=HARNESS, content_type="text/html")  # type: ignore[attr-defined]
        else:
            kind = "text/css" if path.endswith(".css") else "text/javascript"
            route.fulfill(body=source(revision, "static/" + path), content_type=kind)  # type: ignore[attr-defined]

    page.route(ORIGIN + "/**", serve)
    page.goto(ORIGIN + "/index.html" + query)
    page.wait_for_function("() => typeof window.run === 'function'")
    result = page.evaluate("([agents, updates]) => run(agents, updates)", [agents, updates])
    page.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--before", default="main", help="git revision for the old static/js")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        report = {
            "agents": args.agents,
            "updates": args.updates,
            "before": measure(browser, args.before, args.agents, args.updates),
            "after": measure(browser, None, args.agents, args.updates),
            "after_sorted_filtered": measure(
                browser, None, args.agents, args.updates, "?sort=state&state=NotReady,AfterCallWork"
            ),
        }
        browser.close()
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
