#!/usr/bin/env python
"""The table widget's cost per update: the keyed cell map (static/js/table.js) against
the rebuilt body of before (main's static/js, or any git revision).

Why: the old drawTable rebuilt the whole <tbody> on every update and searched the
statistic list once per cell (rows x columns x statistics), so a big queue table cost
more the bigger it was, on every value. This loads board.js alone in headless Chromium
(Playwright, the flags of tests/conftest.py; files served from git through a route, no
server, no network), builds one table of --rows queues x 4 statistics, applies a
snapshot, then --updates single-statistic updates, and reports ms per update.

    .venv/bin/python bench/table_updates.py --rows 100 --updates 2000 --before main
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
HARNESS = """<!doctype html><div id="board"></div><script type="module">
import { Board } from "./js/board.js";
window.run = (rows, updates) => {
  const names = ["Waiting", "MaxWait", "Offered", "Abandoned"];
  const statistics = [];
  for (let r = 0; r < rows; r++) for (const name of names) {
    statistics.push({ id: `${r}-${name}`, objectId: `Q${r}`, name, label: `Queue ${r}`, unit: "count" });
  }
  const page = { columns: 4, history: 360, skill: null,
                 widgets: [{ id: 1, kind: "table", title: "Queues", width: 4, statistics, thresholds: null }] };
  const board = new Board(document.getElementById("board"), page);
  board.apply(statistics.map((s) => ({ id: s.id, value: 0, timestamp: 1 })), true);
  const start = performance.now();
  for (let i = 0; i < updates; i++) {
    const s = statistics[(i * 7919) % statistics.length];
    board.apply([{ id: s.id, value: i, timestamp: 2 + i }]);
  }
  return { ms_per_update: (performance.now() - start) / updates, cells: document.querySelectorAll("td").length };
};
</script>"""


def source(revision: str | None, path: str) -> bytes:
    if revision is None:
        return (ROOT / path).read_bytes()
    return subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, check=True).stdout


def measure(browser: object, revision: str | None, rows: int, updates: int) -> dict:
    page = browser.new_page()  # type: ignore[attr-defined]

    def serve(route: object) -> None:
        path = route.request.url.removeprefix(ORIGIN + "/")  # type: ignore[attr-defined]
        if path == "index.html":
            route.fulfill(body=HARNESS, content_type="text/html")  # type: ignore[attr-defined]
        else:
            route.fulfill(body=source(revision, "static/" + path), content_type="text/javascript")  # type: ignore[attr-defined]

    page.route(ORIGIN + "/**", serve)
    page.goto(ORIGIN + "/index.html")
    page.wait_for_function("() => typeof window.run === 'function'")
    result = page.evaluate("([rows, updates]) => run(rows, updates)", [rows, updates])
    page.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--before", default="main", help="git revision for the old static/js")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        report = {
            "rows": args.rows,
            "updates": args.updates,
            "before": measure(browser, args.before, args.rows, args.updates),
            "after": measure(browser, None, args.rows, args.updates),
        }
        browser.close()
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
